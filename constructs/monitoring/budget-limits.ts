/**
 * What Azure accepts in a consumption budget (start date, notification thresholds) and the checks built on it.
 * Free of cdktf, so `ResourceGroupBudget` and the environment config validate with the same rules and messages.
 */
import { show } from '../core/errors';

/** Azure accepts budgets starting on or after this date. */
export const EARLIEST_BUDGET_START = '2017-06-01';

/** Azure's limit on notifications per budget. */
export const MAX_BUDGET_NOTIFICATIONS = 5;

/** Azure's range for a notification threshold, in percent of the amount. */
export const BUDGET_THRESHOLD_RANGE = { min: 0, max: 1000 } as const;

/**
 * Problems with a budget start date (`YYYY-MM-DD`), as messages: not a calendar date, not the first day of a
 * month, or before {@link EARLIEST_BUDGET_START}. Shared with config validation.
 */
export function budgetStartDateProblems(startDate: string): string[] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(startDate);
  const date = match ? new Date(`${startDate}T00:00:00Z`) : undefined;
  if (!match || !date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== startDate) {
    return [`${show(startDate)} is not a date (YYYY-MM-DD)`];
  }
  const problems: string[] = [];
  if (match[3] !== '01') {
    problems.push(
      `${show(startDate)} is not the first day of a month: Azure budgets start on the 1st (e.g. "${match[1]}-${match[2]}-01")`,
    );
  }
  if (startDate < EARLIEST_BUDGET_START) {
    problems.push(`${show(startDate)} is before ${EARLIEST_BUDGET_START}, the earliest start Azure accepts`);
  }
  return problems;
}

/** How many notifications a budget takes, and whose limit it is (named in the message). */
export interface BudgetNotificationLimit {
  /** Notifications (actual and forecast together) one budget takes. */
  readonly max: number;
  /** Whose limit it is, as the message says it (`Azure`, `AWS Budgets`). */
  readonly service: string;
}

/**
 * Problems with notification thresholds (percent of the amount): out of Azure's range (the AWS budget,
 * `constructs/aws/monitoring/cost-budget.ts`, is held to the same), duplicated within one kind, or more
 * notifications in total than `limit` allows (Azure's by default). Each as `[path, message]` relative to the
 * budget.
 */
export function budgetThresholdProblems(
  actual: readonly number[],
  forecast: readonly number[],
  limit: BudgetNotificationLimit = { max: MAX_BUDGET_NOTIFICATIONS, service: 'Azure' },
): [string, string][] {
  const problems: [string, string][] = [];
  for (const [field, list] of [
    ['thresholdsPercent', actual],
    ['forecastThresholdsPercent', forecast],
  ] as const) {
    list.forEach((value, i) => {
      if (
        !Number.isFinite(value) ||
        value <= BUDGET_THRESHOLD_RANGE.min ||
        value > BUDGET_THRESHOLD_RANGE.max
      ) {
        problems.push([
          `${field}[${i}]`,
          `${value} is out of range: must be above 0 and at most 1000 (percent of the amount)`,
        ]);
      }
      if (list.indexOf(value) !== i) problems.push([`${field}[${i}]`, `${value} is listed twice`]);
    });
  }
  const total = actual.length + forecast.length;
  if (total === 0) {
    problems.push(['thresholdsPercent', '[] has no thresholds: a budget needs at least one notification']);
  } else if (total > limit.max) {
    problems.push([
      'thresholdsPercent',
      `${actual.length} actual + ${forecast.length} forecast = ${total} notifications, more than the ${limit.max} ${limit.service} allows per budget`,
    ]);
  }
  return problems;
}

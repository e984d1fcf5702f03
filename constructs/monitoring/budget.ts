import { ConsumptionBudgetResourceGroup } from '@cdktf/provider-azurerm/lib/consumption-budget-resource-group';
import { Construct } from 'constructs';
import { Problems, show } from '../core/errors';
import { checkName } from '../core/naming';
import type { IResourceGroup } from '../core/props';
import type { IActionGroup } from './action-group';

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

/**
 * Problems with notification thresholds (percent of the amount): out of Azure's range, duplicated within one
 * kind, or more notifications in total than Azure allows. Each as `[path, message]` relative to the budget.
 */
export function budgetThresholdProblems(
  actual: readonly number[],
  forecast: readonly number[],
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
  } else if (total > MAX_BUDGET_NOTIFICATIONS) {
    problems.push([
      'thresholdsPercent',
      `${actual.length} actual + ${forecast.length} forecast = ${total} notifications, more than the ${MAX_BUDGET_NOTIFICATIONS} Azure allows per budget`,
    ]);
  }
  return problems;
}

/** Properties of {@link ResourceGroupBudget}. */
export interface ResourceGroupBudgetProps {
  /** The resource group whose cost the budget tracks. */
  readonly resourceGroup: IResourceGroup;
  /** Budget name, unique in the resource group. */
  readonly name: string;
  /** Monthly amount in the billing currency. */
  readonly amount: number;
  /**
   * First day of the first budget month, `YYYY-MM-01`. Comes from config, never from the clock, so synth is
   * deterministic. Changing it replaces the budget; Azure rejects a new budget whose start lies before the
   * current month, so move it forward when re-creating.
   */
  readonly startDate: string;
  /** Action groups notified (`contact_groups`). */
  readonly actionGroups: readonly IActionGroup[];
  /**
   * Notify when actual cost reaches these percentages of the amount.
   * @default [80, 100]
   */
  readonly thresholdsPercent?: readonly number[];
  /**
   * Notify when forecast cost reaches these percentages of the amount (at most 5 notifications in total).
   * @default [100]
   */
  readonly forecastThresholdsPercent?: readonly number[];
}

/**
 * A monthly consumption budget on a resource group, notifying action groups when actual or forecast cost
 * reaches each threshold (`GreaterThanOrEqualTo`).
 *
 * @example
 * new ResourceGroupBudget(this, 'Budget', {
 *   resourceGroup, name: 'budget-llmops-prod-sdc', amount: 20000, startDate: '2026-12-01', actionGroups: [oncall],
 * });
 *
 * @see https://learn.microsoft.com/azure/cost-management-billing/costs/tutorial-acm-create-budgets
 */
export class ResourceGroupBudget extends Construct {
  /** The budget resource. */
  public readonly budget: ConsumptionBudgetResourceGroup;
  /** ARM id of the budget (`.../providers/Microsoft.Consumption/budgets/<name>`). */
  public readonly budgetId: string;
  /** Monthly amount in the billing currency. */
  public readonly amount: number;
  /** Percentages of the amount that notify on actual cost. */
  public readonly thresholdsPercent: readonly number[];
  /** Percentages of the amount that notify on forecast cost. */
  public readonly forecastThresholdsPercent: readonly number[];

  constructor(scope: Construct, id: string, props: ResourceGroupBudgetProps) {
    super(scope, id);
    const actual = props.thresholdsPercent ?? [80, 100];
    const forecast = props.forecastThresholdsPercent ?? [100];
    const problems = new Problems('props');
    const nameProblem = checkName('budget', props.name);
    if (nameProblem) problems.add(nameProblem.path, nameProblem.message);
    problems.check(
      Number.isFinite(props.amount) && props.amount > 0,
      'amount',
      `${props.amount} must be a positive amount`,
    );
    for (const message of budgetStartDateProblems(props.startDate)) problems.add('startDate', message);
    for (const [path, message] of budgetThresholdProblems(actual, forecast)) problems.add(path, message);
    problems.check(
      props.actionGroups.length > 0,
      'actionGroups',
      '[] is empty: give at least one action group to notify',
    );
    problems.throwIfAny(`Invalid ResourceGroupBudget "${this.node.path}"`);

    const contactGroups = props.actionGroups.map((g) => g.actionGroupId);
    const notification = (thresholdType: 'Actual' | 'Forecasted', threshold: number) => ({
      enabled: true,
      operator: 'GreaterThanOrEqualTo',
      threshold,
      thresholdType,
      contactGroups,
    });
    this.budget = new ConsumptionBudgetResourceGroup(this, 'Default', {
      name: props.name,
      resourceGroupId: props.resourceGroup.id,
      amount: props.amount,
      timeGrain: 'Monthly',
      timePeriod: { startDate: `${props.startDate}T00:00:00Z` },
      notification: [
        ...actual.map((t) => notification('Actual', t)),
        ...forecast.map((t) => notification('Forecasted', t)),
      ],
    });
    this.budgetId = this.budget.id;
    this.amount = props.amount;
    this.thresholdsPercent = actual;
    this.forecastThresholdsPercent = forecast;
  }
}

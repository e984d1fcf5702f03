import { ValidationError } from '../../constructs/core/errors';
import {
  BUDGET_START_DATE_IGNORE_CHANGES,
  budgetStartDateProblems,
  MONTH_START_FORMAT,
  ResourceGroupBudget,
  type ResourceGroupBudgetProps,
} from '../../constructs/monitoring/budget';
import { onlyResource, synthStack, TEST_RESOURCE_GROUP, testStack } from '../helpers/synth';

const GROUP_A = '/subscriptions/0/resourceGroups/rg-test/providers/Microsoft.Insights/actionGroups/ag-a';
const GROUP_B = '/subscriptions/0/resourceGroups/rg-test/providers/Microsoft.Insights/actionGroups/ag-b';

const BASE: ResourceGroupBudgetProps = {
  resourceGroup: TEST_RESOURCE_GROUP,
  name: 'budget-llmops-test-sdc',
  amount: 1000,
  actionGroups: [{ actionGroupId: GROUP_A }],
};

/** What Terraform reads as `time_period.start_date` by default: the first of the month, computed at plan time. */
const PLAN_TIME_START = `\${formatdate("YYYY-MM-01'T'00:00:00'Z'", plantimestamp())}`;

/**
 * Terraform's `formatdate` for the sequences a budget start date needs (`YYYY`, `MM`, `DD`, `hh`, `mm`, `ss`,
 * `Z`, quoted literals, punctuation and digits); any other letter is an error, as in Terraform.
 * @see https://developer.hashicorp.com/terraform/language/functions/formatdate
 */
function formatdate(spec: string, timestamp: string): string {
  const t = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/.exec(timestamp);
  if (!t) throw new Error(`not a UTC RFC 3339 timestamp: ${timestamp}`);
  const values: Record<string, string> = {
    YYYY: t[1]!,
    MM: t[2]!,
    DD: t[3]!,
    hh: t[4]!,
    mm: t[5]!,
    ss: t[6]!,
    Z: 'Z',
  };
  let out = '';
  for (let i = 0; i < spec.length; ) {
    const c = spec[i]!;
    if (c === "'") {
      const end = spec.indexOf("'", i + 1);
      if (end === -1) throw new Error('unterminated literal');
      out += spec.slice(i + 1, end);
      i = end + 1;
    } else if (/[A-Za-z]/.test(c)) {
      let j = i;
      while (spec[j] === c) j++;
      const seq = spec.slice(i, j);
      if (!(seq in values)) throw new Error(`invalid date format verb ${JSON.stringify(seq)}`);
      out += values[seq];
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function synthBudget(props: Partial<ResourceGroupBudgetProps> = {}) {
  const stack = testStack();
  const budget = new ResourceGroupBudget(stack, 'Budget', { ...BASE, ...props });
  return { budget, json: onlyResource(synthStack(stack), 'azurerm_consumption_budget_resource_group') };
}

function problemsOf(props: Partial<ResourceGroupBudgetProps>): string[] {
  try {
    synthBudget(props);
  } catch (e) {
    if (e instanceof ValidationError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  throw new Error('expected a ValidationError');
}

const notification = (threshold: number, thresholdType: string, groups = [GROUP_A]) => ({
  enabled: true,
  operator: 'GreaterThanOrEqualTo',
  threshold,
  threshold_type: thresholdType,
  contact_groups: groups,
});

describe('ResourceGroupBudget', () => {
  test('defaults: monthly, from the month of the plan, 80 % and 100 % actual and 100 % forecast', () => {
    const { json, budget } = synthBudget();
    expect(json).toEqual({
      name: 'budget-llmops-test-sdc',
      resource_group_id: TEST_RESOURCE_GROUP.id,
      amount: 1000,
      time_grain: 'Monthly',
      // computed at plan time; no end_date (the provider sets it ten years after the start)
      time_period: { start_date: PLAN_TIME_START },
      // the start date forces replacement and the computed one changes monthly: keep the one created
      lifecycle: { ignore_changes: ['time_period[0].start_date'] },
      notification: [
        notification(80, 'Actual'),
        notification(100, 'Actual'),
        notification(100, 'Forecasted'),
      ],
    });
    expect(budget.thresholdsPercent).toEqual([80, 100]);
    expect(budget.forecastThresholdsPercent).toEqual([100]);
  });

  test('all props: thresholds and several action groups', () => {
    const { json } = synthBudget({
      amount: 50,
      thresholdsPercent: [50, 90, 110],
      forecastThresholdsPercent: [],
      actionGroups: [{ actionGroupId: GROUP_A }, { actionGroupId: GROUP_B }],
    });
    expect(json.amount).toBe(50);
    expect(json.notification).toEqual(
      [50, 90, 110].map((t) => notification(t, 'Actual', [GROUP_A, GROUP_B])),
    );
  });

  test('the computed start date is the first of the plan month, in the form azurerm validates', () => {
    // GIVEN plans on three days, the last one at the end of a leap year
    for (const [planned, expected] of [
      ['2027-03-17T10:20:30Z', '2027-03-01T00:00:00Z'],
      ['2027-01-01T00:00:00Z', '2027-01-01T00:00:00Z'],
      ['2028-12-31T23:59:59Z', '2028-12-01T00:00:00Z'],
    ] as const) {
      // WHEN Terraform evaluates the synthesized expression
      const startDate = formatdate(MONTH_START_FORMAT, planned);
      // THEN it is the first of that month: RFC 3339, day 1, after June 2017 (validate/time_period.go)
      expect(startDate).toBe(expected);
      expect(budgetStartDateProblems(startDate.slice(0, 10))).toEqual([]);
    }
    expect(PLAN_TIME_START).toBe(`\${formatdate("${MONTH_START_FORMAT}", plantimestamp())}`);
  });

  test('a configured start date is written as given, and ignored after create too', () => {
    const { json } = synthBudget({ startDate: '2026-12-01' });
    expect(json.time_period).toEqual({ start_date: '2026-12-01T00:00:00Z' });
    expect(json.lifecycle).toEqual({ ignore_changes: [BUDGET_START_DATE_IGNORE_CHANGES] });
  });

  test('synth is deterministic: the start date comes from plan time, not the clock at synth', () => {
    // GIVEN two runs on different days (the clock is moved, not waited for)
    const at = (now: string) => {
      jest.useFakeTimers({ now: new Date(now) });
      try {
        return synthBudget().json;
      } finally {
        jest.useRealTimers();
      }
    };
    const january = at('2027-01-15T08:00:00Z');
    const july = at('2031-07-31T23:59:59Z');
    // THEN both write the plan-time expression, and nothing else differs
    expect((january.time_period as { start_date: string }).start_date).toBe(PLAN_TIME_START);
    expect(july).toEqual(january);
  });

  test('fails when the start date is not the first of a month', () => {
    expect(problemsOf({ startDate: '2026-12-15' })).toEqual([
      'props.startDate: "2026-12-15" is not the first day of a month: Azure budgets start on the 1st (e.g. "2026-12-01")',
    ]);
  });

  test('fails when the start date is before June 2017', () => {
    expect(problemsOf({ startDate: '2017-05-01' })).toEqual([
      'props.startDate: "2017-05-01" is before 2017-06-01, the earliest start Azure accepts',
    ]);
  });

  test('fails when the start date is not a date', () => {
    expect(problemsOf({ startDate: '2026-02-30' })).toEqual([
      'props.startDate: "2026-02-30" is not a date (YYYY-MM-DD)',
    ]);
    expect(budgetStartDateProblems('next month')).toEqual(['"next month" is not a date (YYYY-MM-DD)']);
  });

  test('fails when the amount is not positive', () => {
    expect(problemsOf({ amount: 0 })).toEqual(['props.amount: 0 must be a positive amount']);
  });

  test('fails when a threshold is out of range or repeated', () => {
    expect(problemsOf({ thresholdsPercent: [0, 1001, 80, 80], forecastThresholdsPercent: [] })).toEqual([
      'props.thresholdsPercent[0]: 0 is out of range: must be above 0 and at most 1000 (percent of the amount)',
      'props.thresholdsPercent[1]: 1001 is out of range: must be above 0 and at most 1000 (percent of the amount)',
      'props.thresholdsPercent[3]: 80 is listed twice',
    ]);
  });

  test('fails when there are more than 5 notifications', () => {
    expect(
      problemsOf({ thresholdsPercent: [50, 75, 90, 100], forecastThresholdsPercent: [100, 120] }),
    ).toEqual([
      'props.thresholdsPercent: 4 actual + 2 forecast = 6 notifications, more than the 5 Azure allows per budget',
    ]);
  });

  test('fails when there is no notification', () => {
    expect(problemsOf({ thresholdsPercent: [], forecastThresholdsPercent: [] })).toEqual([
      'props.thresholdsPercent: [] has no thresholds: a budget needs at least one notification',
    ]);
  });

  test('fails when no action group is given', () => {
    expect(problemsOf({ actionGroups: [] })).toEqual([
      'props.actionGroups: [] is empty: give at least one action group to notify',
    ]);
  });

  test('snapshot', () => {
    const { json } = synthBudget();
    expect(json.name).toBe('budget-llmops-test-sdc');
    expect(json).toMatchSnapshot();
  });
});

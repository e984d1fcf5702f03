import { ValidationError } from '../../constructs/core/errors';
import {
  budgetStartDateProblems,
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
  startDate: '2026-12-01',
  actionGroups: [{ actionGroupId: GROUP_A }],
};

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
  test('defaults: monthly, from the configured start date, 80 % and 100 % actual and 100 % forecast', () => {
    const { json, budget } = synthBudget();
    expect(json).toEqual({
      name: 'budget-llmops-test-sdc',
      resource_group_id: TEST_RESOURCE_GROUP.id,
      amount: 1000,
      time_grain: 'Monthly',
      time_period: { start_date: '2026-12-01T00:00:00Z' },
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

  test('synth is deterministic: the start date comes from props, not the clock', () => {
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
    // THEN both write the configured start date, and nothing else differs
    expect((january.time_period as { start_date: string }).start_date).toBe('2026-12-01T00:00:00Z');
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

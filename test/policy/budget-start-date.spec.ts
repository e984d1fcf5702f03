import { ResourceGroupBudget } from '../../constructs/monitoring/budget';
import { BudgetStartDateRule, suppressPolicy } from '../../constructs/policy';
import { TEST_RESOURCE_GROUP } from '../helpers/synth';
import { findingsAfterSynth, rawResource, stackWith, synthError } from './helpers';

const TYPE = 'azurerm_consumption_budget_resource_group';
const PREFIX = `[policy budget-start-date] test/Budget (${TYPE}.Budget): `;
const WHY =
  'time_period.start_date forces a new budget when it changes (terraform-provider-azurerm v4.55.0 ' +
  'internal/services/consumption/consumption_budget_base.go, ForceNew) and Azure rejects a start date before the ' +
  'current month when a budget is created ("Past start date should be selected within the timegrain period", ' +
  'website/docs/r/consumption_budget_resource_group.html.markdown)';

function budget(startDate: string, lifecycle?: Record<string, unknown>) {
  const stack = stackWith(new BudgetStartDateRule());
  const resource = rawResource(stack, 'Budget', TYPE, {
    name: 'budget',
    time_period: { start_date: startDate },
    ...(lifecycle ? { lifecycle } : {}),
  });
  return { stack, resource };
}

describe('policy rule budget-start-date', () => {
  test('passes for the ResourceGroupBudget construct, with and without a configured start date', () => {
    const stack = stackWith(new BudgetStartDateRule());
    for (const [id, startDate] of [
      ['Computed', undefined],
      ['Fixed', '2027-03-01'],
    ] as const) {
      new ResourceGroupBudget(stack, id, {
        resourceGroup: TEST_RESOURCE_GROUP,
        name: `budget-${id.toLowerCase()}`,
        amount: 100,
        startDate,
        actionGroups: [{ actionGroupId: 'ag-id' }],
      });
    }
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('passes when ignore_changes covers the whole time_period block or everything', () => {
    expect(
      findingsAfterSynth(budget('2026-12-01T00:00:00Z', { ignore_changes: ['time_period'] }).stack),
    ).toEqual([]);
    expect(findingsAfterSynth(budget('2026-12-01T00:00:00Z', { ignore_changes: 'all' }).stack)).toEqual([]);
  });

  test('fails for a literal start date without ignore_changes, as the budget was written before', () => {
    // GIVEN the budget as it was synthesized from config startDate "2026-12-01"
    const { stack } = budget('2026-12-01T00:00:00Z');
    // THEN synth fails, with the provider and documentation facts and the fix
    expect(synthError(stack)).toContain(
      `${PREFIX}time_period.start_date is the literal "2026-12-01T00:00:00Z" and not in lifecycle.ignore_changes: ` +
        `${WHY}, so creating the budget in a later month fails; compute it at plan time (formatdate over ` +
        'plantimestamp(), see constructs/monitoring/budget.ts) and add "time_period[0].start_date" to ' +
        'lifecycle.ignore_changes',
    );
  });

  test('fails for a computed start date without ignore_changes: it would replace the budget every month', () => {
    const { stack } = budget(`\${formatdate("YYYY-MM-01'T'00:00:00'Z'", plantimestamp())}`, {
      ignore_changes: ['notification'],
    });
    expect(synthError(stack)).toContain(
      `${PREFIX}time_period.start_date is computed (\${formatdate("YYYY-MM-01'T'00:00:00'Z'", plantimestamp())}) ` +
        'and not in lifecycle.ignore_changes: a value that changes with the plan date replaces the budget on a ' +
        `later plan, since ${WHY}; add "time_period[0].start_date" to lifecycle.ignore_changes`,
    );
  });

  test('applies to subscription budgets too', () => {
    const stack = stackWith(new BudgetStartDateRule());
    rawResource(stack, 'Budget', 'azurerm_consumption_budget_subscription', {
      time_period: { start_date: '2026-12-01T00:00:00Z' },
    });
    expect(synthError(stack)).toContain(
      '[policy budget-start-date] test/Budget (azurerm_consumption_budget_subscription.Budget): time_period.start_date is the literal',
    );
  });

  test('a suppression with a reason lets synth pass and is reported with the finding', () => {
    const { stack, resource } = budget('2026-12-01T00:00:00Z');
    suppressPolicy(
      resource,
      'budget-start-date',
      'short-lived budget created and destroyed in the same month',
    );
    expect(findingsAfterSynth(stack)).toEqual([
      expect.objectContaining({
        ruleId: 'budget-start-date',
        suppressedBecause: 'short-lived budget created and destroyed in the same month',
      }),
    ]);
  });
});

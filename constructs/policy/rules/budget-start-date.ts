import { BUDGET_START_DATE_IGNORE_CHANGES } from '../../monitoring/budget';
import { attr, PolicyRule, type SynthesizedResource } from '../engine';

/** The consumption budget types; all share the schema of `consumption_budget_base.go`. */
const BUDGET_TYPES: readonly string[] = [
  'azurerm_consumption_budget_resource_group',
  'azurerm_consumption_budget_subscription',
  'azurerm_consumption_budget_management_group',
];

/** `ignore_changes` entries that cover the start date: the attribute, its block, or everything. */
const COVERING: readonly string[] = [BUDGET_START_DATE_IGNORE_CHANGES, 'time_period', 'time_period[0]'];

const WHY =
  'time_period.start_date forces a new budget when it changes (terraform-provider-azurerm v4.55.0 ' +
  'internal/services/consumption/consumption_budget_base.go, ForceNew) and Azure rejects a start date before the ' +
  'current month when a budget is created ("Past start date should be selected within the timegrain period", ' +
  'website/docs/r/consumption_budget_resource_group.html.markdown)';

const FIX = `add "${BUDGET_START_DATE_IGNORE_CHANGES}" to lifecycle.ignore_changes`;

/**
 * A budget's start date is kept after create: `lifecycle.ignore_changes` covers `time_period[0].start_date`.
 *
 * Without it, a literal start date breaks every environment created in a later month, and every re-creation
 * (the argument forces replacement, and Azure takes a past start date only within the current month); a start
 * date computed at plan time (`formatdate` over `plantimestamp()`) changes every month and replaces the budget
 * on the next plan. `terraform validate` sees neither: the provider checks only the date's form.
 */
export class BudgetStartDateRule extends PolicyRule {
  readonly id = 'budget-start-date';
  readonly description = 'Budgets keep their start date after create (lifecycle.ignore_changes on it).';

  appliesTo(resourceType: string): boolean {
    return BUDGET_TYPES.includes(resourceType);
  }

  check(resource: SynthesizedResource): string | undefined {
    const startDate = attr(resource.attributes, 'time_period', 0, 'start_date');
    if (typeof startDate !== 'string') return undefined;
    const ignore = attr(resource.attributes, 'lifecycle', 'ignore_changes');
    const covered =
      ignore === 'all' || (Array.isArray(ignore) && ignore.some((entry) => COVERING.includes(String(entry))));
    if (covered) return undefined;
    if (startDate.includes('${')) {
      return (
        `time_period.start_date is computed (${startDate}) and not in lifecycle.ignore_changes: a value that ` +
        `changes with the plan date replaces the budget on a later plan, since ${WHY}; ${FIX}`
      );
    }
    return (
      `time_period.start_date is the literal ${JSON.stringify(startDate)} and not in lifecycle.ignore_changes: ` +
      `${WHY}, so creating the budget in a later month fails; compute it at plan time (formatdate over ` +
      `plantimestamp(), see constructs/monitoring/budget.ts) and ${FIX}`
    );
  }
}

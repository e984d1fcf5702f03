import { ConsumptionBudgetResourceGroup } from '@cdktf/provider-azurerm/lib/consumption-budget-resource-group';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { Problems } from '../core/errors';
import { checkName } from '../core/naming';
import type { IResourceGroup } from '../core/props';
import type { IActionGroup } from './action-group';
import { budgetStartDateProblems, budgetThresholdProblems } from './budget-limits';

export {
  BUDGET_THRESHOLD_RANGE,
  type BudgetNotificationLimit,
  budgetStartDateProblems,
  budgetThresholdProblems,
  EARLIEST_BUDGET_START,
  MAX_BUDGET_NOTIFICATIONS,
} from './budget-limits';

/**
 * `formatdate` specification that turns a timestamp into the first instant of its month, in the RFC 3339 form
 * `time_period.start_date` takes (`2027-03-01T00:00:00Z`). Letters meant literally are quoted with single quotes;
 * `01` and `00:00:00` are digits and punctuation, which `formatdate` copies as they are.
 *
 * @see https://developer.hashicorp.com/terraform/language/functions/formatdate
 */
export const MONTH_START_FORMAT = "YYYY-MM-01'T'00:00:00'Z'";

/**
 * The budget start date Terraform computes at plan time: the first day of the month the plan runs in
 * (`formatdate` over `plantimestamp()`, Terraform 1.5 or later). The synthesized JSON holds the expression, not a
 * date, so synth output does not depend on the clock. Unknown at `terraform validate`, when azurerm skips the
 * argument's validation; known at plan, when it passes it (RFC 3339, first of the month, after June 2017:
 * terraform-provider-azurerm v4.55.0 `internal/services/consumption/validate/time_period.go`).
 *
 * @see https://developer.hashicorp.com/terraform/language/functions/plantimestamp
 */
export const PLAN_MONTH_START: string = Fn.formatdate(MONTH_START_FORMAT, Fn.plantimestamp());

/**
 * The `lifecycle.ignore_changes` entry that keeps a budget's start date as created. `time_period.start_date`
 * forces a new budget when it changes (terraform-provider-azurerm v4.55.0
 * `internal/services/consumption/consumption_budget_base.go`, `ForceNew: true`), and a start date computed at
 * plan time changes every month.
 */
export const BUDGET_START_DATE_IGNORE_CHANGES = 'time_period[0].start_date';

/** Properties of {@link ResourceGroupBudget}. */
export interface ResourceGroupBudgetProps {
  /** The resource group whose cost the budget tracks. */
  readonly resourceGroup: IResourceGroup;
  /** Budget name, unique in the resource group. */
  readonly name: string;
  /** Monthly amount in the billing currency. */
  readonly amount: number;
  /**
   * First day of the first budget month, `YYYY-MM-01`. Azure accepts a past start date on create only within
   * the current month ("Past start date should be selected within the timegrain period", azurerm
   * `website/docs/r/consumption_budget_resource_group.html.markdown` at v4.55.0), so a fixed date suits only a
   * budget created in that month, e.g. one imported into state. Either way the start date is in
   * `lifecycle.ignore_changes`: once the budget exists, a different value (or a later month) neither changes
   * nor replaces it.
   * @default the first day of the month Terraform plans the create in ({@link PLAN_MONTH_START})
   */
  readonly startDate?: string;
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
 * reaches each threshold (`GreaterThanOrEqualTo`). The budget starts in the month Terraform creates it (computed
 * at plan time, so a new environment is accepted in any month while synth output stays the same) and keeps that
 * start date afterwards (`lifecycle.ignore_changes`), so a later plan neither replaces it nor sends a past date.
 *
 * @example
 * new ResourceGroupBudget(this, 'Budget', {
 *   resourceGroup, name: 'budget-llmops-prod-sdc', amount: 20000, actionGroups: [oncall],
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
    if (props.startDate !== undefined) {
      for (const message of budgetStartDateProblems(props.startDate)) problems.add('startDate', message);
    }
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
      // No end_date: the provider defaults it to ten years after the start date.
      timePeriod: {
        startDate: props.startDate === undefined ? PLAN_MONTH_START : `${props.startDate}T00:00:00Z`,
      },
      notification: [
        ...actual.map((t) => notification('Actual', t)),
        ...forecast.map((t) => notification('Forecasted', t)),
      ],
      lifecycle: { ignoreChanges: [BUDGET_START_DATE_IGNORE_CHANGES] },
    });
    this.budgetId = this.budget.id;
    this.amount = props.amount;
    this.thresholdsPercent = actual;
    this.forecastThresholdsPercent = forecast;
  }
}

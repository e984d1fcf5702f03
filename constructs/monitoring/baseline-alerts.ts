import { MonitorMetricAlert } from '@cdktf/provider-azurerm/lib/monitor-metric-alert';
import type { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { Problems, show } from '../core/errors';
import type { IResourceGroup } from '../core/props';
import type { IActionGroup } from './action-group';
import {
  alertScope,
  BASELINE_RESOURCE_TYPES,
  type BaselineAlertOverride,
  baselineAlertsFor,
  type ResolvedBaselineAlert,
  type TerraformResourceType,
} from './baseline-catalog';

export { overridesFor } from './baseline-catalog';

/** Properties of {@link BaselineAlerts}. */
export interface BaselineAlertsProps {
  /** Resource group the alert rules live in. */
  readonly resourceGroup: IResourceGroup;
  /** The monitored resource; its Terraform type must be one of the catalog's ({@link BASELINE_RESOURCE_TYPES}). */
  readonly target: TerraformResource;
  /**
   * Name of the monitored resource, used in alert rule names (`<alert key>-<targetName>`). Alert names must be
   * known at synth time: pass a literal, not a token.
   */
  readonly targetName: string;
  /** Where every alert is routed. */
  readonly actionGroup: IActionGroup;
  /**
   * Per-alert changes keyed by alert key (see `docs/alerts.md`); keys of other resource types are rejected,
   * use {@link overridesFor} to pick this type's keys from an environment-wide map.
   * @default none - the catalog as is
   */
  readonly overrides?: Readonly<Record<string, BaselineAlertOverride>>;
  /**
   * Whether the target (a model account) has a provisioned (PTU) deployment; adds the PTU utilization alert.
   * @default false
   */
  readonly provisioned?: boolean;
  /**
   * Hourly token budget of a model account: the threshold of `openai-token-budget`. Required for model
   * accounts unless that alert is disabled.
   * @default none
   */
  readonly tokenBudgetPerHour?: number;
}

/**
 * The baseline metric alerts of one resource: one `azurerm_monitor_metric_alert` per catalog entry of the
 * resource's type (`baseline-catalog.ts`, following the Azure Monitor Baseline Alerts), after overrides.
 * Static thresholds become a `criteria` block, dynamic thresholds a `dynamic_criteria` block; every rule is
 * scoped to the resource (or its sub-resource, e.g. the blob service), auto-resolves, and routes to the
 * action group. Construct ids are the alert keys, so an alert keeps its address across catalog reorders.
 *
 * @example
 * new BaselineAlerts(this, 'VaultAlerts', {
 *   resourceGroup, target: keyVault.vault, targetName: 'kv-llmops-prod-ab1cd', actionGroup: oncall,
 *   overrides: { 'kv-availability': { severity: 0 } },
 * });
 *
 * @see https://azure.github.io/azure-monitor-baseline-alerts/
 */
export class BaselineAlerts extends Construct {
  /** The alert rules by alert key. */
  public readonly alerts: Readonly<Record<string, MonitorMetricAlert>>;
  /** The catalog entries the rules were built from, after overrides, in catalog order. */
  public readonly resolved: readonly ResolvedBaselineAlert[];

  constructor(scope: Construct, id: string, props: BaselineAlertsProps) {
    super(scope, id);
    const type = props.target.terraformResourceType;
    const problems = new Problems('props');
    if (!(BASELINE_RESOURCE_TYPES as readonly string[]).includes(type)) {
      problems.add(
        'target',
        `${show(type)} has no baseline alerts (known: ${BASELINE_RESOURCE_TYPES.join(', ')})`,
      );
    }
    problems.check(
      typeof props.targetName === 'string' && /^[^<>*%&:\\?+/${}]+$/.test(props.targetName),
      'targetName',
      `${show(props.targetName)} must be a literal name without < > * % & : \\ ? + / $ { }`,
    );
    problems.throwIfAny(`Invalid BaselineAlerts "${this.node.path}"`);

    this.resolved = baselineAlertsFor(type as TerraformResourceType, {
      overrides: props.overrides,
      provisioned: props.provisioned,
      tokenBudgetPerHour: props.tokenBudgetPerHour,
      configPath: 'props',
    });
    const targetId = props.target.getStringAttribute('id');
    const alerts: Record<string, MonitorMetricAlert> = {};
    for (const alert of this.resolved) {
      alerts[alert.key] = new MonitorMetricAlert(this, alert.key, {
        name: `${alert.key}-${props.targetName}`,
        resourceGroupName: props.resourceGroup.name,
        scopes: [alertScope(alert, targetId)],
        description: `${alert.description} (alert ${alert.key}, see docs/alerts.md)`,
        severity: alert.severity,
        frequency: alert.frequency,
        windowSize: alert.windowSize,
        autoMitigate: true,
        ...criteriaOf(alert),
        action: [{ actionGroupId: props.actionGroup.actionGroupId }],
      });
    }
    this.alerts = alerts;
  }
}

function dimensionsOf(alert: ResolvedBaselineAlert) {
  return alert.dimensions?.map((d) => ({ name: d.name, operator: d.operator, values: [...d.values] }));
}

/** The `criteria` (static) or `dynamic_criteria` (dynamic) block of one alert. */
function criteriaOf(
  alert: ResolvedBaselineAlert,
): Pick<ConstructorParameters<typeof MonitorMetricAlert>[2], 'criteria' | 'dynamicCriteria'> {
  const common = {
    metricNamespace: alert.metricNamespace,
    metricName: alert.metricName,
    aggregation: alert.aggregation,
    dimension: dimensionsOf(alert),
  };
  if (alert.kind === 'dynamic') {
    return {
      dynamicCriteria: {
        ...common,
        operator: alert.dynamic.operator,
        alertSensitivity: alert.dynamic.sensitivity,
        evaluationTotalCount: alert.dynamic.evaluationTotalCount,
        evaluationFailureCount: alert.dynamic.evaluationFailureCount,
      },
    };
  }
  return { criteria: [{ ...common, operator: alert.operator, threshold: alert.threshold }] };
}

import { MonitorScheduledQueryRulesAlertV2 } from '@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2';
import { Construct } from 'constructs';
import { Problems, show } from '../core/errors';
import type { ILogAnalyticsWorkspace, IResourceGroup } from '../core/props';
import type { IActionGroup } from './action-group';
import type { AlertSeverity } from './baseline-catalog';
import { planQualityAlerts, type QualityAlertKind } from './quality-alert-plan';
import type { QualityThreshold, QualityWindow } from './quality-queries';

export {
  type PlannedQualityAlert,
  planQualityAlerts,
  QUALITY_ALERT_KINDS,
  type QualityAlertKind,
  qualityAlertKey,
} from './quality-alert-plan';

/** Severity of each kind unless changed: a score under its release threshold is a warning, a drift informational. */
export const QUALITY_ALERT_SEVERITY: Readonly<Record<QualityAlertKind, AlertSeverity>> = {
  'below-threshold': 2,
  drift: 3,
};

/** Per-alert changes of a quality alert, keyed by {@link qualityAlertKey}. Thresholds come from `thresholds`. */
export interface QualityAlertSetting {
  /**
   * Severity, 0 (critical) to 4 (verbose).
   * @default {@link QUALITY_ALERT_SEVERITY} of the kind
   */
  readonly severity?: number;
  /**
   * Whether to create the alert.
   * @default true
   */
  readonly enabled?: boolean;
}

/** Drift settings of {@link QualityAlertsProps}. */
export interface QualityDriftProps {
  /**
   * The baseline window right before the recent window. recent + baseline must be at most P2D (48 hours), the
   * longest range a scheduled query rule can query.
   * @default 'P1D'
   */
  readonly baselineWindow?: QualityWindow;
  /**
   * Largest tolerated worsening of the mean, in score points on the 1-5 scale.
   * @default 0.5
   */
  readonly maxDrop?: number;
  /**
   * Largest tolerated rise of a content-safety defect rate (0 to 1) against the baseline: a rise of any
   * defect rate is safety drift, alerted like quality drift.
   * @default 0.02
   */
  readonly maxDefectRateRise?: number;
  /**
   * Metrics that get a drift alert. Drift is measured in score points (quality, 1-5) or defect-rate points
   * (safety, 0-1), so it suits only those.
   * @default the built-in quality and safety metrics among `thresholds`
   */
  readonly metrics?: readonly string[];
}

/** Properties of {@link QualityAlerts}. */
export interface QualityAlertsProps {
  /** Resource group the rules live in; its location is the rules' location. */
  readonly resourceGroup: IResourceGroup;
  /**
   * The Log Analytics workspace of the workspace-based Application Insights resource. Rules are scoped to it
   * because the contract's table (`AppEvents`) is a workspace table.
   */
  readonly workspace: ILogAnalyticsWorkspace;
  /** Where every alert is routed. */
  readonly actionGroup: IActionGroup;
  /**
   * Thresholds by metric name, the same ones the release gate uses (`evaluation.thresholds`): a `min`
   * threshold is a floor, a `max` threshold a ceiling.
   */
  readonly thresholds: Readonly<Record<string, QualityThreshold>>;
  /** Appended to each rule name: `<alert key>-<nameSuffix>`, e.g. `llmops-prod`. */
  readonly nameSuffix: string;
  /**
   * Window the mean score covers (and the recent window of drift alerts).
   * @default 'PT6H'
   */
  readonly window?: QualityWindow;
  /**
   * Drift alert settings; `false` creates none.
   * @default the defaults of {@link QualityDriftProps}
   */
  readonly drift?: QualityDriftProps | false;
  /**
   * Only scores of this environment (`llmops.environment`).
   * @default every environment writing to the workspace
   */
  readonly environment?: string;
  /**
   * Fewest scores a deployment/variant pair needs in a window before it can fail.
   * @default 3
   */
  readonly minSamples?: number;
  /**
   * Per-alert severity and on/off, keyed by {@link qualityAlertKey}.
   * @default none
   */
  readonly settings?: Readonly<Record<string, QualityAlertSetting>>;
}

/**
 * Answer-quality alerts over the evaluation scores in Application Insights (the contract in
 * `quality-contract.ts`): per metric, one scheduled query rule (v2) that fires when a deployment/variant's
 * mean score over the window fails the release threshold, and, for 1-5 scale metrics, one that fires when the
 * recent mean worsened against the baseline window before it by more than `maxDrop` points. Only scores from
 * continuous evaluation of production traffic count; CI scores belong to the release gate. Alerts split per
 * deployment and variant and auto-resolve.
 *
 * @example
 * new QualityAlerts(this, 'Quality', {
 *   resourceGroup, workspace, actionGroup: oncall, nameSuffix: 'llmops-prod', environment: 'prod',
 *   thresholds: { groundedness: { value: 4, direction: 'min' } },
 * });
 *
 * @see https://learn.microsoft.com/azure/azure-monitor/alerts/alerts-types#log-alerts
 */
export class QualityAlerts extends Construct {
  /** The rules by alert key. */
  public readonly rules: Readonly<Record<string, MonitorScheduledQueryRulesAlertV2>>;
  /** The KQL of each rule by alert key (also shown by the workbook). */
  public readonly queries: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: QualityAlertsProps) {
    super(scope, id);
    const problems = new Problems('props');
    const planned = planQualityAlerts(problems, props);
    const settings = props.settings ?? {};
    const keys = new Set(planned.map((p) => p.key));
    for (const [key, setting] of Object.entries(settings)) {
      if (!keys.has(key)) {
        problems.add(
          `settings.${key}`,
          `unknown quality alert key ${show(key)} (known: ${[...keys].join(', ') || 'none'})`,
        );
        continue;
      }
      if (setting.severity !== undefined && !isSeverity(setting.severity)) {
        problems.add(
          `settings.${key}.severity`,
          `${show(setting.severity)} must be an integer from 0 (critical) to 4 (verbose)`,
        );
      }
    }
    problems.check(
      typeof props.nameSuffix === 'string' && /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(props.nameSuffix),
      'nameSuffix',
      `${show(props.nameSuffix)} must be letters, digits, '_', '.', '-'`,
    );
    problems.throwIfAny(`Invalid QualityAlerts "${this.node.path}"`);

    const rules: Record<string, MonitorScheduledQueryRulesAlertV2> = {};
    const queries: Record<string, string> = {};
    for (const plan of planned) {
      const setting = settings[plan.key] ?? {};
      if (setting.enabled === false) continue;
      const { kql, rule } = plan.query;
      rules[plan.key] = new MonitorScheduledQueryRulesAlertV2(this, plan.key, {
        name: `${plan.key}-${props.nameSuffix}`,
        displayName: plan.displayName,
        description: `${plan.description} (alert ${plan.key}, see docs/monitoring.md)`,
        resourceGroupName: props.resourceGroup.name,
        location: props.resourceGroup.location,
        scopes: [props.workspace.id],
        severity: setting.severity ?? QUALITY_ALERT_SEVERITY[plan.kind],
        evaluationFrequency: rule.evaluationFrequency,
        windowDuration: rule.windowDuration,
        queryTimeRangeOverride: rule.queryTimeRangeOverride,
        autoMitigationEnabled: true,
        criteria: [
          {
            query: kql,
            timeAggregationMethod: rule.timeAggregationMethod,
            operator: rule.operator,
            threshold: rule.threshold,
            dimension: rule.dimensions.map((name) => ({ name, operator: 'Include', values: ['*'] })),
            failingPeriods: { ...rule.failingPeriods },
          },
        ],
        action: { actionGroups: [props.actionGroup.actionGroupId] },
      });
      queries[plan.key] = kql;
    }
    this.rules = rules;
    this.queries = queries;
  }
}

function isSeverity(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 4;
}

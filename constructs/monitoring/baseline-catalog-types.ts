import type { MetricNamespace } from './supported-metrics';

/**
 * The shapes of the baseline metric alert catalog: the Azure Monitor Baseline Alerts (AMBA) recommendations
 * for the resource types the platform deploys, plus the LLM-operations alerts the model account needs on top
 * of them. The entries live in `data/baseline-catalog.json`, checked on load against the schema in
 * `baseline-catalog-schema.ts` and read by `baseline-catalog.ts`. Also here: the two unit rules the schema and the
 * overrides share, {@link durationMinutes} and {@link thresholdRange}.
 *
 * The alert constructs turn each {@link ResolvedBaselineAlert} into one `azurerm_monitor_metric_alert` (a
 * `criteria` block for static thresholds, a `dynamic_criteria` block for dynamic ones), with the alert's `key`
 * as construct id. Environments tune alerts through `baselineAlertsFor` overrides keyed by that `key`.
 *
 * Every number comes from the AMBA file named in `source.reference` (read at the commit given there), or,
 * for project additions, from the reason in `source.note`. `docs/alerts.md` lists them all.
 *
 * @see https://azure.github.io/azure-monitor-baseline-alerts/
 * @see https://registry.terraform.io/providers/hashicorp/azurerm/4.55.0/docs/resources/monitor_metric_alert
 *
 * The enumerations below (window sizes, frequencies, aggregations, operators, sensitivities) are subsets of
 * what azurerm v4.55.0 validates in `internal/services/monitor/monitor_metric_alert_resource.go`, recorded
 * in `AZURERM_ARGUMENT_RULES` (`constructs/core/provider-enums.ts`) and checked against it by a test.
 */

/** `window_size` values azurerm 4.55 accepts on `azurerm_monitor_metric_alert`. */
export const METRIC_ALERT_WINDOW_SIZES = [
  'PT1M',
  'PT5M',
  'PT15M',
  'PT30M',
  'PT1H',
  'PT6H',
  'PT12H',
  'P1D',
] as const;
/** One of {@link METRIC_ALERT_WINDOW_SIZES}. */
export type MetricAlertWindowSize = (typeof METRIC_ALERT_WINDOW_SIZES)[number];

/** `frequency` values azurerm 4.55 accepts on `azurerm_monitor_metric_alert`; never longer than the window. */
export const METRIC_ALERT_FREQUENCIES = ['PT1M', 'PT5M', 'PT15M', 'PT30M', 'PT1H'] as const;
/** One of {@link METRIC_ALERT_FREQUENCIES}. */
export type MetricAlertFrequency = (typeof METRIC_ALERT_FREQUENCIES)[number];

/**
 * `aggregation` values azurerm accepts in `criteria` and `dynamic_criteria` (hashicorp/terraform-provider-azurerm
 * v4.55.0, `internal/services/monitor/monitor_metric_alert_resource.go`: `validation.StringInSlice` on both
 * blocks). Which of them a metric supports is in `supported-metrics.ts`.
 */
export const METRIC_ALERT_AGGREGATIONS = ['Average', 'Count', 'Minimum', 'Maximum', 'Total'] as const;
/** One of {@link METRIC_ALERT_AGGREGATIONS}. */
export type MetricAlertAggregation = (typeof METRIC_ALERT_AGGREGATIONS)[number];

/** `operator` values azurerm accepts in a static `criteria` block. */
export const METRIC_ALERT_OPERATORS = [
  'Equals',
  'GreaterThan',
  'GreaterThanOrEqual',
  'LessThan',
  'LessThanOrEqual',
] as const;
/** One of {@link METRIC_ALERT_OPERATORS}. */
export type MetricAlertOperator = (typeof METRIC_ALERT_OPERATORS)[number];

/** `operator` values azurerm accepts in a `dynamic_criteria` block. */
export const DYNAMIC_ALERT_OPERATORS = ['LessThan', 'GreaterThan', 'GreaterOrLessThan'] as const;
/** One of {@link DYNAMIC_ALERT_OPERATORS}. */
export type DynamicAlertOperator = (typeof DYNAMIC_ALERT_OPERATORS)[number];

/** `alert_sensitivity` values of a `dynamic_criteria` block: how far from the learned band a value must be. */
export const DYNAMIC_ALERT_SENSITIVITIES = ['Low', 'Medium', 'High'] as const;
/** One of {@link DYNAMIC_ALERT_SENSITIVITIES}. */
export type DynamicAlertSensitivity = (typeof DYNAMIC_ALERT_SENSITIVITIES)[number];

/** `operator` values azurerm accepts in a metric alert `dimension` block. */
export const METRIC_DIMENSION_OPERATORS = ['Include', 'Exclude', 'StartsWith'] as const;
/** One of {@link METRIC_DIMENSION_OPERATORS}. */
export type MetricDimensionOperator = (typeof METRIC_DIMENSION_OPERATORS)[number];

/** Alert severity: 0 critical, 1 error, 2 warning, 3 informational, 4 verbose. */
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/**
 * The unit a metric reports in, as in the "Supported metrics" reference. It bounds thresholds:
 * `Percent` allows 0 to 100, the others any number from 0.
 */
export const METRIC_UNITS = ['Percent', 'Count', 'Bytes', 'MilliSeconds', 'Seconds'] as const;
/** One of {@link METRIC_UNITS}. */
export type MetricUnit = (typeof METRIC_UNITS)[number];

/** Alert severities, 0 (critical) to 4 (verbose). */
export const ALERT_SEVERITIES = [0, 1, 2, 3, 4] as const;

/** Minutes in an ISO 8601 duration of the forms `PT<n>M`, `PT<n>H`, `P<n>D`; `undefined` for other forms. */
export function durationMinutes(duration: string): number | undefined {
  const match = /^P(?:(\d+)D|T(\d+)([HM]))$/.exec(duration);
  if (!match) return undefined;
  if (match[1] !== undefined) return Number(match[1]) * 1440;
  return Number(match[2]) * (match[3] === 'H' ? 60 : 1);
}

/** The range of thresholds that makes sense for a unit: percentages 0 to 100, everything else from 0. */
export function thresholdRange(unit: MetricUnit): { readonly min: number; readonly max: number } {
  return unit === 'Percent' ? { min: 0, max: 100 } : { min: 0, max: Number.POSITIVE_INFINITY };
}

/** The azurerm resource types the catalog has alerts for. */
export const BASELINE_RESOURCE_TYPES = [
  'azurerm_cognitive_account',
  'azurerm_search_service',
  'azurerm_api_management',
  'azurerm_key_vault',
  'azurerm_storage_account',
  'azurerm_log_analytics_workspace',
  'azurerm_ai_foundry',
  'azurerm_ai_foundry_project',
  'azurerm_virtual_network',
  'azurerm_private_dns_zone',
] as const;
/** One of {@link BASELINE_RESOURCE_TYPES}. */
export type TerraformResourceType = (typeof BASELINE_RESOURCE_TYPES)[number];

/** A dimension filter (or split) on a metric: `values: ['*']` with `Include` splits per value. */
export interface MetricDimensionFilter {
  /** Dimension name, e.g. `StatusCode`. */
  readonly name: string;
  /** How `values` apply. `StartsWith` matches prefixes (`5` for every 5xx status). */
  readonly operator: MetricDimensionOperator;
  /** Dimension values. */
  readonly values: readonly string[];
}

/** Values of {@link AlertSource.origin}. */
export const ALERT_ORIGINS = ['amba', 'amba-adapted', 'project'] as const;
/** One of {@link ALERT_ORIGINS}. */
export type AlertOrigin = (typeof ALERT_ORIGINS)[number];

/**
 * Where an alert comes from.
 *
 * - `amba`: an AMBA recommendation (`visible: true`) taken as is.
 * - `amba-adapted`: an AMBA recommendation with a documented change (`note` says what and why).
 * - `project`: our addition; `note` says why it exists and where its numbers come from.
 */
export interface AlertSource {
  /** See above. */
  readonly origin: AlertOrigin;
  /**
   * The AMBA file and commit read (`services/<RP>/<type>/alerts.yaml@<commit>`), or for project additions
   * the AMBA file or Microsoft Learn page the numbers lean on.
   */
  readonly reference: string;
  /** Why the alert differs from AMBA or exists at all. Required for `amba-adapted` and `project`. */
  readonly note?: string;
}

/** A threshold that comes from the environment config instead of the catalog. */
export type ThresholdInput = 'tokenBudgetPerHour';
/** Every {@link ThresholdInput}. */
export const THRESHOLD_INPUTS = ['tokenBudgetPerHour'] as const satisfies readonly ThresholdInput[];

/** A condition an alert needs from the monitored resource. `provisioned`: a PTU deployment exists. */
export type AlertCondition = 'provisioned';
/** Every {@link AlertCondition}. */
export const ALERT_CONDITIONS = ['provisioned'] as const satisfies readonly AlertCondition[];

/** Fields every baseline alert has. */
export interface BaselineAlertBase {
  /**
   * Stable kebab-case id, unique across the catalog: the alert construct's id and the key of per-environment
   * overrides. Renaming one replaces the alert rule.
   */
  readonly key: string;
  /** Short human name, used in the alert rule's display name. */
  readonly displayName: string;
  /** What firing means, used as the alert rule's description. */
  readonly description: string;
  /**
   * Metric namespace, e.g. `Microsoft.Search/searchServices`: one of the supported-metrics table
   * (`supported-metrics.ts`), whose entry holds the Microsoft Learn "Supported metrics" page the metric name,
   * aggregation and dimensions were checked against (`metricReference(metricNamespace)`).
   */
  readonly metricNamespace: MetricNamespace;
  /**
   * Metric name as in the REST API (not the display name), e.g. `SearchLatency`; with the aggregation and
   * dimension names, a row of the supported-metrics table (a catalog test and the `metric-alert-definition`
   * policy rule check it).
   */
  readonly metricName: string;
  /** The metric's unit; bounds the threshold. */
  readonly unit: MetricUnit;
  /** Time aggregation over the window; one the metric supports. */
  readonly aggregation: MetricAlertAggregation;
  /** Window the aggregation covers (`window_size`). */
  readonly windowSize: MetricAlertWindowSize;
  /** How often the rule is evaluated (`frequency`); never longer than `windowSize`. */
  readonly frequency: MetricAlertFrequency;
  /** Severity of fired alerts. */
  readonly severity: AlertSeverity;
  /**
   * Dimension filters and splits.
   * @default none - the metric aggregated over the whole resource
   */
  readonly dimensions?: readonly MetricDimensionFilter[];
  /**
   * Appended to the monitored resource id to form the alert scope, for sub-resource namespaces.
   * @default none - the resource itself
   */
  readonly scopeSuffix?: string;
  /**
   * Created only when the condition holds (see `BaselineAlertOptions.provisioned` in `baseline-catalog.ts`).
   * @default always
   */
  readonly onlyWhen?: AlertCondition;
  /**
   * Created unless an override disables it. `false` for AMBA recommendations kept for completeness that
   * would fire on normal operation; `source.note` says why.
   * @default true
   */
  readonly enabledByDefault?: boolean;
  /** Where the alert comes from. */
  readonly source: AlertSource;
}

/** An alert on a fixed threshold (`criteria` block). */
export interface StaticBaselineAlertDefinition extends BaselineAlertBase {
  /** Discriminant. */
  readonly kind: 'static';
  /** Comparison of the aggregated value against the threshold. */
  readonly operator: MetricAlertOperator;
  /** The threshold, in the metric's unit. Absent when {@link thresholdFrom} is set. */
  readonly threshold?: number;
  /** The config input that supplies the threshold, when the catalog cannot know it (a token budget). */
  readonly thresholdFrom?: ThresholdInput;
}

/** Settings of a dynamic threshold (`dynamic_criteria` block): Azure learns the normal band of the metric. */
export interface DynamicThreshold {
  /** How far from the learned band a value must be to count as a violation. */
  readonly sensitivity: DynamicAlertSensitivity;
  /** Which side of the band counts. */
  readonly operator: DynamicAlertOperator;
  /** Number of aggregated look-back points (`evaluation_total_count`), each `windowSize` long. */
  readonly evaluationTotalCount: number;
  /** Violations among them that fire the alert (`evaluation_failure_count`). */
  readonly evaluationFailureCount: number;
}

/** An alert on a dynamic threshold (`dynamic_criteria` block). */
export interface DynamicBaselineAlertDefinition extends BaselineAlertBase {
  /** Discriminant. */
  readonly kind: 'dynamic';
  /** The dynamic threshold settings. */
  readonly dynamic: DynamicThreshold;
}

/** One catalog entry. */
export type BaselineAlertDefinition = StaticBaselineAlertDefinition | DynamicBaselineAlertDefinition;

/** A static alert ready to build: the threshold resolved. */
export interface ResolvedStaticBaselineAlert
  extends Omit<
    StaticBaselineAlertDefinition,
    'threshold' | 'thresholdFrom' | 'enabledByDefault' | 'onlyWhen'
  > {
  /** The threshold after overrides and config inputs. */
  readonly threshold: number;
}

/** A dynamic alert ready to build. */
export type ResolvedDynamicBaselineAlert = Omit<
  DynamicBaselineAlertDefinition,
  'enabledByDefault' | 'onlyWhen'
>;

/** What `baselineAlertsFor` returns per alert: overrides applied, only alerts to create. */
export type ResolvedBaselineAlert = ResolvedStaticBaselineAlert | ResolvedDynamicBaselineAlert;

/** An AMBA recommendation deliberately left out of the catalog, with the reason. */
export interface ExcludedAmbaAlert {
  /** The resource type it would belong to. */
  readonly resourceType: TerraformResourceType;
  /** Metric namespace in AMBA. */
  readonly metricNamespace: string;
  /** Metric name in AMBA. */
  readonly metricName: string;
  /** Why it is not in the catalog. */
  readonly reason: string;
}

/**
 * The content of `data/baseline-catalog.json`: the alerts per resource type, the AMBA recommendations left out
 * and the resource types without baseline alerts, each with its reason.
 */
export interface BaselineCatalogData {
  /** Catalog entries per resource type, in the order the alerts are created. */
  readonly alerts: Readonly<Record<TerraformResourceType, readonly BaselineAlertDefinition[]>>;
  /** AMBA recommendations deliberately left out. */
  readonly excludedAmbaAlerts: readonly ExcludedAmbaAlert[];
  /** Resource types without baseline alerts, keyed as `coverageKey` keys them, with the reason. */
  readonly resourceTypesWithoutBaselineAlerts: Readonly<Record<string, string>>;
}

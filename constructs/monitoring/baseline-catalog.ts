import { Problems, show } from '../core/errors';
import type { MetricNamespace } from './supported-metrics';

/**
 * The catalog of baseline metric alerts per resource type: the Azure Monitor Baseline Alerts (AMBA)
 * recommendations for the resource types the platform deploys, plus the LLM-operations alerts the model
 * account needs on top of them.
 *
 * Data only: the alert constructs turn each {@link ResolvedBaselineAlert} into one
 * `azurerm_monitor_metric_alert` (a `criteria` block for static thresholds, a `dynamic_criteria` block for
 * dynamic ones), with the alert's `key` as construct id. Environments tune alerts through
 * {@link baselineAlertsFor} overrides keyed by that `key`.
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
export type AlertSeverity = 0 | 1 | 2 | 3 | 4;

/**
 * The unit a metric reports in, as in the "Supported metrics" reference. It bounds thresholds:
 * `Percent` allows 0 to 100, the others any number from 0.
 */
export type MetricUnit = 'Percent' | 'Count' | 'Bytes' | 'MilliSeconds' | 'Seconds';

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

/**
 * Where an alert comes from.
 *
 * - `amba`: an AMBA recommendation (`visible: true`) taken as is.
 * - `amba-adapted`: an AMBA recommendation with a documented change (`note` says what and why).
 * - `project`: our addition; `note` says why it exists and where its numbers come from.
 */
export interface AlertSource {
  /** See above. */
  readonly origin: 'amba' | 'amba-adapted' | 'project';
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

/** A condition an alert needs from the monitored resource. `provisioned`: a PTU deployment exists. */
export type AlertCondition = 'provisioned';

/** Fields every baseline alert has. */
interface BaselineAlertBase {
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
   * Created only when the condition holds (see {@link BaselineAlertOptions.provisioned}).
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

/** What {@link baselineAlertsFor} returns per alert: overrides applied, only alerts to create. */
export type ResolvedBaselineAlert = ResolvedStaticBaselineAlert | ResolvedDynamicBaselineAlert;

const COGNITIVE = 'Microsoft.CognitiveServices/accounts';
const AMBA_COGNITIVE =
  'services/CognitiveServices/accounts/alerts.yaml@0d74fbff07fcf89d2f76cf5f9fc4b7acc8e6c25d';
const AMBA_COGNITIVE_LEGACY =
  'services/CognitiveServices/accounts/alerts.yaml@62cd7e347918bbe8f7c30a04263e702d8579a292';
const AMBA_SEARCH = 'services/Search/searchServices/alerts.yaml@30ac748acc69758ef50ad089a8e7a6d39c39a270';
const AMBA_APIM = 'services/ApiManagement/service/alerts.yaml@8723bbf6747d9104f20c56c51af286f778ebe1ef';
const AMBA_KEY_VAULT = 'services/KeyVault/vaults/alerts.yaml@bc71c96aafba597cd563fcf5ce6fd52efd7ab410';
const AMBA_STORAGE = 'services/Storage/storageAccounts/alerts.yaml@1015d4aff112b9fadc0f33ec987be6542ef004ab';
const AMBA_ML = 'services/MachineLearningServices/workspaces/templates/arm';
const AMBA_VNET = 'services/Network/virtualNetworks/alerts.yaml@4e28593665b54036ae2eddea327a5577d7df4ec2';
const AMBA_PRIVATE_DNS =
  'services/Network/privateDnsZones/alerts.yaml@56ab06317b115b776de5076254756d77eaa6ec71';
const AOAI_METRICS_DOC =
  'https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-cognitiveservices-accounts-metrics';

/** Splits an Azure OpenAI alert per model deployment, so a failing deployment with little traffic is not masked. */
const PER_DEPLOYMENT: MetricDimensionFilter = {
  name: 'ModelDeploymentName',
  operator: 'Include',
  values: ['*'],
};

/** The dynamic-threshold shape AMBA uses (Key Vault `ServiceApiResult`): Medium, 4 of 4 five-minute points. */
const AMBA_DYNAMIC: DynamicThreshold = {
  sensitivity: 'Medium',
  operator: 'GreaterThan',
  evaluationTotalCount: 4,
  evaluationFailureCount: 4,
};

const COGNITIVE_ACCOUNT_ALERTS: readonly BaselineAlertDefinition[] = [
  {
    key: 'openai-availability',
    kind: 'static',
    displayName: 'Azure OpenAI availability',
    description: 'Share of Azure OpenAI requests without a server error (5xx) fell below the threshold.',
    metricNamespace: COGNITIVE,
    metricName: 'AzureOpenAIAvailabilityRate',
    unit: 'Percent',
    aggregation: 'Average',
    operator: 'LessThan',
    threshold: 90,
    windowSize: 'PT5M',
    frequency: 'PT1M',
    severity: 1,
    dimensions: [PER_DEPLOYMENT],
    source: {
      origin: 'project',
      reference: AMBA_COGNITIVE_LEGACY,
      note:
        'Replaces AMBA SuccessRate (legacy metric, "do not use for Azure OpenAI"; now visible: false) with the ' +
        'Azure OpenAI metric of the same formula. Severity 1 below 90 % mirrors AMBA Key Vault Availability: ' +
        'it pages on an outage, while openai-server-errors reports any 5xx at severity 3.',
    },
  },
  {
    key: 'openai-server-errors',
    kind: 'static',
    displayName: 'Azure OpenAI server errors',
    description: 'Azure OpenAI answered requests with a server error (HTTP 5xx).',
    metricNamespace: COGNITIVE,
    metricName: 'AzureOpenAIRequests',
    unit: 'Count',
    aggregation: 'Total',
    operator: 'GreaterThan',
    threshold: 0,
    windowSize: 'PT5M',
    frequency: 'PT1M',
    severity: 3,
    dimensions: [{ name: 'StatusCode', operator: 'StartsWith', values: ['5'] }, PER_DEPLOYMENT],
    source: {
      origin: 'amba-adapted',
      reference: AMBA_COGNITIVE_LEGACY,
      note:
        'AMBA ServerErrors (Total > 0, severity 3) moved from the legacy ServerErrors metric to ' +
        'AzureOpenAIRequests filtered on StatusCode 5xx.',
    },
  },
  {
    key: 'openai-client-errors',
    kind: 'dynamic',
    displayName: 'Azure OpenAI client errors',
    description:
      'Azure OpenAI client errors (HTTP 4xx, including content-filter rejections and 429) rose above their ' +
      'learned normal level.',
    metricNamespace: COGNITIVE,
    metricName: 'AzureOpenAIRequests',
    unit: 'Count',
    aggregation: 'Total',
    dynamic: AMBA_DYNAMIC,
    windowSize: 'PT5M',
    frequency: 'PT5M',
    severity: 3,
    dimensions: [{ name: 'StatusCode', operator: 'StartsWith', values: ['4'] }, PER_DEPLOYMENT],
    source: {
      origin: 'project',
      reference: AMBA_COGNITIVE_LEGACY,
      note:
        'AMBA ClientErrors (legacy metric, Total > 0 at severity 1) would page on every content-filter ' +
        'rejection (HTTP 400). A dynamic threshold with the AMBA Key Vault ServiceApiResult settings flags ' +
        'unusual rises instead; 429s are also in openai-throttling.',
    },
  },
  {
    key: 'openai-throttling',
    kind: 'static',
    displayName: 'Azure OpenAI throttling',
    description: 'Azure OpenAI throttled requests (HTTP 429): the deployment is at its rate or quota limit.',
    metricNamespace: COGNITIVE,
    metricName: 'AzureOpenAIRequests',
    unit: 'Count',
    aggregation: 'Total',
    operator: 'GreaterThan',
    threshold: 0,
    windowSize: 'PT5M',
    frequency: 'PT1M',
    severity: 2,
    dimensions: [{ name: 'StatusCode', operator: 'Include', values: ['429'] }, PER_DEPLOYMENT],
    source: {
      origin: 'amba-adapted',
      reference: AMBA_COGNITIVE_LEGACY,
      note:
        'AMBA BlockedCalls (Total > 0, severity 2) moved from the legacy BlockedCalls metric to ' +
        'AzureOpenAIRequests with StatusCode 429; there is no RatelimitedCalls metric for Azure OpenAI.',
    },
  },
  {
    key: 'openai-time-to-response',
    kind: 'static',
    displayName: 'Azure OpenAI time to response',
    description: 'Average time to the first response of streaming requests exceeded the threshold (ms).',
    metricNamespace: COGNITIVE,
    metricName: 'AzureOpenAITimeToResponse',
    unit: 'MilliSeconds',
    aggregation: 'Average',
    operator: 'GreaterThan',
    threshold: 200,
    windowSize: 'PT5M',
    frequency: 'PT1M',
    severity: 2,
    dimensions: [PER_DEPLOYMENT],
    source: {
      origin: 'amba-adapted',
      reference: AMBA_COGNITIVE,
      note:
        'AMBA aggregates with Total, which the metric does not support (Minimum, Maximum, Average) and which ' +
        'would sum the latencies of all requests; Average keeps the AMBA threshold meaningful. 200 ms is tight ' +
        'for large prompts: tune per environment. Microsoft notes the metric is not yet emitted for Standard ' +
        'deployments, where openai-normalized-ttft covers latency.',
    },
  },
  {
    key: 'openai-normalized-ttft',
    kind: 'dynamic',
    displayName: 'Azure OpenAI normalized time to first byte',
    description: 'Token-normalized time to the first byte rose above its learned normal level.',
    metricNamespace: COGNITIVE,
    metricName: 'AzureOpenAINormalizedTTFTInMS',
    unit: 'MilliSeconds',
    aggregation: 'Average',
    dynamic: AMBA_DYNAMIC,
    windowSize: 'PT5M',
    frequency: 'PT5M',
    severity: 3,
    dimensions: [PER_DEPLOYMENT],
    source: {
      origin: 'project',
      reference: AOAI_METRICS_DOC,
      note:
        'Latency signal for every deployment type, including Standard. No published threshold exists for a ' +
        'per-token latency, so the AMBA dynamic-threshold settings learn it.',
    },
  },
  {
    key: 'openai-token-budget',
    kind: 'static',
    displayName: 'Azure OpenAI token budget',
    description: 'Tokens processed (prompt plus completion) in the last hour exceeded the hourly budget.',
    metricNamespace: COGNITIVE,
    metricName: 'TokenTransaction',
    unit: 'Count',
    aggregation: 'Total',
    operator: 'GreaterThan',
    thresholdFrom: 'tokenBudgetPerHour',
    windowSize: 'PT1H',
    frequency: 'PT5M',
    severity: 2,
    source: {
      origin: 'project',
      reference: AMBA_COGNITIVE_LEGACY,
      note:
        'AMBA TokenTransaction (Total > 180000 per 5 minutes, severity 2; now visible: false) alerts on a fixed ' +
        'volume. A budget is workload-specific, so the threshold is the environment config tokenBudgetPerHour ' +
        'over a one-hour window.',
    },
  },
  {
    key: 'openai-ptu-utilization',
    kind: 'static',
    displayName: 'Azure OpenAI provisioned utilization',
    description: 'A provisioned (PTU) deployment is close to full: at 100 % requests get HTTP 429.',
    metricNamespace: COGNITIVE,
    metricName: 'AzureOpenAIProvisionedManagedUtilizationV2',
    unit: 'Percent',
    aggregation: 'Average',
    operator: 'GreaterThan',
    threshold: 80,
    windowSize: 'PT5M',
    frequency: 'PT1M',
    severity: 2,
    dimensions: [PER_DEPLOYMENT],
    onlyWhen: 'provisioned',
    source: {
      origin: 'amba-adapted',
      reference: AMBA_COGNITIVE,
      note:
        'AMBA aggregates this percentage with Total, which the metric does not support (Minimum, Maximum, ' +
        'Average); Average as for the other AMBA utilization alerts (APIM Capacity, Key Vault saturation).',
    },
  },
  {
    key: 'openai-prompt-cache-match-rate',
    kind: 'static',
    displayName: 'Azure OpenAI prompt cache match rate',
    description: 'Share of prompt tokens served from the cache exceeded the threshold.',
    metricNamespace: COGNITIVE,
    metricName: 'AzureOpenAIContextTokensCacheMatchRate',
    unit: 'Percent',
    aggregation: 'Average',
    operator: 'GreaterThan',
    threshold: 75,
    windowSize: 'PT5M',
    frequency: 'PT1M',
    severity: 2,
    dimensions: [PER_DEPLOYMENT],
    onlyWhen: 'provisioned',
    enabledByDefault: false,
    source: {
      origin: 'amba-adapted',
      reference: AMBA_COGNITIVE,
      note:
        'Recommended by AMBA, but a high cache match rate is good news, not a fault: disabled by default. ' +
        'Total replaced by Average, as the metric supports only Minimum, Maximum, Average.',
    },
  },
  {
    key: 'openai-content-filter-blocks',
    kind: 'dynamic',
    displayName: 'Azure OpenAI content filter blocks',
    description:
      'Requests rejected by the content filter rose above their learned normal level: possible abuse or a ' +
      'prompt change that trips the filter.',
    metricNamespace: COGNITIVE,
    metricName: 'RAIRejectedRequests',
    unit: 'Count',
    aggregation: 'Total',
    dynamic: AMBA_DYNAMIC,
    windowSize: 'PT5M',
    frequency: 'PT5M',
    severity: 2,
    dimensions: [PER_DEPLOYMENT],
    source: {
      origin: 'project',
      reference: AOAI_METRICS_DOC,
      note:
        'AMBA lists RAIRejectedRequests only as a placeholder (visible: false, threshold 0). Some blocks are ' +
        'normal, so a dynamic threshold (AMBA settings) flags unusual volumes.',
    },
  },
  {
    key: 'openai-harmful-requests',
    kind: 'dynamic',
    displayName: 'Azure OpenAI harmful content detected',
    description:
      'Requests the content filter detected as harmful (blocked or annotated) rose above their learned normal ' +
      'level.',
    metricNamespace: COGNITIVE,
    metricName: 'RAIHarmfulRequests',
    unit: 'Count',
    aggregation: 'Total',
    dynamic: AMBA_DYNAMIC,
    windowSize: 'PT5M',
    frequency: 'PT5M',
    severity: 3,
    dimensions: [PER_DEPLOYMENT],
    source: {
      origin: 'project',
      reference: AOAI_METRICS_DOC,
      note:
        'AMBA lists RAIHarmfulRequests only as a placeholder (visible: false, threshold 0). Includes ' +
        'annotate-only detections, hence one severity below openai-content-filter-blocks.',
    },
  },
];

const SEARCH = 'Microsoft.Search/searchServices';
const SEARCH_SERVICE_ALERTS: readonly BaselineAlertDefinition[] = [
  {
    key: 'search-latency',
    kind: 'static',
    displayName: 'AI Search latency',
    description: 'Average search latency of the search service exceeded the threshold (seconds).',
    metricNamespace: SEARCH,
    metricName: 'SearchLatency',
    unit: 'Seconds',
    aggregation: 'Average',
    operator: 'GreaterThan',
    threshold: 5,
    windowSize: 'PT5M',
    frequency: 'PT1M',
    severity: 3,
    source: { origin: 'amba', reference: AMBA_SEARCH },
  },
  {
    key: 'search-throttled-queries',
    kind: 'static',
    displayName: 'AI Search throttled queries',
    description: 'Share of search queries the service throttled exceeded the threshold.',
    metricNamespace: SEARCH,
    metricName: 'ThrottledSearchQueriesPercentage',
    unit: 'Percent',
    aggregation: 'Average',
    operator: 'GreaterThan',
    threshold: 10,
    windowSize: 'PT5M',
    frequency: 'PT1M',
    severity: 3,
    source: { origin: 'amba', reference: AMBA_SEARCH },
  },
];

const APIM = 'Microsoft.ApiManagement/service';
const API_MANAGEMENT_ALERTS: readonly BaselineAlertDefinition[] = [
  {
    key: 'apim-capacity',
    kind: 'static',
    displayName: 'API Management capacity',
    description: 'Gateway capacity utilization exceeded the threshold.',
    metricNamespace: APIM,
    metricName: 'Capacity',
    unit: 'Percent',
    aggregation: 'Average',
    operator: 'GreaterThan',
    threshold: 80,
    windowSize: 'PT5M',
    frequency: 'PT1M',
    severity: 3,
    source: { origin: 'amba', reference: AMBA_APIM },
  },
  {
    key: 'apim-backend-duration',
    kind: 'static',
    displayName: 'API Management backend duration',
    description: 'Average duration of backend requests exceeded the threshold (ms).',
    metricNamespace: APIM,
    metricName: 'BackendDuration',
    unit: 'MilliSeconds',
    aggregation: 'Average',
    operator: 'GreaterThan',
    threshold: 10000,
    windowSize: 'PT5M',
    frequency: 'PT1M',
    severity: 3,
    source: { origin: 'amba', reference: AMBA_APIM },
  },
  {
    key: 'apim-duration',
    kind: 'static',
    displayName: 'API Management gateway duration',
    description: 'Average overall duration of gateway requests exceeded the threshold (ms).',
    metricNamespace: APIM,
    metricName: 'Duration',
    unit: 'MilliSeconds',
    aggregation: 'Average',
    operator: 'GreaterThan',
    threshold: 3000,
    windowSize: 'PT5M',
    frequency: 'PT1M',
    severity: 3,
    source: { origin: 'amba', reference: AMBA_APIM },
  },
  {
    key: 'apim-failed-requests',
    kind: 'static',
    displayName: 'API Management failed requests',
    description: 'The gateway answered requests with a server error (HTTP 5xx).',
    metricNamespace: APIM,
    metricName: 'Requests',
    unit: 'Count',
    aggregation: 'Total',
    operator: 'GreaterThan',
    threshold: 1,
    windowSize: 'PT5M',
    frequency: 'PT1M',
    severity: 3,
    dimensions: [{ name: 'GatewayResponseCodeCategory', operator: 'Include', values: ['5xx'] }],
    source: {
      origin: 'amba-adapted',
      reference: AMBA_APIM,
      note:
        'AMBA FailedRequests (Total > 1, severity 3) uses a metric retired in August 2023, which no longer ' +
        "reports: moved to Requests filtered on GatewayResponseCodeCategory 5xx, as Microsoft's retirement " +
        'notice advises. The legacy metric also counted HTTP 400, a client error; 400s from the model (content ' +
        'filter) show in openai-client-errors and openai-content-filter-blocks.',
    },
  },
  {
    key: 'apim-unauthorized-requests',
    kind: 'static',
    displayName: 'API Management unauthorized requests',
    description: 'The gateway rejected requests as unauthenticated or forbidden (HTTP 401, 403).',
    metricNamespace: APIM,
    metricName: 'Requests',
    unit: 'Count',
    aggregation: 'Total',
    operator: 'GreaterThan',
    threshold: 1,
    windowSize: 'PT5M',
    frequency: 'PT1M',
    severity: 3,
    dimensions: [{ name: 'GatewayResponseCode', operator: 'Include', values: ['401', '403'] }],
    source: {
      origin: 'amba-adapted',
      reference: AMBA_APIM,
      note:
        'AMBA UnauthorizedRequests (Total > 1, severity 3) uses a metric retired in August 2023: moved to ' +
        'Requests filtered on GatewayResponseCode 401 and 403. The legacy metric also counted 429, which the ' +
        "gateway's token limits return in normal operation and openai-throttling covers at the model account.",
    },
  },
  {
    key: 'apim-requests',
    kind: 'static',
    displayName: 'API Management requests',
    description: 'The gateway served requests.',
    metricNamespace: APIM,
    metricName: 'Requests',
    unit: 'Count',
    aggregation: 'Total',
    operator: 'GreaterThan',
    threshold: 1,
    windowSize: 'PT5M',
    frequency: 'PT1M',
    severity: 3,
    enabledByDefault: false,
    source: {
      origin: 'amba',
      reference: AMBA_APIM,
      note: 'Fires whenever the gateway serves traffic: a traffic-present signal, not a fault. Disabled by default.',
    },
  },
];

const KEY_VAULT = 'Microsoft.KeyVault/vaults';
const KEY_VAULT_ALERTS: readonly BaselineAlertDefinition[] = [
  {
    key: 'kv-availability',
    kind: 'static',
    displayName: 'Key Vault availability',
    description: 'Availability of vault requests fell below the threshold.',
    metricNamespace: KEY_VAULT,
    metricName: 'Availability',
    unit: 'Percent',
    aggregation: 'Average',
    operator: 'LessThan',
    threshold: 90,
    windowSize: 'PT5M',
    frequency: 'PT1M',
    severity: 1,
    source: { origin: 'amba', reference: AMBA_KEY_VAULT },
  },
  {
    key: 'kv-saturation',
    kind: 'static',
    displayName: 'Key Vault saturation',
    description: 'Vault capacity used exceeded the threshold: requests will soon be throttled.',
    metricNamespace: KEY_VAULT,
    metricName: 'SaturationShoebox',
    unit: 'Percent',
    aggregation: 'Average',
    operator: 'GreaterThan',
    threshold: 75,
    windowSize: 'PT5M',
    frequency: 'PT1M',
    severity: 1,
    source: { origin: 'amba', reference: AMBA_KEY_VAULT },
  },
  {
    key: 'kv-api-latency',
    kind: 'static',
    displayName: 'Key Vault API latency',
    description: 'Overall latency of vault API requests exceeded the threshold (ms).',
    metricNamespace: KEY_VAULT,
    metricName: 'ServiceApiLatency',
    unit: 'MilliSeconds',
    aggregation: 'Average',
    operator: 'GreaterThan',
    threshold: 1000,
    windowSize: 'PT5M',
    frequency: 'PT5M',
    severity: 3,
    source: { origin: 'amba', reference: AMBA_KEY_VAULT },
  },
  {
    key: 'kv-api-results',
    kind: 'dynamic',
    displayName: 'Key Vault API results',
    description: 'Vault API results rose above their learned normal level.',
    metricNamespace: KEY_VAULT,
    metricName: 'ServiceApiResult',
    unit: 'Count',
    aggregation: 'Count',
    dynamic: AMBA_DYNAMIC,
    windowSize: 'PT5M',
    frequency: 'PT5M',
    severity: 2,
    source: {
      origin: 'amba-adapted',
      reference: AMBA_KEY_VAULT,
      note:
        'AMBA aggregates with Average, which the metric does not support (Count only, Microsoft Learn ' +
        '"Supported metrics for Microsoft.KeyVault/vaults"): Count, the number of results in the window.',
    },
  },
  {
    key: 'kv-api-hits',
    kind: 'static',
    displayName: 'Key Vault API hits',
    description: 'Vault API hits reached the threshold.',
    metricNamespace: KEY_VAULT,
    metricName: 'ServiceApiHit',
    unit: 'Count',
    aggregation: 'Count',
    operator: 'GreaterThanOrEqual',
    threshold: 80,
    windowSize: 'PT5M',
    frequency: 'PT5M',
    severity: 3,
    source: {
      origin: 'amba-adapted',
      reference: AMBA_KEY_VAULT,
      note:
        'AMBA aggregates with Average, which the metric does not support (Count only, Microsoft Learn ' +
        '"Supported metrics for Microsoft.KeyVault/vaults"): Count, 80 or more API hits in five minutes.',
    },
  },
];

const STORAGE = 'Microsoft.Storage/storageAccounts';
const BLOB = 'Microsoft.Storage/storageAccounts/blobServices';
const BLOB_SCOPE = '/blobServices/default';
const STORAGE_ACCOUNT_ALERTS: readonly BaselineAlertDefinition[] = [
  {
    key: 'storage-availability',
    kind: 'static',
    displayName: 'Storage availability',
    description: 'Storage requests failed with unexpected errors: availability fell below 100 %.',
    metricNamespace: STORAGE,
    metricName: 'Availability',
    unit: 'Percent',
    aggregation: 'Average',
    operator: 'LessThan',
    threshold: 100,
    windowSize: 'PT5M',
    frequency: 'PT5M',
    severity: 1,
    source: { origin: 'amba', reference: AMBA_STORAGE },
  },
  {
    key: 'storage-used-capacity',
    kind: 'static',
    displayName: 'Storage used capacity',
    description: 'Storage used by the account exceeded the threshold (bytes).',
    metricNamespace: STORAGE,
    metricName: 'UsedCapacity',
    unit: 'Bytes',
    aggregation: 'Average',
    operator: 'GreaterThan',
    threshold: 2251800000000000,
    windowSize: 'PT1H',
    frequency: 'PT1H',
    severity: 3,
    source: { origin: 'amba', reference: AMBA_STORAGE },
  },
  {
    key: 'storage-egress',
    kind: 'static',
    displayName: 'Storage egress',
    description: 'Data read from the account in five minutes exceeded the threshold (bytes).',
    metricNamespace: STORAGE,
    metricName: 'Egress',
    unit: 'Bytes',
    aggregation: 'Total',
    operator: 'GreaterThan',
    threshold: 60000000,
    windowSize: 'PT5M',
    frequency: 'PT5M',
    severity: 2,
    source: { origin: 'amba', reference: AMBA_STORAGE },
  },
  {
    key: 'storage-ingress',
    kind: 'static',
    displayName: 'Storage ingress',
    description: 'Data written to the account in five minutes exceeded the threshold (bytes).',
    metricNamespace: STORAGE,
    metricName: 'Ingress',
    unit: 'Bytes',
    aggregation: 'Total',
    operator: 'GreaterThan',
    threshold: 1073741824,
    windowSize: 'PT5M',
    frequency: 'PT5M',
    severity: 3,
    source: { origin: 'amba', reference: AMBA_STORAGE },
  },
  {
    key: 'blob-capacity',
    kind: 'static',
    displayName: 'Blob capacity',
    description: 'Storage used by the Blob service exceeded the threshold (bytes).',
    metricNamespace: BLOB,
    metricName: 'BlobCapacity',
    unit: 'Bytes',
    aggregation: 'Average',
    operator: 'GreaterThan',
    threshold: 107374182400,
    windowSize: 'P1D',
    frequency: 'PT5M',
    severity: 3,
    scopeSuffix: BLOB_SCOPE,
    source: { origin: 'amba', reference: AMBA_STORAGE },
  },
  {
    key: 'blob-e2e-latency',
    kind: 'static',
    displayName: 'Blob end-to-end latency',
    description: 'Average end-to-end latency of successful blob requests exceeded the threshold (ms).',
    metricNamespace: BLOB,
    metricName: 'SuccessE2ELatency',
    unit: 'MilliSeconds',
    aggregation: 'Average',
    operator: 'GreaterThan',
    threshold: 1000,
    windowSize: 'PT5M',
    frequency: 'PT1M',
    severity: 3,
    scopeSuffix: BLOB_SCOPE,
    source: { origin: 'amba', reference: AMBA_STORAGE },
  },
  {
    key: 'blob-server-latency',
    kind: 'static',
    displayName: 'Blob server latency',
    description: 'Average server latency of successful blob requests exceeded the threshold (ms).',
    metricNamespace: BLOB,
    metricName: 'SuccessServerLatency',
    unit: 'MilliSeconds',
    aggregation: 'Average',
    operator: 'GreaterThan',
    threshold: 1000,
    windowSize: 'PT5M',
    frequency: 'PT1M',
    severity: 2,
    scopeSuffix: BLOB_SCOPE,
    source: { origin: 'amba', reference: AMBA_STORAGE },
  },
  {
    key: 'blob-count',
    kind: 'static',
    displayName: 'Blob count',
    description: 'The Blob service holds blobs.',
    metricNamespace: BLOB,
    metricName: 'BlobCount',
    unit: 'Count',
    aggregation: 'Average',
    operator: 'GreaterThan',
    threshold: 0,
    windowSize: 'PT1H',
    frequency: 'PT1M',
    severity: 3,
    scopeSuffix: BLOB_SCOPE,
    enabledByDefault: false,
    source: {
      origin: 'amba',
      reference: AMBA_STORAGE,
      note: 'Fires as soon as any blob exists (threshold 0): an inventory signal, not a fault. Disabled by default.',
    },
  },
];

const ML = 'Microsoft.MachineLearningServices/workspaces';
const AI_FOUNDRY_ALERTS: readonly BaselineAlertDefinition[] = [
  {
    key: 'foundry-model-deploy-failed',
    kind: 'static',
    displayName: 'AI Foundry model deployment failed',
    description: 'A model deployment in the hub failed.',
    metricNamespace: ML,
    metricName: 'Model Deploy Failed',
    unit: 'Count',
    aggregation: 'Total',
    operator: 'GreaterThan',
    threshold: 0,
    windowSize: 'PT5M',
    frequency: 'PT1M',
    severity: 3,
    source: {
      origin: 'amba',
      reference: `${AMBA_ML}/ModelDeployFailed_0337a76f-238e-4d4d-9cd1-48b205874dbb.json`,
    },
  },
  {
    key: 'foundry-failed-runs',
    kind: 'static',
    displayName: 'AI Foundry failed runs',
    description: 'A run (evaluation, flow or job) in the hub failed.',
    metricNamespace: ML,
    metricName: 'Failed Runs',
    unit: 'Count',
    aggregation: 'Total',
    operator: 'GreaterThan',
    threshold: 0,
    windowSize: 'PT5M',
    frequency: 'PT1M',
    severity: 3,
    source: { origin: 'amba', reference: `${AMBA_ML}/FailedRuns_c897902c-40a5-497b-a0ce-86c3eda7c61d.json` },
  },
  {
    key: 'foundry-not-responding-runs',
    kind: 'static',
    displayName: 'AI Foundry runs not responding',
    description: 'A run in the hub entered the Not Responding state.',
    metricNamespace: ML,
    metricName: 'Not Responding Runs',
    unit: 'Count',
    aggregation: 'Total',
    operator: 'GreaterThan',
    threshold: 0,
    windowSize: 'PT5M',
    frequency: 'PT1M',
    severity: 3,
    source: {
      origin: 'amba',
      reference: `${AMBA_ML}/NotRespondingRuns_d3b80f22-9f1d-3038-86ff-c4dd5ba02d7a.json`,
    },
  },
  {
    key: 'foundry-quota-utilization',
    kind: 'static',
    displayName: 'AI Foundry compute quota utilization',
    description: 'Use of the hub compute quota exceeded the threshold.',
    metricNamespace: ML,
    metricName: 'Quota Utilization Percentage',
    unit: 'Percent',
    aggregation: 'Average',
    operator: 'GreaterThan',
    threshold: 90,
    windowSize: 'PT5M',
    frequency: 'PT1M',
    severity: 3,
    source: {
      origin: 'amba',
      reference: `${AMBA_ML}/QuotaUtilizationPercentage_be3f1bfc-c21a-4399-9b9f-a33ebdc470cb.json`,
    },
  },
  {
    key: 'foundry-unusable-nodes',
    kind: 'static',
    displayName: 'AI Foundry unusable nodes',
    description: 'Compute nodes of the hub became unusable.',
    metricNamespace: ML,
    metricName: 'Unusable Nodes',
    unit: 'Count',
    aggregation: 'Total',
    operator: 'GreaterThan',
    threshold: 0,
    windowSize: 'PT5M',
    frequency: 'PT1M',
    severity: 3,
    source: {
      origin: 'amba',
      reference: `${AMBA_ML}/UnusableNodes_a171bc0c-676f-464b-a7b5-e50cd6c612a2.json`,
    },
  },
];

/**
 * AI Foundry projects are ML workspaces of kind `project`: runs (evaluations, flows, jobs) and model
 * deployments live in the project and its metrics report them there, so the run and deployment alerts of the
 * hub apply to every project too. Compute (quota, nodes) belongs to the hub, whose alerts cover it.
 */
const PROJECT_NOTE =
  'The AMBA ML workspace recommendation, applied to the project: a hub-based project is an ML workspace of ' +
  'its own, and the runs and deployments submitted to it are reported on the project, not on the hub.';
const AI_FOUNDRY_PROJECT_ALERTS: readonly BaselineAlertDefinition[] = AI_FOUNDRY_ALERTS.filter((a) =>
  ['foundry-model-deploy-failed', 'foundry-failed-runs', 'foundry-not-responding-runs'].includes(a.key),
).map((a) => ({
  ...a,
  key: a.key.replace(/^foundry-/, 'project-'),
  displayName: a.displayName.replace('AI Foundry', 'AI Foundry project'),
  description: a.description.replace('in the hub', 'in the project'),
  source: { ...a.source, note: PROJECT_NOTE },
}));

const VNET = 'Microsoft.Network/virtualNetworks';
const VIRTUAL_NETWORK_ALERTS: readonly BaselineAlertDefinition[] = [
  {
    key: 'vnet-ddos-attack',
    kind: 'static',
    displayName: 'Virtual network under DDoS attack',
    description: 'A public IP address protected in the virtual network is under a DDoS attack.',
    metricNamespace: VNET,
    metricName: 'IfUnderDDoSAttack',
    unit: 'Count',
    aggregation: 'Maximum',
    operator: 'GreaterThan',
    threshold: 0,
    windowSize: 'PT5M',
    frequency: 'PT1M',
    severity: 1,
    source: {
      origin: 'amba',
      reference: AMBA_VNET,
      note:
        'Reports only for public IP addresses under DDoS Network Protection; the platform network has none ' +
        '(private endpoints only), so the rule stays quiet unless a protected public address is added.',
    },
  },
];

const PRIVATE_DNS = 'Microsoft.Network/privateDnsZones';
const PRIVATE_DNS_ZONE_ALERTS: readonly BaselineAlertDefinition[] = [
  {
    key: 'pdns-vnet-link-capacity',
    kind: 'static',
    displayName: 'Private DNS zone virtual network link capacity',
    description:
      'Share of the virtual network links a private DNS zone may have, in use, reached the threshold.',
    metricNamespace: PRIVATE_DNS,
    metricName: 'VirtualNetworkLinkCapacityUtilization',
    unit: 'Percent',
    aggregation: 'Maximum',
    operator: 'GreaterThanOrEqual',
    threshold: 80,
    windowSize: 'PT1H',
    frequency: 'PT1H',
    severity: 2,
    source: { origin: 'amba', reference: AMBA_PRIVATE_DNS },
  },
  {
    key: 'pdns-query-volume',
    kind: 'static',
    displayName: 'Private DNS zone query volume',
    description: 'Queries the private DNS zone served in an hour reached the threshold.',
    metricNamespace: PRIVATE_DNS,
    metricName: 'QueryVolume',
    unit: 'Count',
    aggregation: 'Total',
    operator: 'GreaterThanOrEqual',
    threshold: 500,
    windowSize: 'PT1H',
    frequency: 'PT1H',
    severity: 4,
    enabledByDefault: false,
    source: {
      origin: 'amba',
      reference: AMBA_PRIVATE_DNS,
      note:
        'Every call to a private endpoint resolves a name in its zone, so 500 queries an hour is normal ' +
        'traffic, not a fault (AMBA gives it severity 4, verbose). Disabled by default.',
    },
  },
  {
    key: 'pdns-record-set-capacity',
    kind: 'static',
    displayName: 'Private DNS zone record set capacity',
    description: 'Share of the record sets a private DNS zone may hold, in use, reached the threshold.',
    metricNamespace: PRIVATE_DNS,
    metricName: 'RecordSetCapacityUtilization',
    unit: 'Percent',
    aggregation: 'Maximum',
    operator: 'GreaterThanOrEqual',
    threshold: 80,
    windowSize: 'PT1H',
    frequency: 'PT1H',
    severity: 2,
    source: { origin: 'amba', reference: AMBA_PRIVATE_DNS },
  },
  {
    key: 'pdns-registration-capacity',
    kind: 'static',
    displayName: 'Private DNS zone registration link capacity',
    description:
      'Share of the auto-registration virtual network links a private DNS zone may have, in use, reached the ' +
      'threshold.',
    metricNamespace: PRIVATE_DNS,
    metricName: 'VirtualNetworkWithRegistrationCapacityUtilization',
    unit: 'Percent',
    aggregation: 'Maximum',
    operator: 'GreaterThanOrEqual',
    threshold: 80,
    windowSize: 'PT1H',
    frequency: 'PT1H',
    severity: 2,
    source: { origin: 'amba', reference: AMBA_PRIVATE_DNS },
  },
];

/**
 * Baseline metric alerts per azurerm resource type.
 *
 * `azurerm_log_analytics_workspace` is empty on purpose: for the workspace itself AMBA recommends only
 * activity-log alerts (delete, regenerate shared key); its metric alerts are virtual machine performance
 * counters (`Average_% Processor Time`, `Heartbeat`, ...) from the "metric alerts for logs" feature, which
 * need VM agents reporting to the workspace, and the platform runs no VMs. `azurerm_ai_foundry` is an ML
 * workspace of kind `hub`; its numbers come from the AMBA ARM templates, generated from the AMBA entries the
 * site lists as enabled. Resource types the environments deploy without baseline alerts are listed, each with
 * the reason, in {@link RESOURCE_TYPES_WITHOUT_BASELINE_ALERTS}.
 */
export const BASELINE_ALERTS: Readonly<Record<TerraformResourceType, readonly BaselineAlertDefinition[]>> = {
  azurerm_cognitive_account: COGNITIVE_ACCOUNT_ALERTS,
  azurerm_search_service: SEARCH_SERVICE_ALERTS,
  azurerm_api_management: API_MANAGEMENT_ALERTS,
  azurerm_key_vault: KEY_VAULT_ALERTS,
  azurerm_storage_account: STORAGE_ACCOUNT_ALERTS,
  azurerm_log_analytics_workspace: [],
  azurerm_ai_foundry: AI_FOUNDRY_ALERTS,
  azurerm_ai_foundry_project: AI_FOUNDRY_PROJECT_ALERTS,
  azurerm_virtual_network: VIRTUAL_NETWORK_ALERTS,
  azurerm_private_dns_zone: PRIVATE_DNS_ZONE_ALERTS,
};

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

const NO_FILES = 'The platform stores blobs only; the account has no file shares.';
const NO_QUEUES = 'The platform stores blobs only; the account has no queues.';

/**
 * AMBA-recommended (`visible: true`) metric alerts for the catalog's namespaces that the catalog leaves out.
 * Together with {@link BASELINE_ALERTS} this accounts for every AMBA recommendation read.
 */
export const EXCLUDED_AMBA_ALERTS: readonly ExcludedAmbaAlert[] = [
  ...[
    ['Microsoft.Storage/storageAccounts/fileServices', 'Transactions', NO_FILES],
    ['Microsoft.Storage/storageAccounts/fileServices', 'FileShareCount', NO_FILES],
    ['Microsoft.Storage/storageAccounts/fileServices', 'FileCapacity', NO_FILES],
    ['Microsoft.Storage/storageAccounts/fileServices', 'FileShareSnapshotCount', NO_FILES],
    ['Microsoft.Storage/storageAccounts/fileServices', 'Availability', NO_FILES],
    ['Microsoft.Storage/storageAccounts/fileServices', 'FileShareCapacityQuota', NO_FILES],
    ['Microsoft.Storage/storageAccounts/queueServices', 'QueueCount', NO_QUEUES],
    ['Microsoft.Storage/storageAccounts/queueServices', 'QueueMessageCount', NO_QUEUES],
    ['Microsoft.Storage/storageAccounts/queueServices', 'QueueCapacity', NO_QUEUES],
  ].map(([metricNamespace, metricName, reason]) => ({
    resourceType: 'azurerm_storage_account' as const,
    metricNamespace: metricNamespace!,
    metricName: metricName!,
    reason: reason!,
  })),
  ...['Quota Utilization Percentage', 'Unusable Nodes'].map((metricName) => ({
    resourceType: 'azurerm_ai_foundry_project' as const,
    metricNamespace: ML,
    metricName,
    reason:
      'Compute (clusters, quota) belongs to the hub and is reported there: foundry-quota-utilization and ' +
      'foundry-unusable-nodes on the hub cover it.',
  })),
  ...(
    [
      [
        'FailedRequests',
        'apim-failed-requests alerts on Requests with GatewayResponseCodeCategory 5xx instead.',
      ],
      [
        'UnauthorizedRequests',
        'apim-unauthorized-requests alerts on Requests with GatewayResponseCode 401, 403 instead.',
      ],
      ['TotalRequests', 'Its replacement, Requests, is apim-requests.'],
    ] as const
  ).map(([metricName, instead]) => ({
    resourceType: 'azurerm_api_management' as const,
    metricNamespace: APIM,
    metricName,
    reason: `Azure retired the metric in August 2023, so an alert on it never fires. ${instead}`,
  })),
  {
    resourceType: 'azurerm_private_dns_zone',
    metricNamespace: PRIVATE_DNS,
    metricName: 'RecordSetCount',
    reason:
      'Generated AMBA entry (tag auto-generated) that repeats pdns-record-set-capacity: 18,750 record sets is ' +
      '75 % of the 25,000 a zone may hold, which RecordSetCapacityUtilization already measures.',
  },
];

/**
 * Resource types an environment may deploy that get no baseline metric alerts, each with the reason. Keys are
 * Terraform types; azapi resources are keyed `azapi_resource:<ARM type>` (`azapi_data_plane_resource:...`),
 * without the API version. Together with {@link BASELINE_RESOURCE_TYPES} this accounts for every resource type
 * of every environment: a test synthesizes them and fails on a type in neither, so a capability that adds a
 * resource type must add its AMBA alerts to the catalog or its reason here.
 */
export const RESOURCE_TYPES_WITHOUT_BASELINE_ALERTS: Readonly<Record<string, string>> = {
  azurerm_application_insights:
    'AMBA has no metric alert for Microsoft.Insights/components (only an activity-log alert on delete and, in ' +
    'its landing-zone policies, a log alert on the ingestion throttling limit). Its own metrics (requests, ' +
    'failures, exceptions) describe the instrumented application, which the platform does not deploy.',
  azurerm_private_endpoint:
    'AMBA has no recommendation for Microsoft.Network/privateEndpoints, whose only metrics are bytes in and ' +
    'out. A broken endpoint shows as failures in the alerts of the resource behind it.',
  azurerm_network_security_group:
    'Network security groups emit no platform metrics; AMBA recommends only an activity-log alert (delete).',
  azurerm_subnet: 'Part of the virtual network, which has the alerts.',
  azurerm_subnet_network_security_group_association: 'An association, not a resource with metrics.',
  azurerm_private_dns_zone_virtual_network_link:
    'A link of a private DNS zone; pdns-vnet-link-capacity and pdns-registration-capacity on the zone cover it.',
  azurerm_cognitive_deployment:
    'Deployment metrics are emitted by the model account with the ModelDeploymentName dimension; the ' +
    "account's alerts split per deployment.",
  azurerm_cognitive_account_rai_blocklist:
    'Content-filter configuration; its effect is measured on the account (openai-content-filter-blocks).',
  'azapi_resource:Microsoft.CognitiveServices/accounts/raiPolicies':
    'Content-filter configuration; its effect is measured on the account (openai-content-filter-blocks, ' +
    'openai-harmful-requests).',
  'azapi_resource:Microsoft.CognitiveServices/accounts/raiBlocklists/raiBlocklistItems':
    'Content-filter configuration; its effect is measured on the account (openai-content-filter-blocks).',
  'azapi_data_plane_resource:Microsoft.Search/searchServices/indexes':
    'A data-plane object: AI Search metrics have no index dimension, so the search-latency and ' +
    'search-throttled-queries alerts of the service cover queries against every index.',
  azurerm_search_shared_private_link_service:
    'A connection of the search service; its failures show as search or indexer errors and on the target.',
  azurerm_storage_container:
    'Blob metrics are the storage account blob service (blob-* alerts), which has no container dimension.',
  azurerm_log_analytics_workspace_table: 'A table of the workspace; no metrics of its own.',
  azurerm_api_management_api: 'Configuration inside API Management; the service alerts (apim-*) cover it.',
  azurerm_api_management_api_operation:
    'Configuration inside API Management; the service alerts (apim-*) cover it.',
  azurerm_api_management_api_policy:
    'Configuration inside API Management; the service alerts (apim-*) cover it.',
  azurerm_api_management_api_operation_policy:
    'Configuration inside API Management; the service alerts (apim-*) cover it.',
  azurerm_api_management_backend:
    'A backend of API Management: its latency is apim-backend-duration, its failures trip the circuit ' +
    'breaker and show on the model account alerts.',
  azurerm_api_management_named_value:
    'Configuration inside API Management; the service alerts (apim-*) cover it.',
  azurerm_api_management_product:
    'Configuration inside API Management; the service alerts (apim-*) cover it.',
  azurerm_api_management_product_api:
    'Configuration inside API Management; the service alerts (apim-*) cover it.',
  azurerm_api_management_product_policy:
    'Configuration inside API Management; the service alerts (apim-*) cover it.',
  'azapi_resource:Microsoft.ApiManagement/service/backends':
    'Backend pools of API Management: apim-backend-duration and the model account alerts cover them.',
  'azapi_resource:Microsoft.ApiManagement/service/loggers':
    'Configuration inside API Management; the service alerts (apim-*) cover it.',
  'azapi_resource:Microsoft.ApiManagement/service/apis/diagnostics':
    'Configuration inside API Management; the service alerts (apim-*) cover it.',
  'azapi_resource:Microsoft.MachineLearningServices/workspaces/connections':
    'A connection of the Foundry hub; no metrics of its own.',
  'azapi_resource:Microsoft.MachineLearningServices/workspaces/outboundRules':
    'An outbound rule of the hub managed network; no metrics of its own.',
  azurerm_machine_learning_compute_cluster:
    'Cluster metrics are emitted by the hub workspace (with a cluster dimension): foundry-unusable-nodes and ' +
    'foundry-quota-utilization cover them.',
  azapi_update_resource: 'Updates properties of a resource that exists elsewhere; not a resource of its own.',
  azapi_resource_action: 'A request on a resource that exists elsewhere; not a resource of its own.',
  azurerm_role_assignment: 'An authorization object; no metrics.',
  azurerm_user_assigned_identity: 'An identity; no metrics.',
  azurerm_federated_identity_credential: 'An identity credential; no metrics.',
  azurerm_monitor_action_group: 'Part of the monitoring itself.',
  azurerm_monitor_diagnostic_setting: 'Part of the monitoring itself.',
  azurerm_monitor_metric_alert: 'Part of the monitoring itself.',
  azurerm_monitor_scheduled_query_rules_alert_v2: 'Part of the monitoring itself.',
  azurerm_application_insights_workbook: 'Part of the monitoring itself.',
  azurerm_consumption_budget_resource_group: 'Part of the monitoring itself (the cost alert).',
  azurerm_key_vault_key:
    "A key inside the Key Vault; the vault's alerts (kv-availability, kv-api-latency, kv-api-results) cover its operations.",
  time_sleep: 'Not an Azure resource: a wait inside the Terraform run.',
  azurerm_role_definition: 'An authorization object (the bootstrap lock operator role); no metrics.',
  azurerm_management_lock: 'A lock (authorization object); no metrics. Its removal is blocking in plan:diff.',
  azurerm_nat_gateway:
    "Explicit egress of the self-hosted runners only: a failing gateway shows as runners going offline in GitHub and failed deploy jobs. AMBA's NAT gateway alerts (datapath availability, SNAT connections) are not in the catalog yet.",
  azurerm_public_ip:
    "The NAT gateway's egress address; its DDoS metrics go to the workspace through its diagnostic setting.",
  azurerm_nat_gateway_public_ip_association: 'An association, not a resource with metrics.',
  azurerm_subnet_nat_gateway_association: 'An association, not a resource with metrics.',
};

/**
 * The key a resource has in the coverage check: its Terraform type, or for azapi resources
 * `<terraform type>:<ARM type>` without the API version (`azapi_resource:Microsoft.ApiManagement/service/backends`).
 * `azapi_update_resource` and `azapi_resource_action` are keyed by their Terraform type alone: they change a
 * resource that exists elsewhere.
 */
export function coverageKey(terraformType: string, armType?: unknown): string {
  if (
    (terraformType === 'azapi_resource' || terraformType === 'azapi_data_plane_resource') &&
    typeof armType === 'string'
  ) {
    return `${terraformType}:${armType.split('@')[0]}`;
  }
  return terraformType;
}

/**
 * The keys (see {@link coverageKey}) among `keys` that have neither baseline alerts in the catalog nor a reason
 * in {@link RESOURCE_TYPES_WITHOUT_BASELINE_ALERTS}, sorted and de-duplicated. Empty when every type is
 * accounted for.
 */
export function uncoveredResourceTypes(keys: Iterable<string>): string[] {
  const missing = new Set<string>();
  for (const key of keys) {
    const covered =
      (BASELINE_RESOURCE_TYPES as readonly string[]).includes(key) ||
      Object.hasOwn(RESOURCE_TYPES_WITHOUT_BASELINE_ALERTS, key);
    if (!covered) missing.add(key);
  }
  return [...missing].sort();
}

/** A per-environment change to one catalog alert, keyed by the alert's `key` in the config. */
export interface BaselineAlertOverride {
  /**
   * Static threshold in the metric's unit. Not allowed on dynamic-threshold alerts or on alerts whose
   * threshold comes from a config input (`thresholdFrom`).
   * @default the catalog's threshold
   */
  readonly threshold?: number;
  /**
   * Severity, 0 (critical) to 4 (verbose).
   * @default the catalog's severity
   */
  readonly severity?: number;
  /**
   * Whether to create the alert.
   * @default the catalog's `enabledByDefault` (true unless stated)
   */
  readonly enabled?: boolean;
}

/** Inputs of {@link baselineAlertsFor}. */
export interface BaselineAlertOptions {
  /**
   * Overrides keyed by alert `key`.
   * @default none
   */
  readonly overrides?: Readonly<Record<string, BaselineAlertOverride>>;
  /**
   * Whether the monitored model account has a provisioned (PTU) deployment; alerts with
   * `onlyWhen: 'provisioned'` are created only then.
   * @default false
   */
  readonly provisioned?: boolean;
  /**
   * Hourly token budget of the model account (prompt plus completion tokens); the threshold of
   * `openai-token-budget`. Required while that alert is enabled.
   * @default none
   */
  readonly tokenBudgetPerHour?: number;
  /**
   * Config location prefixed to problem paths, e.g. `environments.prod.monitoring`.
   * @default '' - paths read `overrides.<key>.<field>` and `tokenBudgetPerHour`
   */
  readonly configPath?: string;
}

const OVERRIDE_FIELDS = ['threshold', 'severity', 'enabled'] as const;

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

function checkThreshold(
  problems: Problems,
  path: string,
  alert: BaselineAlertDefinition,
  value: unknown,
): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    problems.add(path, `${show(value)} is not a number (${alert.key} takes a threshold in ${alert.unit})`);
    return;
  }
  const { min, max } = thresholdRange(alert.unit);
  if (value < min || value > max) {
    const allowed = max === Number.POSITIVE_INFINITY ? `at least ${min}` : `between ${min} and ${max}`;
    problems.add(
      path,
      `${value} is out of range for ${alert.metricName} (${alert.unit}): must be ${allowed}`,
    );
  }
}

function isSeverity(value: unknown): value is AlertSeverity {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 4;
}

/**
 * The alerts to create for one resource type in one environment: the catalog with overrides applied,
 * conditional and disabled alerts removed, and config-supplied thresholds filled in. Catalog order is kept.
 *
 * Every problem is reported at once, each naming the key, the value and what is allowed.
 *
 * @example
 * baselineAlertsFor('azurerm_search_service', { overrides: { 'search-latency': { threshold: 2, severity: 2 } } });
 * @throws ValidationError for an unknown resource type or key, an unknown override field, a threshold out of
 *   the metric's range or on a dynamic alert, a severity outside 0-4, a non-boolean `enabled`, enabling an
 *   alert whose condition does not hold, or a missing or invalid `tokenBudgetPerHour`.
 */
export function baselineAlertsFor(
  resourceType: TerraformResourceType,
  options: BaselineAlertOptions = {},
): ResolvedBaselineAlert[] {
  const problems = new Problems(options.configPath ?? '');
  const subject = `Invalid baseline alert settings for ${resourceType}`;
  const catalog = Object.hasOwn(BASELINE_ALERTS, resourceType) ? BASELINE_ALERTS[resourceType] : undefined;
  if (!catalog) {
    problems.add(
      '',
      `${show(resourceType)} has no baseline alerts (known: ${BASELINE_RESOURCE_TYPES.join(', ')})`,
    );
    problems.throwIfAny(subject);
    return [];
  }

  const overrides = options.overrides ?? {};
  const byKey = new Map(catalog.map((alert) => [alert.key, alert]));
  for (const [key, override] of Object.entries(overrides)) {
    const alert = byKey.get(key);
    if (!alert) {
      const known = catalog.map((a) => a.key).join(', ') || 'none';
      problems.add(
        `overrides.${key}`,
        `unknown alert key ${show(key)} for ${resourceType} (known: ${known})`,
      );
      continue;
    }
    checkOverride(problems, alert, override, options.provisioned ?? false);
  }

  const resolved: ResolvedBaselineAlert[] = [];
  for (const alert of catalog) {
    const override = overrides[alert.key] ?? {};
    const conditionHolds = alert.onlyWhen !== 'provisioned' || options.provisioned === true;
    const enabled = (override.enabled ?? alert.enabledByDefault ?? true) && conditionHolds;
    if (!enabled) continue;
    const severity = isSeverity(override.severity) ? override.severity : alert.severity;
    const { enabledByDefault: _enabled, onlyWhen: _onlyWhen, ...rest } = alert;
    if (rest.kind === 'dynamic') {
      resolved.push({ ...rest, severity });
      continue;
    }
    const { thresholdFrom, threshold: catalogThreshold, ...staticRest } = rest;
    let threshold = override.threshold ?? catalogThreshold;
    if (thresholdFrom === 'tokenBudgetPerHour') {
      threshold = checkTokenBudget(problems, alert.key, options.tokenBudgetPerHour);
    }
    if (threshold === undefined) continue;
    resolved.push({ ...staticRest, threshold, severity });
  }

  problems.throwIfAny(subject);
  return resolved;
}

function checkOverride(
  problems: Problems,
  alert: BaselineAlertDefinition,
  override: BaselineAlertOverride,
  provisioned: boolean,
): void {
  const base = `overrides.${alert.key}`;
  if (typeof override !== 'object' || override === null || Array.isArray(override)) {
    problems.add(base, `${show(override)} is not an object (allowed fields: ${OVERRIDE_FIELDS.join(', ')})`);
    return;
  }
  for (const field of Object.keys(override)) {
    if (!(OVERRIDE_FIELDS as readonly string[]).includes(field)) {
      problems.add(`${base}.${field}`, `unknown setting (allowed: ${OVERRIDE_FIELDS.join(', ')})`);
    }
  }
  if (override.threshold !== undefined) {
    if (alert.kind === 'dynamic') {
      problems.add(
        `${base}.threshold`,
        `${show(override.threshold)}: ${alert.key} uses a dynamic threshold that Azure learns; a static threshold ` +
          'cannot be set (allowed: severity, enabled)',
      );
    } else if (alert.thresholdFrom) {
      problems.add(
        `${base}.threshold`,
        `${show(override.threshold)}: ${alert.key} takes its threshold from ${alert.thresholdFrom}; set that instead`,
      );
    } else {
      checkThreshold(problems, `${base}.threshold`, alert, override.threshold);
    }
  }
  if (override.severity !== undefined && !isSeverity(override.severity)) {
    problems.add(
      `${base}.severity`,
      `${show(override.severity)} must be an integer from 0 (critical) to 4 (verbose)`,
    );
  }
  if (override.enabled !== undefined) {
    if (typeof override.enabled !== 'boolean') {
      problems.add(`${base}.enabled`, `${show(override.enabled)} must be true or false`);
    } else if (override.enabled && alert.onlyWhen === 'provisioned' && !provisioned) {
      problems.add(
        `${base}.enabled`,
        `true, but ${alert.key} applies only to accounts with a provisioned (PTU) deployment and provisioned is false`,
      );
    }
  }
}

function checkTokenBudget(problems: Problems, key: string, budget: number | undefined): number | undefined {
  if (budget === undefined) {
    problems.add(
      'tokenBudgetPerHour',
      `missing: ${key} takes its threshold from tokenBudgetPerHour; set a positive number of tokens or ` +
        `disable the alert with overrides.${key}.enabled: false`,
    );
    return undefined;
  }
  if (typeof budget !== 'number' || !Number.isInteger(budget) || budget <= 0) {
    problems.add('tokenBudgetPerHour', `${show(budget)} must be a positive whole number of tokens`);
    return undefined;
  }
  return budget;
}

/**
 * The alert scope for a monitored resource: its id plus the alert's {@link BaselineAlertDefinition.scopeSuffix}
 * (e.g. `<storage account id>/blobServices/default`). Works with unresolved Terraform tokens.
 */
export function alertScope(alert: Pick<BaselineAlertDefinition, 'scopeSuffix'>, resourceId: string): string {
  return `${resourceId}${alert.scopeSuffix ?? ''}`;
}

import { METRIC_ALERT_AGGREGATIONS, type MetricAlertAggregation } from './baseline-catalog-types';

/**
 * The Azure Monitor platform metrics the platform's metric alerts may use, per metric namespace, as Microsoft's
 * "Supported metrics for <resource type>" reference lists them: the metric name in the REST API, the
 * aggregations it supports and its dimensions. One home for these facts: the catalog test checks every
 * baseline alert against it and the `metric-alert-definition` policy rule checks every synthesized
 * `azurerm_monitor_metric_alert` against it, so an alert on an unknown or retired metric, an aggregation the
 * metric does not support or an unknown dimension fails synth instead of deploying an alert that never fires.
 *
 * Only the metrics the platform alerts on (or may alert on through `constructs/models/metrics.ts`) are listed;
 * an alert on another metric fails the rule until its row is added here, read from the page in `reference`.
 * Aggregations are the ones azurerm accepts ({@link METRIC_ALERT_AGGREGATIONS}); where the reference also lists
 * `None`, it is left out.
 */

/** One metric of a namespace. */
export interface SupportedMetric {
  /** Aggregations the metric supports (the reference's "Aggregation" column), as azurerm spells them. */
  readonly aggregations: readonly MetricAlertAggregation[];
  /** Dimension names the metric can be split or filtered by; empty when it has none. */
  readonly dimensions: readonly string[];
}

/** The metrics of one namespace and where they were read. */
export interface MetricNamespaceReference {
  /** Microsoft Learn "Supported metrics" page of the namespace. */
  readonly reference: string;
  /** Metrics by REST API name (not display name). */
  readonly metrics: Readonly<Record<string, SupportedMetric>>;
  /**
   * Metrics Azure retired, by name, with what to use instead. An alert on one of them deploys and never fires.
   * @default none
   */
  readonly retired?: Readonly<Record<string, string>>;
}

const LEARN = 'https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics';

const AOAI_MODEL = ['Region', 'ModelDeploymentName', 'ModelName', 'ModelVersion'] as const;
const AOAI_REQUEST = [
  'ApiName',
  'OperationName',
  'Region',
  'StreamType',
  'ModelDeploymentName',
  'ModelName',
  'ModelVersion',
] as const;
const AOAI_USAGE = [
  'ApiName',
  'ModelDeploymentName',
  'FeatureName',
  'UsageChannel',
  'Region',
  'ModelVersion',
];
const MIN_MAX_AVG: readonly MetricAlertAggregation[] = ['Minimum', 'Maximum', 'Average'];
const TOTAL: readonly MetricAlertAggregation[] = ['Total'];
const ALL_BUT_COUNT: readonly MetricAlertAggregation[] = ['Average', 'Maximum', 'Minimum', 'Total'];
const ALL_FIVE: readonly MetricAlertAggregation[] = ['Total', 'Average', 'Minimum', 'Maximum', 'Count'];

const APIM_RETIREMENT =
  'retired on 31 August 2023 (https://learn.microsoft.com/azure/api-management/breaking-changes/metrics-retirement-aug-2023)';
const KEY_VAULT_ACTIVITY = ['ActivityType', 'ActivityName'] as const;
const KEY_VAULT_STATUS = [...KEY_VAULT_ACTIVITY, 'StatusCode', 'StatusCodeClass'] as const;
const STORAGE_TRANSACTION = ['GeoType', 'ApiName', 'Authentication'] as const;
const BLOB_TRANSACTION = [...STORAGE_TRANSACTION, 'Tier'] as const;
const ML_RUN = [
  'Scenario',
  'RunType',
  'PublishedPipelineId',
  'ComputeType',
  'PipelineStepType',
  'ExperimentName',
] as const;
const PDNS_UTILIZATION: SupportedMetric = {
  aggregations: ['Average', 'Minimum', 'Maximum', 'Count'],
  dimensions: [],
};

/**
 * Supported metrics per metric namespace (`metric_namespace` of an alert criteria).
 *
 * @see https://learn.microsoft.com/azure/azure-monitor/reference/metrics-index
 */
export const SUPPORTED_METRICS = {
  'Microsoft.CognitiveServices/accounts': {
    reference: `${LEARN}/microsoft-cognitiveservices-accounts-metrics`,
    metrics: {
      AzureOpenAIAvailabilityRate: { aggregations: MIN_MAX_AVG, dimensions: AOAI_REQUEST },
      AzureOpenAIRequests: {
        aggregations: TOTAL,
        dimensions: [
          ...AOAI_REQUEST,
          'StatusCode',
          'IsSpillover',
          'ServiceTierRequest',
          'ServiceTierResponse',
        ],
      },
      AzureOpenAITimeToResponse: { aggregations: MIN_MAX_AVG, dimensions: [...AOAI_REQUEST, 'StatusCode'] },
      AzureOpenAINormalizedTTFTInMS: { aggregations: MIN_MAX_AVG, dimensions: AOAI_MODEL },
      AzureOpenAITTLTInMS: { aggregations: MIN_MAX_AVG, dimensions: AOAI_MODEL },
      AzureOpenAIProvisionedManagedUtilizationV2: {
        aggregations: MIN_MAX_AVG,
        dimensions: ['Region', 'StreamType', 'ModelDeploymentName', 'ModelName', 'ModelVersion'],
      },
      AzureOpenAIContextTokensCacheMatchRate: { aggregations: MIN_MAX_AVG, dimensions: AOAI_MODEL },
      ProcessedPromptTokens: { aggregations: TOTAL, dimensions: AOAI_USAGE },
      GeneratedTokens: { aggregations: TOTAL, dimensions: AOAI_USAGE },
      TokenTransaction: { aggregations: TOTAL, dimensions: AOAI_USAGE },
      RAIRejectedRequests: {
        aggregations: TOTAL,
        dimensions: [...AOAI_MODEL, 'ApiName', 'TextType', 'Category'],
      },
      RAIHarmfulRequests: {
        aggregations: TOTAL,
        dimensions: [...AOAI_MODEL, 'ApiName', 'TextType', 'Category', 'Severity'],
      },
    },
  },
  'Microsoft.Search/searchServices': {
    reference: `${LEARN}/microsoft-search-searchservices-metrics`,
    metrics: {
      SearchLatency: { aggregations: ['Average'], dimensions: [] },
      SearchQueriesPerSecond: { aggregations: ['Average'], dimensions: [] },
      ThrottledSearchQueriesPercentage: { aggregations: ['Average'], dimensions: [] },
    },
  },
  'Microsoft.ApiManagement/service': {
    reference: `${LEARN}/microsoft-apimanagement-service-metrics`,
    metrics: {
      Capacity: { aggregations: ['Average', 'Maximum'], dimensions: ['Location'] },
      BackendDuration: {
        aggregations: ['Average', 'Maximum', 'Minimum'],
        dimensions: ['Location', 'Hostname', 'ApiId'],
      },
      Duration: {
        aggregations: ['Average', 'Maximum', 'Minimum'],
        dimensions: ['Location', 'Hostname', 'ApiId'],
      },
      Requests: {
        aggregations: ['Total', 'Maximum', 'Minimum'],
        dimensions: [
          'Location',
          'Hostname',
          'LastErrorReason',
          'BackendResponseCode',
          'GatewayResponseCode',
          'BackendResponseCodeCategory',
          'GatewayResponseCodeCategory',
          'ApiId',
        ],
      },
    },
    retired: {
      TotalRequests: `${APIM_RETIREMENT}: use Requests`,
      SuccessfulRequests: `${APIM_RETIREMENT}: use Requests filtered by GatewayResponseCode or GatewayResponseCodeCategory`,
      UnauthorizedRequests: `${APIM_RETIREMENT}: use Requests filtered by GatewayResponseCode (401, 403, 429)`,
      FailedRequests: `${APIM_RETIREMENT}: use Requests filtered by GatewayResponseCodeCategory or BackendResponseCodeCategory`,
      OtherRequests: `${APIM_RETIREMENT}: use Requests filtered by GatewayResponseCode`,
    },
  },
  'Microsoft.KeyVault/vaults': {
    reference: `${LEARN}/microsoft-keyvault-vaults-metrics`,
    metrics: {
      Availability: { aggregations: ['Average'], dimensions: KEY_VAULT_STATUS },
      SaturationShoebox: {
        aggregations: ['Average'],
        dimensions: [...KEY_VAULT_ACTIVITY, 'TransactionType'],
      },
      ServiceApiHit: { aggregations: ['Count'], dimensions: KEY_VAULT_ACTIVITY },
      ServiceApiLatency: { aggregations: ['Average'], dimensions: KEY_VAULT_STATUS },
      ServiceApiResult: { aggregations: ['Count'], dimensions: KEY_VAULT_STATUS },
    },
  },
  'Microsoft.Storage/storageAccounts': {
    reference: `${LEARN}/microsoft-storage-storageaccounts-metrics`,
    metrics: {
      UsedCapacity: { aggregations: ['Average'], dimensions: [] },
      Availability: { aggregations: ['Average', 'Minimum', 'Maximum'], dimensions: STORAGE_TRANSACTION },
      Egress: { aggregations: ['Total', 'Average', 'Minimum', 'Maximum'], dimensions: STORAGE_TRANSACTION },
      Ingress: { aggregations: ['Total', 'Average', 'Minimum', 'Maximum'], dimensions: STORAGE_TRANSACTION },
      Transactions: {
        aggregations: TOTAL,
        dimensions: ['ResponseType', ...STORAGE_TRANSACTION, 'TransactionType'],
      },
    },
  },
  'Microsoft.Storage/storageAccounts/blobServices': {
    reference: `${LEARN}/microsoft-storage-storageaccounts-blobservices-metrics`,
    metrics: {
      BlobCapacity: { aggregations: ['Average'], dimensions: ['BlobType', 'Tier'] },
      BlobCount: { aggregations: ['Average'], dimensions: ['BlobType', 'Tier'] },
      Availability: { aggregations: ['Average', 'Minimum', 'Maximum'], dimensions: BLOB_TRANSACTION },
      SuccessE2ELatency: { aggregations: ['Average', 'Minimum', 'Maximum'], dimensions: BLOB_TRANSACTION },
      SuccessServerLatency: { aggregations: ['Average', 'Minimum', 'Maximum'], dimensions: BLOB_TRANSACTION },
      Transactions: {
        aggregations: TOTAL,
        dimensions: ['ResponseType', ...STORAGE_TRANSACTION, 'TransactionType', 'Tier'],
      },
    },
  },
  'Microsoft.MachineLearningServices/workspaces': {
    reference: `${LEARN}/microsoft-machinelearningservices-workspaces-metrics`,
    metrics: {
      'Model Deploy Failed': { aggregations: ALL_FIVE, dimensions: ['Scenario', 'StatusCode'] },
      'Failed Runs': { aggregations: ALL_FIVE, dimensions: ML_RUN },
      'Not Responding Runs': { aggregations: ALL_FIVE, dimensions: ML_RUN },
      'Quota Utilization Percentage': {
        aggregations: ALL_BUT_COUNT,
        dimensions: ['Scenario', 'ClusterName', 'VmFamilyName', 'VmPriority'],
      },
      'Unusable Nodes': { aggregations: ALL_BUT_COUNT, dimensions: ['Scenario', 'ClusterName'] },
    },
  },
  'Microsoft.Network/virtualNetworks': {
    reference: `${LEARN}/microsoft-network-virtualnetworks-metrics`,
    metrics: {
      IfUnderDDoSAttack: { aggregations: ['Maximum'], dimensions: ['ProtectedIPAddress'] },
    },
  },
  'Microsoft.Network/privateDnsZones': {
    reference: `${LEARN}/microsoft-network-privatednszones-metrics`,
    metrics: {
      QueryVolume: { aggregations: TOTAL, dimensions: [] },
      RecordSetCount: PDNS_UTILIZATION,
      RecordSetCapacityUtilization: PDNS_UTILIZATION,
      VirtualNetworkLinkCapacityUtilization: PDNS_UTILIZATION,
      VirtualNetworkWithRegistrationCapacityUtilization: PDNS_UTILIZATION,
    },
  },
} as const satisfies Readonly<Record<string, MetricNamespaceReference>>;

/** A metric namespace of {@link SUPPORTED_METRICS}: the only namespaces a catalog alert may use. */
export type MetricNamespace = keyof typeof SUPPORTED_METRICS;

/** {@link SUPPORTED_METRICS} keyed by any string, for lookups of synthesized values. */
const TABLE: Readonly<Record<string, MetricNamespaceReference>> = SUPPORTED_METRICS;

/** The Microsoft Learn "Supported metrics" page of a namespace. */
export function metricReference(namespace: MetricNamespace): string {
  return SUPPORTED_METRICS[namespace].reference;
}

/** The metric part of a metric alert criteria (`criteria[]` or `dynamic_criteria`). */
export interface MetricCriteria {
  readonly metricNamespace: string;
  readonly metricName: string;
  readonly aggregation: string;
  /** Names of the criteria's `dimension` blocks. */
  readonly dimensionNames: readonly string[];
}

/**
 * What is wrong with a metric alert criteria against {@link SUPPORTED_METRICS}, one message per problem: an
 * unknown namespace, an unknown or retired metric, an aggregation azurerm rejects or the metric does not
 * support, a dimension the metric does not have. Empty when it is fine. Each message names the value, what is
 * allowed and the reference page.
 *
 * Aggregations azurerm accepts: `Average`, `Count`, `Minimum`, `Maximum`, `Total` (hashicorp/terraform-provider-azurerm
 * v4.55.0, `internal/services/monitor/monitor_metric_alert_resource.go`, `criteria.aggregation` and
 * `dynamic_criteria.aggregation`).
 */
export function metricCriteriaProblems(criteria: MetricCriteria): string[] {
  const { metricNamespace, metricName, aggregation } = criteria;
  const problems: string[] = [];
  if (!(METRIC_ALERT_AGGREGATIONS as readonly string[]).includes(aggregation)) {
    problems.push(
      `aggregation ${JSON.stringify(aggregation)} is not one azurerm accepts (${METRIC_ALERT_AGGREGATIONS.join(', ')}; ` +
        'terraform-provider-azurerm v4.55.0 internal/services/monitor/monitor_metric_alert_resource.go)',
    );
  }
  const namespace = Object.hasOwn(TABLE, metricNamespace) ? TABLE[metricNamespace] : undefined;
  if (!namespace) {
    problems.push(
      `metric namespace ${JSON.stringify(metricNamespace)} is not in the supported-metrics table ` +
        `(known: ${Object.keys(TABLE).join(', ')}); add it to constructs/monitoring/supported-metrics.ts ` +
        `from its Microsoft Learn "Supported metrics" page`,
    );
    return problems;
  }
  const see = `see ${namespace.reference}`;
  const retired =
    namespace.retired && Object.hasOwn(namespace.retired, metricName)
      ? namespace.retired[metricName]
      : undefined;
  if (retired) {
    problems.push(`metric ${JSON.stringify(metricName)} of ${metricNamespace} was ${retired}`);
    return problems;
  }
  const metric = Object.hasOwn(namespace.metrics, metricName) ? namespace.metrics[metricName] : undefined;
  if (!metric) {
    problems.push(
      `metric ${JSON.stringify(metricName)} is not a supported metric of ${metricNamespace} ` +
        `(known: ${Object.keys(namespace.metrics).join(', ')}; ${see})`,
    );
    return problems;
  }
  if (
    (METRIC_ALERT_AGGREGATIONS as readonly string[]).includes(aggregation) &&
    !(metric.aggregations as readonly string[]).includes(aggregation)
  ) {
    problems.push(
      `metric ${metricName} of ${metricNamespace} does not support aggregation ${JSON.stringify(aggregation)} ` +
        `(supported: ${metric.aggregations.join(', ')}; ${see})`,
    );
  }
  for (const name of criteria.dimensionNames) {
    if (!metric.dimensions.includes(name)) {
      problems.push(
        `metric ${metricName} of ${metricNamespace} has no dimension ${JSON.stringify(name)} ` +
          `(dimensions: ${metric.dimensions.join(', ') || 'none'}; ${see})`,
      );
    }
  }
  return problems;
}

/**
 * Azure Monitor metric names of model accounts, for alerts and dashboards. These are the Azure OpenAI
 * metrics Microsoft recommends; the legacy Cognitive Services HTTP metrics (`Latency`, `TotalErrors`,
 * `SuccessRate`, ...) are marked "do not use for Azure OpenAI" and are deliberately absent.
 *
 * @see https://learn.microsoft.com/azure/ai-foundry/openai/how-to/monitor-openai
 * @see https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-cognitiveservices-accounts-metrics
 */
export const ModelMetrics = {
  /** Metric namespace of AI Services and Azure OpenAI accounts. */
  namespace: 'Microsoft.CognitiveServices/accounts',
  /** Request count. Split by `StatusCode` for errors; HTTP 429 (throttling) shows here, there is no separate metric. */
  requests: 'AzureOpenAIRequests',
  /** Percentage of requests that succeeded (availability). */
  availabilityRate: 'AzureOpenAIAvailabilityRate',
  /** Latency: time to the first response byte (non-streaming: whole response). Use this, not the legacy `Latency`. */
  timeToResponse: 'AzureOpenAITimeToResponse',
  /** Normalized time to first token, in milliseconds (streaming). */
  timeToFirstToken: 'AzureOpenAINormalizedTTFTInMS',
  /** Time to last token, in milliseconds. */
  timeToLastToken: 'AzureOpenAITTLTInMS',
  /** Prompt (input) tokens processed. */
  promptTokens: 'ProcessedPromptTokens',
  /** Generated (output) tokens. */
  generatedTokens: 'GeneratedTokens',
  /** Prompt plus generated tokens: the total token count. */
  tokenTransaction: 'TokenTransaction',
  /** Utilization of provisioned deployments, in percent (provisioned SKUs only). */
  provisionedUtilization: 'AzureOpenAIProvisionedManagedUtilizationV2',
  /** Share of prompt tokens served from the prompt cache, in percent. */
  contextCacheMatchRate: 'AzureOpenAIContextTokensCacheMatchRate',
  /** Requests the content filter blocked. */
  raiRejected: 'RAIRejectedRequests',
  /** Requests the content filter flagged as harmful. */
  raiHarmful: 'RAIHarmfulRequests',
  /** Users flagged for repeated abuse. */
  raiAbusiveUsers: 'RAIAbusiveUsersCount',
  /** Dimensions to split or filter by. */
  dimensions: {
    deploymentName: 'ModelDeploymentName',
    statusCode: 'StatusCode',
  },
} as const;

/** A metric name from {@link ModelMetrics}. */
export type ModelMetricName = Exclude<
  (typeof ModelMetrics)[keyof typeof ModelMetrics],
  object | typeof ModelMetrics.namespace
>;

/** A metric narrowed to some dimension values: the shape of a metric alert's `criteria` (without the threshold). */
export interface ModelMetricSelector {
  readonly metricNamespace: string;
  readonly metricName: ModelMetricName;
  readonly dimension: readonly {
    readonly name: string;
    readonly operator: 'Include';
    readonly values: readonly string[];
  }[];
}

/**
 * `metric`, optionally filtered to some deployments (dimension `ModelDeploymentName`), as the
 * namespace/name/dimension part of an `azurerm_monitor_metric_alert` criteria.
 *
 * @example
 * { ...modelMetric(ModelMetrics.tokenTransaction, ['chat']), aggregation: 'Total', operator: 'GreaterThan', threshold: 5e6 }
 */
export function modelMetric(
  metric: ModelMetricName,
  deploymentNames?: readonly string[],
): ModelMetricSelector {
  return {
    metricNamespace: ModelMetrics.namespace,
    metricName: metric,
    dimension: deploymentNames?.length
      ? [{ name: ModelMetrics.dimensions.deploymentName, operator: 'Include', values: [...deploymentNames] }]
      : [],
  };
}

/** Throttled requests: `AzureOpenAIRequests` with `StatusCode` 429, optionally for some deployments. */
export function throttledRequests(deploymentNames?: readonly string[]): ModelMetricSelector {
  const base = modelMetric(ModelMetrics.requests, deploymentNames);
  return {
    ...base,
    dimension: [
      ...base.dimension,
      { name: ModelMetrics.dimensions.statusCode, operator: 'Include', values: ['429'] },
    ],
  };
}

/**
 * Names of the platform and gateway metrics that the workbook reads outside the baseline catalog: the
 * Azure OpenAI metrics of model accounts and the token metrics the gateway sends to Application Insights.
 * Every name the monitoring code relies on outside `baseline-catalog.ts` and `quality-contract.ts` is here.
 */

import { type ModelMetricName, ModelMetrics } from '../models/metrics';

/**
 * The Azure OpenAI platform metrics of AI Services / Azure OpenAI accounts (namespace
 * `Microsoft.CognitiveServices/accounts`) that the monitoring code may read: the metric names of
 * {@link ModelMetrics}, their one home (the legacy Cognitive Services HTTP metrics are absent on purpose).
 *
 * @see https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-cognitiveservices-accounts-metrics
 */
export const AZURE_OPENAI_METRICS = Object.entries(ModelMetrics)
  .filter(([key]) => key !== 'namespace' && key !== 'dimensions')
  .map(([, name]) => name as ModelMetricName);
/** One of {@link AZURE_OPENAI_METRICS}. */
export type AzureOpenAIMetric = ModelMetricName;

/** Metric namespace of AI Services and Azure OpenAI accounts. */
export const AZURE_OPENAI_NAMESPACE = ModelMetrics.namespace;

/** Dimensions of the Azure OpenAI metrics the monitoring code splits by. */
export const AZURE_OPENAI_DIMENSIONS = {
  /** Model deployment name, e.g. `chat`. */
  deployment: ModelMetrics.dimensions.deploymentName,
  /** HTTP status code of the request; `429` is throttling. */
  statusCode: ModelMetrics.dimensions.statusCode,
} as const;

/**
 * The token metrics the gateway emits with the API Management `llm-emit-token-metric` (or
 * `azure-openai-emit-token-metric`) policy. The policy sends them to Application Insights as custom metrics;
 * in a workspace-based resource they land in the `AppMetrics` table, one row per metric name and aggregation
 * interval, with the policy's dimensions in `Properties` and the token count in `Sum`.
 *
 * The gateway's policy (`constructs/gateway/policies.ts`) must emit these names and dimensions for the
 * workbook's "tokens by deployment and variant" section to show data: the metric names are fixed by the policy;
 * `Deployment`, `Experiment` and `Variant` are custom dimensions the policy adds
 * (`<dimension name="Deployment" value="..."/>`); a test checks the gateway's policy against this constant.
 * Application Insights needs custom metrics with dimensions enabled for the dimensions to be kept.
 *
 * @see https://learn.microsoft.com/azure/api-management/llm-emit-token-metric-policy
 * @see https://learn.microsoft.com/azure/api-management/azure-openai-emit-token-metric-policy
 */
export const GATEWAY_TOKEN_METRICS = {
  /** The Log Analytics table custom metrics land in (workspace-based Application Insights). */
  table: 'AppMetrics',
  /** Metric names the policy emits (fixed by the policy). */
  names: {
    total: 'Total Tokens',
    prompt: 'Prompt Tokens',
    completion: 'Completion Tokens',
  },
  /**
   * Metric namespace the gateway should give the policy (`namespace="llmops"`). Queries do not depend on it:
   * `AppMetrics` has no namespace column.
   */
  namespace: 'llmops',
  /** Dimensions (keys of `Properties`) the workbook reads. */
  dimensions: {
    /** Custom dimension: the model deployment the request went to, e.g. `chat`. */
    deployment: 'Deployment',
    /** Custom dimension: the experiment the request took part in; `none` outside experiments. */
    experiment: 'Experiment',
    /** Custom dimension: the experiment variant the request was routed to; `none` outside experiments. */
    variant: 'Variant',
    /** Default policy dimension: the API. */
    apiId: 'API ID',
    /** Default policy dimension: the subscription (consumer). */
    subscriptionId: 'Subscription ID',
  },
} as const;

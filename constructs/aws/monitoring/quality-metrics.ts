import { QualityFields } from '../../monitoring/quality-contract';

/**
 * How evaluation scores land in CloudWatch for AWS environments: the AWS side of the quality contract
 * (`constructs/monitoring/quality-contract.ts`). `scores:send` publishes here (`PutMetricData`) and
 * {@link QualityDriftAlarms} and the dashboard read from here, so the names live in this file only.
 *
 * - Namespace: {@link QUALITY_METRICS_NAMESPACE}.
 * - Metric name: the evaluation name, exactly as in the contract (`groundedness`, `violence_defect_rate`,
 *   `latencyP95Ms`, a custom evaluator's name), i.e. the value of `gen_ai.evaluation.name` on Azure.
 * - Value: the score (`gen_ai.evaluation.score.value`), one datum per metric and evaluation run.
 * - Dimensions: {@link QUALITY_METRIC_DIMENSIONS}, named like the contract's properties. CloudWatch treats
 *   every distinct dimension set as its own metric and an alarm reads exactly one, so every datum carries all
 *   four (use {@link NO_VARIANT} outside an experiment).
 *
 * This file imports only the contract (no cdktf, no aws-cdk-lib), so the sender can use it.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Dimension
 */
export const QUALITY_METRICS_NAMESPACE = 'LLMOps/Quality';

/** Dimension names of every score datum, in the order `scores:send` writes them. */
export const QUALITY_METRIC_DIMENSIONS = [
  QualityFields.deployment,
  QualityFields.variant,
  QualityFields.environment,
  QualityFields.source,
] as const;

/** The variant dimension value of scores not taken behind a gateway experiment (as on Azure). */
export const NO_VARIANT = 'none';

/** What identifies one score series. */
export interface QualitySeries {
  /** Model deployment evaluated, e.g. `chat` (`gen_ai.request.model`). */
  readonly deployment: string;
  /** Gateway experiment variant, e.g. `control`, or {@link NO_VARIANT} (`llmops.variant`). */
  readonly variant: string;
  /** Environment name, e.g. `aws-dev` (`llmops.environment`). */
  readonly environment: string;
  /** `ci` (release gate) or `continuous` (sampled production traffic) (`llmops.evaluation.source`). */
  readonly source: 'ci' | 'continuous';
}

/** The CloudWatch dimensions of one score series, keyed by {@link QUALITY_METRIC_DIMENSIONS}. */
export function qualityMetricDimensions(series: QualitySeries): Record<string, string> {
  return {
    [QualityFields.deployment]: series.deployment,
    [QualityFields.variant]: series.variant,
    [QualityFields.environment]: series.environment,
    [QualityFields.source]: series.source,
  };
}

/**
 * Largest window of the quality alarms, in hours: the longest alarm period CloudWatch accepts with one
 * evaluation period (one day, "PutMetricAlarm", Period).
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 */
export const MAX_QUALITY_WINDOW_HOURS = 24;

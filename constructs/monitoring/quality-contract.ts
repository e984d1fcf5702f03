/**
 * The contract by which answer-quality evaluation results land in Application Insights.
 *
 * Every producer of scores (the CI evaluation job, continuous evaluation of production traces) sends them
 * through the same sender with these names, and every consumer (quality alerts, drift alerts, the
 * workbook, the release gate's thresholds) reads them by these names. Change them here only.
 *
 * Shape: one custom event per metric and evaluation run, following the OpenTelemetry GenAI semantic
 * conventions (`gen_ai.evaluation.result`). In a workspace-based Application Insights resource a custom
 * event lands in the `AppEvents` table with `Name` = {@link QUALITY_EVENT_NAME} and the attributes in
 * `Properties` (strings) and `Measurements` (numbers).
 *
 * @see https://opentelemetry.io/docs/specs/semconv/gen-ai/
 */
export const QUALITY_EVENT_NAME = 'gen_ai.evaluation.result';

/** The Log Analytics table custom events land in (workspace-based Application Insights). */
export const QUALITY_TABLE = 'AppEvents';

/** Property and measurement names on every quality event. */
export const QualityFields = {
  /** Metric name, one of {@link QUALITY_METRICS} or a custom evaluator's name. (Properties) */
  metric: 'gen_ai.evaluation.name',
  /** The score. (Measurements) */
  score: 'gen_ai.evaluation.score.value',
  /** Model deployment evaluated, e.g. `chat`. (Properties) */
  deployment: 'gen_ai.request.model',
  /** Gateway experiment variant evaluated, e.g. `control`; `none` when not behind an experiment. (Properties) */
  variant: 'llmops.variant',
  /** Environment name, e.g. `prod`. (Properties) */
  environment: 'llmops.environment',
  /** Where the scores came from: `ci` (release gate) or `continuous` (sampled production traffic). (Properties) */
  source: 'llmops.evaluation.source',
  /** Identifier of the evaluation run (CI run id or scheduled run id). (Properties) */
  runId: 'llmops.evaluation.run_id',
} as const;

/** Sources a score can come from. */
export const QUALITY_SOURCES = ['ci', 'continuous'] as const;
export type QualitySource = (typeof QUALITY_SOURCES)[number];

/**
 * Quality metrics with a built-in meaning. Azure AI evaluators score these on a 1-5 scale
 * (higher is better).
 */
export const QUALITY_METRICS = ['groundedness', 'relevance', 'coherence', 'fluency', 'similarity'] as const;
export type QualityMetric = (typeof QUALITY_METRICS)[number];

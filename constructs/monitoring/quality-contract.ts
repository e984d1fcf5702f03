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

/**
 * The Log Analytics table custom events land in (workspace-based Application Insights). Every quality,
 * safety, latency and cost alert reads it.
 *
 * @see https://learn.microsoft.com/azure/azure-monitor/reference/tables/appevents
 */
export const QUALITY_TABLE = 'AppEvents';

/** Property and measurement names on every quality event. */
export const QualityFields = {
  /** Metric name: one of {@link METRIC_FACTS} (quality, safety, cost, latency) or a custom evaluator's name. (Properties) */
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

/**
 * Content-safety (and bias) metrics: defect rates of the Azure AI Evaluation SDK's risk and safety
 * evaluators, the share of answers (0 to 1) the evaluator flagged. Lower is better: every threshold on them
 * is a `max` threshold. Names are those the SDK writes in `metrics` (`violence.violence_defect_rate`), with
 * the evaluator prefix dropped; the indirect-attack evaluator writes `xpia_defect_rate`, which is read as
 * `indirect_attack_defect_rate`.
 *
 * | metric | evaluator (SDK class) |
 * | --- | --- |
 * | `hate_unfairness_defect_rate` | `HateUnfairnessEvaluator` (hate and unfairness: the bias evaluator) |
 * | `sexual_defect_rate` | `SexualEvaluator` |
 * | `violence_defect_rate` | `ViolenceEvaluator` |
 * | `self_harm_defect_rate` | `SelfHarmEvaluator` |
 * | `protected_material_defect_rate` | `ProtectedMaterialEvaluator` |
 * | `indirect_attack_defect_rate` | `IndirectAttackEvaluator` (XPIA) |
 *
 * @see https://learn.microsoft.com/azure/ai-foundry/concepts/evaluation-evaluators/risk-safety-evaluators
 */
export const SAFETY_METRICS = [
  'hate_unfairness_defect_rate',
  'sexual_defect_rate',
  'violence_defect_rate',
  'self_harm_defect_rate',
  'protected_material_defect_rate',
  'indirect_attack_defect_rate',
] as const;
export type SafetyMetric = (typeof SAFETY_METRICS)[number];

/** What a known metric measures: its family, the way it must go and the range it lives in. */
export interface MetricFacts {
  /** quality: 1-5 scores; safety: defect rates; latency, tokens, cost: operational. */
  readonly kind: 'quality' | 'safety' | 'latency' | 'tokens' | 'cost';
  /** `min`: higher is better (a threshold is a floor); `max`: lower is better (a ceiling). */
  readonly direction: 'min' | 'max';
  /** Inclusive range of the value. */
  readonly range: { readonly min: number; readonly max: number };
}

/**
 * The one table of known metrics: the gate's config validation, the alerts and the workbook read the
 * direction and range of a metric here. Metrics not in it (custom evaluators) take the direction their
 * threshold declares.
 */
export const METRIC_FACTS: Readonly<Record<string, MetricFacts>> = {
  ...Object.fromEntries(
    QUALITY_METRICS.map((m) => [m, { kind: 'quality', direction: 'min', range: { min: 1, max: 5 } }]),
  ),
  ...Object.fromEntries(
    SAFETY_METRICS.map((m) => [m, { kind: 'safety', direction: 'max', range: { min: 0, max: 1 } }]),
  ),
  // Cost and latency of the answers (lower is better): latency percentiles in milliseconds, mean tokens per
  // answer, and the cost of 1,000 such answers in the price table's currency (the gate prices the token
  // means of the evaluated deployment, lib/evaluation/cost.ts). The job also reports `itemsEvaluated`, never
  // gated.
  latencyP50Ms: { kind: 'latency', direction: 'max', range: { min: 0, max: Number.MAX_SAFE_INTEGER } },
  latencyP95Ms: { kind: 'latency', direction: 'max', range: { min: 0, max: Number.MAX_SAFE_INTEGER } },
  tokensPerAnswer: { kind: 'tokens', direction: 'max', range: { min: 0, max: Number.MAX_SAFE_INTEGER } },
  promptTokensPerAnswer: {
    kind: 'tokens',
    direction: 'max',
    range: { min: 0, max: Number.MAX_SAFE_INTEGER },
  },
  completionTokensPerAnswer: {
    kind: 'tokens',
    direction: 'max',
    range: { min: 0, max: Number.MAX_SAFE_INTEGER },
  },
  costPer1kAnswers: { kind: 'cost', direction: 'max', range: { min: 0, max: Number.MAX_SAFE_INTEGER } },
};

/** The facts of `metric`, or undefined for a custom metric. */
export function metricFacts(metric: string): MetricFacts | undefined {
  return Object.hasOwn(METRIC_FACTS, metric) ? METRIC_FACTS[metric] : undefined;
}

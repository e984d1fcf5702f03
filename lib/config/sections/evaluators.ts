/**
 * The evaluators the evaluation job runs and the metrics each produces. Free of zod (unlike the section's
 * schema in `evaluation.ts`), so that the AWS synth, which receives the checked config from `npm run synth`,
 * can read the thresholds without loading the schema.
 */
import { QUALITY_METRICS, SAFETY_METRICS } from '../../../constructs/monitoring/quality-contract';
import type { EvaluationConfig, Threshold } from './evaluation';

/**
 * The quality evaluators the evaluation job runs (`evaluation/_common.py` `EVALUATOR_INPUTS`, Azure AI
 * Evaluation SDK, 1-5 scale). Each name is also the metric name the gate and the quality alerts see.
 */
export const QUALITY_EVALUATORS = QUALITY_METRICS;

/**
 * The content-safety evaluators the evaluation job runs (`evaluation/_common.py` `SAFETY_EVALUATORS`); each
 * reports the metric `<name>_defect_rate` ({@link SAFETY_METRICS}).
 */
export const SAFETY_EVALUATORS = SAFETY_METRICS.map((m) => m.replace(/_defect_rate$/, ''));

/** Every evaluator the evaluation job knows, quality first. */
export const KNOWN_EVALUATORS: readonly string[] = [...QUALITY_EVALUATORS, ...SAFETY_EVALUATORS];

/** Evaluators that need a `ground_truth` column, which simulated and production rows lack. */
export const GROUND_TRUTH_EVALUATORS: readonly string[] = ['similarity'];

/** The evaluator that produces `metric`, or undefined for metrics no evaluator produces (cost, latency). */
export function evaluatorOf(metric: string): string | undefined {
  if ((QUALITY_EVALUATORS as readonly string[]).includes(metric)) return metric;
  const safety = metric.replace(/_defect_rate$/, '');
  return metric !== safety && SAFETY_EVALUATORS.includes(safety) ? safety : undefined;
}

/**
 * The thresholds the evaluation can measure: those of metrics no evaluator produces (latency, cost, tokens)
 * and those whose evaluator is in `evaluators`. A threshold on an evaluator that does not run has no score:
 * an alarm on it never fires and two variants cannot be compared on it.
 */
export function measuredThresholds(
  evaluation: Pick<EvaluationConfig, 'thresholds' | 'evaluators'>,
): Record<string, Threshold> {
  return Object.fromEntries(
    Object.entries(evaluation.thresholds).filter(([metric]) => {
      const evaluator = evaluatorOf(metric);
      return evaluator === undefined || evaluation.evaluators.includes(evaluator);
    }),
  );
}

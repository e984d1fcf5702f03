import { metricFacts } from '../../constructs/monitoring/quality-contract';
import type { PromotionConfig } from '../config/sections/evaluation';
import { formatNumber, type GateResult, roundScore } from './gate';

/**
 * What the gate decides for a candidate variant of a gateway experiment.
 *
 * - `promote`: not worse than control on quality and safety (within the margins) and better on p95 latency
 *   or cost per 1,000 answers: its weight rises by `weightStep`, through a config change in a pull request.
 * - `stay`: not worse, but not better either (or a comparison had no number): weights unchanged.
 * - `rollback`: failed its own thresholds, or worse than control beyond a margin: its weight goes to 0.
 */
export type PromotionDecision = 'promote' | 'stay' | 'rollback';

/** One evaluated variant: its weight today, its scores (derived metrics included) and its own gate. */
export interface VariantRun {
  readonly name: string;
  readonly deployment: string;
  readonly weight: number;
  readonly scores: Readonly<Record<string, number>>;
  readonly gate: GateResult;
}

/** How one metric of the candidate compares with control. */
export interface MetricComparison {
  readonly metric: string;
  readonly control?: number;
  readonly candidate?: number;
  /** `worse` beyond the margin, `better` by the improvement percentage, `same` otherwise, `missing` without a number. */
  readonly verdict: 'worse' | 'same' | 'better' | 'missing';
}

/** The decision for one candidate. */
export interface CandidateDecision {
  readonly candidate: string;
  readonly decision: PromotionDecision;
  /** One sentence per reason, in the order the rules apply. */
  readonly reasons: readonly string[];
  readonly comparisons: readonly MetricComparison[];
}

/** The decision for an experiment: per candidate, and the weights that follow. */
export interface ExperimentDecision {
  readonly experiment: string;
  readonly control: string;
  readonly candidates: readonly CandidateDecision[];
  /** Weights before the decision, by variant. */
  readonly weights: Readonly<Record<string, number>>;
  /** Weights after it (equal to `weights` when every candidate stays). */
  readonly newWeights: Readonly<Record<string, number>>;
  /** True when `newWeights` differ from `weights`: the pipeline opens a pull request. */
  readonly changed: boolean;
}

/** The metrics whose improvement can promote a candidate. */
export const IMPROVEMENT_METRICS = ['latencyP95Ms', 'costPer1kAnswers'] as const;

/**
 * The control of an experiment: its first variant in config order, whatever the weights, so promotion can
 * shift weight past 50/50 without the roles swapping. The gateway falls back to the same variant
 * (`controlVariant` in `constructs/gateway/policies.ts`), which a test holds equal.
 */
export function controlOf(variants: readonly Pick<VariantRun, 'name' | 'weight'>[]): string {
  return variants[0]!.name;
}

function compareGuard(
  metric: string,
  control: number | undefined,
  candidate: number | undefined,
  margin: number,
  direction: 'min' | 'max',
): MetricComparison {
  if (control === undefined || candidate === undefined)
    return { metric, control, candidate, verdict: 'missing' };
  const c = roundScore(control);
  const k = roundScore(candidate);
  const drop = direction === 'min' ? c - k : k - c;
  return { metric, control: c, candidate: k, verdict: roundScore(drop) > margin ? 'worse' : 'same' };
}

function compareImprovement(
  metric: string,
  control: number | undefined,
  candidate: number | undefined,
  minImprovementPercent: number,
): MetricComparison {
  if (control === undefined || candidate === undefined)
    return { metric, control, candidate, verdict: 'missing' };
  const c = roundScore(control);
  const k = roundScore(candidate);
  const better = c > 0 && roundScore(((c - k) / c) * 100) >= minImprovementPercent && k < c;
  return { metric, control: c, candidate: k, verdict: better ? 'better' : 'same' };
}

function decideCandidate(
  control: VariantRun,
  candidate: VariantRun,
  guarded: readonly string[],
  promotion: PromotionConfig,
): CandidateDecision {
  const comparisons: MetricComparison[] = [];
  for (const metric of guarded) {
    const facts = metricFacts(metric)!;
    const margin = facts.kind === 'quality' ? promotion.qualityMargin : promotion.safetyMargin;
    comparisons.push(
      compareGuard(metric, control.scores[metric], candidate.scores[metric], margin, facts.direction),
    );
  }
  const improvements = IMPROVEMENT_METRICS.map((m) =>
    compareImprovement(m, control.scores[m], candidate.scores[m], promotion.minImprovementPercent),
  );
  comparisons.push(...improvements);

  const reasons: string[] = [];
  if (!candidate.gate.passed) {
    reasons.push(`${candidate.name} failed its own thresholds`);
    return { candidate: candidate.name, decision: 'rollback', reasons, comparisons };
  }
  const worse = comparisons.filter((c) => c.verdict === 'worse');
  for (const c of worse) {
    const facts = metricFacts(c.metric)!;
    const margin = facts.kind === 'quality' ? promotion.qualityMargin : promotion.safetyMargin;
    reasons.push(
      `${c.metric} ${formatNumber(c.candidate!)} is worse than control ${formatNumber(c.control!)} by more than the ${facts.kind} margin ${formatNumber(margin)}`,
    );
  }
  if (worse.length > 0) return { candidate: candidate.name, decision: 'rollback', reasons, comparisons };
  const missing = comparisons.filter((c) => c.verdict === 'missing' && guarded.includes(c.metric));
  for (const c of missing)
    reasons.push(`${c.metric} has no number for both variants: cannot tell whether it is worse`);
  if (missing.length > 0) return { candidate: candidate.name, decision: 'stay', reasons, comparisons };
  const better = improvements.filter((c) => c.verdict === 'better');
  if (better.length === 0) {
    reasons.push(
      `not worse on quality and safety, but neither p95 latency nor cost per 1,000 answers is at least ${formatNumber(promotion.minImprovementPercent)}% lower`,
    );
    return { candidate: candidate.name, decision: 'stay', reasons, comparisons };
  }
  for (const c of better) {
    reasons.push(
      `${c.metric} ${formatNumber(c.candidate!)} is lower than control ${formatNumber(c.control!)}`,
    );
  }
  reasons.unshift('not worse on quality and safety within the margins');
  return { candidate: candidate.name, decision: 'promote', reasons, comparisons };
}

/**
 * Compares every candidate of an experiment with its control (its first variant) and computes
 * the weights that follow: a promoted candidate takes `weightStep` points from control (at most what control
 * has), a rolled-back candidate gives all its weight to control. The sum of the weights is unchanged. Pure.
 *
 * Compared: the quality and safety metrics among `thresholds` (`guarded`, within the margins) and
 * {@link IMPROVEMENT_METRICS}.
 */
export function decideExperiment(
  experiment: string,
  runs: readonly VariantRun[],
  guarded: readonly string[],
  promotion: PromotionConfig,
): ExperimentDecision {
  const control = controlOf(runs);
  const controlRun = runs.find((r) => r.name === control)!;
  const weights = Object.fromEntries(runs.map((r) => [r.name, r.weight]));
  const newWeights: Record<string, number> = { ...weights };
  const candidates = runs
    .filter((r) => r.name !== control)
    .map((r) => decideCandidate(controlRun, r, guarded, promotion));
  for (const d of candidates) {
    if (d.decision === 'rollback') {
      newWeights[control] = newWeights[control]! + newWeights[d.candidate]!;
      newWeights[d.candidate] = 0;
    } else if (d.decision === 'promote') {
      const step = Math.min(promotion.weightStep, newWeights[control]!);
      newWeights[control] = newWeights[control]! - step;
      newWeights[d.candidate] = newWeights[d.candidate]! + step;
    }
  }
  const changed = runs.some((r) => newWeights[r.name] !== weights[r.name]);
  return { experiment, control, candidates, weights, newWeights, changed };
}

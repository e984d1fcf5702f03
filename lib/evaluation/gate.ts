import { Problems, show } from '../../constructs/core/errors';
import type { MetricThreshold, Thresholds } from './config';

/**
 * Decimal places a score is rounded to before it is compared and shown, so that a mean such as
 * `3.9999999999999996` counts (and reads) as `4`.
 */
export const SCORE_DECIMALS = 6;

/**
 * What the gate decided for one metric.
 *
 * - `pass`: gated, present, within its threshold.
 * - `fail`: required, present, outside its threshold. Blocks.
 * - `warn`: not required, present, outside its threshold. Reported, does not block.
 * - `missing`: required, no score. Blocks.
 * - `not-measured`: not required, no score. Reported, does not block.
 * - `not-gated`: a score with no threshold. Listed for information.
 */
export type GateOutcome = 'pass' | 'fail' | 'warn' | 'missing' | 'not-measured' | 'not-gated';

/** Outcomes that fail the gate. */
export const BLOCKING_OUTCOMES: readonly GateOutcome[] = ['fail', 'missing'];

/** One line of the gate's report. */
export interface GateRow {
  /** Metric name. */
  readonly metric: string;
  /** The score, rounded to {@link SCORE_DECIMALS}; absent when the scores have none for this metric. */
  readonly score?: number;
  /** The threshold; absent for a metric that is not gated. */
  readonly threshold?: MetricThreshold;
  /** What the gate decided. */
  readonly outcome: GateOutcome;
}

/** The gate's verdict. */
export interface GateResult {
  /** True when no row is `fail` or `missing`. */
  readonly passed: boolean;
  /** Gated metrics in threshold order, then metrics that are not gated in name order. */
  readonly rows: readonly GateRow[];
  /** How many rows have each outcome. */
  readonly counts: Readonly<Record<GateOutcome, number>>;
}

/** Rounds a score the way the gate compares and shows it. */
export function roundScore(score: number): number {
  const factor = 10 ** SCORE_DECIMALS;
  const rounded = Math.round(score * factor) / factor;
  return Object.is(rounded, -0) ? 0 : rounded;
}

/** True when `score` is within `threshold` (`min`: score >= value; `max`: score <= value; equality passes). */
export function meetsThreshold(score: number, threshold: MetricThreshold): boolean {
  return threshold.direction === 'min' ? score >= threshold.value : score <= threshold.value;
}

function validateThresholds(thresholds: Thresholds): void {
  const problems = new Problems('thresholds');
  for (const [metric, t] of Object.entries(thresholds)) {
    problems.check(
      Number.isFinite(t.value), // false for anything that is not a number (no coercion, unlike isFinite)
      `${metric}.value`,
      `${show(t.value)} must be a finite number`,
    );
    problems.check(
      t.direction === 'min' || t.direction === 'max',
      `${metric}.direction`,
      `${show(t.direction)} must be "min" or "max"`,
    );
    problems.check(
      typeof t.required === 'boolean',
      `${metric}.required`,
      `${show(t.required)} must be true or false`,
    );
  }
  problems.throwIfAny('Invalid evaluation thresholds');
}

/**
 * Compares scores with an environment's thresholds.
 *
 * A required metric that misses its threshold or has no score fails the gate; a non-required one that misses
 * is a warning and one without a score is reported as not measured. Scores without a threshold are listed as
 * not gated. Pure: no I/O, no clock.
 *
 * @throws ValidationError when a threshold is malformed (value not finite, unknown direction)
 */
export function evaluateGate(thresholds: Thresholds, scores: Readonly<Record<string, number>>): GateResult {
  validateThresholds(thresholds);
  const rows: GateRow[] = [];
  for (const [metric, threshold] of Object.entries(thresholds)) {
    const raw = Object.hasOwn(scores, metric) ? scores[metric] : undefined;
    if (raw === undefined) {
      rows.push({ metric, threshold, outcome: threshold.required ? 'missing' : 'not-measured' });
      continue;
    }
    const score = roundScore(raw);
    const outcome = meetsThreshold(score, threshold) ? 'pass' : threshold.required ? 'fail' : 'warn';
    rows.push({ metric, score, threshold, outcome });
  }
  const ungated = Object.keys(scores)
    .filter((metric) => !Object.hasOwn(thresholds, metric))
    .sort();
  for (const metric of ungated)
    rows.push({ metric, score: roundScore(scores[metric]!), outcome: 'not-gated' });

  const counts: Record<GateOutcome, number> = {
    pass: 0,
    fail: 0,
    warn: 0,
    missing: 0,
    'not-measured': 0,
    'not-gated': 0,
  };
  for (const row of rows) counts[row.outcome]++;
  return { passed: counts.fail === 0 && counts.missing === 0, rows, counts };
}

/** Formats a number for the report: up to {@link SCORE_DECIMALS} decimals, no trailing zeros. */
export function formatNumber(value: number): string {
  return String(roundScore(value));
}

/** One sentence per blocking or warning row, e.g. `groundedness 3.2 is below the minimum 4 (required)`. */
export function describeRow(row: GateRow): string {
  const t = row.threshold;
  switch (row.outcome) {
    case 'fail':
    case 'warn': {
      const bound = t!.direction === 'min' ? 'below the minimum' : 'above the maximum';
      const kind = row.outcome === 'fail' ? 'required' : 'not required';
      return `${row.metric} ${formatNumber(row.score!)} is ${bound} ${formatNumber(t!.value)} (${kind})`;
    }
    case 'missing':
      return `${row.metric} has no score (required)`;
    case 'not-measured':
      return `${row.metric} has no score (not required)`;
    case 'pass':
      return `${row.metric} ${formatNumber(row.score!)} is within ${t!.direction} ${formatNumber(t!.value)}`;
    case 'not-gated':
      return `${row.metric} ${formatNumber(row.score!)} has no threshold`;
  }
}

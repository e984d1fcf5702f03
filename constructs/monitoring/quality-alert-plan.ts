/**
 * What answer-quality alerts `QualityAlerts` creates, planned without building them: their kinds, keys, KQL
 * and rule settings, with every problem at props paths. Free of cdktf, so the environment config validation
 * plans the same alerts and reports the same problems.
 */
import { type Problems, ValidationError } from '../core/errors';
import type { QualityAlertsProps } from './quality-alerts';
import { metricFacts, QUALITY_METRICS } from './quality-contract';
import { belowThresholdQuery, driftQuery, type QualityAlertQuery } from './quality-queries';

/** The two answer-quality alerts each metric gets. */
export const QUALITY_ALERT_KINDS = ['below-threshold', 'drift'] as const;
/** One of {@link QUALITY_ALERT_KINDS}. */
export type QualityAlertKind = (typeof QUALITY_ALERT_KINDS)[number];

/** Stable key of a quality alert, e.g. `quality-groundedness-below-threshold`: construct id and config override key. */
export function qualityAlertKey(metric: string, kind: QualityAlertKind): string {
  return `quality-${metric}-${kind}`;
}

/** One quality alert rule to build, as {@link planQualityAlerts} plans it. */
export interface PlannedQualityAlert {
  /** {@link qualityAlertKey} of the rule. */
  readonly key: string;
  /** The metric (`gen_ai.evaluation.name`). */
  readonly metric: string;
  /** Below threshold or drift. */
  readonly kind: QualityAlertKind;
  /** The KQL and matching rule settings. */
  readonly query: QualityAlertQuery;
  /** Display name of the rule. */
  readonly displayName: string;
  /** Description of the rule. */
  readonly description: string;
}

function isBuiltIn(metric: string): boolean {
  return (QUALITY_METRICS as readonly string[]).includes(metric);
}

function hasDrift(metric: string): boolean {
  return isBuiltIn(metric) || metricFacts(metric)?.kind === 'safety';
}

/** `Quality`, `Safety`, `Latency`, `Cost` or `Tokens`: the family a rule's display name starts with. */
function family(metric: string): string {
  const kind = metricFacts(metric)?.kind ?? 'quality';
  return kind.charAt(0).toUpperCase() + kind.slice(1);
}

/** Builder option fields that are the same for every metric, with the props path each is reported at (once). */
const SHARED_PATHS: Readonly<Record<string, string>> = {
  window: 'window',
  recentWindow: 'window',
  evaluationFrequency: 'window',
  minSamples: 'minSamples',
  environment: 'environment',
  sources: 'environment',
  baselineWindow: 'drift.baselineWindow',
  maxDrop: 'drift.maxDrop',
};

/** Where a drift builder's `maxDrop` problem belongs: the safety tolerance for defect rates. */
function driftPaths(metric: string): Readonly<Record<string, string>> {
  return metricFacts(metric)?.kind === 'safety'
    ? { ...SHARED_PATHS, maxDrop: 'drift.maxDefectRateRise' }
    : SHARED_PATHS;
}

/**
 * Runs a query builder, moving its problems to props paths: shared options (window, drift settings) once at
 * their own path, threshold problems under `metricPath`. Undefined when the builder reported any problem.
 */
function build(
  problems: Problems,
  seen: Set<string>,
  metricPath: string,
  builder: () => QualityAlertQuery,
  paths: Readonly<Record<string, string>> = SHARED_PATHS,
): QualityAlertQuery | undefined {
  try {
    return builder();
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    const reported = new Set<string>();
    for (const p of e.problems) {
      const shared = paths[p.path.split('.')[0] ?? ''];
      let path = shared ?? metricPath;
      if (!shared && p.path === 'threshold') path = `${metricPath}.value`;
      if (!shared && (p.path === 'threshold.direction' || p.path === 'direction'))
        path = `${metricPath}.direction`;
      // A shared option is wrong for every metric: report it for the first metric only.
      if (shared && seen.has(path)) continue;
      const id = `${path}\u0000${p.message}`;
      if (seen.has(id)) continue;
      seen.add(id);
      if (shared) reported.add(path);
      problems.add(path, p.message);
    }
    for (const path of reported) seen.add(path);
    return undefined;
  }
}

/**
 * The rules {@link QualityAlerts} creates, before settings apply, reporting problems at props paths
 * (`window`, `drift.maxDrop`, `thresholds.<metric>.value`, ...). Exported for config validation, which
 * reports the same problems at the config's paths.
 */
export function planQualityAlerts(
  problems: Problems,
  props: Omit<QualityAlertsProps, 'resourceGroup' | 'workspace' | 'actionGroup' | 'nameSuffix' | 'settings'>,
): PlannedQualityAlert[] {
  const window = props.window ?? 'PT6H';
  const minSamples = props.minSamples ?? 3;
  const filters = { environment: props.environment, minSamples, sources: ['continuous'] as const };
  const seen = new Set<string>();
  const planned: PlannedQualityAlert[] = [];
  for (const [metric, threshold] of Object.entries(props.thresholds)) {
    const query = build(problems, seen, `thresholds.${metric}`, () =>
      belowThresholdQuery(metric, threshold, { ...filters, window }),
    );
    if (!query) continue;
    const word = threshold.direction === 'max' ? 'above' : 'below';
    planned.push({
      key: qualityAlertKey(metric, 'below-threshold'),
      metric,
      kind: 'below-threshold',
      query,
      displayName: `${family(metric)}: ${metric} ${word} ${threshold.value}`,
      description:
        `Mean ${metric} of a deployment/variant over ${window} is ${word} the release threshold ${threshold.value} ` +
        `(at least ${minSamples} scores from continuous evaluation).`,
    });
  }
  if (props.drift === false) return planned;
  const drift = props.drift ?? {};
  const driftMetrics = drift.metrics ?? Object.keys(props.thresholds).filter(hasDrift);
  const baselineWindow = drift.baselineWindow ?? 'P1D';
  for (const metric of driftMetrics) {
    const safety = metricFacts(metric)?.kind === 'safety';
    const maxDrop = safety ? (drift.maxDefectRateRise ?? 0.02) : (drift.maxDrop ?? 0.5);
    const direction = props.thresholds[metric]?.direction ?? 'min';
    const query = build(
      problems,
      seen,
      `thresholds.${metric}`,
      () => driftQuery(metric, { ...filters, recentWindow: window, baselineWindow, maxDrop, direction }),
      driftPaths(metric),
    );
    if (!query) continue;
    planned.push({
      key: qualityAlertKey(metric, 'drift'),
      metric,
      kind: 'drift',
      query,
      displayName: `${family(metric)}: ${metric} drifted`,
      description: safety
        ? `Defect rate ${metric} of a deployment/variant over the last ${window} rose by more than ${maxDrop} ` +
          `against the ${baselineWindow} before it.`
        : `Mean ${metric} of a deployment/variant over the last ${window} worsened by more than ${maxDrop} points ` +
          `against the ${baselineWindow} before it.`,
    });
  }
  return planned;
}

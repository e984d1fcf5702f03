import { Problems, show } from '../core/errors';
import { durationMinutes } from './baseline-catalog';
import { kqlProperty, kqlString } from './kql';
import {
  metricFacts,
  QUALITY_EVENT_NAME,
  QUALITY_METRICS,
  QUALITY_SOURCES,
  QUALITY_TABLE,
  QualityFields,
  type QualityMetric,
  type QualitySource,
} from './quality-contract';

/**
 * KQL builders for answer-quality alerts over the quality contract (`quality-contract.ts`), and an
 * introspection helper that proves a query reads only contract names.
 *
 * Each builder returns the query and the scheduled query rule (v2) settings that match it, so the rule's
 * window and the query's `ago()` can never disagree. The query returns one row per failing
 * deployment/variant pair; the rule counts rows:
 *
 * | `azurerm_monitor_scheduled_query_rules_alert_v2` | value |
 * | --- | --- |
 * | `criteria.query` | `kql` |
 * | `criteria.time_aggregation_method` | `Count` (no `metric_measure_column`) |
 * | `criteria.operator` / `criteria.threshold` | `GreaterThan` / `0` |
 * | `criteria.dimension` | `deployment` and `variant`, `Include` `['*']`: one alert per pair |
 * | `criteria.failing_periods` | 1 of 1 (the queries project no timestamp column) |
 * | `window_duration` | `rule.windowDuration` |
 * | `evaluation_frequency` | `rule.evaluationFrequency` |
 * | `query_time_range_override` | `rule.queryTimeRangeOverride` (drift only) |
 *
 * Counting failing rows, rather than `metric_measure_column = "meanScore"` with `LessThan`, keeps the
 * pass/fail rule (including `minSamples` and the threshold direction) in one readable place, and lets the
 * workbook show the same query as "what is failing now".
 *
 * @see https://registry.terraform.io/providers/hashicorp/azurerm/4.55.0/docs/resources/monitor_scheduled_query_rules_alert_v2
 */

/** Tables quality queries may read: only the contract's table. */
export const QUALITY_QUERY_TABLES: readonly string[] = [QUALITY_TABLE];

/** Scale of the built-in quality metrics (Azure AI evaluators): 1 to 5, higher is better. */
export const QUALITY_SCORE_SCALE = { min: 1, max: 5 } as const;

/**
 * Which way a score must go, as in the release gate's thresholds: `min` (the threshold is a floor, higher
 * is better) or `max` (the threshold is a ceiling, e.g. a defect rate).
 */
export type QualityThresholdDirection = 'min' | 'max';

/** A threshold with its direction; structurally the release gate's `MetricThreshold` fits. */
export interface QualityThreshold {
  /** The bound. Equality passes. */
  readonly value: number;
  /** Which way the score must go. */
  readonly direction: QualityThresholdDirection;
}

/**
 * Windows a quality query may cover: the `window_duration` values azurerm accepts when the evaluation
 * frequency is not `PT1M` (one-minute evaluation is pointless for evaluation scores).
 */
export const QUALITY_WINDOWS = [
  'PT5M',
  'PT10M',
  'PT15M',
  'PT30M',
  'PT45M',
  'PT1H',
  'PT2H',
  'PT3H',
  'PT4H',
  'PT5H',
  'PT6H',
  'P1D',
  'P2D',
] as const;
/** One of {@link QUALITY_WINDOWS}. */
export type QualityWindow = (typeof QUALITY_WINDOWS)[number];

/** `evaluation_frequency` values azurerm accepts, without `PT1M`. */
export const QUALITY_EVALUATION_FREQUENCIES = [
  'PT5M',
  'PT10M',
  'PT15M',
  'PT30M',
  'PT45M',
  'PT1H',
  'PT2H',
  'PT3H',
  'PT4H',
  'PT5H',
  'PT6H',
  'P1D',
] as const;
/** One of {@link QUALITY_EVALUATION_FREQUENCIES}. */
export type QualityEvaluationFrequency = (typeof QUALITY_EVALUATION_FREQUENCIES)[number];

/** `query_time_range_override` values azurerm accepts; the longest (`P2D`) bounds a drift query. */
export const QUERY_TIME_RANGES = [
  'PT5M',
  'PT10M',
  'PT15M',
  'PT20M',
  'PT30M',
  'PT45M',
  'PT1H',
  'PT2H',
  'PT3H',
  'PT4H',
  'PT5H',
  'PT6H',
  'P1D',
  'P2D',
] as const;
/** One of {@link QUERY_TIME_RANGES}. */
export type QueryTimeRange = (typeof QUERY_TIME_RANGES)[number];

/** Filters every quality query takes. */
export interface QualityFilterOptions {
  /**
   * Only scores of this environment (`llmops.environment`); set it when workspaces are shared.
   * @default every environment in the workspace
   */
  readonly environment?: string;
  /**
   * Score sources to read. CI scores belong to the release gate, so alerts read production scores only.
   * @default ['continuous']
   */
  readonly sources?: readonly QualitySource[];
  /**
   * Fewest scores a deployment/variant pair needs in a window before it can fail; guards against alerting on
   * one bad answer.
   * @default 1
   */
  readonly minSamples?: number;
  /**
   * How often the rule runs (`evaluation_frequency`); at most the window.
   * @default the window, capped at PT1H
   */
  readonly evaluationFrequency?: QualityEvaluationFrequency;
}

/** Options of {@link belowThresholdQuery}. */
export interface BelowThresholdOptions extends QualityFilterOptions {
  /** Window the mean covers; also the rule's `window_duration`. */
  readonly window: QualityWindow;
}

/** Options of {@link driftQuery}. */
export interface DriftOptions extends QualityFilterOptions {
  /** The recent window whose mean is compared; also the rule's `window_duration`. */
  readonly recentWindow: QualityWindow;
  /** The baseline window right before the recent one. At least as long as `recentWindow`. */
  readonly baselineWindow: QualityWindow;
  /**
   * Largest tolerated worsening of the mean, in absolute score points (0.5 on the 1-5 scale is half a point).
   * Absolute points, not percent: on a 1-5 scale a percentage depends on the scale's offset.
   */
  readonly maxDrop: number;
  /**
   * Which way is better for the metric. Built-in metrics are `min` (higher is better).
   * @default 'min'
   */
  readonly direction?: QualityThresholdDirection;
}

/** The scheduled query rule (v2) settings a quality query needs; see the module documentation. */
export interface ScheduledQueryRuleSettings {
  /** `window_duration`. */
  readonly windowDuration: QualityWindow;
  /** `evaluation_frequency`. */
  readonly evaluationFrequency: QualityEvaluationFrequency;
  /** `query_time_range_override`, when the query looks back further than the window. */
  readonly queryTimeRangeOverride?: QueryTimeRange;
  /** `criteria.time_aggregation_method`. */
  readonly timeAggregationMethod: 'Count';
  /** `criteria.operator`. */
  readonly operator: 'GreaterThan';
  /** `criteria.threshold`. */
  readonly threshold: 0;
  /** Columns to split alerts by (`criteria.dimension`, `Include` `['*']`). */
  readonly dimensions: readonly string[];
  /** `criteria.failing_periods`. */
  readonly failingPeriods: {
    readonly numberOfEvaluationPeriods: 1;
    readonly minimumFailingPeriodsToTriggerAlert: 1;
  };
}

/** A quality alert query with its matching rule settings. */
export interface QualityAlertQuery {
  /** The KQL, multi-line, deterministic for the same inputs. */
  readonly kql: string;
  /** The rule settings that match the query's look-back. */
  readonly rule: ScheduledQueryRuleSettings;
}

/** Columns quality alert queries split by. */
export const QUALITY_ALERT_DIMENSIONS = ['deployment', 'variant'] as const;

const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,99}$/;

function isBuiltIn(metric: string): metric is QualityMetric {
  return (QUALITY_METRICS as readonly string[]).includes(metric);
}

/** `PT1H` -> `1h`, `P1D` -> `1d`, `PT30M` -> `30m`. */
function kqlTimespan(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}

function minutesOf(duration: string): number {
  return durationMinutes(duration) ?? Number.NaN;
}

function kqlNumber(value: number): string {
  return String(value);
}

function checkMetric(problems: Problems, metric: string): void {
  problems.check(
    typeof metric === 'string' && NAME_PATTERN.test(metric),
    'metric',
    `${show(metric)} is not a metric name: start with a letter, then letters, digits, '_', '.', '-' (at most 100)`,
  );
}

function checkFilters(problems: Problems, options: QualityFilterOptions): void {
  if (options.environment !== undefined) {
    problems.check(
      typeof options.environment === 'string' && NAME_PATTERN.test(options.environment),
      'environment',
      `${show(options.environment)} is not an environment name: letters, digits, '_', '.', '-'`,
    );
  }
  const sources = options.sources ?? ['continuous'];
  problems.check(sources.length > 0, 'sources', `[] must name at least one of ${QUALITY_SOURCES.join(', ')}`);
  sources.forEach((source, i) => {
    problems.check(
      (QUALITY_SOURCES as readonly string[]).includes(source),
      `sources[${i}]`,
      `${show(source)} is not a score source (allowed: ${QUALITY_SOURCES.join(', ')})`,
    );
  });
  const minSamples = options.minSamples ?? 1;
  problems.check(
    Number.isInteger(minSamples) && minSamples >= 1,
    'minSamples',
    `${show(minSamples)} must be a whole number of at least 1`,
  );
}

function checkWindow(problems: Problems, path: string, window: string): boolean {
  return problems.check(
    (QUALITY_WINDOWS as readonly string[]).includes(window),
    path,
    `${show(window)} is not an allowed window (allowed: ${QUALITY_WINDOWS.join(', ')})`,
  );
}

function frequencyFor(
  problems: Problems,
  window: QualityWindow,
  requested: QualityEvaluationFrequency | undefined,
): QualityEvaluationFrequency {
  const fallback: QualityEvaluationFrequency =
    minutesOf(window) <= 60 ? (window as QualityEvaluationFrequency) : 'PT1H';
  if (requested === undefined) return fallback;
  if (!(QUALITY_EVALUATION_FREQUENCIES as readonly string[]).includes(requested)) {
    problems.add(
      'evaluationFrequency',
      `${show(requested)} is not an allowed frequency (allowed: ${QUALITY_EVALUATION_FREQUENCIES.join(', ')})`,
    );
    return fallback;
  }
  if (minutesOf(requested) > minutesOf(window)) {
    problems.add(
      'evaluationFrequency',
      `${requested} is longer than the window ${window}: must be at most the window`,
    );
  }
  return requested;
}

function checkDirection(problems: Problems, metric: string, path: string, direction: unknown): void {
  const facts = metricFacts(metric);
  if (direction !== 'min' && direction !== 'max') {
    problems.add(path, `${show(direction)} must be "min" (higher is better) or "max" (lower is better)`);
  } else if (isBuiltIn(metric) && direction !== 'min') {
    problems.add(path, `"max": ${metric} is higher-is-better on the 1-5 scale; its direction must be "min"`);
  } else if (facts && facts.kind !== 'quality' && direction !== facts.direction) {
    problems.add(
      path,
      `"${direction}": ${metric} is lower-is-better (${facts.kind}); its direction must be "max"`,
    );
  }
}

/** Whether `metric` is a content-safety defect rate (0 to 1, lower is better). */
function isDefectRate(metric: string): boolean {
  return metricFacts(metric)?.kind === 'safety';
}

/** The filter and projection lines every quality query starts with, after the table. */
function scoreLines(metric: string, lookback: string, options: QualityFilterOptions): string[] {
  const sources = options.sources ?? ['continuous'];
  const lines = [
    QUALITY_TABLE,
    `| where TimeGenerated > ago(${lookback})`,
    `| where Name == ${kqlString(QUALITY_EVENT_NAME)}`,
    `| where ${kqlProperty(QualityFields.metric)} == ${kqlString(metric)}`,
    `| where ${kqlProperty(QualityFields.source)} in (${sources.map(kqlString).join(', ')})`,
  ];
  if (options.environment !== undefined) {
    lines.push(`| where ${kqlProperty(QualityFields.environment)} == ${kqlString(options.environment)}`);
  }
  lines.push(
    `| extend score = todouble(Measurements[${kqlString(QualityFields.score)}])`,
    '| where isnotnull(score)',
    `| extend deployment = ${kqlProperty(QualityFields.deployment)}, variant = ${kqlProperty(QualityFields.variant)}`,
  );
  return lines;
}

const SINGLE_PERIOD = { numberOfEvaluationPeriods: 1, minimumFailingPeriodsToTriggerAlert: 1 } as const;

/**
 * Mean score of one metric per deployment and variant over the window, returning the pairs that fail the
 * threshold: mean below the floor for `min` thresholds (a plain number is a `min` threshold), mean above the
 * ceiling for `max` thresholds. Equality passes, as in the release gate.
 *
 * @param metric value of `gen_ai.evaluation.name`: a built-in metric (1-5 scale) or a custom evaluator name
 * @throws ValidationError naming the field, the value and what is allowed
 */
export function belowThresholdQuery(
  metric: string,
  threshold: number | QualityThreshold,
  options: BelowThresholdOptions,
): QualityAlertQuery {
  const problems = new Problems();
  const bound: QualityThreshold =
    typeof threshold === 'number' ? { value: threshold, direction: 'min' } : threshold;
  checkMetric(problems, metric);
  checkFilters(problems, options);
  checkDirection(problems, metric, 'threshold.direction', bound.direction);
  if (typeof bound.value !== 'number' || !Number.isFinite(bound.value)) {
    problems.add('threshold', `${show(bound.value)} is not a number`);
  } else if (
    isBuiltIn(metric) &&
    (bound.value < QUALITY_SCORE_SCALE.min || bound.value > QUALITY_SCORE_SCALE.max)
  ) {
    problems.add(
      'threshold',
      `${bound.value} is outside the 1-5 scale of ${metric}: must be between 1 and 5`,
    );
  } else if (isDefectRate(metric) && (bound.value < 0 || bound.value > 1)) {
    problems.add(
      'threshold',
      `${bound.value} is outside the 0-1 range of the defect rate ${metric}: must be between 0 and 1`,
    );
  }
  const windowOk = checkWindow(problems, 'window', options.window);
  const evaluationFrequency = windowOk
    ? frequencyFor(problems, options.window, options.evaluationFrequency)
    : 'PT1H';
  problems.throwIfAny(`Invalid quality threshold query for ${show(metric)}`);

  const failing = bound.direction === 'min' ? '<' : '>';
  const kql = [
    ...scoreLines(metric, kqlTimespan(minutesOf(options.window)), options),
    `| summarize meanScore = avg(score), samples = count() by ${QUALITY_ALERT_DIMENSIONS.join(', ')}`,
    `| where samples >= ${options.minSamples ?? 1} and meanScore ${failing} ${kqlNumber(bound.value)}`,
  ].join('\n');
  return {
    kql,
    rule: {
      windowDuration: options.window,
      evaluationFrequency,
      timeAggregationMethod: 'Count',
      operator: 'GreaterThan',
      threshold: 0,
      dimensions: QUALITY_ALERT_DIMENSIONS,
      failingPeriods: SINGLE_PERIOD,
    },
  };
}

/**
 * Recent mean of one metric against the mean of the baseline window right before it, per deployment and
 * variant, returning the pairs whose mean worsened by more than `maxDrop` score points.
 *
 * `degradation` is `baselineMean - recentMean` for `min` metrics (higher is better) and
 * `recentMean - baselineMean` for `max` metrics; a pair fails when `degradation > maxDrop` and both windows
 * hold at least `minSamples` scores. The query looks back `recentWindow + baselineWindow`, so the rule gets
 * a `query_time_range_override` of the shortest allowed range covering it (at most P2D).
 *
 * @throws ValidationError naming the field, the value and what is allowed
 */
export function driftQuery(metric: string, options: DriftOptions): QualityAlertQuery {
  const problems = new Problems();
  const direction = options.direction ?? 'min';
  checkMetric(problems, metric);
  checkFilters(problems, options);
  checkDirection(problems, metric, 'direction', direction);
  const recentOk = checkWindow(problems, 'recentWindow', options.recentWindow);
  const baselineOk = checkWindow(problems, 'baselineWindow', options.baselineWindow);
  const recent = minutesOf(options.recentWindow);
  const baseline = minutesOf(options.baselineWindow);
  const total = recent + baseline;
  let range: QueryTimeRange | undefined;
  if (recentOk && baselineOk) {
    problems.check(
      baseline >= recent,
      'baselineWindow',
      `${options.baselineWindow} is shorter than recentWindow ${options.recentWindow}: the baseline must be at least as long`,
    );
    range = QUERY_TIME_RANGES.find((r) => minutesOf(r) >= total);
    problems.check(
      range !== undefined,
      'baselineWindow',
      `${options.recentWindow} + ${options.baselineWindow} = ${kqlTimespan(total)} is longer than a rule can query: ` +
        'recentWindow + baselineWindow must be at most P2D (48h)',
    );
  }
  const maxSpan = QUALITY_SCORE_SCALE.max - QUALITY_SCORE_SCALE.min;
  if (typeof options.maxDrop !== 'number' || !Number.isFinite(options.maxDrop) || options.maxDrop <= 0) {
    problems.add('maxDrop', `${show(options.maxDrop)} must be a number greater than 0 (score points)`);
  } else if (isBuiltIn(metric) && options.maxDrop >= maxSpan) {
    problems.add(
      'maxDrop',
      `${options.maxDrop} can never be exceeded on the 1-5 scale of ${metric}: must be less than ${maxSpan}`,
    );
  } else if (isDefectRate(metric) && options.maxDrop >= 1) {
    problems.add(
      'maxDrop',
      `${options.maxDrop} can never be exceeded by the defect rate ${metric} (0-1): must be less than 1`,
    );
  }
  const evaluationFrequency = recentOk
    ? frequencyFor(problems, options.recentWindow, options.evaluationFrequency)
    : 'PT1H';
  problems.throwIfAny(`Invalid quality drift query for ${show(metric)}`);

  const minSamples = options.minSamples ?? 1;
  const degradation = direction === 'min' ? 'baselineMean - recentMean' : 'recentMean - baselineMean';
  const lines = scoreLines(metric, kqlTimespan(total), options);
  lines.push(
    `| extend inRecent = TimeGenerated > ago(${kqlTimespan(recent)})`,
    '| summarize',
    '    recentMean = avgif(score, inRecent),',
    '    recentSamples = countif(inRecent),',
    '    baselineMean = avgif(score, not(inRecent)),',
    '    baselineSamples = countif(not(inRecent))',
    `    by ${QUALITY_ALERT_DIMENSIONS.join(', ')}`,
    `| where recentSamples >= ${minSamples} and baselineSamples >= ${minSamples}`,
    `| extend degradation = ${degradation}`,
    `| where degradation > ${kqlNumber(options.maxDrop)}`,
  );
  return {
    kql: lines.join('\n'),
    rule: {
      windowDuration: options.recentWindow,
      evaluationFrequency,
      queryTimeRangeOverride: range,
      timeAggregationMethod: 'Count',
      operator: 'GreaterThan',
      threshold: 0,
      dimensions: QUALITY_ALERT_DIMENSIONS,
      failingPeriods: SINGLE_PERIOD,
    },
  };
}

/** Names a KQL query references, as found by {@link referencedNames}. Each list is sorted and de-duplicated. */
export interface ReferencedNames {
  /** Tables a statement starts from, or that a `join`, `union` or `lookup` reads. */
  readonly tables: readonly string[];
  /** Values compared with `Name ==`. */
  readonly eventNames: readonly string[];
  /** Keys read as `Properties["..."]`. */
  readonly properties: readonly string[];
  /** Keys read as `Measurements["..."]`. */
  readonly measurements: readonly string[];
  /** Arguments of every `ago(...)`, e.g. `1h`. */
  readonly lookbacks: readonly string[];
}

function collect(text: string, pattern: RegExp): string[] {
  return [...new Set([...text.matchAll(pattern)].map((m) => m[1]))].sort();
}

/**
 * Lists the tables, event names, property keys, measurement keys and look-backs a query references.
 *
 * A light scanner, not a KQL parser, made for the queries of this project: comments are ignored, a table is
 * the first word of a statement (statements split on `;`, `let` statements skipped) or the word after
 * `join`/`union`/`lookup` (and an optional `kind=...` and `(`), and fields must be read with bracket access
 * (`Properties["gen_ai.evaluation.name"]`), which the names' dots require anyway.
 */
export function referencedNames(kql: string): ReferencedNames {
  const text = kql.replace(/\/\/[^\n]*/g, '');
  const tables = new Set<string>();
  for (const statement of text.split(';')) {
    const first = /^\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(statement);
    if (first && first[1] !== 'let') tables.add(first[1]);
  }
  for (const m of text.matchAll(
    /\b(?:join|union|lookup)\b(?:\s+kind\s*=\s*\w+)?\s*\(?\s*([A-Za-z_][A-Za-z0-9_]*)/g,
  )) {
    tables.add(m[1]);
  }
  return {
    tables: [...tables].sort(),
    eventNames: collect(text, /\bName\s*==\s*"([^"]*)"/g),
    properties: collect(text, /\bProperties\s*\[\s*"([^"]*)"\s*\]/g),
    measurements: collect(text, /\bMeasurements\s*\[\s*"([^"]*)"\s*\]/g),
    lookbacks: collect(text, /\bago\(\s*([^)]*?)\s*\)/g),
  };
}

const CONTRACT_PROPERTIES: readonly string[] = Object.entries(QualityFields)
  .filter(([field]) => field !== 'score')
  .map(([, name]) => name);

/**
 * What in a query is outside the quality contract: tables other than {@link QUALITY_QUERY_TABLES}, event
 * names other than the contract's, property or measurement keys the contract does not define. Empty when the
 * query reads only contract names.
 */
export function contractViolations(kql: string): string[] {
  const names = referencedNames(kql);
  return [
    ...names.tables.filter((t) => !QUALITY_QUERY_TABLES.includes(t)).map((t) => `table ${t}`),
    ...names.eventNames.filter((n) => n !== QUALITY_EVENT_NAME).map((n) => `event name ${show(n)}`),
    ...names.properties.filter((p) => !CONTRACT_PROPERTIES.includes(p)).map((p) => `property ${show(p)}`),
    ...names.measurements.filter((m) => m !== QualityFields.score).map((m) => `measurement ${show(m)}`),
  ];
}

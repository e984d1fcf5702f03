import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '../../constructs/core/errors';
import {
  QUALITY_EVENT_NAME,
  QUALITY_METRICS,
  QUALITY_TABLE,
  QualityFields,
} from '../../constructs/monitoring/quality-contract';
import {
  belowThresholdQuery,
  contractViolations,
  driftQuery,
  QUALITY_QUERY_TABLES,
  QUALITY_WINDOWS,
  QUERY_TIME_RANGES,
  referencedNames,
} from '../../constructs/monitoring/quality-queries';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  throw new Error('expected a ValidationError');
}

const CONTRACT_PROPERTY_KEYS: readonly string[] = Object.entries(QualityFields)
  .filter(([field]) => field !== 'score')
  .map(([, name]) => name);

describe('belowThresholdQuery', () => {
  test('builds a readable query over the contract for a minimum threshold', () => {
    // WHEN
    const { kql } = belowThresholdQuery('groundedness', 4, { window: 'PT1H' });
    // THEN
    expect(kql).toBe(
      [
        'AppEvents',
        '| where TimeGenerated > ago(1h)',
        '| where Name == "gen_ai.evaluation.result"',
        '| where tostring(Properties["gen_ai.evaluation.name"]) == "groundedness"',
        '| where tostring(Properties["llmops.evaluation.source"]) in ("continuous")',
        '| extend score = todouble(Measurements["gen_ai.evaluation.score.value"])',
        '| where isnotnull(score)',
        '| extend deployment = tostring(Properties["gen_ai.request.model"]), variant = tostring(Properties["llmops.variant"])',
        '| summarize meanScore = avg(score), samples = count() by deployment, variant',
        '| where samples >= 1 and meanScore < 4',
      ].join('\n'),
    );
  });

  test('returns the rule settings that count failing rows per deployment and variant', () => {
    const { rule } = belowThresholdQuery('groundedness', 4, { window: 'PT1H' });
    expect(rule).toEqual({
      windowDuration: 'PT1H',
      evaluationFrequency: 'PT1H',
      timeAggregationMethod: 'Count',
      operator: 'GreaterThan',
      threshold: 0,
      dimensions: ['deployment', 'variant'],
      failingPeriods: { numberOfEvaluationPeriods: 1, minimumFailingPeriodsToTriggerAlert: 1 },
    });
  });

  test.each(QUALITY_WINDOWS)('looks back exactly the rule window %s', (window) => {
    // GIVEN / WHEN
    const { kql, rule } = belowThresholdQuery('relevance', 3.5, { window });
    // THEN one ago(), equal to the window the rule evaluates
    const [lookback] = referencedNames(kql).lookbacks;
    expect(referencedNames(kql).lookbacks).toHaveLength(1);
    expect(rule.windowDuration).toBe(window);
    expect(toMinutes(lookback)).toBe(isoMinutes(window));
    // and the rule runs at most as often as its window, at least hourly
    expect(isoMinutes(rule.evaluationFrequency)).toBe(Math.min(isoMinutes(window), 60));
  });

  test('flags means above the ceiling for a max-direction metric', () => {
    const { kql } = belowThresholdQuery(
      'violence_defect_rate',
      { value: 0.02, direction: 'max' },
      { window: 'P1D' },
    );
    expect(kql).toContain('| where samples >= 1 and meanScore > 0.02');
    expect(kql).toContain('== "violence_defect_rate"');
  });

  test('filters on environment, sources and sample count when given', () => {
    const { kql, rule } = belowThresholdQuery('coherence', 4, {
      window: 'PT6H',
      environment: 'prod',
      sources: ['continuous', 'ci'],
      minSamples: 20,
      evaluationFrequency: 'PT30M',
    });
    expect(kql).toContain('| where tostring(Properties["llmops.environment"]) == "prod"');
    expect(kql).toContain('| where tostring(Properties["llmops.evaluation.source"]) in ("continuous", "ci")');
    expect(kql).toContain('| where samples >= 20 and meanScore < 4');
    expect(rule.evaluationFrequency).toBe('PT30M');
  });

  test.each(QUALITY_METRICS)('reads only contract names for %s', (metric) => {
    // GIVEN a query with every optional filter
    const { kql } = belowThresholdQuery(metric, 4, { window: 'PT1H', environment: 'prod' });
    // WHEN
    const names = referencedNames(kql);
    // THEN
    expect(names.tables).toEqual([QUALITY_TABLE]);
    expect(names.eventNames).toEqual([QUALITY_EVENT_NAME]);
    expect(names.measurements).toEqual([QualityFields.score]);
    expect(names.properties.every((p) => CONTRACT_PROPERTY_KEYS.includes(p))).toBe(true);
    expect(contractViolations(kql)).toEqual([]);
  });

  test('is deterministic', () => {
    const options = { window: 'PT1H', environment: 'prod' } as const;
    expect(belowThresholdQuery('fluency', 4, options)).toEqual(belowThresholdQuery('fluency', 4, options));
  });

  test('fails when the metric name could break out of the string', () => {
    expect(problemsOf(() => belowThresholdQuery('x" or 1==1 //', 4, { window: 'PT1H' }))).toEqual([
      `metric: "x\\" or 1==1 //" is not a metric name: start with a letter, then letters, digits, '_', '.', '-' (at most 100)`,
    ]);
  });

  test('fails when a built-in threshold is outside the 1-5 scale', () => {
    expect(problemsOf(() => belowThresholdQuery('groundedness', 6, { window: 'PT1H' }))).toEqual([
      'threshold: 6 is outside the 1-5 scale of groundedness: must be between 1 and 5',
    ]);
  });

  test('fails when the threshold is not a number', () => {
    expect(problemsOf(() => belowThresholdQuery('custom_score', Number.NaN, { window: 'PT1H' }))).toEqual([
      'threshold: NaN is not a number',
    ]);
  });

  test('fails when a built-in metric is given a max direction', () => {
    expect(
      problemsOf(() => belowThresholdQuery('relevance', { value: 4, direction: 'max' }, { window: 'PT1H' })),
    ).toEqual([
      'threshold.direction: "max": relevance is higher-is-better on the 1-5 scale; its direction must be "min"',
    ]);
  });

  test('fails when the direction is unknown', () => {
    const threshold = { value: 1, direction: 'up' as 'min' };
    expect(problemsOf(() => belowThresholdQuery('custom_score', threshold, { window: 'PT1H' }))).toEqual([
      'threshold.direction: "up" must be "min" (higher is better) or "max" (lower is better)',
    ]);
  });

  test('fails when the window is not one a rule accepts', () => {
    const window = 'PT7M' as 'PT5M';
    expect(problemsOf(() => belowThresholdQuery('groundedness', 4, { window }))).toEqual([
      `window: "PT7M" is not an allowed window (allowed: ${QUALITY_WINDOWS.join(', ')})`,
    ]);
  });

  test('fails when the evaluation frequency is longer than the window', () => {
    expect(
      problemsOf(() =>
        belowThresholdQuery('groundedness', 4, { window: 'PT30M', evaluationFrequency: 'PT1H' }),
      ),
    ).toEqual(['evaluationFrequency: PT1H is longer than the window PT30M: must be at most the window']);
  });

  test('fails when the evaluation frequency is not one a rule accepts', () => {
    const evaluationFrequency = 'PT1M' as 'PT5M';
    expect(
      problemsOf(() => belowThresholdQuery('groundedness', 4, { window: 'PT30M', evaluationFrequency })),
    ).toEqual([
      expect.stringMatching(/^evaluationFrequency: "PT1M" is not an allowed frequency \(allowed: PT5M, /),
    ]);
  });

  test('fails when no source is given', () => {
    expect(problemsOf(() => belowThresholdQuery('groundedness', 4, { window: 'PT1H', sources: [] }))).toEqual(
      ['sources: [] must name at least one of ci, continuous'],
    );
  });

  test('fails when a source is unknown', () => {
    const sources = ['prod' as 'ci'];
    expect(problemsOf(() => belowThresholdQuery('groundedness', 4, { window: 'PT1H', sources }))).toEqual([
      'sources[0]: "prod" is not a score source (allowed: ci, continuous)',
    ]);
  });

  test('fails when minSamples is below 1 or fractional', () => {
    expect(
      problemsOf(() => belowThresholdQuery('groundedness', 4, { window: 'PT1H', minSamples: 0 })),
    ).toEqual(['minSamples: 0 must be a whole number of at least 1']);
    expect(
      problemsOf(() => belowThresholdQuery('groundedness', 4, { window: 'PT1H', minSamples: 2.5 })),
    ).toEqual(['minSamples: 2.5 must be a whole number of at least 1']);
  });

  test('fails when the environment name could break out of the string', () => {
    expect(
      problemsOf(() => belowThresholdQuery('groundedness', 4, { window: 'PT1H', environment: 'a"b' })),
    ).toEqual([`environment: "a\\"b" is not an environment name: letters, digits, '_', '.', '-'`]);
  });

  test('reports every problem at once', () => {
    const run = () =>
      belowThresholdQuery('groundedness', 9, { window: 'PT7M' as 'PT5M', minSamples: 0, sources: [] });
    expect(run).toThrow(/Invalid quality threshold query for "groundedness"/);
    expect(problemsOf(run).map((p) => p.split(':')[0])).toEqual([
      'sources',
      'minSamples',
      'threshold',
      'window',
    ]);
  });
});

describe('driftQuery', () => {
  test('compares the recent mean with the baseline window right before it, in absolute score points', () => {
    // WHEN
    const { kql } = driftQuery('relevance', { recentWindow: 'PT6H', baselineWindow: 'P1D', maxDrop: 0.5 });
    // THEN the query reads recent + baseline (30h), splits at the recent window, and fails on a drop > 0.5
    expect(kql.split('\n')).toEqual([
      'AppEvents',
      '| where TimeGenerated > ago(30h)',
      '| where Name == "gen_ai.evaluation.result"',
      '| where tostring(Properties["gen_ai.evaluation.name"]) == "relevance"',
      '| where tostring(Properties["llmops.evaluation.source"]) in ("continuous")',
      '| extend score = todouble(Measurements["gen_ai.evaluation.score.value"])',
      '| where isnotnull(score)',
      '| extend deployment = tostring(Properties["gen_ai.request.model"]), variant = tostring(Properties["llmops.variant"])',
      '| extend inRecent = TimeGenerated > ago(6h)',
      '| summarize',
      '    recentMean = avgif(score, inRecent),',
      '    recentSamples = countif(inRecent),',
      '    baselineMean = avgif(score, not(inRecent)),',
      '    baselineSamples = countif(not(inRecent))',
      '    by deployment, variant',
      '| where recentSamples >= 1 and baselineSamples >= 1',
      '| extend degradation = baselineMean - recentMean',
      '| where degradation > 0.5',
    ]);
  });

  test('is the example docs/alerts.md shows', () => {
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'alerts.md'), 'utf8');
    const { kql } = driftQuery('relevance', { recentWindow: 'PT6H', baselineWindow: 'P1D', maxDrop: 0.5 });
    expect(doc).toContain(`driftQuery('relevance', { recentWindow: 'PT6H',`);
    expect(doc).toContain(`\`\`\`kusto\n${kql}\n\`\`\``);
  });

  test('measures a rise as the degradation of a max-direction metric', () => {
    const { kql } = driftQuery('violence_defect_rate', {
      recentWindow: 'PT1H',
      baselineWindow: 'PT6H',
      maxDrop: 0.01,
      direction: 'max',
    });
    expect(kql).toContain('| extend degradation = recentMean - baselineMean');
    expect(kql).toContain('| where degradation > 0.01');
  });

  test('evaluates the recent window and queries the shortest allowed range covering both windows', () => {
    // GIVEN recent 6h + baseline 1d = 30h, which no allowed range equals
    const { kql, rule } = driftQuery('relevance', {
      recentWindow: 'PT6H',
      baselineWindow: 'P1D',
      maxDrop: 0.5,
    });
    // THEN
    expect(rule).toMatchObject({
      windowDuration: 'PT6H',
      evaluationFrequency: 'PT1H',
      queryTimeRangeOverride: 'P2D',
    });
    expect([...referencedNames(kql).lookbacks].sort()).toEqual(['30h', '6h']);
  });

  test.each([
    ['PT30M', 'PT30M', 'PT1H'],
    ['PT1H', 'PT1H', 'PT2H'],
    ['PT1H', 'PT6H', 'P1D'],
    ['P1D', 'P1D', 'P2D'],
  ] as const)('recent %s + baseline %s is queried over %s', (recentWindow, baselineWindow, range) => {
    const { kql, rule } = driftQuery('coherence', { recentWindow, baselineWindow, maxDrop: 0.3 });
    expect(rule.queryTimeRangeOverride).toBe(range);
    expect(rule.windowDuration).toBe(recentWindow);
    // no look-back of the query exceeds what the rule lets it see, and the recent split is the rule window
    const lookbacks = referencedNames(kql).lookbacks.map(toMinutes);
    expect(Math.max(...lookbacks)).toBe(isoMinutes(recentWindow) + isoMinutes(baselineWindow));
    expect(Math.max(...lookbacks)).toBeLessThanOrEqual(isoMinutes(range));
    expect(Math.min(...lookbacks)).toBe(isoMinutes(recentWindow));
    expect(QUERY_TIME_RANGES).toContain(range);
  });

  test('reads only contract names', () => {
    const { kql } = driftQuery('groundedness', {
      recentWindow: 'PT6H',
      baselineWindow: 'P1D',
      maxDrop: 0.5,
      environment: 'prod',
      sources: ['continuous', 'ci'],
    });
    expect(referencedNames(kql).tables).toEqual([...QUALITY_QUERY_TABLES]);
    expect(contractViolations(kql)).toEqual([]);
  });

  test('fails when the baseline is shorter than the recent window', () => {
    expect(
      problemsOf(() =>
        driftQuery('relevance', { recentWindow: 'P1D', baselineWindow: 'PT6H', maxDrop: 0.5 }),
      ),
    ).toEqual([
      'baselineWindow: PT6H is shorter than recentWindow P1D: the baseline must be at least as long',
    ]);
  });

  test('fails when both windows together exceed what a rule can query', () => {
    expect(
      problemsOf(() => driftQuery('relevance', { recentWindow: 'P1D', baselineWindow: 'P2D', maxDrop: 0.5 })),
    ).toEqual([
      'baselineWindow: P1D + P2D = 3d is longer than a rule can query: recentWindow + baselineWindow must be at most P2D (48h)',
    ]);
  });

  test.each([0, -0.5, Number.POSITIVE_INFINITY])('fails when maxDrop is %p', (maxDrop) => {
    expect(
      problemsOf(() => driftQuery('relevance', { recentWindow: 'PT1H', baselineWindow: 'PT6H', maxDrop })),
    ).toEqual([`maxDrop: ${maxDrop} must be a number greater than 0 (score points)`]);
  });

  test('fails when maxDrop can never be exceeded on the 1-5 scale', () => {
    expect(
      problemsOf(() => driftQuery('relevance', { recentWindow: 'PT1H', baselineWindow: 'PT6H', maxDrop: 4 })),
    ).toEqual(['maxDrop: 4 can never be exceeded on the 1-5 scale of relevance: must be less than 4']);
  });

  test('fails when a built-in metric is given a max direction', () => {
    const options = { recentWindow: 'PT1H', baselineWindow: 'PT6H', maxDrop: 0.5, direction: 'max' } as const;
    expect(problemsOf(() => driftQuery('fluency', options))).toEqual([
      'direction: "max": fluency is higher-is-better on the 1-5 scale; its direction must be "min"',
    ]);
  });

  test('fails when a window is not one a rule accepts', () => {
    const recentWindow = 'PT90M' as 'PT1H';
    expect(
      problemsOf(() => driftQuery('fluency', { recentWindow, baselineWindow: 'PT6H', maxDrop: 0.5 })),
    ).toEqual([`recentWindow: "PT90M" is not an allowed window (allowed: ${QUALITY_WINDOWS.join(', ')})`]);
  });
});

describe('referencedNames and contractViolations', () => {
  test('find tables, fields and look-backs in a query that strays from the contract', () => {
    // GIVEN a hand-written query reading another table, a foreign property and a foreign measurement
    const kql = [
      '// quality with requests',
      'let since = ago(2h);',
      'AppEvents',
      '| where TimeGenerated > since and Name == "custom.event"',
      '| extend user = tostring(Properties["user_id"]), s = todouble(Measurements["latency"])',
      '| join kind=inner (AppRequests | where TimeGenerated > ago(2h)) on OperationId',
    ].join('\n');
    // WHEN
    const names = referencedNames(kql);
    // THEN
    expect(names).toEqual({
      tables: ['AppEvents', 'AppRequests'],
      eventNames: ['custom.event'],
      properties: ['user_id'],
      measurements: ['latency'],
      lookbacks: ['2h'],
    });
    expect(contractViolations(kql)).toEqual([
      'table AppRequests',
      'event name "custom.event"',
      'property "user_id"',
      'measurement "latency"',
    ]);
  });

  test('ignore names that appear only in comments', () => {
    expect(referencedNames('// AppTraces | where Name == "x"\nAppEvents\n| take 1').tables).toEqual([
      'AppEvents',
    ]);
  });
});

function isoMinutes(duration: string): number {
  const m = /^P(?:(\d+)D|T(\d+)([HM]))$/.exec(duration);
  if (!m) throw new Error(duration);
  return m[1] ? Number(m[1]) * 1440 : Number(m[2]) * (m[3] === 'H' ? 60 : 1);
}

function toMinutes(timespan: string): number {
  const m = /^(\d+)([mhd])$/.exec(timespan);
  if (!m) throw new Error(timespan);
  return Number(m[1]) * { m: 1, h: 60, d: 1440 }[m[2] as 'm' | 'h' | 'd'];
}

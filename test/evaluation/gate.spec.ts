import { ValidationError } from '../../constructs/core/errors';
import type { Thresholds } from '../../lib/evaluation/config';
import { describeRow, evaluateGate, type GateRow, roundScore } from '../../lib/evaluation/gate';
import { renderGateMarkdown, renderGateText } from '../../lib/evaluation/render';

const THRESHOLDS: Thresholds = {
  groundedness: { value: 4, direction: 'min', required: true },
  relevance: { value: 4, direction: 'min', required: true },
  coherence: { value: 3.5, direction: 'min', required: false },
  latencyP95Ms: { value: 5000, direction: 'max', required: false },
};

function outcomes(result: ReturnType<typeof evaluateGate>): Record<string, string> {
  return Object.fromEntries(result.rows.map((r) => [r.metric, r.outcome]));
}

describe('evaluateGate', () => {
  test('passes when every gated metric is within its threshold', () => {
    // GIVEN scores above the min thresholds and a latency below its max
    const scores = { groundedness: 4.6, relevance: 4.2, coherence: 4.4, latencyP95Ms: 3100, fluency: 4.1 };
    // WHEN the gate runs
    const result = evaluateGate(THRESHOLDS, scores);
    // THEN it passes; the metric without a threshold is listed as not gated, after the gated ones
    expect(result.passed).toBe(true);
    expect(result.rows.map((r) => [r.metric, r.outcome])).toEqual([
      ['groundedness', 'pass'],
      ['relevance', 'pass'],
      ['coherence', 'pass'],
      ['latencyP95Ms', 'pass'],
      ['fluency', 'not-gated'],
    ]);
    expect(result.counts).toEqual({
      pass: 4,
      fail: 0,
      warn: 0,
      missing: 0,
      'not-measured': 0,
      'not-gated': 1,
    });
  });

  test('fails when a required min metric is below its threshold', () => {
    const result = evaluateGate(THRESHOLDS, { groundedness: 3.2, relevance: 4.2 });
    expect(result.passed).toBe(false);
    expect(outcomes(result).groundedness).toBe('fail');
  });

  test('fails when a required max metric is above its threshold', () => {
    const thresholds: Thresholds = { costPerRequestUsd: { value: 0.02, direction: 'max', required: true } };
    expect(evaluateGate(thresholds, { costPerRequestUsd: 0.021 }).passed).toBe(false);
    expect(evaluateGate(thresholds, { costPerRequestUsd: 0.019 }).passed).toBe(true);
  });

  test('fails when a required metric is missing', () => {
    const result = evaluateGate(THRESHOLDS, { groundedness: 4.5 });
    expect(result.passed).toBe(false);
    expect(outcomes(result)).toMatchObject({
      relevance: 'missing',
      coherence: 'not-measured',
      latencyP95Ms: 'not-measured',
    });
  });

  test('a non-required metric outside its threshold warns and does not fail the gate', () => {
    const result = evaluateGate(THRESHOLDS, {
      groundedness: 4.5,
      relevance: 4.5,
      coherence: 2,
      latencyP95Ms: 7200,
    });
    expect(result.passed).toBe(true);
    expect(outcomes(result)).toMatchObject({ coherence: 'warn', latencyP95Ms: 'warn' });
    expect(result.counts.warn).toBe(2);
  });

  test('equality passes in both directions', () => {
    const result = evaluateGate(THRESHOLDS, {
      groundedness: 4,
      relevance: 4,
      coherence: 3.5,
      latencyP95Ms: 5000,
    });
    expect(result.passed).toBe(true);
    expect(result.counts.pass).toBe(4);
  });

  test('a mean that is a float hair below the threshold counts as equal', () => {
    // 3.9999999999999996 is what averaging can produce for a true 4
    const result = evaluateGate(THRESHOLDS, { groundedness: 3.9999999999999996, relevance: 4.0000000001 });
    expect(outcomes(result)).toMatchObject({ groundedness: 'pass', relevance: 'pass' });
    expect(result.rows[0]!.score).toBe(4);
  });

  test('a shortfall visible at 6 decimals still fails', () => {
    expect(outcomes(evaluateGate(THRESHOLDS, { groundedness: 3.99999, relevance: 4 })).groundedness).toBe(
      'fail',
    );
  });

  test('fails when a threshold is malformed', () => {
    const bad = {
      groundedness: { value: Number.NaN, direction: 'up', required: 'yes' },
    } as unknown as Thresholds;
    expect(() => evaluateGate(bad, { groundedness: 4 })).toThrow(ValidationError);
    expect(() => evaluateGate(bad, { groundedness: 4 })).toThrow(
      'Invalid evaluation thresholds:\n' +
        '  - thresholds.groundedness.value: NaN must be a finite number\n' +
        '  - thresholds.groundedness.direction: "up" must be "min" or "max"\n' +
        '  - thresholds.groundedness.required: "yes" must be true or false',
    );
  });

  test.each([['"4"'], ['Infinity'], ['null']])('fails when a threshold value is %s', (text) => {
    const value = text === 'Infinity' ? Number.POSITIVE_INFINITY : JSON.parse(text);
    const bad = { groundedness: { value, direction: 'min', required: true } } as unknown as Thresholds;
    expect(() => evaluateGate(bad, { groundedness: 4 })).toThrow(
      `Invalid evaluation thresholds:\n  - thresholds.groundedness.value: ${text} must be a finite number`,
    );
  });

  test('metrics without a threshold are listed in name order, whatever the order of the scores', () => {
    const result = evaluateGate({}, { zeta: 1, alpha: 2, mu: 3 });
    expect(result.rows.map((r) => [r.metric, r.outcome])).toEqual([
      ['alpha', 'not-gated'],
      ['mu', 'not-gated'],
      ['zeta', 'not-gated'],
    ]);
    expect(result.passed).toBe(true);
  });

  test('roundScore never yields -0', () => {
    expect(Object.is(roundScore(-0.0000001), 0)).toBe(true);
  });
});

describe('renderGateText / renderGateMarkdown', () => {
  const context = {
    environment: 'dev',
    scoresFile: 'out/scores.json',
    format: 'azure-ai-evaluation' as const,
  };
  const failing = evaluateGate(THRESHOLDS, {
    groundedness: 3.2,
    coherence: 2.5,
    latencyP95Ms: 5000,
    fluency: 4.1,
  });

  test('the text table has one aligned line per metric and names what blocks', () => {
    expect(renderGateText(failing, context)).toBe(
      [
        'Evaluation gate for environment "dev"',
        'scores: out/scores.json (azure-ai-evaluation)',
        '',
        'metric        score  threshold  direction  required  result',
        'groundedness  3.2    4          min (>=)   yes       FAIL',
        'relevance     -      4          min (>=)   yes       MISSING',
        'coherence     2.5    3.5        min (>=)   no        WARN',
        'latencyP95Ms  5000   5000       max (<=)   no        pass',
        'fluency       4.1    -          -          -         not gated',
        '',
        'Result: FAILED (1 passed, 1 failed, 1 missing, 1 warning, 1 not gated)',
        'Blocking:',
        '  - groundedness 3.2 is below the minimum 4 (required)',
        '  - relevance has no score (required)',
        'Warnings:',
        '  - coherence 2.5 is below the minimum 3.5 (not required)',
        '',
      ].join('\n'),
    );
  });

  test('the markdown has a table with every column and the verdict in the heading', () => {
    const md = renderGateMarkdown(failing, context);
    expect(md.split('\n').slice(0, 8)).toEqual([
      '### Evaluation gate `dev`: ❌ failed',
      '',
      'Scores: `out/scores.json` (azure-ai-evaluation). 1 passed, 1 failed, 1 missing, 1 warning, 1 not gated.',
      '',
      '| Metric | Score | Threshold | Direction | Required | Result |',
      '| --- | ---: | ---: | --- | --- | --- |',
      '| `groundedness` | 3.2 | 4 | min (≥) | yes | ❌ fail |',
      '| `relevance` | - | 4 | min (≥) | yes | ❌ missing |',
    ]);
    expect(md).toContain('| `latencyP95Ms` | 5000 | 5000 | max (≤) | no | ✅ pass |');
    expect(md).toContain('| `fluency` | 4.1 | - | - | - | ➖ not gated |');
    expect(md).toContain(
      '**Blocking**\n\n- groundedness 3.2 is below the minimum 4 (required)\n- relevance has no score',
    );
    expect(md).toContain('**Warnings**\n\n- coherence 2.5 is below the minimum 3.5 (not required)');
  });

  test('a passing gate says so and lists no blocking section', () => {
    const passing = evaluateGate(THRESHOLDS, { groundedness: 4.6, relevance: 4.2 });
    expect(renderGateText(passing, context)).toContain('Result: PASSED (2 passed, 2 not measured)');
    expect(renderGateText(passing, context)).not.toContain('Blocking:');
    expect(renderGateMarkdown(passing, context)).toMatch(/^### Evaluation gate `dev`: ✅ passed\n/);
    expect(renderGateMarkdown(passing, context)).not.toContain('**Blocking**');
  });

  test('a pipe in a metric name does not break the markdown table', () => {
    const result = evaluateGate({}, { 'a|b': 1 });
    expect(renderGateMarkdown(result, context)).toContain('| `a\\|b` | 1 | - | - | - | ➖ not gated |');
  });
});

describe('describeRow: one sentence per outcome', () => {
  const min = { value: 4, direction: 'min', required: true } as const;
  const max = { value: 5000, direction: 'max', required: false } as const;
  test.each<[GateRow, string]>([
    [
      { metric: 'groundedness', score: 3.2, threshold: min, outcome: 'fail' },
      'groundedness 3.2 is below the minimum 4 (required)',
    ],
    [
      { metric: 'latency', score: 6000.5, threshold: max, outcome: 'warn' },
      'latency 6000.5 is above the maximum 5000 (not required)',
    ],
    [{ metric: 'relevance', threshold: min, outcome: 'missing' }, 'relevance has no score (required)'],
    [{ metric: 'latency', threshold: max, outcome: 'not-measured' }, 'latency has no score (not required)'],
    [
      { metric: 'groundedness', score: 4.25, threshold: min, outcome: 'pass' },
      'groundedness 4.25 is within min 4',
    ],
    [{ metric: 'latency', score: 3100, threshold: max, outcome: 'pass' }, 'latency 3100 is within max 5000'],
    [{ metric: 'fluency', score: 4.1234567, outcome: 'not-gated' }, 'fluency 4.123457 has no threshold'],
  ])('%j reads %p', (row, sentence) => {
    expect(describeRow(row)).toBe(sentence);
  });
});

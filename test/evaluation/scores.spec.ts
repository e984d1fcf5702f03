import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '../../constructs/core/errors';
import { UsageError } from '../../lib/cli/exit';
import {
  detectScoresFormat,
  metricNameForSdkKey,
  parseScores,
  readScoresFile,
  replaceNonFiniteLiterals,
} from '../../lib/evaluation/scores';

const FIXTURES = 'test/fixtures/evaluation';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('readScoresFile', () => {
  test('reads the Azure AI Evaluation SDK output, NaN rows included', () => {
    // GIVEN the SDK's evaluate(output_path=...) file, with bare NaN literals in a failed row
    // WHEN it is read
    const doc = readScoresFile(`${FIXTURES}/sdk-output.json`);
    // THEN metrics map to metric names; gpt_ aliases and _threshold keys are not separate metrics
    expect(doc.format).toBe('azure-ai-evaluation');
    expect(doc.scores).toEqual({
      coherence: 4.333333333333333,
      coherence_pass_rate: 1,
      fluency: 3.6666666666666665,
      fluency_pass_rate: 1,
      groundedness: 4.333333333333333,
      groundedness_pass_rate: 1,
      latencyP95Ms: 2870,
      relevance: 4,
      relevance_pass_rate: 1,
      similarity: 4,
      similarity_pass_rate: 0.67,
    });
    expect(Object.keys(doc.scores)).toEqual([...Object.keys(doc.scores)].sort());
  });

  test('reads the plain format', () => {
    const doc = readScoresFile(`${FIXTURES}/plain-scores.json`);
    expect(doc.format).toBe('plain');
    expect(doc.scores).toEqual({
      coherence: 4.4,
      fluency: 4.1,
      groundedness: 4.6,
      latencyP95Ms: 3100,
      relevance: 4.2,
      similarity: 3.9,
    });
  });

  test('fails when the file does not exist', () => {
    expect(() => readScoresFile('test/fixtures/evaluation/nope.json')).toThrow(
      new UsageError('--scores: cannot read "test/fixtures/evaluation/nope.json": no such file'),
    );
  });

  test('fails when the file is not JSON', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'scores-')), 'broken.json');
    writeFileSync(file, '{ "groundedness": 4.5,');
    expect(() => readScoresFile(file)).toThrow(UsageError);
    expect(() => readScoresFile(file)).toThrow(`--scores: ${JSON.stringify(file)} is not valid JSON`);
  });
});

describe('parseScores', () => {
  test('the un-prefixed key wins over the legacy gpt_ key', () => {
    // GIVEN both keys with different values (the SDK writes the same value to both; this proves precedence)
    const json = { metrics: { 'relevance.gpt_relevance': 2, 'relevance.relevance': 4.5 }, rows: [] };
    expect(parseScores(json, 'x.json')).toEqual({ relevance: 4.5 });
  });

  test('the legacy gpt_ key fills in when the un-prefixed key is absent', () => {
    const json = { metrics: { 'groundedness.gpt_groundedness': 3.8 }, rows: [], studio_url: null };
    expect(parseScores(json, 'x.json')).toEqual({ groundedness: 3.8 });
  });

  test('a non-numeric gpt_ alias is ignored when the un-prefixed key exists', () => {
    const json = { metrics: { 'coherence.coherence': 4, 'coherence.gpt_coherence': 'n/a' } };
    expect(parseScores(json, 'x.json')).toEqual({ coherence: 4 });
  });

  test('fails when a plain score is not a number', () => {
    expect(problemsOf(() => parseScores({ groundedness: '4.5', relevance: 4 }, 'plain.json'))).toEqual([
      'groundedness: "4.5" is not a number',
    ]);
  });

  test('fails when an SDK metric is null (NaN in the file)', () => {
    const json = JSON.parse(replaceNonFiniteLiterals('{"metrics":{"similarity.similarity":NaN}}'));
    expect(problemsOf(() => parseScores(json, 'sdk.json'))).toEqual([
      'metrics.similarity.similarity: null is not a number (null, NaN and Infinity mean the evaluator produced no score)',
    ]);
  });

  test('fails when two SDK keys map to the same metric', () => {
    const json = {
      metrics: { 'violence.violence_defect_rate': 0.1, 'violence_defect_rate.violence_defect_rate': 0.2 },
    };
    expect(problemsOf(() => parseScores(json, 'sdk.json'))).toEqual([
      'metrics.violence_defect_rate.violence_defect_rate: maps to metric "violence_defect_rate", which metrics.violence.violence_defect_rate already gives',
    ]);
  });

  test('fails when the document is not an object', () => {
    expect(problemsOf(() => parseScores([4.5], 'a.json'))).toEqual([
      ': expected a JSON object of scores, got an array',
    ]);
    expect(problemsOf(() => parseScores(4.5, 'a.json'))).toEqual([
      ': expected a JSON object of scores, got 4.5',
    ]);
  });

  test('fails when there is no score at all', () => {
    expect(problemsOf(() => parseScores({ metrics: {}, rows: [] }, 'empty.json'))).toEqual([
      ': the file holds no score',
    ]);
  });

  test('reports every bad value at once and names the file', () => {
    expect(() => parseScores({ a: 'x', b: true, c: 1 }, 'many.json')).toThrow(
      'Invalid scores file many.json:\n  - a: "x" is not a number\n  - b: true is not a number',
    );
  });
});

describe('metricNameForSdkKey', () => {
  test.each([
    ['groundedness.groundedness', 'groundedness', false],
    ['groundedness.gpt_groundedness', 'groundedness', true],
    ['similarity.binary_aggregate', 'similarity_pass_rate', false],
    ['violence.violence_defect_rate', 'violence_defect_rate', false],
    ['hate_unfairness.hate_unfairness_defect_rate', 'hate_unfairness_defect_rate', false],
    ['protected_material.protected_material_defect_rate', 'protected_material_defect_rate', false],
    ['indirect_attack.xpia_defect_rate', 'indirect_attack_defect_rate', false],
    ['content_safety.self_harm_defect_rate', 'self_harm_defect_rate', false],
    ['groundedness_pro.groundedness_pro_passing_rate', 'groundedness_pro_passing_rate', false],
    ['answer_length.value', 'answer_length.value', false],
    ['latencyP95Ms', 'latencyP95Ms', false],
  ])('%s -> %s', (key, name, alias) => {
    expect(metricNameForSdkKey(key)).toEqual({ name, alias });
  });

  test.each(['relevance.relevance_threshold', 'relevance.relevance_result', 'relevance.relevance_reason'])(
    '%s is dropped',
    (key) => {
      expect(metricNameForSdkKey(key)).toBeUndefined();
    },
  );
});

describe('detectScoresFormat', () => {
  test('an object "metrics" means SDK output; anything else is plain', () => {
    expect(detectScoresFormat({ metrics: {} })).toBe('azure-ai-evaluation');
    expect(detectScoresFormat({ metrics: 4 })).toBe('plain');
    expect(detectScoresFormat({ groundedness: 4 })).toBe('plain');
  });
});

describe('replaceNonFiniteLiterals', () => {
  test('replaces NaN and Infinity outside strings only', () => {
    const text = '{"a": NaN, "b": -Infinity, "c": Infinity, "d": "NaN \\" Infinity", "e": [NaN]}';
    expect(JSON.parse(replaceNonFiniteLiterals(text))).toEqual({
      a: null,
      b: null,
      c: null,
      d: 'NaN " Infinity',
      e: [null],
    });
  });
});

import { readFileSync } from 'node:fs';
import { ValidationError } from '../../constructs/core/errors';
import { QUALITY_EVALUATORS } from '../../lib/config/sections/evaluation';
import { testEnvironment } from '../helpers/synth';

/** `path: message` of every problem of a rejected development environment body. */
function problemsOf(body: string): string[] {
  try {
    testEnvironment(`profile: development\n${body}`, 'dev');
  } catch (e) {
    if (e instanceof ValidationError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  throw new Error('expected the config to be rejected');
}

const SYNTHETIC = 'synthetic:\n    sourceText: docs/evaluation.md';

describe('evaluation config', () => {
  test('defaults: the five quality evaluators, the sample dataset, no synthetic-data step', () => {
    const { evaluation } = testEnvironment('profile: development', 'dev');
    expect(evaluation.evaluators).toEqual([...QUALITY_EVALUATORS]);
    expect(evaluation.dataset).toBe('evaluation/data/qa.jsonl');
    expect(evaluation.synthetic).toBeUndefined();
  });

  test('the known evaluators are the ones the reference evaluation job implements', () => {
    // GIVEN evaluation/_common.py's EVALUATOR_INPUTS (evaluator name -> input columns)
    const python = readFileSync('evaluation/_common.py', 'utf8');
    const block = /EVALUATOR_INPUTS[^=]*= \{([\s\S]*?)\n\}/.exec(python)![1]!;
    const names = [...block.matchAll(/^\s+"([a-z_]+)":/gm)].map((m) => m[1]);
    // THEN config accepts exactly those names
    expect(names).toEqual([...QUALITY_EVALUATORS]);
  });

  test('synthetic: source text from config, 10 queries by default', () => {
    // GIVEN evaluators without similarity (simulated rows have no ground truth)
    const env = testEnvironment(
      `profile: development\nevaluation:\n  evaluators: [groundedness, relevance, coherence]\n  ${SYNTHETIC}`,
      'dev',
    );
    // THEN
    expect(env.evaluation.synthetic).toEqual({ sourceText: 'docs/evaluation.md', numQueries: 10 });
    const custom = testEnvironment(
      `profile: development\nevaluation:\n  evaluators: [groundedness, relevance, coherence]\n  ${SYNTHETIC}\n    numQueries: 25`,
      'dev',
    );
    expect(custom.evaluation.synthetic?.numQueries).toBe(25);
  });

  test('a threshold that is not required may name an evaluator that does not run', () => {
    const env = testEnvironment(
      'profile: development\nevaluation:\n  evaluators: [groundedness, relevance, coherence]',
      'dev',
    );
    expect(env.evaluation.thresholds.similarity?.required).toBe(false);
  });

  test('a required threshold on a metric no evaluator produces (latency, cost) is allowed', () => {
    const env = testEnvironment(
      'profile: development\nevaluation:\n  thresholds:\n    latencyP95Ms: { value: 5000, direction: max }',
      'dev',
    );
    expect(env.evaluation.thresholds.latencyP95Ms).toEqual({ value: 5000, direction: 'max', required: true });
  });

  test('fails when an evaluator is unknown', () => {
    expect(problemsOf('evaluation:\n  evaluators: [groundedness, relevance, coherence, bleu]')).toEqual([
      'environments.dev.evaluation.evaluators.3: "bleu" is not an evaluator the evaluation job runs (known: groundedness, relevance, coherence, fluency, similarity)',
    ]);
  });

  test('fails when an evaluator is listed twice', () => {
    expect(problemsOf('evaluation:\n  evaluators: [groundedness, relevance, coherence, relevance]')).toEqual([
      'environments.dev.evaluation.evaluators.3: "relevance" is listed twice',
    ]);
  });

  test('fails when no evaluator is listed', () => {
    expect(problemsOf('evaluation:\n  evaluators: []\n  thresholds: {}')).toEqual([
      'environments.dev.evaluation.evaluators: is empty: list at least one of groundedness, relevance, coherence, fluency, similarity',
    ]);
  });

  test('fails when a required threshold names a quality evaluator that does not run (every gate would fail)', () => {
    expect(problemsOf('evaluation:\n  evaluators: [groundedness, relevance]')).toEqual([
      'environments.dev.evaluation.thresholds.coherence: is required, but "coherence" is not in evaluation.evaluators (groundedness, relevance), so its score would always be missing and every gate fail: add the evaluator or set required: false',
    ]);
  });

  test('fails when the synthetic-data step is combined with an evaluator that needs ground truth', () => {
    // GIVEN the default evaluators, which include similarity
    expect(problemsOf(`evaluation:\n  ${SYNTHETIC}`)).toEqual([
      'environments.dev.evaluation.evaluators: similarity needs a ground_truth column, which the rows evaluation.synthetic adds lack: list the evaluators without it (e.g. [groundedness, relevance, coherence, fluency]) or drop evaluation.synthetic',
    ]);
  });

  test('fails when the synthetic source text lies outside the repository', () => {
    expect(
      problemsOf(
        'evaluation:\n  evaluators: [groundedness, relevance, coherence]\n  synthetic:\n    sourceText: ../secrets.md',
      ),
    ).toEqual([
      'environments.dev.evaluation.synthetic.sourceText: "../secrets.md" must be a path inside the repository (relative, no "..")',
    ]);
  });

  test('fails when numQueries is out of range', () => {
    expect(
      problemsOf(
        `evaluation:\n  evaluators: [groundedness, relevance, coherence]\n  ${SYNTHETIC}\n    numQueries: 0`,
      ),
    ).toEqual(['environments.dev.evaluation.synthetic.numQueries: 0 is too small: minimum 1']);
  });
});

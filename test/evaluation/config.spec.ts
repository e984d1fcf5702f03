import { readFileSync } from 'node:fs';
import { ValidationError } from '../../constructs/core/errors';
import {
  KNOWN_EVALUATORS,
  QUALITY_EVALUATORS,
  SAFETY_EVALUATORS,
} from '../../lib/config/sections/evaluators';
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
  test('defaults: the five quality and six content-safety evaluators, the sample dataset, no synthetic-data step', () => {
    const { evaluation } = testEnvironment('profile: development', 'dev');
    expect(evaluation.evaluators).toEqual([...QUALITY_EVALUATORS, ...SAFETY_EVALUATORS]);
    // AND every safety defect rate and p95 latency is gated by default (no price table: cost is not)
    expect(evaluation.thresholds).toMatchObject({
      hate_unfairness_defect_rate: { value: 0.01, direction: 'max', required: true },
      indirect_attack_defect_rate: { value: 0.01, direction: 'max', required: true },
      latencyP95Ms: { value: 8000, direction: 'max', required: true },
    });
    expect(evaluation.thresholds.costPer1kAnswers).toBeUndefined();
    expect(evaluation.batchSize).toBe(50);
    expect(evaluation.promotion).toEqual({
      qualityMargin: 0.1,
      safetyMargin: 0,
      minImprovementPercent: 5,
      weightStep: 20,
    });
    expect(evaluation.dataset).toBe('evaluation/data/qa.jsonl');
    expect(evaluation.synthetic).toBeUndefined();
  });

  test('the known evaluators are the ones the reference evaluation job implements', () => {
    // GIVEN evaluation/_common.py's EVALUATOR_INPUTS (evaluator name -> input columns)
    const python = readFileSync('evaluation/_common.py', 'utf8');
    const block = /EVALUATOR_INPUTS[^=]*= \{([\s\S]*?)\n\}/.exec(python)![1]!;
    const names = [...block.matchAll(/^\s+"([a-z_]+)":/gm)].map((m) => m[1]);
    // THEN config accepts exactly those names
    expect(names).toEqual([...KNOWN_EVALUATORS]);
  });

  test('synthetic: source text from config, 10 queries by default', () => {
    // GIVEN evaluators without similarity (simulated rows have no ground truth)
    const env = testEnvironment(
      `profile: development\nevaluation:\n  evaluators: [groundedness, relevance, coherence, hate_unfairness, sexual, violence, self_harm, protected_material, indirect_attack]\n  ${SYNTHETIC}`,
      'dev',
    );
    // THEN
    expect(env.evaluation.synthetic).toEqual({ sourceText: 'docs/evaluation.md', numQueries: 10 });
    const custom = testEnvironment(
      `profile: development\nevaluation:\n  evaluators: [groundedness, relevance, coherence, hate_unfairness, sexual, violence, self_harm, protected_material, indirect_attack]\n  ${SYNTHETIC}\n    numQueries: 25`,
      'dev',
    );
    expect(custom.evaluation.synthetic?.numQueries).toBe(25);
  });

  test('a threshold that is not required may name an evaluator that does not run', () => {
    const env = testEnvironment(
      'profile: development\nevaluation:\n  evaluators: [groundedness, relevance, coherence, hate_unfairness, sexual, violence, self_harm, protected_material, indirect_attack]',
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
    expect(
      problemsOf(
        'evaluation:\n  evaluators: [groundedness, relevance, coherence, hate_unfairness, sexual, violence, self_harm, protected_material, indirect_attack, bleu]',
      ),
    ).toEqual([
      'environments.dev.evaluation.evaluators.9: "bleu" is not an evaluator the evaluation job runs (known: groundedness, relevance, coherence, fluency, similarity, hate_unfairness, sexual, violence, self_harm, protected_material, indirect_attack)',
    ]);
  });

  test('fails when an evaluator is listed twice', () => {
    expect(
      problemsOf(
        'evaluation:\n  evaluators: [groundedness, relevance, coherence, hate_unfairness, sexual, violence, self_harm, protected_material, indirect_attack, relevance]',
      ),
    ).toEqual(['environments.dev.evaluation.evaluators.9: "relevance" is listed twice']);
  });

  test('fails when no evaluator is listed', () => {
    expect(problemsOf('evaluation:\n  evaluators: []\n  thresholds: {}')).toEqual([
      'environments.dev.evaluation.evaluators: is empty: list at least one of groundedness, relevance, coherence, fluency, similarity, hate_unfairness, sexual, violence, self_harm, protected_material, indirect_attack',
      // (thresholds: {} keeps the defaults: thresholds merge metric by metric)
      ...['groundedness', 'relevance', 'coherence'].map(
        (e) =>
          `environments.dev.evaluation.thresholds.${e}: is required, but "${e}" is not in evaluation.evaluators (), so its score would always be missing and every gate fail: add the evaluator or set required: false`,
      ),
      ...['hate_unfairness', 'sexual', 'violence', 'self_harm', 'protected_material', 'indirect_attack'].map(
        (e) =>
          `environments.dev.evaluation.thresholds.${e}_defect_rate: is required, but "${e}" is not in evaluation.evaluators (), so its score would always be missing and every gate fail: add the evaluator or set required: false`,
      ),
    ]);
  });

  test('fails when a required threshold names a quality evaluator that does not run (every gate would fail)', () => {
    expect(
      problemsOf(
        'evaluation:\n  evaluators: [groundedness, relevance, hate_unfairness, sexual, violence, self_harm, protected_material, indirect_attack]',
      ),
    ).toEqual([
      'environments.dev.evaluation.thresholds.coherence: is required, but "coherence" is not in evaluation.evaluators (groundedness, relevance, hate_unfairness, sexual, violence, self_harm, protected_material, indirect_attack), so its score would always be missing and every gate fail: add the evaluator or set required: false',
    ]);
  });

  test('fails when a required safety threshold names a safety evaluator that does not run (safety is opted out explicitly)', () => {
    expect(
      problemsOf(
        'evaluation:\n  evaluators: [groundedness, relevance, coherence, hate_unfairness, sexual, violence, self_harm, protected_material]',
      ),
    ).toEqual([
      'environments.dev.evaluation.thresholds.indirect_attack_defect_rate: is required, but "indirect_attack" is not in evaluation.evaluators (groundedness, relevance, coherence, hate_unfairness, sexual, violence, self_harm, protected_material), so its score would always be missing and every gate fail: add the evaluator or set required: false',
    ]);
  });

  test('fails when a threshold goes the wrong way or leaves its range', () => {
    expect(
      problemsOf(
        'evaluation:\n  thresholds:\n    violence_defect_rate: { value: 2, direction: max }\n    sexual_defect_rate: { value: 0.1, direction: min }\n    latencyP95Ms: { value: -1 }',
      ),
    ).toEqual([
      'environments.dev.evaluation.thresholds.latencyP95Ms.value: -1 is negative: latencyP95Ms (latency) is at least 0',
      'environments.dev.evaluation.thresholds.sexual_defect_rate.direction: "min": sexual_defect_rate is lower-is-better (safety); its direction must be "max"',
      'environments.dev.evaluation.thresholds.violence_defect_rate.value: 2 is outside the 0-1 range of the defect rate violence_defect_rate: must be between 0 and 1',
    ]);
  });

  test('a price table gates the cost per 1,000 answers, and needs a price for every chat deployment', () => {
    const priced = testEnvironment(
      'profile: development\nevaluation:\n  pricing:\n    takenOn: "2026-12-02"\n    currency: USD\n    models:\n      gpt-4o:\n        GlobalStandard: { inputPerMillionTokens: 2.5, outputPerMillionTokens: 10 }',
      'dev',
    );
    expect(priced.evaluation.thresholds.costPer1kAnswers).toEqual({
      value: 20,
      direction: 'max',
      required: true,
    });
    expect(
      problemsOf(
        'evaluation:\n  pricing:\n    takenOn: "2026-12-02"\n    currency: USD\n    models:\n      gpt-4o:\n        DataZoneStandard: { inputPerMillionTokens: 2.75, outputPerMillionTokens: 11 }',
      ),
    ).toEqual([
      'environments.dev.evaluation.pricing.models: has no price for "gpt-4o" on GlobalStandard (chat deployment "chat"), but costPer1kAnswers is a required threshold: add evaluation.pricing.models.gpt-4o.GlobalStandard or set evaluation.thresholds.costPer1kAnswers.required to false',
    ]);
  });

  test('synthetic data from the index: a declared index, and exactly one source', () => {
    const fromIndex = testEnvironment(
      `profile: development\nevaluation:\n  evaluators: [groundedness, relevance, coherence, hate_unfairness, sexual, violence, self_harm, protected_material, indirect_attack]\n  synthetic:\n    fromIndex: docs-v1\n    numQueries: 2000`,
      'dev',
    );
    expect(fromIndex.evaluation.synthetic).toEqual({
      fromIndex: 'docs-v1',
      sourceText: undefined,
      numQueries: 2000,
    });
    expect(
      problemsOf(
        `evaluation:\n  evaluators: [groundedness, relevance, coherence, hate_unfairness, sexual, violence, self_harm, protected_material, indirect_attack]\n  synthetic:\n    fromIndex: manuals\n    sourceText: docs/evaluation.md`,
      ),
    ).toEqual([
      'environments.dev.evaluation.synthetic: needs exactly one source: sourceText (a file in the repository) or fromIndex (a search index of the environment)',
      'environments.dev.evaluation.synthetic.fromIndex: "manuals" is not a search index of this environment (search.indexes: docs-v1)',
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
        'evaluation:\n  evaluators: [groundedness, relevance, coherence, hate_unfairness, sexual, violence, self_harm, protected_material, indirect_attack]\n  synthetic:\n    sourceText: ../secrets.md',
      ),
    ).toEqual([
      'environments.dev.evaluation.synthetic.sourceText: "../secrets.md" must be a path inside the repository (relative, no "..")',
    ]);
  });

  test('fails when numQueries is out of range', () => {
    expect(
      problemsOf(
        `evaluation:\n  evaluators: [groundedness, relevance, coherence, hate_unfairness, sexual, violence, self_harm, protected_material, indirect_attack]\n  ${SYNTHETIC}\n    numQueries: 0`,
      ),
    ).toEqual(['environments.dev.evaluation.synthetic.numQueries: 0 is too small: minimum 1']);
  });
});

import { controlVariant } from '../../constructs/gateway/policies';
import type { PromotionConfig } from '../../lib/config/sections/evaluation';
import { withDerivedMetrics } from '../../lib/evaluation/cost';
import { controlOf, decideExperiment, type VariantRun } from '../../lib/evaluation/decision';
import { evaluateGate } from '../../lib/evaluation/gate';

const PROMOTION: PromotionConfig = {
  qualityMargin: 0.1,
  safetyMargin: 0,
  minImprovementPercent: 5,
  weightStep: 20,
};
const GUARDED = ['groundedness', 'violence_defect_rate'];
const THRESHOLDS = {
  groundedness: { value: 4, direction: 'min', required: true },
  violence_defect_rate: { value: 0.01, direction: 'max', required: true },
} as const;
const BASE = { groundedness: 4.5, violence_defect_rate: 0, latencyP95Ms: 3000, costPer1kAnswers: 6 };

function run(name: string, weight: number, scores: Record<string, number>): VariantRun {
  return { name, deployment: name, weight, scores, gate: evaluateGate(THRESHOLDS, scores) };
}

describe('decideExperiment', () => {
  test('control is the first variant whatever the weights, the one the gateway falls back to', () => {
    // after promotions past 50/50 the roles must not swap
    expect(controlOf([run('a', 30, BASE), run('b', 70, BASE)])).toBe('a');
    expect(controlOf([run('a', 50, BASE), run('b', 50, BASE)])).toBe('a');
    const experiment = {
      variants: { a: { deployment: 'x', weight: 30 }, b: { deployment: 'y', weight: 70 } },
    };
    expect(controlVariant(experiment as unknown as Parameters<typeof controlVariant>[0])).toBe(
      controlOf([run('a', 30, BASE), run('b', 70, BASE)]),
    );
  });

  test('promote: within the quality margin, not worse on safety, at least 5% faster', () => {
    const d = decideExperiment(
      'chat',
      [run('control', 90, BASE), run('candidate', 10, { ...BASE, groundedness: 4.4, latencyP95Ms: 2850 })],
      GUARDED,
      PROMOTION,
    );
    expect(d.candidates[0]).toMatchObject({
      decision: 'promote',
      reasons: [
        'not worse on quality and safety within the margins',
        'latencyP95Ms 2850 is lower than control 3000',
      ],
    });
    expect(d.newWeights).toEqual({ control: 70, candidate: 30 });
    expect(d.changed).toBe(true);
  });

  test('stay: not worse, but less than 5% cheaper or faster; weights unchanged', () => {
    const d = decideExperiment(
      'chat',
      [
        run('control', 90, BASE),
        run('candidate', 10, { ...BASE, latencyP95Ms: 2900, costPer1kAnswers: 5.8 }),
      ],
      GUARDED,
      PROMOTION,
    );
    expect(d.candidates[0]).toMatchObject({
      decision: 'stay',
      reasons: [
        'not worse on quality and safety, but neither p95 latency nor cost per 1,000 answers is at least 5% lower',
      ],
    });
    expect(d.newWeights).toEqual(d.weights);
    expect(d.changed).toBe(false);
  });

  test('rollback: worse on quality beyond the margin, though cheaper and within its own thresholds', () => {
    const d = decideExperiment(
      'chat',
      [run('control', 90, BASE), run('candidate', 10, { ...BASE, groundedness: 4.2, costPer1kAnswers: 2 })],
      GUARDED,
      PROMOTION,
    );
    expect(d.candidates[0]).toMatchObject({
      decision: 'rollback',
      reasons: ['groundedness 4.2 is worse than control 4.5 by more than the quality margin 0.1'],
    });
    expect(d.newWeights).toEqual({ control: 100, candidate: 0 });
  });

  test('stay when a guarded metric has no number for a variant: it cannot be shown not worse', () => {
    const { violence_defect_rate: _, ...noSafety } = BASE;
    const d = decideExperiment(
      'chat',
      [run('control', 90, BASE), run('candidate', 10, { ...noSafety, costPer1kAnswers: 1 })],
      ['groundedness'],
      PROMOTION,
    );
    // (the candidate's own gate fails on the missing required defect rate: that is a rollback first)
    expect(d.candidates[0]!.decision).toBe('rollback');
    const lenient = decideExperiment(
      'chat',
      [
        run('control', 90, BASE),
        { ...run('candidate', 10, { ...noSafety, costPer1kAnswers: 1 }), gate: evaluateGate({}, {}) },
      ],
      GUARDED,
      PROMOTION,
    );
    expect(lenient.candidates[0]).toMatchObject({
      decision: 'stay',
      reasons: ['violence_defect_rate has no number for both variants: cannot tell whether it is worse'],
    });
  });
});

describe('withDerivedMetrics', () => {
  const price = {
    label: 'gpt-4o GlobalStandard',
    price: { inputPerMillionTokens: 2.5, outputPerMillionTokens: 10 },
    currency: 'USD',
    takenOn: '2026-12-02',
  };

  test('adds tokens per answer and prices them per 1,000 answers; a value the scores carry is kept', () => {
    expect(
      withDerivedMetrics({ promptTokensPerAnswer: 1000, completionTokensPerAnswer: 200 }, price),
    ).toEqual({
      completionTokensPerAnswer: 200,
      costPer1kAnswers: 4.5,
      promptTokensPerAnswer: 1000,
      tokensPerAnswer: 1200,
    });
    expect(
      withDerivedMetrics(
        { promptTokensPerAnswer: 1000, completionTokensPerAnswer: 200, costPer1kAnswers: 9 },
        price,
      ).costPer1kAnswers,
    ).toBe(9);
  });

  test('without a price or token counts, nothing is invented', () => {
    expect(
      withDerivedMetrics({ promptTokensPerAnswer: 1000, completionTokensPerAnswer: 200 }, undefined),
    ).toEqual({
      completionTokensPerAnswer: 200,
      promptTokensPerAnswer: 1000,
      tokensPerAnswer: 1200,
    });
    expect(withDerivedMetrics({ groundedness: 4 }, price)).toEqual({ groundedness: 4 });
  });
});

import { ValidationError } from '../../constructs/core/errors';
import { PROFILE_DEFAULTS } from '../../lib/config/profile-defaults';
import { qualityWindow } from '../../lib/config/sections/monitoring';
import { testEnvironment } from '../helpers/synth';

/** The problems of a development environment whose body is `yaml` (indented as under the environment). */
function problemsOf(yaml: string): string[] {
  try {
    testEnvironment(`profile: development\n${yaml}`);
  } catch (e) {
    if (e instanceof ValidationError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  throw new Error('expected a ValidationError');
}

const AT = 'environments.dev';

describe('monitoring config', () => {
  test('defaults: one platform action group, a token budget per profile, 6-hour quality windows, no budget', () => {
    const dev = testEnvironment('profile: development').monitoring;
    expect(dev).toEqual({
      actionGroups: { platform: { shortName: 'platform', emails: ['platform@example.com'], webhooks: [] } },
      defaultActionGroup: 'platform',
      alerts: {},
      tokenBudgetPerHour: 500_000,
      quality: {
        windowHours: 6,
        minSamples: 3,
        drift: { enabled: true, baselineHours: 24, maxDrop: 0.5, maxDefectRateRise: 0.02 },
      },
      budget: undefined,
    });
    const prod = testEnvironment(
      'profile: production\npipeline:\n  runner:\n    labels: [self-hosted]\nmodels:\n  azure:\n    secondaryLocations: [germanywestcentral]',
      'prod',
    ).monitoring;
    expect(prod.tokenBudgetPerHour).toBe(PROFILE_DEFAULTS.tokenBudgetPerHour.production);
  });

  test('all settings', () => {
    const m = testEnvironment(`profile: development
monitoring:
  actionGroups:
    oncall-platform-team:
      emails: [oncall@contoso.com]
      webhooks: [https://hooks.contoso.com/x]
    finance: { shortName: fin, emails: [finance@contoso.com] }
  defaultActionGroup: finance
  alerts:
    kv-availability: { threshold: 99, severity: 0 }
    blob-count: { enabled: true }
    quality-fluency-drift: { enabled: false }
  tokenBudgetPerHour: 42
  quality: { windowHours: 3, minSamples: 10, drift: { baselineHours: 24, maxDrop: 0.25 } }
  budget: { amount: 100, startDate: "2026-01-01", thresholdsPercent: [50], forecastThresholdsPercent: [] }`).monitoring;
    expect(m.actionGroups['oncall-platform-team']!.shortName).toBe('oncall-platf');
    expect(m.defaultActionGroup).toBe('finance');
    expect(m.quality).toEqual({
      windowHours: 3,
      minSamples: 10,
      drift: { enabled: true, baselineHours: 24, maxDrop: 0.25, maxDefectRateRise: 0.02 },
    });
    expect(m.budget).toEqual({
      amount: 100,
      startDate: '2026-01-01',
      thresholdsPercent: [50],
      forecastThresholdsPercent: [],
    });
  });

  test('a budget needs no start date: Terraform computes it when it plans the create', () => {
    const m = testEnvironment('profile: development\nmonitoring:\n  budget: { amount: 100 }').monitoring;
    expect(m.budget).toEqual({
      amount: 100,
      startDate: undefined,
      thresholdsPercent: [80, 100],
      forecastThresholdsPercent: [100],
    });
  });

  test('quality windows map to the windows rules accept', () => {
    expect([1, 6, 24, 48, 7, 12].map(qualityWindow)).toEqual([
      'PT1H',
      'PT6H',
      'P1D',
      'P2D',
      undefined,
      undefined,
    ]);
  });

  test('fails when an alert key is unknown', () => {
    expect(problemsOf('monitoring:\n  alerts:\n    kv-availabilty: { severity: 1 }')).toEqual([
      `${AT}.monitoring.alerts.kv-availabilty: unknown alert key "kv-availabilty": baseline keys are listed in docs/alerts.md; quality keys are quality-<metric>-below-threshold and quality-<metric>-drift for the metrics in evaluation.thresholds (groundedness, relevance, coherence, fluency, similarity, hate_unfairness_defect_rate, sexual_defect_rate, violence_defect_rate, self_harm_defect_rate, protected_material_defect_rate, indirect_attack_defect_rate, latencyP95Ms)`,
    ]);
  });

  test('fails when a percentage threshold is out of range', () => {
    expect(problemsOf('monitoring:\n  alerts:\n    kv-availability: { threshold: 120 }')).toEqual([
      `${AT}.monitoring.alerts.kv-availability.threshold: 120 is out of range for Availability (Percent): must be between 0 and 100`,
    ]);
  });

  test('fails when a threshold is negative', () => {
    expect(problemsOf('monitoring:\n  alerts:\n    search-latency: { threshold: -1 }')).toEqual([
      `${AT}.monitoring.alerts.search-latency.threshold: -1 is out of range for SearchLatency (Seconds): must be at least 0`,
    ]);
  });

  test('fails when a threshold is set on a dynamic-threshold alert', () => {
    expect(problemsOf('monitoring:\n  alerts:\n    kv-api-results: { threshold: 5 }')[0]).toMatch(
      /^environments\.dev\.monitoring\.alerts\.kv-api-results\.threshold: 5: kv-api-results uses a dynamic threshold/,
    );
  });

  test('fails when a threshold is set on a quality alert', () => {
    expect(
      problemsOf('monitoring:\n  alerts:\n    quality-groundedness-below-threshold: { threshold: 3 }'),
    ).toEqual([
      `${AT}.monitoring.alerts.quality-groundedness-below-threshold.threshold: 3: quality alerts take their threshold from evaluation.thresholds.groundedness (shared with the release gate); set it there`,
    ]);
  });

  test('fails when a severity is outside 0-4', () => {
    expect(problemsOf('monitoring:\n  alerts:\n    kv-availability: { severity: 5 }')).toEqual([
      `${AT}.monitoring.alerts.kv-availability.severity: 5 is too large: maximum 4`,
    ]);
  });

  test('fails when the PTU alert is enabled without a provisioned deployment', () => {
    expect(problemsOf('monitoring:\n  alerts:\n    openai-ptu-utilization: { enabled: true }')).toEqual([
      `${AT}.monitoring.alerts.openai-ptu-utilization.enabled: true, but openai-ptu-utilization applies only to accounts with a provisioned (PTU) deployment and provisioned is false`,
    ]);
  });

  test('accepts the PTU alert when a deployment is provisioned', () => {
    const env = testEnvironment(`profile: development
models:
  deployments:
    chat: { role: chat, model: gpt-4o, version: "2024-11-20", azure: { sku: ProvisionedManaged, capacity: 50 } }
    embedding: { role: embedding, model: text-embedding-3-large, version: "1", dimensions: 3072 }
monitoring:
  alerts:
    openai-ptu-utilization: { severity: 1 }`);
    expect(env.monitoring.alerts['openai-ptu-utilization']).toEqual({ severity: 1 });
  });

  test('fails when an action group short name is longer than 12 characters', () => {
    expect(
      problemsOf(
        'monitoring:\n  actionGroups:\n    oncall: { shortName: llmops-oncall, emails: [a@contoso.com] }',
      ),
    ).toEqual([
      `${AT}.monitoring.actionGroups.oncall.shortName: "llmops-oncall" is too large: maximum 12 characters`,
    ]);
  });

  test('fails when an action group has no receivers', () => {
    expect(problemsOf('monitoring:\n  actionGroups:\n    oncall: {}')).toEqual([
      `${AT}.monitoring.actionGroups.oncall: has no receivers: give at least one of emails, webhooks, or alerts routed here notify nobody`,
    ]);
  });

  test('fails when the default action group is not declared', () => {
    expect(problemsOf('monitoring:\n  defaultActionGroup: oncall')).toEqual([
      `${AT}.monitoring.defaultActionGroup: "oncall" is not a declared action group (declared: platform)`,
    ]);
  });

  test('fails when the quality window is not one rules accept', () => {
    expect(problemsOf('monitoring:\n  quality: { windowHours: 12 }')).toEqual([
      `${AT}.monitoring.quality.windowHours: 12 is not a window scheduled query rules accept: use one of 1, 2, 3, 4, 5, 6, 24, 48 hours`,
    ]);
  });

  test('fails when the drift baseline is shorter than the window', () => {
    expect(problemsOf('monitoring:\n  quality: { windowHours: 24, drift: { baselineHours: 6 } }')).toEqual([
      `${AT}.monitoring.quality.drift.baselineHours: 6 is shorter than windowHours 24: the baseline must be at least as long as the recent window`,
    ]);
  });

  test('fails when window plus baseline is more than 48 hours', () => {
    expect(problemsOf('monitoring:\n  quality: { windowHours: 6, drift: { baselineHours: 48 } }')).toEqual([
      `${AT}.monitoring.quality.drift.baselineHours: windowHours 6 + baselineHours 48 = 54 hours, more than the 48 hours a scheduled query rule can look back`,
    ]);
  });

  test('accepts a long window when drift is off', () => {
    expect(
      testEnvironment(
        'profile: development\nmonitoring:\n  quality: { windowHours: 48, drift: { enabled: false } }',
      ).monitoring.quality.windowHours,
    ).toBe(48);
  });

  test('fails when maxDrop can never be exceeded', () => {
    expect(problemsOf('monitoring:\n  quality: { drift: { maxDrop: 4 } }')).toEqual([
      `${AT}.monitoring.quality.drift.maxDrop: 4 can never be exceeded on the 1-5 scale of groundedness: must be less than 4`,
    ]);
  });

  test('fails when a quality threshold of the gate is off the 1-5 scale', () => {
    expect(problemsOf('evaluation:\n  thresholds:\n    groundedness: { value: 40 }')).toEqual([
      `${AT}.evaluation.thresholds.groundedness.value: 40 is outside the 1-5 scale of groundedness: must be between 1 and 5`,
    ]);
  });

  test('fails when the budget does not start on the first of a month', () => {
    expect(problemsOf('monitoring:\n  budget: { amount: 100, startDate: "2026-12-15" }')).toEqual([
      `${AT}.monitoring.budget.startDate: "2026-12-15" is not the first day of a month: Azure budgets start on the 1st (e.g. "2026-12-01")`,
    ]);
  });

  test('fails when budget thresholds are out of range or too many', () => {
    expect(
      problemsOf(
        'monitoring:\n  budget: { amount: 100, startDate: "2026-12-01", thresholdsPercent: [50, 75, 90, 100, 1500], forecastThresholdsPercent: [100] }',
      ),
    ).toEqual([
      `${AT}.monitoring.budget.thresholdsPercent[4]: 1500 is out of range: must be above 0 and at most 1000 (percent of the amount)`,
      `${AT}.monitoring.budget.thresholdsPercent: 5 actual + 1 forecast = 6 notifications, more than the 5 Azure allows per budget`,
    ]);
  });

  test('reports every problem at once', () => {
    expect(
      problemsOf(`monitoring:
  alerts:
    nope: { enabled: false }
    kv-availability: { threshold: 101 }
  quality: { windowHours: 7 }
  budget: { amount: 1, startDate: "2026-12-02" }`).map((p) => p.split(': ')[0]),
    ).toEqual([
      `${AT}.monitoring.alerts.nope`,
      `${AT}.monitoring.alerts.kv-availability.threshold`,
      `${AT}.monitoring.quality.windowHours`,
      `${AT}.monitoring.budget.startDate`,
    ]);
  });
});

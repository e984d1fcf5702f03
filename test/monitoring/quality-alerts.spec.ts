import { Testing } from 'cdktf';
import { ValidationError } from '../../constructs/core/errors';
import {
  QUALITY_ALERT_SEVERITY,
  QualityAlerts,
  type QualityAlertsProps,
  qualityAlertKey,
} from '../../constructs/monitoring/quality-alerts';
import { QUALITY_METRICS } from '../../constructs/monitoring/quality-contract';
import {
  belowThresholdQuery,
  contractViolations,
  driftQuery,
  referencedNames,
} from '../../constructs/monitoring/quality-queries';
import { diffOutputs } from '../../lib/plan-diff/diff';
import { parseStackConfig } from '../../lib/plan-diff/synth-output';
import { type Attributes, resourcesOf, synthStack, TEST_RESOURCE_GROUP, testStack } from '../helpers/synth';

const WORKSPACE_ID =
  '/subscriptions/0/resourceGroups/rg-test/providers/Microsoft.OperationalInsights/workspaces/log-test';
const ACTION_GROUP_ID =
  '/subscriptions/0/resourceGroups/rg-test/providers/Microsoft.Insights/actionGroups/ag-test';

/** The release gate's default thresholds. */
const GATE_THRESHOLDS: QualityAlertsProps['thresholds'] = {
  groundedness: { value: 4, direction: 'min' },
  relevance: { value: 4, direction: 'min' },
  coherence: { value: 4, direction: 'min' },
  fluency: { value: 3.5, direction: 'min' },
  similarity: { value: 3.5, direction: 'min' },
};

function synthQuality(props: Partial<QualityAlertsProps> = {}) {
  const stack = testStack();
  const construct = new QualityAlerts(stack, 'Quality', {
    resourceGroup: TEST_RESOURCE_GROUP,
    workspace: { id: WORKSPACE_ID },
    actionGroup: { actionGroupId: ACTION_GROUP_ID },
    thresholds: GATE_THRESHOLDS,
    nameSuffix: 'llmops-test',
    environment: 'test',
    ...props,
  });
  const rules = Object.values(
    resourcesOf(synthStack(stack), 'azurerm_monitor_scheduled_query_rules_alert_v2'),
  );
  const byName = new Map(rules.map((r) => [r.name as string, r]));
  return { construct, rules, byName };
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  throw new Error('expected a ValidationError');
}

const criteriaOf = (rule: Attributes) => (rule.criteria as Attributes[])[0]!;

describe('QualityAlerts', () => {
  test('defaults: a below-threshold and a drift rule for each built-in metric', () => {
    const { rules, byName } = synthQuality();
    expect(rules.length).toBe(QUALITY_METRICS.length * 2);
    for (const metric of QUALITY_METRICS) {
      expect(byName.has(`${qualityAlertKey(metric, 'below-threshold')}-llmops-test`)).toBe(true);
      expect(byName.has(`${qualityAlertKey(metric, 'drift')}-llmops-test`)).toBe(true);
    }
  });

  test.each(Object.entries(GATE_THRESHOLDS))(
    '%s below threshold: scope, query, threshold, action group',
    (metric, threshold) => {
      // GIVEN the gate's threshold for the metric
      const { byName } = synthQuality();
      const rule = byName.get(`quality-${metric}-below-threshold-llmops-test`)!;
      // THEN the rule reads the workspace, fires on any failing deployment/variant, and routes to the group
      expect(rule).toMatchObject({
        scopes: [WORKSPACE_ID],
        location: 'swedencentral',
        resource_group_name: 'rg-test',
        severity: QUALITY_ALERT_SEVERITY['below-threshold'],
        window_duration: 'PT6H',
        evaluation_frequency: 'PT1H',
        auto_mitigation_enabled: true,
        action: { action_groups: [ACTION_GROUP_ID] },
      });
      const criteria = criteriaOf(rule);
      expect(criteria).toMatchObject({
        time_aggregation_method: 'Count',
        operator: 'GreaterThan',
        threshold: 0,
      });
      expect(criteria.dimension).toEqual([
        { name: 'deployment', operator: 'Include', values: ['*'] },
        { name: 'variant', operator: 'Include', values: ['*'] },
      ]);
      // the query is the builder's, with the gate's threshold, production scores of this environment only
      const expected = belowThresholdQuery(metric, threshold, {
        window: 'PT6H',
        environment: 'test',
        minSamples: 3,
        sources: ['continuous'],
      });
      expect(criteria.query).toBe(expected.kql);
      expect(criteria.query).toContain(`meanScore < ${threshold.value}`);
      expect(contractViolations(criteria.query as string)).toEqual([]);
    },
  );

  test.each([...QUALITY_METRICS])('%s drift: recent window against the baseline before it', (metric) => {
    const { byName } = synthQuality();
    const rule = byName.get(`quality-${metric}-drift-llmops-test`)!;
    const expected = driftQuery(metric, {
      recentWindow: 'PT6H',
      baselineWindow: 'P1D',
      maxDrop: 0.5,
      environment: 'test',
      minSamples: 3,
    });
    expect(rule).toMatchObject({
      scopes: [WORKSPACE_ID],
      severity: QUALITY_ALERT_SEVERITY.drift,
      window_duration: 'PT6H',
      query_time_range_override: 'P2D',
      action: { action_groups: [ACTION_GROUP_ID] },
    });
    expect(criteriaOf(rule).query).toBe(expected.kql);
    expect(referencedNames(criteriaOf(rule).query as string).lookbacks).toEqual(['30h', '6h']);
    expect(contractViolations(criteriaOf(rule).query as string)).toEqual([]);
  });

  test('a custom max metric gets a ceiling rule and no drift rule', () => {
    const { byName, rules } = synthQuality({ thresholds: { defect_rate: { value: 0.1, direction: 'max' } } });
    expect(rules.length).toBe(1);
    const rule = byName.get('quality-defect_rate-below-threshold-llmops-test')!;
    expect(criteriaOf(rule).query).toContain('meanScore > 0.1');
    expect(rule.display_name).toBe('Quality: defect_rate above 0.1');
  });

  test('a content-safety defect rate gets a ceiling rule and a drift rule on any rise over the baseline', () => {
    // GIVEN the release gate's violence threshold (share of flagged answers, at most 1%)
    const { byName, rules } = synthQuality({
      thresholds: { violence_defect_rate: { value: 0.01, direction: 'max' } },
      drift: { maxDefectRateRise: 0.05 },
    });
    // THEN a ceiling rule and a drift rule, both under the Safety family
    expect(rules.length).toBe(2);
    const ceiling = byName.get('quality-violence_defect_rate-below-threshold-llmops-test')!;
    expect(ceiling.display_name).toBe('Safety: violence_defect_rate above 0.01');
    expect(criteriaOf(ceiling).query).toContain('meanScore > 0.01');
    const drift = byName.get('quality-violence_defect_rate-drift-llmops-test')!;
    expect(drift.display_name).toBe('Safety: violence_defect_rate drifted');
    // AND drift is a rise of the recent defect rate over the baseline, in defect-rate points
    const query = criteriaOf(drift).query as string;
    expect(query).toContain('| extend degradation = recentMean - baselineMean');
    expect(query).toContain('| where degradation > 0.05');
    expect(contractViolations(query)).toEqual([]);
  });

  test('safety drift defaults to a rise of 0.02; latency and cost get ceilings only', () => {
    const { byName, rules } = synthQuality({
      thresholds: {
        indirect_attack_defect_rate: { value: 0.01, direction: 'max' },
        latencyP95Ms: { value: 5000, direction: 'max' },
        costPer1kAnswers: { value: 15, direction: 'max' },
      },
    });
    expect(rules.map((r) => r.name).sort()).toEqual([
      'quality-costPer1kAnswers-below-threshold-llmops-test',
      'quality-indirect_attack_defect_rate-below-threshold-llmops-test',
      'quality-indirect_attack_defect_rate-drift-llmops-test',
      'quality-latencyP95Ms-below-threshold-llmops-test',
    ]);
    const drift = byName.get('quality-indirect_attack_defect_rate-drift-llmops-test')!;
    expect(criteriaOf(drift).query).toContain('| where degradation > 0.02');
    expect(byName.get('quality-latencyP95Ms-below-threshold-llmops-test')!.display_name).toBe(
      'Latency: latencyP95Ms above 5000',
    );
    expect(byName.get('quality-costPer1kAnswers-below-threshold-llmops-test')!.display_name).toBe(
      'Cost: costPer1kAnswers above 15',
    );
  });

  test('fails when a defect rate is off its 0-1 range, goes the wrong way, or its drift tolerance can never be exceeded', () => {
    expect(
      problemsOf(() =>
        synthQuality({
          thresholds: {
            sexual_defect_rate: { value: 1.5, direction: 'max' },
            self_harm_defect_rate: { value: 0.01, direction: 'min' },
          },
          drift: { maxDefectRateRise: 1 },
        }),
      ),
    ).toEqual([
      'props.thresholds.sexual_defect_rate.value: 1.5 is outside the 0-1 range of the defect rate sexual_defect_rate: must be between 0 and 1',
      'props.thresholds.self_harm_defect_rate.direction: "min": self_harm_defect_rate is lower-is-better (safety); its direction must be "max"',
      'props.drift.maxDefectRateRise: 1 can never be exceeded by the defect rate sexual_defect_rate (0-1): must be less than 1',
    ]);
  });

  test('all props: window, drift settings, minSamples and per-alert settings', () => {
    const { byName, rules, construct } = synthQuality({
      thresholds: { groundedness: GATE_THRESHOLDS.groundedness!, relevance: GATE_THRESHOLDS.relevance! },
      window: 'PT3H',
      drift: { baselineWindow: 'P1D', maxDrop: 0.25, metrics: ['groundedness'] },
      minSamples: 10,
      settings: {
        'quality-relevance-below-threshold': { severity: 1 },
        'quality-groundedness-drift': { enabled: false },
      },
    });
    expect(rules.length).toBe(2);
    expect(byName.has('quality-groundedness-drift-llmops-test')).toBe(false);
    expect(byName.get('quality-relevance-below-threshold-llmops-test')!.severity).toBe(1);
    const query = criteriaOf(byName.get('quality-groundedness-below-threshold-llmops-test')!).query as string;
    expect(query).toContain('ago(3h)');
    expect(query).toContain('samples >= 10');
    expect(Object.keys(construct.queries).sort()).toEqual([
      'quality-groundedness-below-threshold',
      'quality-relevance-below-threshold',
    ]);
  });

  test('drift false creates threshold rules only', () => {
    expect(synthQuality({ drift: false }).rules.length).toBe(QUALITY_METRICS.length);
  });

  test('fails when a built-in threshold is off the 1-5 scale', () => {
    expect(
      problemsOf(() => synthQuality({ thresholds: { groundedness: { value: 7, direction: 'min' } } })),
    ).toEqual([
      'props.thresholds.groundedness.value: 7 is outside the 1-5 scale of groundedness: must be between 1 and 5',
    ]);
  });

  test('fails when a built-in metric has a max threshold', () => {
    expect(
      problemsOf(() => synthQuality({ thresholds: { relevance: { value: 4, direction: 'max' } } })),
    ).toEqual([
      'props.thresholds.relevance.direction: "max": relevance is higher-is-better on the 1-5 scale; its direction must be "min"',
    ]);
  });

  test('fails when window plus baseline is longer than a rule can query, reported once', () => {
    expect(problemsOf(() => synthQuality({ window: 'P1D', drift: { baselineWindow: 'P2D' } }))).toEqual([
      'props.drift.baselineWindow: P1D + P2D = 3d is longer than a rule can query: recentWindow + baselineWindow must be at most P2D (48h)',
    ]);
  });

  test('fails when maxDrop can never be exceeded', () => {
    expect(problemsOf(() => synthQuality({ drift: { maxDrop: 4 } }))).toEqual([
      'props.drift.maxDrop: 4 can never be exceeded on the 1-5 scale of groundedness: must be less than 4',
    ]);
  });

  test('fails when a setting names an unknown key or a bad severity', () => {
    expect(
      problemsOf(() =>
        synthQuality({
          thresholds: { groundedness: GATE_THRESHOLDS.groundedness! },
          drift: false,
          settings: {
            'quality-fluency-drift': { enabled: false },
            'quality-groundedness-below-threshold': { severity: 7 },
          },
        }),
      ),
    ).toEqual([
      'props.settings.quality-fluency-drift: unknown quality alert key "quality-fluency-drift" (known: quality-groundedness-below-threshold)',
      'props.settings.quality-groundedness-below-threshold.severity: 7 must be an integer from 0 (critical) to 4 (verbose)',
    ]);
  });

  test('snapshot of one metric', () => {
    const { rules } = synthQuality({ thresholds: { groundedness: GATE_THRESHOLDS.groundedness! } });
    expect(rules.map((r) => r.name)).toEqual([
      'quality-groundedness-below-threshold-llmops-test',
      'quality-groundedness-drift-llmops-test',
    ]);
    expect(rules).toMatchSnapshot();
  });
});

describe('changing a quality threshold, as npm run plan:diff sees it', () => {
  /** The synth output of the quality alerts with `groundedness` at `floor`, as plan:diff reads it. */
  function output(floor: number, maxDrop: number) {
    const stack = testStack();
    new QualityAlerts(stack, 'Quality', {
      resourceGroup: TEST_RESOURCE_GROUP,
      workspace: { id: WORKSPACE_ID },
      actionGroup: { actionGroupId: ACTION_GROUP_ID },
      thresholds: { ...GATE_THRESHOLDS, groundedness: { value: floor, direction: 'min' } },
      nameSuffix: 'llmops-test',
      drift: { maxDrop },
    });
    return { stacks: new Map([['dev', parseStackConfig(JSON.parse(Testing.synth(stack, true)), 'dev')]]) };
  }

  test('the release threshold and the drift tolerance show as notable lines, not blocking', () => {
    // GIVEN groundedness >= 4 and a 0.5 drift tolerance, WHEN the floor drops to 3.5 and the tolerance to 0.25
    const report = diffOutputs(output(4, 0.5), output(3.5, 0.25));
    // THEN each changed comparison is a notable alert-threshold line, and nothing blocks
    expect(report.blocking).toEqual([]);
    const lines = report.notable.map((f) => [f.kind, f.message]);
    expect(lines).toContainEqual(['alert-threshold', 'criteria[0] query `meanScore <`: `4` -> `3.5`']);
    expect(lines).toContainEqual(['alert-threshold', 'criteria[0] query `degradation >`: `0.5` -> `0.25`']);
    expect(lines.filter(([, m]) => m.includes('degradation'))).toHaveLength(QUALITY_METRICS.length);
  });
});

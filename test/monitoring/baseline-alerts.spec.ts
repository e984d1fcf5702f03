import { TerraformResource, type TerraformStack } from 'cdktf';
import { ValidationError } from '../../constructs/core/errors';
import type { IActionGroup } from '../../constructs/monitoring/action-group';
import {
  BaselineAlerts,
  type BaselineAlertsProps,
  overridesFor,
} from '../../constructs/monitoring/baseline-alerts';
import {
  alertScope,
  BASELINE_ALERTS,
  BASELINE_RESOURCE_TYPES,
  baselineAlertsFor,
  type TerraformResourceType,
} from '../../constructs/monitoring/baseline-catalog';
import { type Attributes, resourcesOf, synthStack, TEST_RESOURCE_GROUP, testStack } from '../helpers/synth';

const ACTION_GROUP_ID =
  '/subscriptions/0/resourceGroups/rg-test/providers/Microsoft.Insights/actionGroups/ag-test';
const ACTION_GROUP: IActionGroup = { actionGroupId: ACTION_GROUP_ID };

/** A stand-in for any resource of `type`: monitoring only reads its type, id and name. */
class FakeResource extends TerraformResource {
  constructor(
    scope: TerraformStack,
    id: string,
    type: string,
    private readonly attrs: Record<string, unknown>,
  ) {
    super(scope, id, { terraformResourceType: type });
  }
  protected override synthesizeAttributes(): Record<string, unknown> {
    return this.attrs;
  }
}

function synthAlerts(type: string, props: Partial<BaselineAlertsProps> = {}) {
  const stack = testStack();
  const target = new FakeResource(stack, 'Target', type, { name: 'res-test' });
  const alerts = new BaselineAlerts(stack, 'Alerts', {
    resourceGroup: TEST_RESOURCE_GROUP,
    target,
    targetName: 'res-test',
    actionGroup: ACTION_GROUP,
    tokenBudgetPerHour: type === 'azurerm_cognitive_account' ? 1_000_000 : undefined,
    ...props,
  });
  const json = resourcesOf(synthStack(stack), 'azurerm_monitor_metric_alert');
  const byName = new Map(Object.values(json).map((a) => [a.name as string, a]));
  return { alerts, json, byName, targetId: `\${${type}.Target.id}` };
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

const TYPES_WITH_ALERTS = BASELINE_RESOURCE_TYPES.filter((t) => BASELINE_ALERTS[t].length > 0);

describe('BaselineAlerts', () => {
  describe.each(TYPES_WITH_ALERTS)('for %s', (type: TerraformResourceType) => {
    // GIVEN a resource of the type (a model account with a PTU deployment, so every conditional alert exists)
    const expected = baselineAlertsFor(type, {
      provisioned: true,
      tokenBudgetPerHour: type === 'azurerm_cognitive_account' ? 1_000_000 : undefined,
    });
    const { byName, json, targetId } = synthAlerts(type, { provisioned: true });

    test('creates one rule per catalog alert created by default, and no other', () => {
      expect(Object.keys(json).length).toBe(expected.length);
      expect([...byName.keys()].sort()).toEqual(expected.map((a) => `${a.key}-res-test`).sort());
    });

    test.each(expected.map((a) => [a.key, a] as const))(
      '%s: scope, metric, threshold, severity, action group',
      (_key, alert) => {
        const rule = byName.get(`${alert.key}-res-test`) as Attributes;
        // scope: the resource (or its sub-resource), nothing else
        expect(rule.scopes).toEqual([alertScope(alert, targetId)]);
        // metric and condition
        const dimension = alert.dimensions?.map((d) => ({
          name: d.name,
          operator: d.operator,
          values: [...d.values],
        }));
        const common = {
          metric_namespace: alert.metricNamespace,
          metric_name: alert.metricName,
          aggregation: alert.aggregation,
          ...(dimension ? { dimension } : {}),
        };
        if (alert.kind === 'static') {
          expect(rule.criteria).toEqual([
            { ...common, operator: alert.operator, threshold: alert.threshold },
          ]);
          expect(rule.dynamic_criteria).toBeUndefined();
        } else {
          expect(rule.dynamic_criteria).toEqual({
            ...common,
            operator: alert.dynamic.operator,
            alert_sensitivity: alert.dynamic.sensitivity,
            evaluation_total_count: alert.dynamic.evaluationTotalCount,
            evaluation_failure_count: alert.dynamic.evaluationFailureCount,
          });
          expect(rule.criteria).toBeUndefined();
        }
        // timing and severity as in the catalog
        expect(rule).toMatchObject({
          severity: alert.severity,
          window_size: alert.windowSize,
          frequency: alert.frequency,
          auto_mitigate: true,
          resource_group_name: 'rg-test',
        });
        // routed to the action group
        expect(rule.action).toEqual([{ action_group_id: ACTION_GROUP_ID }]);
        expect(rule.description).toContain(alert.key);
      },
    );
  });

  test('writes the azurerm rule as Azure expects it: a static and a dynamic Key Vault alert, value by value', () => {
    // GIVEN the AMBA Key Vault recommendations: Availability < 90 (sev 1, 5 min every minute) and a learned
    // threshold on ServiceApiResult (sev 2, 5 min every 5 min); the tests above derive their expectations from
    // the catalog, this one pins the JSON
    const { byName, targetId } = synthAlerts('azurerm_key_vault');
    const common = {
      resource_group_name: 'rg-test',
      scopes: [targetId],
      auto_mitigate: true,
      window_size: 'PT5M',
      action: [{ action_group_id: ACTION_GROUP_ID }],
    };
    expect(byName.get('kv-availability-res-test')).toEqual({
      ...common,
      name: 'kv-availability-res-test',
      description:
        'Availability of vault requests fell below the threshold. (alert kv-availability, see docs/alerts.md)',
      severity: 1,
      frequency: 'PT1M',
      criteria: [
        {
          metric_namespace: 'Microsoft.KeyVault/vaults',
          metric_name: 'Availability',
          aggregation: 'Average',
          operator: 'LessThan',
          threshold: 90,
        },
      ],
    });
    expect(byName.get('kv-api-results-res-test')).toEqual({
      ...common,
      name: 'kv-api-results-res-test',
      description:
        'Vault API results rose above their learned normal level. (alert kv-api-results, see docs/alerts.md)',
      severity: 2,
      frequency: 'PT5M',
      dynamic_criteria: {
        metric_namespace: 'Microsoft.KeyVault/vaults',
        metric_name: 'ServiceApiResult',
        // the metric supports only Count (Microsoft Learn, "Supported metrics for Microsoft.KeyVault/vaults")
        aggregation: 'Count',
        operator: 'GreaterThan',
        alert_sensitivity: 'Medium',
        evaluation_total_count: 4,
        evaluation_failure_count: 4,
      },
    });
  });

  test('the token budget alert takes its threshold from tokenBudgetPerHour', () => {
    const { byName } = synthAlerts('azurerm_cognitive_account', { tokenBudgetPerHour: 1234 });
    const rule = byName.get('openai-token-budget-res-test') as Attributes;
    expect((rule.criteria as Attributes[])[0]).toMatchObject({
      metric_name: 'TokenTransaction',
      threshold: 1234,
    });
  });

  test('PTU utilization is alerted only when the account has a provisioned deployment', () => {
    expect(synthAlerts('azurerm_cognitive_account').byName.has('openai-ptu-utilization-res-test')).toBe(
      false,
    );
    expect(
      synthAlerts('azurerm_cognitive_account', { provisioned: true }).byName.has(
        'openai-ptu-utilization-res-test',
      ),
    ).toBe(true);
  });

  test('applies overrides: threshold, severity, enabled', () => {
    // WHEN
    const { byName } = synthAlerts('azurerm_key_vault', {
      overrides: {
        'kv-availability': { threshold: 99, severity: 0 },
        'kv-api-hits': { enabled: false },
      },
    });
    // THEN
    const availability = byName.get('kv-availability-res-test') as Attributes;
    expect(availability.severity).toBe(0);
    expect((availability.criteria as Attributes[])[0]!.threshold).toBe(99);
    expect(byName.has('kv-api-hits-res-test')).toBe(false);
  });

  test('blob alerts are scoped to the blob service', () => {
    const { byName, targetId } = synthAlerts('azurerm_storage_account');
    expect((byName.get('blob-e2e-latency-res-test') as Attributes).scopes).toEqual([
      `${targetId}/blobServices/default`,
    ]);
    expect((byName.get('storage-availability-res-test') as Attributes).scopes).toEqual([targetId]);
  });

  test('fails when the target type has no catalog entry', () => {
    expect(problemsOf(() => synthAlerts('azurerm_container_registry'))).toEqual([
      `props.target: "azurerm_container_registry" has no baseline alerts (known: ${BASELINE_RESOURCE_TYPES.join(', ')})`,
    ]);
  });

  test('fails when the target name is not a usable literal', () => {
    expect(problemsOf(() => synthAlerts('azurerm_key_vault', { targetName: `\${var.name}` }))).toEqual([
      `props.targetName: "\${var.name}" must be a literal name without < > * % & : \\ ? + / $ { }`,
    ]);
  });

  test('fails when an override is invalid, at the props path', () => {
    expect(
      problemsOf(() =>
        synthAlerts('azurerm_key_vault', { overrides: { 'kv-availability': { threshold: 120 } } }),
      ),
    ).toEqual([
      'props.overrides.kv-availability.threshold: 120 is out of range for Availability (Percent): must be between 0 and 100',
    ]);
  });

  test('fails when a model account has no token budget', () => {
    expect(
      problemsOf(() => synthAlerts('azurerm_cognitive_account', { tokenBudgetPerHour: undefined }))[0],
    ).toMatch(
      /^props\.tokenBudgetPerHour: missing: openai-token-budget takes its threshold from tokenBudgetPerHour/,
    );
  });

  test('snapshot of the Key Vault alerts', () => {
    const { json } = synthAlerts('azurerm_key_vault');
    expect(Object.keys(json)).toHaveLength(baselineAlertsFor('azurerm_key_vault').length);
    expect(json).toMatchSnapshot();
  });
});

describe('overridesFor', () => {
  test('keeps only the keys of the resource type', () => {
    const all = {
      'kv-availability': { severity: 1 },
      'search-latency': { threshold: 2 },
      nonsense: { enabled: false },
    };
    expect(overridesFor('azurerm_key_vault', all)).toEqual({ 'kv-availability': { severity: 1 } });
    expect(overridesFor('azurerm_search_service', all)).toEqual({ 'search-latency': { threshold: 2 } });
    expect(overridesFor('azurerm_log_analytics_workspace', all)).toEqual({});
  });
});

import { join } from 'node:path';
import { Testing } from 'cdktf';
import { overridesFor } from '../../constructs/monitoring/baseline-alerts';
import {
  alertScope,
  BASELINE_ALERTS,
  BASELINE_RESOURCE_TYPES,
  baselineAlertsFor,
  type TerraformResourceType,
} from '../../constructs/monitoring/baseline-catalog';
import { OPENAI_ACCOUNT_KINDS } from '../../constructs/monitoring/discovery';
import type { EnvironmentConfig } from '../../lib/config/environment';
import { loadConfig } from '../../lib/config/load';
import { EnvironmentStack } from '../../lib/stacks/environment-stack';
import { type Attributes, resourcesOf, type SynthJson } from '../helpers/synth';

const CONFIG = loadConfig(join(__dirname, '..', '..', 'config', 'environments.yaml'));
const ref = (type: string, id: string) => `\${${type}.${id}.id}`;

describe.each(Object.keys(CONFIG.environments))('monitoring of the %s environment', (name) => {
  let env: EnvironmentConfig;
  let json: SynthJson;
  let metricAlerts: Attributes[];
  let queryRules: Attributes[];
  let defaultGroup: string;

  beforeAll(() => {
    // GIVEN the environment from the shipped config, WHEN its stack is synthesized with validations
    env = CONFIG.environments[name]!;
    json = JSON.parse(Testing.synth(new EnvironmentStack(Testing.app(), env), true)) as SynthJson;
    metricAlerts = Object.values(resourcesOf(json, 'azurerm_monitor_metric_alert'));
    queryRules = Object.values(resourcesOf(json, 'azurerm_monitor_scheduled_query_rules_alert_v2'));
    const groups = resourcesOf(json, 'azurerm_monitor_action_group');
    const [groupId] = Object.entries(groups).find(([, g]) =>
      (g.name as string).includes(`-${env.monitoring.defaultActionGroup}-`),
    )!;
    defaultGroup = ref('azurerm_monitor_action_group', groupId);
  });

  test('every deployed resource of a catalog type has all its baseline alerts', () => {
    const provisionedAccounts = new Set(
      Object.values(resourcesOf(json, 'azurerm_cognitive_deployment'))
        .filter((d) => String((d.sku as Attributes).name).includes('Provisioned'))
        .map((d) => d.cognitive_account_id as string),
    );
    let checked = 0;
    for (const type of BASELINE_RESOURCE_TYPES.filter((t) => BASELINE_ALERTS[t].length > 0)) {
      for (const [id, resource] of Object.entries(resourcesOf(json, type))) {
        if (type === 'azurerm_cognitive_account' && !OPENAI_ACCOUNT_KINDS.includes(resource.kind as string))
          continue;
        const target = ref(type, id);
        const expected = baselineAlertsFor(type as TerraformResourceType, {
          overrides: overridesFor(type as TerraformResourceType, env.monitoring.alerts),
          provisioned: provisionedAccounts.has(target),
          tokenBudgetPerHour:
            type === 'azurerm_cognitive_account' ? env.monitoring.tokenBudgetPerHour : undefined,
        });
        for (const alert of expected) {
          const rule = metricAlerts.find(
            (a) =>
              a.name === `${alert.key}-${resource.name}` &&
              (a.scopes as string[])[0] === alertScope(alert, target),
          );
          expect({ resource: target, alert: alert.key, found: rule !== undefined }).toEqual({
            resource: target,
            alert: alert.key,
            found: true,
          });
          const criteria =
            (rule!.criteria as Attributes[] | undefined)?.[0] ?? (rule!.dynamic_criteria as Attributes);
          expect(criteria.metric_name).toBe(alert.metricName);
          checked += 1;
        }
      }
    }
    // the model account, search, Key Vault and storage are all there
    expect(checked).toBeGreaterThan(20);
  });

  test('the model account has its LLM-operations alerts', () => {
    const names = metricAlerts.map((a) => a.name as string);
    for (const key of [
      'openai-availability',
      'openai-server-errors',
      'openai-client-errors',
      'openai-throttling',
      'openai-time-to-response',
      'openai-token-budget',
      'openai-content-filter-blocks',
    ]) {
      expect(names.some((n) => n.startsWith(`${key}-ais-`))).toBe(true);
    }
    const budget = metricAlerts.find((a) => (a.name as string).startsWith('openai-token-budget-'))!;
    expect((budget.criteria as Attributes[])[0]!.threshold).toBe(env.monitoring.tokenBudgetPerHour);
  });

  test('every alert and budget notification routes to the default action group', () => {
    for (const alert of metricAlerts) expect(alert.action).toEqual([{ action_group_id: defaultGroup }]);
    for (const rule of queryRules) expect(rule.action).toEqual({ action_groups: [defaultGroup] });
    for (const budget of Object.values(resourcesOf(json, 'azurerm_consumption_budget_resource_group'))) {
      for (const n of budget.notification as Attributes[]) expect(n.contact_groups).toEqual([defaultGroup]);
    }
  });

  test('answer-quality rules cover every release threshold, on the workspace', () => {
    const workspace = Object.keys(resourcesOf(json, 'azurerm_log_analytics_workspace'))[0]!;
    for (const metric of Object.keys(env.evaluation.thresholds)) {
      const rule = queryRules.find(
        (r) => r.name === `quality-${metric}-below-threshold-${env.workload}-${name}`,
      );
      expect(rule?.scopes).toEqual([ref('azurerm_log_analytics_workspace', workspace)]);
    }
  });

  test('has one workbook, and a budget exactly when the config has one, starting on the configured date', () => {
    expect(Object.keys(resourcesOf(json, 'azurerm_application_insights_workbook'))).toHaveLength(1);
    const budgets = Object.values(resourcesOf(json, 'azurerm_consumption_budget_resource_group'));
    if (env.monitoring.budget) {
      expect(budgets.map((b) => (b.time_period as Attributes).start_date)).toEqual([
        `${env.monitoring.budget.startDate}T00:00:00Z`,
      ]);
    } else {
      expect(budgets).toEqual([]);
    }
  });
});

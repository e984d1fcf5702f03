import { join } from 'node:path';
import { Testing } from 'cdktf';
import { overridesFor } from '../../constructs/monitoring/baseline-alerts';
import {
  alertScope,
  BASELINE_ALERTS,
  BASELINE_RESOURCE_TYPES,
  baselineAlertsFor,
  coverageKey,
  RESOURCE_TYPES_WITHOUT_BASELINE_ALERTS,
  type TerraformResourceType,
  uncoveredResourceTypes,
} from '../../constructs/monitoring/baseline-catalog';
import { BUDGET_START_DATE_IGNORE_CHANGES, MONTH_START_FORMAT } from '../../constructs/monitoring/budget';
import { OPENAI_ACCOUNT_KINDS } from '../../constructs/monitoring/discovery';
import type { EnvironmentConfig } from '../../lib/config/environment';
import { loadConfig } from '../../lib/config/load';
import { EnvironmentStack } from '../../lib/stacks/environment-stack';
import { shippedEnvironmentJson } from '../helpers/shipped-synth';
import {
  type Attributes,
  allResources,
  ref,
  resourcesOf,
  type SynthJson,
  testEnvironment,
} from '../helpers/synth';

const CONFIG = loadConfig(join(__dirname, '..', '..', 'config', 'environments.yaml'));

/** The coverage keys (Terraform type, or `azapi_resource:<ARM type>`) of every resource in a synthesized stack. */
function coverageKeys(json: SynthJson): string[] {
  return [...new Set(allResources(json).map(([type, , attrs]) => coverageKey(type, attrs.type)))].sort();
}

/**
 * A private production environment with every optional feature on: a failover region, a custom blocklist, a
 * provisioned deployment, an experiment and the evaluation compute cluster.
 */
const EVERYTHING_YAML = `profile: production
pipeline:
  runner:
    labels: [self-hosted]
models:
  deployments:
    chat: { role: chat, model: gpt-4o, version: "2024-11-20" }
    chat-ptu: { role: chat, model: gpt-4o, version: "2024-11-20", azure: { sku: GlobalProvisionedManaged, capacity: 15 } }
    embedding: { role: embedding, model: text-embedding-3-large, version: "1" }
  azure:
    secondaryLocations: [francecentral]
    contentFilters:
      strict:
        blocklists:
          internal: [project-x]
gateway:
  experiments:
    chat:
      variants:
        control: { deployment: chat, weight: 50 }
        ptu: { deployment: chat-ptu, weight: 50 }
evaluation:
  azure:
    compute: { vmSize: Standard_DS3_v2 }`;

describe.each(Object.keys(CONFIG.environments).filter((n) => CONFIG.environments[n]!.cloud === 'azure'))(
  'monitoring of the %s environment',
  (name) => {
    let env: EnvironmentConfig;
    let json: SynthJson;
    let metricAlerts: Attributes[];
    let queryRules: Attributes[];
    let defaultGroup: string;

    beforeAll(() => {
      // GIVEN the environment from the shipped config, WHEN its stack is synthesized with validations
      env = CONFIG.environments[name]!;
      json = shippedEnvironmentJson(name);
      metricAlerts = Object.values(resourcesOf(json, 'azurerm_monitor_metric_alert'));
      queryRules = Object.values(resourcesOf(json, 'azurerm_monitor_scheduled_query_rules_alert_v2'));
      const groups = resourcesOf(json, 'azurerm_monitor_action_group');
      const [groupId] = Object.entries(groups).find(([, g]) =>
        (g.name as string).includes(`-${env.monitoring.defaultActionGroup}-`),
      )!;
      defaultGroup = ref(`azurerm_monitor_action_group.${groupId}.id`);
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
          const target = ref(`${type}.${id}.id`);
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

    test('every resource type of the stack has baseline alerts or a documented reason for none', () => {
      // THEN no type is in neither list: add its AMBA alerts to the catalog, or its reason to
      // RESOURCE_TYPES_WITHOUT_BASELINE_ALERTS (and docs/alerts.md)
      expect(uncoveredResourceTypes(coverageKeys(json))).toEqual([]);
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
      expect(metricAlerts.length).toBeGreaterThan(20);
      expect(queryRules.length).toBeGreaterThan(0);
      for (const alert of metricAlerts) expect(alert.action).toEqual([{ action_group_id: defaultGroup }]);
      for (const rule of queryRules) expect(rule.action).toEqual({ action_groups: [defaultGroup] });
      for (const budget of Object.values(resourcesOf(json, 'azurerm_consumption_budget_resource_group'))) {
        for (const n of budget.notification as Attributes[]) expect(n.contact_groups).toEqual([defaultGroup]);
      }
    });

    test('answer-quality rules cover every release threshold, on the workspace, with the gate thresholds', () => {
      const workspace = Object.keys(resourcesOf(json, 'azurerm_log_analytics_workspace'))[0]!;
      expect(Object.keys(env.evaluation.thresholds).length).toBeGreaterThan(0);
      for (const [metric, threshold] of Object.entries(env.evaluation.thresholds)) {
        const rule = queryRules.find(
          (r) => r.name === `quality-${metric}-below-threshold-${env.workload}-${name}`,
        );
        expect(rule?.scopes).toEqual([ref(`azurerm_log_analytics_workspace.${workspace}.id`)]);
        // the release gate reads the same evaluation.thresholds: the rule fails below the gate's bound
        const query = (rule!.criteria as Attributes[])[0]!.query as string;
        const failing = threshold.direction === 'max' ? '>' : '<';
        expect(query.split('\n').at(-1)).toMatch(new RegExp(`meanScore \\${failing} ${threshold.value}$`));
      }
    });

    test('has one workbook, and a budget exactly when the config has one, starting in the month of the plan', () => {
      expect(Object.keys(resourcesOf(json, 'azurerm_application_insights_workbook'))).toHaveLength(1);
      const budgets = Object.values(resourcesOf(json, 'azurerm_consumption_budget_resource_group'));
      if (env.monitoring.budget) {
        // the default config sets no startDate: Terraform computes it and keeps it after create
        expect(env.monitoring.budget.startDate).toBeUndefined();
        expect(budgets.map((b) => [b.time_period, b.lifecycle])).toEqual([
          [
            { start_date: `\${formatdate("${MONTH_START_FORMAT}", plantimestamp())}` },
            { ignore_changes: [BUDGET_START_DATE_IGNORE_CHANGES] },
          ],
        ]);
      } else {
        expect(budgets).toEqual([]);
      }
    });
  },
);

describe('baseline alert coverage of every resource type', () => {
  // GIVEN a private environment with every optional feature, WHEN synthesized with validations
  const json = JSON.parse(
    Testing.synth(new EnvironmentStack(Testing.app(), testEnvironment(EVERYTHING_YAML, 'prod')), true),
  ) as SynthJson;
  const keys = coverageKeys(json);
  const alertNames = Object.values(resourcesOf(json, 'azurerm_monitor_metric_alert')).map((a) => a.name);

  test('every resource type has baseline alerts or a documented reason for none', () => {
    expect(keys.length).toBeGreaterThan(30);
    expect(uncoveredResourceTypes(keys)).toEqual([]);
  });

  test('the network, the Foundry project and the private DNS zones get their AMBA alerts', () => {
    for (const type of [
      'azurerm_virtual_network',
      'azurerm_ai_foundry_project',
      'azurerm_private_dns_zone',
    ]) {
      const expected = baselineAlertsFor(type as TerraformResourceType).map((a) => a.key);
      const resources = Object.values(resourcesOf(json, type));
      expect(expected.length).toBeGreaterThan(0);
      expect(resources.length).toBeGreaterThan(0);
      for (const resource of resources) {
        for (const key of expected) expect(alertNames).toContain(`${key}-${resource.name}`);
      }
    }
  });

  test('the PTU utilization alert is on exactly the accounts with a provisioned deployment', () => {
    const provisioned = Object.values(resourcesOf(json, 'azurerm_cognitive_deployment'))
      .filter((d) => String((d.sku as Attributes).name).includes('Provisioned'))
      .map((d) => d.cognitive_account_id as string);
    const scopes = Object.values(resourcesOf(json, 'azurerm_monitor_metric_alert'))
      .filter((a) => String(a.name).startsWith('openai-ptu-utilization-'))
      .map((a) => (a.scopes as string[])[0]!);
    // the primary and the failover region both carry the PTU deployment
    expect(new Set(provisioned).size).toBe(2);
    expect(scopes.sort()).toEqual([...new Set(provisioned)].sort());
  });

  test('the reasons list no type twice and no type of the catalog', () => {
    for (const type of BASELINE_RESOURCE_TYPES) {
      expect(Object.hasOwn(RESOURCE_TYPES_WITHOUT_BASELINE_ALERTS, type)).toBe(false);
    }
  });
});

describe('uncoveredResourceTypes', () => {
  test('fails when a resource type has neither alerts nor a reason', () => {
    // GIVEN a type the catalog does not know and no reason names
    // WHEN checked THEN it is reported, once, with the covered types left out
    expect(
      uncoveredResourceTypes([
        'azurerm_container_registry',
        'azurerm_key_vault',
        'azurerm_role_assignment',
        'azurerm_container_registry',
        coverageKey('azapi_resource', 'Microsoft.App/containerApps@2024-03-01'),
      ]),
    ).toEqual(['azapi_resource:Microsoft.App/containerApps', 'azurerm_container_registry']);
  });

  test('keys azapi resources by ARM type without the API version', () => {
    expect(coverageKey('azapi_resource', 'Microsoft.ApiManagement/service/backends@2024-05-01')).toBe(
      'azapi_resource:Microsoft.ApiManagement/service/backends',
    );
    expect(
      coverageKey('azapi_update_resource', 'Microsoft.MachineLearningServices/workspaces@2025-01-01-preview'),
    ).toBe('azapi_update_resource');
    expect(coverageKey('azurerm_key_vault')).toBe('azurerm_key_vault');
  });
});

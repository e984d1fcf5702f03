import { isCloudFormationType, resourceTypesWhere } from '../../constructs/core/resource-types';
import { hasUnacknowledgedBlocking } from '../../lib/plan-diff/diff';
import type { JsonObject } from '../../lib/plan-diff/json';
import {
  type FindingKind,
  gatewayWeightChanges,
  SECURITY_RULES,
  type SecurityRule,
  securityRegressions,
  TLS_KEYS,
} from '../../lib/plan-diff/rules/index';
import { isAzurermResourceType } from '../helpers/provider';
import { type Blocks, diffDev, tfRef } from './helpers';

const one = (type: string, body: Record<string, unknown>): Blocks => ({ [type]: { Main: body } });

/** Diffs one resource `Main` of `type` and returns the [kind, blocking] of every finding. */
function findings(type: string, before: Record<string, unknown>, after: Record<string, unknown>) {
  const report = diffDev(one(type, before), one(type, after));
  return [...report.blocking, ...report.notable];
}
const kinds = (
  type: string,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): [FindingKind, boolean][] => findings(type, before, after).map((f) => [f.kind, f.blocking]);

describe('security regressions are blocking', () => {
  const AI = 'azurerm_cognitive_account';
  const cases: [string, string, Record<string, unknown>, Record<string, unknown>, FindingKind][] = [
    [
      'public_network_access_enabled false -> true',
      AI,
      { public_network_access_enabled: false },
      { public_network_access_enabled: true },
      'public-access',
    ],
    [
      'public_network_access_enabled absent -> true',
      AI,
      {},
      { public_network_access_enabled: true },
      'public-access',
    ],
    [
      'public_network_access_enabled false -> absent (default true)',
      AI,
      { public_network_access_enabled: false },
      {},
      'public-access',
    ],
    [
      'public_network_access Disabled -> Enabled',
      'azurerm_ai_foundry',
      { public_network_access: 'Disabled' },
      { public_network_access: 'Enabled' },
      'public-access',
    ],
    [
      'azapi body publicNetworkAccess Disabled -> Enabled',
      'azapi_resource',
      {
        type: 'Microsoft.CognitiveServices/accounts@2025-06-01',
        body: { properties: { publicNetworkAccess: 'Disabled' } },
      },
      {
        type: 'Microsoft.CognitiveServices/accounts@2025-06-01',
        body: { properties: { publicNetworkAccess: 'Enabled' } },
      },
      'public-access',
    ],
    [
      'network_acls default_action Deny -> Allow',
      AI,
      { network_acls: [{ default_action: 'Deny' }] },
      { network_acls: [{ default_action: 'Allow' }] },
      'public-access',
    ],
    [
      'network_acls block removed (default Allow)',
      AI,
      { network_acls: [{ default_action: 'Deny' }] },
      {},
      'public-access',
    ],
    [
      'local_auth_enabled false -> true',
      AI,
      { local_auth_enabled: false },
      { local_auth_enabled: true },
      'local-auth',
    ],
    [
      'local_authentication_enabled false -> true',
      'azurerm_search_service',
      { local_authentication_enabled: false },
      { local_authentication_enabled: true },
      'local-auth',
    ],
    [
      'local_authentication_disabled true -> false',
      'azurerm_log_analytics_workspace',
      { local_authentication_disabled: true },
      { local_authentication_disabled: false },
      'local-auth',
    ],
    [
      'shared_access_key_enabled false -> true',
      'azurerm_storage_account',
      { shared_access_key_enabled: false },
      { shared_access_key_enabled: true },
      'local-auth',
    ],
    [
      'rbac_authorization_enabled true -> false',
      'azurerm_key_vault',
      { rbac_authorization_enabled: true },
      { rbac_authorization_enabled: false },
      'key-vault-protection',
    ],
    [
      'enable_rbac_authorization true -> false',
      'azurerm_key_vault',
      { enable_rbac_authorization: true },
      { enable_rbac_authorization: false },
      'key-vault-protection',
    ],
    [
      'purge_protection_enabled true -> false',
      'azurerm_key_vault',
      { purge_protection_enabled: true },
      { purge_protection_enabled: false },
      'key-vault-protection',
    ],
    [
      'min_tls_version TLS1_2 -> TLS1_0',
      'azurerm_storage_account',
      { min_tls_version: 'TLS1_2' },
      { min_tls_version: 'TLS1_0' },
      'tls',
    ],
    [
      'lifecycle.prevent_destroy true -> false',
      'azurerm_user_assigned_identity',
      { lifecycle: { prevent_destroy: true } },
      { lifecycle: { prevent_destroy: false } },
      'prevent-destroy',
    ],
    [
      'lifecycle.prevent_destroy removed',
      'azurerm_user_assigned_identity',
      { lifecycle: { prevent_destroy: true } },
      {},
      'prevent-destroy',
    ],
  ];

  test.each(cases)('fails when %s', (_name, type, before, after, kind) => {
    // GIVEN a resource whose security setting moves from secure to insecure
    // WHEN diffed
    // THEN exactly that regression is blocking
    expect(kinds(type, before, after)).toEqual([[kind, true]]);
  });

  const safe: [string, string, Record<string, unknown>, Record<string, unknown>][] = [
    [
      'public access closed (true -> false)',
      AI,
      { public_network_access_enabled: true },
      { public_network_access_enabled: false },
    ],
    [
      'network rules tightened (Allow -> Deny)',
      AI,
      { network_acls: [{ default_action: 'Allow' }] },
      { network_acls: [{ default_action: 'Deny' }] },
    ],
    ['local auth turned off', AI, { local_auth_enabled: true }, { local_auth_enabled: false }],
    [
      'a renamed argument with the same meaning (local_authentication_disabled -> local_authentication_enabled)',
      'azurerm_log_analytics_workspace',
      { local_authentication_disabled: true },
      { local_authentication_enabled: false },
    ],
    [
      'enable_rbac_authorization renamed to rbac_authorization_enabled',
      'azurerm_key_vault',
      { enable_rbac_authorization: true },
      { rbac_authorization_enabled: true },
    ],
    [
      'min_tls_version raised',
      'azurerm_storage_account',
      { min_tls_version: 'TLS1_0' },
      { min_tls_version: 'TLS1_2' },
    ],
    ['prevent_destroy added', 'azurerm_user_assigned_identity', {}, { lifecycle: { prevent_destroy: true } }],
  ];

  test.each(safe)('passes when %s', (_name, type, before, after) => {
    expect(kinds(type, before, after)).toEqual([]);
  });

  test('the message names the argument and both values', () => {
    const [finding] = findings(
      AI,
      { network_acls: [{ default_action: 'Deny' }] },
      { network_acls: [{ default_action: 'Allow' }] },
    );
    expect(finding!.message).toBe(
      'network rules opened (default action): `network_acls[0].default_action`: `"Deny"` -> `"Allow"`',
    );
  });
});

describe('security messages', () => {
  test('a renamed argument that also flips to insecure names both spellings', () => {
    const [finding] = findings(
      'azurerm_log_analytics_workspace',
      { local_authentication_disabled: true },
      { local_authentication_enabled: true },
    );
    expect(finding!.message).toBe(
      'local (key) authentication enabled: `local_authentication_disabled` = `true` -> `local_authentication_enabled` = `true`',
    );
  });
});

describe('content filter weakenings are blocking', () => {
  const RAI = 'azurerm_cognitive_account_rai_policy';
  const policy = (filters: Record<string, unknown>[]) => ({
    name: 'strict',
    cognitive_account_id: tfRef('azurerm_cognitive_account.Ai.id'),
    base_policy_name: 'Microsoft.Default',
    content_filter: filters,
  });
  const filter = (overrides: Record<string, unknown> = {}) => ({
    name: 'Hate',
    source: 'Prompt',
    filter_enabled: true,
    block_enabled: true,
    severity_threshold: 'Low',
    ...overrides,
  });
  const violence = { ...filter(), name: 'Violence' };

  test.each([
    [
      'severity_threshold rises Low -> High',
      [filter({ severity_threshold: 'High' }), violence],
      'severity threshold raised',
    ],
    [
      'severity_threshold rises Low -> Medium',
      [filter({ severity_threshold: 'Medium' }), violence],
      'severity threshold raised',
    ],
    [
      'filter_enabled goes true -> false',
      [filter({ filter_enabled: false }), violence],
      'filtering turned off',
    ],
    ['block_enabled goes true -> false', [filter({ block_enabled: false }), violence], 'blocking turned off'],
    ['a filter is removed', [violence], 'content filter `Hate (Prompt)` removed'],
  ])('fails when %s', (_name, after, text) => {
    const found = findings(RAI, policy([filter(), violence]), policy(after));
    expect(found.map((f) => [f.kind, f.blocking])).toEqual([['content-filter', true]]);
    expect(found[0]!.message).toContain(text);
  });

  test('passes when a filter is tightened (High -> Low) or added', () => {
    const before = policy([filter({ severity_threshold: 'High' })]);
    expect(findings(RAI, before, policy([filter(), violence]))).toEqual([]);
  });

  test('fails when the RAI policy is destroyed', () => {
    const report = diffDev(one(RAI, policy([filter()])), {});
    expect(report.blocking.map((f) => [f.kind, f.message])).toEqual([
      ['content-filter', 'RAI policy destroyed: its 1 content filters no longer apply'],
    ]);
  });

  test('fails when an azapi RAI policy filter is weakened', () => {
    const azapi = (severity: string) => ({
      type: 'Microsoft.CognitiveServices/accounts/raiPolicies@2024-10-01',
      name: 'strict',
      parent_id: tfRef('azurerm_cognitive_account.Ai.id'),
      body: {
        properties: {
          contentFilters: [
            {
              name: 'Sexual',
              source: 'Completion',
              enabled: true,
              blocking: true,
              severityThreshold: severity,
            },
          ],
        },
      },
    });
    expect(kinds('azapi_resource', azapi('Low'), azapi('High'))).toEqual([['content-filter', true]]);
  });

  test('fails when a deployment drops its rai_policy_name; passes when it switches policy', () => {
    const deployment = (rai?: string) => ({
      name: 'chat',
      cognitive_account_id: tfRef('azurerm_cognitive_account.Ai.id'),
      model: { format: 'OpenAI', name: 'gpt-4o', version: '2024-11-20' },
      sku: { name: 'GlobalStandard', capacity: 50 },
      ...(rai ? { rai_policy_name: rai } : {}),
    });
    expect(kinds('azurerm_cognitive_deployment', deployment('strict'), deployment())).toEqual([
      ['content-filter', true],
    ]);
    expect(kinds('azurerm_cognitive_deployment', deployment('strict'), deployment('stricter'))).toEqual([]);
  });
});

describe('gateway weights and alert thresholds are shown, not blocking', () => {
  const pool = (services: { id: string; weight?: number; priority?: number }[]) => ({
    type: 'Microsoft.ApiManagement/service/backends@2024-05-01',
    name: 'aoai-pool',
    parent_id: tfRef('azurerm_api_management.Apim.id'),
    body: { properties: { type: 'Pool', pool: { services } } },
  });

  test('a weight change is shown old -> new per backend id', () => {
    // GIVEN traffic shifts from 50/50 to 80/20 and a third backend joins
    const before = pool([
      { id: '/backends/aoai-swe', weight: 50, priority: 1 },
      { id: '/backends/aoai-frc', weight: 50, priority: 1 },
    ]);
    const after = pool([
      { id: '/backends/aoai-swe', weight: 80, priority: 1 },
      { id: '/backends/aoai-frc', weight: 20, priority: 1 },
      { id: '/backends/aoai-uks', priority: 2 },
    ]);
    // WHEN diffed
    const report = diffDev(one('azapi_resource', before), one('azapi_resource', after));
    // THEN each change is notable, nothing blocks
    expect(report.blocking).toEqual([]);
    expect(hasUnacknowledgedBlocking(report)).toBe(false);
    expect(report.notable.map((f) => [f.kind, f.message])).toEqual([
      ['gateway-weight', 'pool backend `/backends/aoai-frc`: weight `50` -> `20`'],
      ['gateway-weight', 'pool backend `/backends/aoai-swe`: weight `50` -> `80`'],
      ['gateway-weight', 'pool backend `/backends/aoai-uks` added: weight `(default)`, priority `2`'],
    ]);
  });

  test('experiment weights held in a gateway named value are shown per variant, not blocking', () => {
    // GIVEN the named value the gateway policy reads, before and after a rollback
    const weights = (value: string) => ({
      name: 'llmops-weights-chat',
      display_name: 'llmops-weights-chat',
      api_management_name: tfRef('azurerm_api_management.Apim.name'),
      resource_group_name: tfRef('azurerm_resource_group.Rg.name'),
      value,
    });
    // WHEN diffed
    const report = diffDev(
      one('azurerm_api_management_named_value', weights('control=90;candidate=10')),
      one('azurerm_api_management_named_value', weights('control=100;candidate=0')),
    );
    // THEN each variant's move is a notable line, nothing blocks
    expect(report.blocking).toEqual([]);
    expect(report.notable.map((f) => [f.kind, f.message])).toEqual([
      ['gateway-weight', 'experiment `chat` variant `candidate`: weight `10` -> `0`'],
      ['gateway-weight', 'experiment `chat` variant `control`: weight `90` -> `100`'],
    ]);
  });

  test('a named value that is not an experiment weight is an ordinary change', () => {
    const nv = (value: string) => ({ name: 'backend-url', display_name: 'backend-url', value });
    const report = diffDev(
      one('azurerm_api_management_named_value', nv('a')),
      one('azurerm_api_management_named_value', nv('b')),
    );
    expect(report.notable).toEqual([]);
  });

  test('a metric alert threshold and dynamic sensitivity change are shown old -> new', () => {
    const alert = (threshold: number, sensitivity: string) => ({
      name: 'aoai-latency',
      resource_group_name: tfRef('azurerm_resource_group.Rg.name'),
      scopes: [tfRef('azurerm_cognitive_account.Ai.id')],
      criteria: [
        {
          metric_namespace: 'Microsoft.CognitiveServices/accounts',
          metric_name: 'AzureOpenAIRequests',
          aggregation: 'Total',
          operator: 'GreaterThan',
          threshold,
        },
      ],
      dynamic_criteria: {
        metric_namespace: 'Microsoft.CognitiveServices/accounts',
        metric_name: 'AzureOpenAITimeToResponse',
        aggregation: 'Average',
        operator: 'GreaterThan',
        alert_sensitivity: sensitivity,
      },
    });
    const found = findings('azurerm_monitor_metric_alert', alert(5, 'Medium'), alert(50, 'Low'));
    expect(found.map((f) => [f.kind, f.blocking, f.message])).toEqual([
      ['alert-threshold', false, 'criteria `AzureOpenAIRequests` threshold: `5` -> `50`'],
      [
        'alert-threshold',
        false,
        'dynamic_criteria `AzureOpenAITimeToResponse` alert_sensitivity: `"Medium"` -> `"Low"`',
      ],
    ]);
  });

  test('a scheduled query alert threshold change is shown by criterion position', () => {
    const rule = (threshold: number) => ({
      name: 'eval-groundedness',
      location: 'swedencentral',
      resource_group_name: tfRef('azurerm_resource_group.Rg.name'),
      criteria: [
        { query: 'AppTraces | take 1', time_aggregation_method: 'Average', operator: 'LessThan', threshold },
      ],
    });
    expect(
      findings('azurerm_monitor_scheduled_query_rules_alert_v2', rule(4), rule(3)).map((f) => f.message),
    ).toEqual(['criteria[0] threshold: `4` -> `3`']);
  });

  test('an answer-quality threshold written in the query is shown old -> new', () => {
    // GIVEN a quality rule that counts failing rows: the release threshold lives in the KQL
    const rule = (floor: number, minSamples: number) => ({
      name: 'quality-groundedness-below-threshold-llmops-dev',
      location: 'swedencentral',
      resource_group_name: tfRef('azurerm_resource_group.Rg.name'),
      criteria: [
        {
          query: [
            'AppEvents',
            '| where TimeGenerated > ago(6h)',
            '| summarize meanScore = avg(score), samples = count() by deployment, variant',
            `| where samples >= ${minSamples} and meanScore < ${floor}`,
          ].join('\n'),
          time_aggregation_method: 'Count',
          operator: 'GreaterThan',
          threshold: 0,
        },
      ],
    });
    // WHEN the floor moves from 4 to 3.5 and the sample minimum from 3 to 5
    const found = findings('azurerm_monitor_scheduled_query_rules_alert_v2', rule(4, 3), rule(3.5, 5));
    // THEN both show as notable, not blocking
    expect(found.map((f) => [f.kind, f.blocking, f.message])).toEqual([
      ['alert-threshold', false, 'criteria[0] query `meanScore <`: `4` -> `3.5`'],
      ['alert-threshold', false, 'criteria[0] query `samples >=`: `3` -> `5`'],
    ]);
  });

  test('a query change without a changed comparison is not a threshold change', () => {
    const rule = (table: string) => ({
      name: 'quality-fluency-drift-llmops-dev',
      criteria: [{ query: `${table}\n| where degradation > 0.5`, operator: 'GreaterThan', threshold: 0 }],
    });
    expect(
      findings('azurerm_monitor_scheduled_query_rules_alert_v2', rule('AppEvents'), rule('AppTraces')),
    ).toEqual([]);
  });
});

describe('every type the registry marks losesDataWhenDestroyed: destroying or replacing it blocks', () => {
  // Terraform types; the ARM-type entries and the CloudFormation entries (test/plan-diff/cloudformation.spec.ts)
  // are covered elsewhere.
  const STATEFUL = resourceTypesWhere((f) => f.losesDataWhenDestroyed === true).filter(
    (t) => !t.includes('/') && !isCloudFormationType(t),
  );

  test('every entry is a resource type of the pinned azurerm provider (a misspelt one protects nothing)', () => {
    expect(STATEFUL.length).toBeGreaterThan(10);
    expect(STATEFUL.filter((type) => !isAzurermResourceType(type))).toEqual([]);
  });

  test.each(STATEFUL)('fails when a %s is destroyed', (type) => {
    const report = diffDev(one(type, { name: 'x' }), {});
    expect(report.blocking.map((f) => [f.address, f.kind, f.message])).toEqual([
      [`${type}.Main`, 'stateful-destroy', `stateful \`${type}\` destroyed`],
    ]);
  });

  test.each(STATEFUL)('fails when a %s is replaced (renamed without a moved block)', (type) => {
    const report = diffDev(one(type, { name: 'x' }), { [type]: { Renamed: { name: 'x' } } });
    expect(report.blocking.map((f) => [f.address, f.kind, f.message])).toEqual([
      [
        `${type}.Renamed`,
        'stateful-replace',
        `stateful \`${type}\` replaced (destroyed and created): address changed from \`${type}.Main\` without a \`moved\` block`,
      ],
    ]);
  });

  test('destroying a type not in the list is shown, not blocking', () => {
    const report = diffDev(one('azurerm_role_assignment', { scope: '/x' }), {});
    expect(report.blocking).toEqual([]);
    expect(report.stacks[0]!.changes.map((c) => [c.address, c.action])).toEqual([
      ['azurerm_role_assignment.Main', 'delete'],
    ]);
  });
});

describe('every spelling of every security setting (SECURITY_RULES)', () => {
  const TYPE = 'azurerm_user_assigned_identity';
  const cases = SECURITY_RULES.flatMap((rule) =>
    rule.settings.map((setting) => ({ label: `${rule.what}: ${setting.key}`, rule, setting })),
  );
  // a dotted parent (`Properties.PublicAccessBlockConfiguration`) is nested objects
  const body = (rule: SecurityRule, key: string, value: unknown): Record<string, unknown> =>
    (rule.parent ? rule.parent.split('.') : [])
      .reverse()
      .reduce<Record<string, unknown>>((inner, segment) => ({ [segment]: inner }), { [key]: value });
  const at = (rule: SecurityRule, key: string): string => (rule.parent ? `${rule.parent}.${key}` : key);
  const shown = (value: unknown): string => `\`${JSON.stringify(value)}\``;

  test('every spelling is an argument or property name, each distinct within its setting', () => {
    for (const rule of SECURITY_RULES) {
      const keys = rule.settings.map((s) => s.key);
      // snake_case / camelCase (Terraform, azapi) or PascalCase (CloudFormation)
      expect([rule.what, keys.filter((k) => !/^[A-Za-z][A-Za-z_]+$/.test(k))]).toEqual([rule.what, []]);
      expect([rule.what, new Set(keys).size]).toEqual([rule.what, keys.length]);
    }
  });

  test.each(cases)('fails when $label is weakened', ({ rule, setting }) => {
    const found = findings(
      TYPE,
      body(rule, setting.key, setting.secure),
      body(rule, setting.key, setting.insecure),
    );
    expect(found.map((f) => [f.kind, f.blocking, f.message])).toEqual([
      [
        rule.kind,
        true,
        `${rule.what}: \`${at(rule, setting.key)}\`: ${shown(setting.secure)} -> ${shown(setting.insecure)}`,
      ],
    ]);
  });

  test.each(cases)('fails when $label is set insecure where it was absent', ({ rule, setting }) => {
    const found = findings(TYPE, {}, body(rule, setting.key, setting.insecure));
    expect(found.map((f) => [f.kind, f.message])).toEqual([
      [rule.kind, `${rule.what}: \`${at(rule, setting.key)}\`: \`(absent)\` -> ${shown(setting.insecure)}`],
    ]);
  });

  test.each(cases)('fails when $label is removed and the default is insecure', ({ rule, setting }) => {
    const found = findings(TYPE, body(rule, setting.key, setting.secure), {});
    expect(found.map((f) => [f.kind, f.message])).toEqual(
      rule.absentIsInsecure
        ? [
            [
              rule.kind,
              `${rule.what}: \`${at(rule, setting.key)}\`: ${shown(setting.secure)} -> \`(absent)\``,
            ],
          ]
        : [],
    );
  });

  test.each(cases)(
    'passes when $label was already insecure before (kept or removed)',
    ({ rule, setting }) => {
      const insecure = body(rule, setting.key, setting.insecure);
      expect(findings(TYPE, insecure, insecure)).toEqual([]);
      expect(findings(TYPE, insecure, {})).toEqual([]);
    },
  );

  test.each(cases)('passes when $label stays secure or is tightened', ({ rule, setting }) => {
    const secure = body(rule, setting.key, setting.secure);
    expect(findings(TYPE, secure, secure)).toEqual([]);
    expect(findings(TYPE, body(rule, setting.key, setting.insecure), secure)).toEqual([]);
  });

  const textual = cases.filter(({ setting }) => typeof setting.secure === 'string');

  test.each(textual)('compares $label values case-insensitively', ({ rule, setting }) => {
    // GIVEN values as the service echoes them back, in another case
    const upper = (v: unknown) => String(v).toUpperCase();
    const lower = (v: unknown) => String(v).toLowerCase();
    // THEN secure -> insecure still blocks; insecure -> insecure in another case does not
    expect(
      kinds(
        TYPE,
        body(rule, setting.key, upper(setting.secure)),
        body(rule, setting.key, lower(setting.insecure)),
      ),
    ).toEqual([[rule.kind, true]]);
    expect(
      findings(
        TYPE,
        body(rule, setting.key, upper(setting.insecure)),
        body(rule, setting.key, lower(setting.insecure)),
      ),
    ).toEqual([]);
    expect(kinds(TYPE, body(rule, setting.key, upper(setting.secure)), {})).toEqual([[rule.kind, true]]);
  });

  test('an unknown value is neither secure nor insecure: moving to it does not block, leaving it does not either', () => {
    const acl = (value: string) => ({ network_acls: [{ default_action: value }] });
    expect(findings(TYPE, acl('Deny'), acl('Sometimes'))).toEqual([]);
    expect(findings(TYPE, acl('Sometimes'), {})).toEqual([]);
    expect(kinds(TYPE, acl('Sometimes'), acl('Allow'))).toEqual([['public-access', true]]);
  });

  test('prevent_destroy counts only in the lifecycle block', () => {
    expect(findings(TYPE, { tags: { prevent_destroy: true } }, { tags: { prevent_destroy: false } })).toEqual(
      [],
    );
  });
});

describe('azapi bodies: the camelCase spellings as the REST API takes them', () => {
  const azapi = (type: string, properties: Record<string, unknown>) => ({
    type,
    name: 'x',
    parent_id: tfRef('azurerm_resource_group.Rg.id'),
    body: { properties },
  });
  const AIS = 'Microsoft.CognitiveServices/accounts@2025-06-01';
  const ST = 'Microsoft.Storage/storageAccounts@2023-05-01';
  const KV = 'Microsoft.KeyVault/vaults@2023-07-01';
  const cases: [string, string, Record<string, unknown>, Record<string, unknown>, FindingKind, string][] = [
    [
      'disableLocalAuth true -> false',
      AIS,
      { disableLocalAuth: true },
      { disableLocalAuth: false },
      'local-auth',
      'local (key) authentication enabled: `body.properties.disableLocalAuth`: `true` -> `false`',
    ],
    [
      'disableLocalAuth removed',
      AIS,
      { disableLocalAuth: true },
      {},
      'local-auth',
      'local (key) authentication enabled: `body.properties.disableLocalAuth`: `true` -> `(absent)`',
    ],
    [
      'networkAcls.defaultAction Deny -> Allow',
      AIS,
      { networkAcls: { defaultAction: 'Deny' } },
      { networkAcls: { defaultAction: 'Allow' } },
      'public-access',
      'network rules opened (default action): `body.properties.networkAcls.defaultAction`: `"Deny"` -> `"Allow"`',
    ],
    [
      'networkAcls removed',
      AIS,
      { networkAcls: { defaultAction: 'Deny' } },
      {},
      'public-access',
      'network rules opened (default action): `body.properties.networkAcls.defaultAction`: `"Deny"` -> `(absent)`',
    ],
    [
      'publicNetworkAccess removed',
      AIS,
      { publicNetworkAccess: 'Disabled' },
      {},
      'public-access',
      'public network access opened: `body.properties.publicNetworkAccess`: `"Disabled"` -> `(absent)`',
    ],
    [
      'allowSharedKeyAccess false -> true',
      ST,
      { allowSharedKeyAccess: false },
      { allowSharedKeyAccess: true },
      'local-auth',
      'shared access keys enabled: `body.properties.allowSharedKeyAccess`: `false` -> `true`',
    ],
    [
      'allowSharedKeyAccess removed',
      ST,
      { allowSharedKeyAccess: false },
      {},
      'local-auth',
      'shared access keys enabled: `body.properties.allowSharedKeyAccess`: `false` -> `(absent)`',
    ],
    [
      'minimumTlsVersion TLS1_2 -> TLS1_0',
      ST,
      { minimumTlsVersion: 'TLS1_2' },
      { minimumTlsVersion: 'TLS1_0' },
      'tls',
      'minimum TLS version lowered: `body.properties.minimumTlsVersion` `"TLS1_2"` -> `"TLS1_0"`',
    ],
    [
      'enableRbacAuthorization true -> false',
      KV,
      { enableRbacAuthorization: true },
      { enableRbacAuthorization: false },
      'key-vault-protection',
      'Key Vault RBAC authorization turned off: `body.properties.enableRbacAuthorization`: `true` -> `false`',
    ],
    [
      'enableRbacAuthorization removed',
      KV,
      { enableRbacAuthorization: true },
      {},
      'key-vault-protection',
      'Key Vault RBAC authorization turned off: `body.properties.enableRbacAuthorization`: `true` -> `(absent)`',
    ],
    [
      'enablePurgeProtection true -> false',
      KV,
      { enablePurgeProtection: true },
      { enablePurgeProtection: false },
      'key-vault-protection',
      'purge protection turned off: `body.properties.enablePurgeProtection`: `true` -> `false`',
    ],
    [
      'enablePurgeProtection removed',
      KV,
      { enablePurgeProtection: true },
      {},
      'key-vault-protection',
      'purge protection turned off: `body.properties.enablePurgeProtection`: `true` -> `(absent)`',
    ],
    [
      'siteConfig.minTlsVersion 1.2 -> 1.0',
      'Microsoft.Web/sites@2023-12-01',
      { siteConfig: { minTlsVersion: '1.2' } },
      { siteConfig: { minTlsVersion: '1.0' } },
      'tls',
      'minimum TLS version lowered: `body.properties.siteConfig.minTlsVersion` `"1.2"` -> `"1.0"`',
    ],
  ];

  test.each(cases)('fails when %s', (_name, type, before, after, kind, message) => {
    const found = findings('azapi_resource', azapi(type, before), azapi(type, after));
    expect(found.map((f) => [f.kind, f.blocking, f.message])).toEqual([[kind, true, message]]);
  });

  test('passes when the camelCase settings are tightened', () => {
    const open = {
      disableLocalAuth: false,
      publicNetworkAccess: 'Enabled',
      networkAcls: { defaultAction: 'Allow' },
    };
    const closed = {
      disableLocalAuth: true,
      publicNetworkAccess: 'Disabled',
      networkAcls: { defaultAction: 'Deny' },
    };
    expect(findings('azapi_resource', azapi(AIS, open), azapi(AIS, closed))).toEqual([]);
  });

  test('fails when an azapi model deployment drops raiPolicyName; passes when it keeps or switches it', () => {
    const deployment = (raiPolicyName?: string) =>
      azapi('Microsoft.CognitiveServices/accounts/deployments@2024-10-01', {
        model: { format: 'OpenAI', name: 'gpt-4o', version: '2024-11-20' },
        ...(raiPolicyName === undefined ? {} : { raiPolicyName }),
      });
    const dropped = findings('azapi_resource', deployment('strict'), deployment());
    expect(dropped.map((f) => [f.kind, f.blocking, f.message])).toEqual([
      [
        'content-filter',
        true,
        'deployment RAI policy removed: `body.properties.raiPolicyName` `"strict"` -> `(absent)`',
      ],
    ]);
    expect(kinds('azapi_resource', deployment('strict'), deployment(''))).toEqual([['content-filter', true]]);
    expect(findings('azapi_resource', deployment('strict'), deployment('stricter'))).toEqual([]);
    expect(findings('azapi_resource', deployment(), deployment())).toEqual([]);
  });

  test('raiPolicyName on an azapi resource that is not a model deployment is an ordinary change', () => {
    const other = (raiPolicyName?: string) =>
      azapi(
        'Microsoft.CognitiveServices/accounts/projects@2025-06-01',
        raiPolicyName ? { raiPolicyName } : {},
      );
    expect(findings('azapi_resource', other('strict'), other())).toEqual([]);
  });
});

describe('minimum TLS: every spelling (TLS_KEYS), every way of writing a version', () => {
  test('every spelling is an argument or property name', () => {
    expect([...TLS_KEYS].filter((k) => !/^[a-z][A-Za-z_]+$/.test(k))).toEqual([]);
  });

  test('minimum_tls_version (e.g. azurerm_eventhub_namespace, web apps) lowered blocks', () => {
    expect(
      findings(
        'azurerm_eventhub_namespace',
        { minimum_tls_version: '1.2' },
        { minimum_tls_version: '1.0' },
      ).map((f) => f.message),
    ).toEqual(['minimum TLS version lowered: `minimum_tls_version` `"1.2"` -> `"1.0"`']);
  });

  test.each([...TLS_KEYS])('fails when %s is lowered, passes when it is raised or kept', (key) => {
    const type = 'azurerm_user_assigned_identity';
    expect(findings(type, { [key]: '1.2' }, { [key]: '1.1' }).map((f) => f.message)).toEqual([
      `minimum TLS version lowered: \`${key}\` \`"1.2"\` -> \`"1.1"\``,
    ]);
    expect(findings(type, { [key]: '1.1' }, { [key]: '1.2' })).toEqual([]);
    expect(findings(type, { [key]: '1.2' }, { [key]: '1.2' })).toEqual([]);
  });

  test.each([
    ['TLS1_2', 'TLS1_1', true],
    ['Tls12', 'Tls10', true],
    ['1.3', '1.2', true],
    ['TLS1_3', 'TLS1_2', true],
    ['TLS1_2', 'TLS1_3', false],
    ['TLS1_2', 'legacy', false],
    ['legacy', 'TLS1_0', false],
  ])('min_tls_version %s -> %s blocks: %s', (before, after, blocks) => {
    const type = 'azurerm_storage_account';
    expect(kinds(type, { min_tls_version: before }, { min_tls_version: after })).toEqual(
      blocks ? [['tls', true]] : [],
    );
  });

  test('a numeric value names no version and is left alone', () => {
    expect(findings('azurerm_storage_account', { min_tls_version: 12 }, { min_tls_version: 10 })).toEqual([]);
  });
});

describe('gateway pools and experiment weights: what changed, and only that', () => {
  const pool = (services: Record<string, unknown>[]) => ({
    type: 'Microsoft.ApiManagement/service/backends@2024-05-01',
    name: 'aoai-pool',
    parent_id: tfRef('azurerm_api_management.Apim.id'),
    body: { properties: { type: 'Pool', pool: { services } } },
  });

  test('a backend removed from the pool is shown with its old weight and priority', () => {
    const before = pool([
      { id: '/backends/aoai-swe', weight: 50, priority: 1 },
      { id: '/backends/aoai-frc', weight: 50 },
    ]);
    const after = pool([{ id: '/backends/aoai-swe', weight: 50, priority: 1 }]);
    expect(findings('azapi_resource', before, after).map((f) => [f.kind, f.blocking, f.message])).toEqual([
      [
        'gateway-weight',
        false,
        'pool backend `/backends/aoai-frc` removed (was weight `50`, priority `(default)`)',
      ],
    ]);
  });

  test('a backend added with no weight shows the default; a priority change alone is shown', () => {
    const before = pool([{ id: '/backends/a', weight: 1, priority: 1 }]);
    const after = pool([
      { id: '/backends/a', weight: 1, priority: 2 },
      { id: '/backends/b', weight: 3 },
    ]);
    expect(findings('azapi_resource', before, after).map((f) => f.message)).toEqual([
      'pool backend `/backends/a`: priority `1` -> `2`',
      'pool backend `/backends/b` added: weight `3`, priority `(default)`',
    ]);
  });

  test('an unchanged pool and a backend of another type are not reported', () => {
    const same = pool([{ id: '/backends/a', weight: 1, priority: 1 }]);
    expect(findings('azapi_resource', same, same)).toEqual([]);
    const single = (url: string) => ({
      type: 'Microsoft.ApiManagement/service/backends@2024-05-01',
      name: 'aoai-swe',
      body: { properties: { url, pool: { services: [{ id: url, weight: 1 }] } } },
    });
    expect(
      findings('azurerm_api_management_backend', single('https://a'), single('https://b')).filter(
        (f) => f.kind === 'gateway-weight',
      ),
    ).toEqual([]);
  });

  const weights = (value: string, name = 'llmops-weights-chat') => ({
    name,
    display_name: name,
    api_management_name: tfRef('azurerm_api_management.Apim.name'),
    value,
  });
  const NV = 'azurerm_api_management_named_value';

  test('only the variants whose weight changed are reported; a new or dropped variant reads (none)', () => {
    const found = findings(
      NV,
      weights('control=90;candidate=10;legacy=0'),
      weights('control=90;candidate=5;shadow=5'),
    );
    expect(found.map((f) => f.message)).toEqual([
      'experiment `chat` variant `candidate`: weight `10` -> `5`',
      'experiment `chat` variant `legacy`: weight `0` -> `(none)`',
      'experiment `chat` variant `shadow`: weight `(none)` -> `5`',
    ]);
  });

  test('the same weights in another order are no change per variant', () => {
    expect(findings(NV, weights('control=90;candidate=10'), weights('candidate=10;control=90'))).toEqual([]);
  });

  test.each([
    'control=ninety',
    'control=90%',
    'control',
    '=90',
    'control=x=90',
    'control=1000',
    'control=90;',
  ])('unparsable weights %p are shown as the whole value, old -> new, not blocking', (value) => {
    const found = findings(NV, weights('control=90;candidate=10'), weights(value));
    expect(found.map((f) => [f.kind, f.blocking, f.message])).toEqual([
      [
        'gateway-weight',
        false,
        `experiment \`chat\` weights: \`"control=90;candidate=10"\` -> \`${JSON.stringify(value)}\``,
      ],
    ]);
  });

  test('a named value outside the weights prefix is not read as weights', () => {
    const other = (value: string) => weights(value, 'llmops-weight-chat');
    expect(findings(NV, other('control=90'), other('control=10'))).toEqual([]);
  });
});

describe('what is not a regression, when something else in the resource changes', () => {
  const TYPE = 'azurerm_user_assigned_identity';
  /** The same body with a changed tag, so the resource is an update and every rule runs. */
  const rev = (body: Record<string, unknown>, n: number) => ({ ...body, tags: { rev: String(n) } });

  test.each(
    SECURITY_RULES.flatMap((rule) =>
      rule.settings.map((setting) => ({ label: `${rule.what}: ${setting.key}`, rule, setting })),
    ),
  )('$label kept secure, or kept insecure, is no finding', ({ rule, setting }) => {
    const body = (value: unknown) =>
      rule.parent ? { [rule.parent]: { [setting.key]: value } } : { [setting.key]: value };
    expect(findings(TYPE, rev(body(setting.secure), 1), rev(body(setting.secure), 2))).toEqual([]);
    expect(findings(TYPE, rev(body(setting.insecure), 1), rev(body(setting.insecure), 2))).toEqual([]);
  });

  test('an unchanged minimum TLS version is no finding', () => {
    expect(
      findings(TYPE, rev({ min_tls_version: 'TLS1_2' }, 1), rev({ min_tls_version: 'TLS1_2' }, 2)),
    ).toEqual([]);
  });

  test('a boolean setting written as a string counts as the boolean (Terraform converts it)', () => {
    expect(kinds(TYPE, { local_auth_enabled: 'false' }, { local_auth_enabled: 'true' })).toEqual([
      ['local-auth', true],
    ]);
    expect(kinds(TYPE, { shared_access_key_enabled: 'False' }, {})).toEqual([['local-auth', true]]);
    expect(findings(TYPE, { local_auth_enabled: 'true' }, { local_auth_enabled: true })).toEqual([]);
  });

  test('an object or null where a flag belongs is neither secure nor insecure', () => {
    expect(findings(TYPE, { local_auth_enabled: null }, { local_auth_enabled: { value: true } })).toEqual([]);
  });

  test('public_network_access removed from an AI Foundry hub (default Enabled) blocks', () => {
    const found = findings('azurerm_ai_foundry', { public_network_access: 'Disabled' }, {});
    expect(found.map((f) => f.message)).toEqual([
      'public network access opened: `public_network_access`: `"Disabled"` -> `(absent)`',
    ]);
  });

  test('lifecycle.prevent_destroy removed reads as such', () => {
    const found = findings(TYPE, { lifecycle: { prevent_destroy: true } }, {});
    expect(found.map((f) => f.message)).toEqual([
      'lifecycle.prevent_destroy removed: `lifecycle.prevent_destroy`: `true` -> `(absent)`',
    ]);
  });

  test('several places of one setting are reported in path order', () => {
    const acls = (first: string, second: string) => ({
      zeta: [{ default_action: first }],
      alpha: [{ default_action: second }],
    });
    expect(findings(TYPE, acls('Deny', 'Deny'), acls('Allow', 'Allow')).map((f) => f.message)).toEqual([
      'network rules opened (default action): `alpha[0].default_action`: `"Deny"` -> `"Allow"`',
      'network rules opened (default action): `zeta[0].default_action`: `"Deny"` -> `"Allow"`',
    ]);
  });
});

describe('stateful data-plane objects', () => {
  const dataPlane = (type?: string) => ({
    ...(type === undefined ? {} : { type }),
    name: 'docs',
    parent_id: 'srch-test.search.windows.net',
    body: {},
  });

  test('an index type in lower case is still an index', () => {
    const report = diffDev(
      one('azapi_data_plane_resource', dataPlane('microsoft.search/searchservices/indexes@2024-07-01')),
      {},
    );
    expect(report.blocking.map((f) => f.kind)).toEqual(['stateful-destroy']);
  });

  test('a data-plane object without a type, or of a type that holds no documents, is not stateful', () => {
    expect(diffDev(one('azapi_data_plane_resource', dataPlane()), {}).blocking).toEqual([]);
    expect(
      diffDev(
        one('azapi_data_plane_resource', dataPlane('Microsoft.Search/searchServices/skillsets@2024-07-01')),
        {},
      ).blocking,
    ).toEqual([]);
  });

  test('azapi resources are looked up by ARM type, whichever azapi resource type carries it', () => {
    expect(
      diffDev(
        one('azapi_resource', dataPlane('Microsoft.Search/searchServices/indexes@2024-07-01')),
        {},
      ).blocking.map((f) => f.kind),
    ).toEqual(['stateful-destroy']);
  });
});

describe('content filters: azapi spellings and what is not a weakening', () => {
  const azapiPolicy = (
    filters: Record<string, unknown>[],
    type = 'Microsoft.CognitiveServices/accounts/raiPolicies@2024-10-01',
  ) => ({
    type,
    name: 'strict',
    parent_id: tfRef('azurerm_cognitive_account.Ai.id'),
    body: { properties: { basePolicyName: 'Microsoft.Default', contentFilters: filters } },
  });
  const sexual = (overrides: Record<string, unknown> = {}) => ({
    name: 'Sexual',
    source: 'Completion',
    enabled: true,
    blocking: true,
    severityThreshold: 'Low',
    ...overrides,
  });
  const hate = { ...sexual(), name: 'Hate' };

  test.each([
    [
      'enabled true -> false',
      [sexual({ enabled: false }), hate],
      'content filter `Sexual (Completion)` filtering turned off: `true` -> `false`',
    ],
    [
      'blocking true -> false',
      [sexual({ blocking: false }), hate],
      'content filter `Sexual (Completion)` blocking turned off: `true` -> `false`',
    ],
    [
      'blocking removed',
      [sexual({ blocking: undefined }), hate],
      'content filter `Sexual (Completion)` blocking turned off: `true` -> `(absent)`',
    ],
    ['the filter removed', [hate], 'content filter `Sexual (Completion)` removed'],
    [
      'severityThreshold low -> medium (any case)',
      [sexual({ severityThreshold: 'medium' }), hate],
      'content filter `Sexual (Completion)` severity threshold raised: `"Low"` -> `"medium"`',
    ],
  ])('fails when an azapi filter has %s', (_name, after, message) => {
    const found = findings('azapi_resource', azapiPolicy([sexual(), hate]), azapiPolicy(after));
    expect(found.map((f) => [f.kind, f.blocking, f.message])).toEqual([['content-filter', true, message]]);
  });

  test('a lower-case azapi type is still an RAI policy', () => {
    const type = 'microsoft.cognitiveservices/accounts/raipolicies@2024-10-01';
    expect(kinds('azapi_resource', azapiPolicy([sexual()], type), azapiPolicy([], type))).toEqual([
      ['content-filter', true],
    ]);
  });

  test('passes when the filters are unchanged and something else changes', () => {
    const before = azapiPolicy([sexual(), hate]);
    const after = {
      ...azapiPolicy([sexual(), hate]),
      body: { properties: { basePolicyName: 'Microsoft.DefaultV2', contentFilters: [sexual(), hate] } },
    };
    expect(findings('azapi_resource', before, after)).toEqual([]);
  });

  test('destroying an RAI policy without filters is only a destroy', () => {
    const report = diffDev(one('azapi_resource', azapiPolicy([])), {});
    expect(report.blocking).toEqual([]);
  });

  test('an unknown severity name is not read as a rank', () => {
    expect(
      findings(
        'azapi_resource',
        azapiPolicy([sexual({ severityThreshold: 'Low' })]),
        azapiPolicy([sexual({ severityThreshold: 'Extreme' })]),
      ),
    ).toEqual([]);
  });

  test('a deployment whose rai_policy_name was empty has nothing to drop', () => {
    const deployment = (rai?: string) => ({
      name: 'chat',
      model: { format: 'OpenAI', name: 'gpt-4o', version: '2024-11-20' },
      ...(rai === undefined ? {} : { rai_policy_name: rai }),
      version_upgrade_option: rai === undefined ? 'NoAutoUpgrade' : 'OnceNewDefaultVersionAvailable',
    });
    expect(findings('azurerm_cognitive_deployment', deployment(''), deployment())).toEqual([]);
  });
});

describe('gateway pools and weights: only real changes', () => {
  const pool = (
    services: Record<string, unknown>[],
    description = 'pool',
    type = 'Microsoft.ApiManagement/service/backends@2024-05-01',
  ) => ({
    type,
    name: 'aoai-pool',
    parent_id: tfRef('azurerm_api_management.Apim.id'),
    body: { properties: { description, type: 'Pool', pool: { services } } },
  });

  test('an unchanged pool whose description changes shows no backend line', () => {
    const services = [{ id: '/backends/a', weight: 1, priority: 1 }];
    expect(findings('azapi_resource', pool(services, 'one'), pool(services, 'two'))).toEqual([]);
  });

  test('a lower-case backends type is still a pool', () => {
    const type = 'microsoft.apimanagement/service/backends@2024-05-01';
    expect(
      findings(
        'azapi_resource',
        pool([{ id: '/backends/a', weight: 1 }], 'p', type),
        pool([{ id: '/backends/a', weight: 2 }], 'p', type),
      ).map((f) => f.message),
    ).toEqual(['pool backend `/backends/a`: weight `1` -> `2`']);
  });

  test('a pool body that becomes another azapi type is not read as backends removed', () => {
    const before = pool([{ id: '/backends/a', weight: 1 }]);
    const after = { ...pool([]), type: 'Microsoft.ApiManagement/service/apis@2024-05-01' };
    expect(findings('azapi_resource', before, after).filter((f) => f.kind === 'gateway-weight')).toEqual([]);
  });

  const NV = 'azurerm_api_management_named_value';
  const weights = (value: string, display = 'w') => ({
    name: 'llmops-weights-chat',
    display_name: display,
    value,
  });

  test('unchanged weights with another change are no finding, even when they do not parse', () => {
    expect(
      findings(NV, weights('control=90;candidate=10', 'a'), weights('control=90;candidate=10', 'b')),
    ).toEqual([]);
    expect(findings(NV, weights('not weights', 'a'), weights('not weights', 'b'))).toEqual([]);
  });

  test('weights that did not parse before are shown whole', () => {
    expect(findings(NV, weights('control'), weights('control=100')).map((f) => f.message)).toEqual([
      'experiment `chat` weights: `"control"` -> `"control=100"`',
    ]);
  });

  test('a named value without a name is not read as weights', () => {
    expect(
      findings(NV, { display_name: 'x', value: 'control=1' }, { display_name: 'x', value: 'control=2' }),
    ).toEqual([]);
  });
});

describe('alert thresholds: keys, removals and query comparisons', () => {
  const metricAlert = (criteria: Record<string, unknown>[]) => ({ name: 'a', scopes: ['/x'], criteria });
  const criterion = (metric: string | undefined, threshold: number) => ({
    ...(metric === undefined ? {} : { metric_name: metric }),
    metric_namespace: 'Microsoft.CognitiveServices/accounts',
    aggregation: 'Total',
    operator: 'GreaterThan',
    threshold,
  });
  const MA = 'azurerm_monitor_metric_alert';

  test('criteria that share a metric name are keyed by position', () => {
    const found = findings(
      MA,
      metricAlert([criterion('Requests', 1), criterion('Requests', 2)]),
      metricAlert([criterion('Requests', 1), criterion('Requests', 5)]),
    );
    expect(found.map((f) => f.message)).toEqual(['criteria[1] threshold: `2` -> `5`']);
  });

  test('criteria without a metric name are keyed by position', () => {
    const found = findings(
      MA,
      metricAlert([criterion(undefined, 1)]),
      metricAlert([criterion(undefined, 3)]),
    );
    expect(found.map((f) => f.message)).toEqual(['criteria[0] threshold: `1` -> `3`']);
  });

  test('a removed criterion is not a threshold change', () => {
    const found = findings(
      MA,
      metricAlert([criterion('A', 1), criterion('B', 2)]),
      metricAlert([criterion('A', 1)]),
    );
    expect(found).toEqual([]);
  });

  const SQ = 'azurerm_monitor_scheduled_query_rules_alert_v2';
  const rule = (...queries: string[]) => ({
    name: 'q',
    criteria: queries.map((query) => ({ query, operator: 'GreaterThan', threshold: 0 })),
  });

  test.each([
    ['a comparison in a comment', 'T\n// x > 1\n| where y > 2', 'T\n// x > 9\n| where y > 2', []],
    [
      'a negative threshold',
      'T | where delta > -0.5',
      'T | where delta > -1',
      ['criteria[0] query `delta >`: `-0.5` -> `-1`'],
    ],
    [
      'a repeated comparison',
      'T | where n >= 3 | where n >= 5',
      'T | where n >= 3 | where n >= 7',
      ['criteria[0] query `n >= #2`: `5` -> `7`'],
    ],
    ['a removed comparison', 'T | where n >= 3', 'T | where m < 1', []],
    [
      'operators told apart',
      'T | where n <= 3 and n != 1 and n == 2',
      'T | where n <= 4 and n != 1 and n == 2',
      ['criteria[0] query `n <=`: `3` -> `4`'],
    ],
    [
      'a column inside a word',
      'T | where xn > 1',
      'T | where xn > 2',
      ['criteria[0] query `xn >`: `1` -> `2`'],
    ],
  ])('query thresholds: %s', (_name, before, after, messages) => {
    expect(findings(SQ, rule(before), rule(after)).map((f) => f.message)).toEqual(messages);
  });

  test('a criterion added to a query rule is not a threshold change', () => {
    expect(findings(SQ, rule('T | where n > 1'), rule('T | where n > 1', 'U | where m > 2'))).toEqual([]);
  });
});

describe('the rule functions on their own: ordered, and safe on partial bodies', () => {
  const state = (type: string, body: Record<string, unknown>) => ({ type, body: body as JsonObject });

  test('securityRegressions reports several places of one setting in path order', () => {
    const body = (action: string) => ({
      zeta: [{ default_action: action }],
      alpha: [{ default_action: action }],
    });
    expect(
      securityRegressions(state('x', body('Deny')), state('x', body('Allow'))).map((r) => r.message),
    ).toEqual([
      'network rules opened (default action): `alpha[0].default_action`: `"Deny"` -> `"Allow"`',
      'network rules opened (default action): `zeta[0].default_action`: `"Deny"` -> `"Allow"`',
    ]);
  });

  test('securityRegressions skips an argument the new version ignores (Terraform keeps the deployed value)', () => {
    // GIVEN API Management created open and closed by an update: the switch is in ignore_changes
    const apim = (open: boolean, ignore?: unknown) =>
      state('azurerm_api_management', {
        public_network_access_enabled: open,
        local_auth_enabled: false,
        ...(ignore === undefined ? {} : { lifecycle: { ignore_changes: ignore } }),
      });
    const messages = (before: ReturnType<typeof apim>, after: ReturnType<typeof apim>) =>
      securityRegressions(before, after).map((r) => r.message);
    // THEN flipping an ignored argument is no regression, and `all` ignores every argument
    expect(messages(apim(false), apim(true, ['public_network_access_enabled']))).toEqual([]);
    expect(messages(apim(false), apim(true, 'all'))).toEqual([]);
    // AND an ignored block covers the settings inside it, an ignored sibling path does not
    const acls = (action: string, ignore: string[]) =>
      state('azurerm_cognitive_account', {
        network_acls: [{ default_action: action, ip_rules: [] }],
        lifecycle: { ignore_changes: ignore },
      });
    expect(securityRegressions(acls('Deny', []), acls('Allow', ['network_acls']))).toEqual([]);
    expect(
      securityRegressions(acls('Deny', []), acls('Allow', ['network_acls[0].ip_rules'])).map(
        (r) => r.message,
      ),
    ).toEqual([
      'network rules opened (default action): `network_acls[0].default_action`: `"Deny"` -> `"Allow"`',
    ]);
    // AND an argument that is not ignored still blocks, as does the same change without ignore_changes
    expect(messages(apim(false), apim(true, ['tags']))).toEqual([
      'public network access opened: `public_network_access_enabled`: `false` -> `true`',
    ]);
    expect(messages(apim(false), apim(true))).toEqual([
      'public network access opened: `public_network_access_enabled`: `false` -> `true`',
    ]);
    // AND ignoring one argument does not hide another's regression
    const both = state('azurerm_api_management', {
      public_network_access_enabled: true,
      local_auth_enabled: true,
      lifecycle: { ignore_changes: ['public_network_access_enabled'] },
    });
    expect(messages(apim(false), both)).toEqual([expect.stringContaining('local_auth_enabled')]);
  });

  test('gatewayWeightChanges reports backends in id order', () => {
    const pool = (services: Record<string, unknown>[]) =>
      state('azapi_resource', {
        type: 'Microsoft.ApiManagement/service/backends@2024-05-01',
        body: { properties: { pool: { services } } },
      });
    expect(
      gatewayWeightChanges(
        pool([
          { id: 'b', weight: 1 },
          { id: 'a', weight: 1 },
        ]),
        pool([
          { id: 'b', weight: 2 },
          { id: 'a', weight: 2 },
        ]),
      ).map((r) => r.message),
    ).toEqual(['pool backend `a`: weight `1` -> `2`', 'pool backend `b`: weight `1` -> `2`']);
  });

  test('a minimum TLS version set where there was none is no finding', () => {
    expect(findings('azurerm_storage_account', {}, { min_tls_version: 'TLS1_0' })).toEqual([]);
  });

  test('an azurerm deployment dropping rai_policy_name names the argument', () => {
    const deployment = (rai?: string) => ({ name: 'chat', ...(rai ? { rai_policy_name: rai } : {}) });
    expect(
      findings('azurerm_cognitive_deployment', deployment('strict'), deployment()).map((f) => f.message),
    ).toEqual(['deployment RAI policy removed: `rai_policy_name` `"strict"` -> `(absent)`']);
  });

  const RAI = 'azurerm_cognitive_account_rai_policy';
  const policy = (filters: Record<string, unknown>[]) => ({ name: 'p', content_filter: filters });

  test('a filter without a name or source is keyed with ?', () => {
    const filter = (severity: string) => ({
      filter_enabled: true,
      block_enabled: true,
      severity_threshold: severity,
    });
    expect(findings(RAI, policy([filter('Low')]), policy([filter('High')])).map((f) => f.message)).toEqual([
      'content filter `? (?)` severity threshold raised: `"Low"` -> `"High"`',
    ]);
  });

  test('a filter that was off and stays off is not turned off again', () => {
    const filter = (severity: string) => ({
      name: 'Hate',
      source: 'Prompt',
      filter_enabled: false,
      block_enabled: false,
      severity_threshold: severity,
    });
    expect(findings(RAI, policy([filter('High')]), policy([filter('Low')]))).toEqual([]);
  });

  const azapi = (type: string, properties: Record<string, unknown>) => ({
    type,
    name: 'x',
    parent_id: tfRef('azurerm_cognitive_account.Ai.id'),
    body: { properties },
  });

  test('an azapi RAI policy whose body type changes loses its filters: each is reported removed', () => {
    const filters = [
      { name: 'Hate', source: 'Prompt', enabled: true, blocking: true, severityThreshold: 'Low' },
    ];
    const found = findings(
      'azapi_resource',
      azapi('Microsoft.CognitiveServices/accounts/raiPolicies@2024-10-01', { contentFilters: filters }),
      azapi('Microsoft.CognitiveServices/accounts/raiBlocklists@2024-10-01', { contentFilters: filters }),
    );
    expect(found.filter((f) => f.kind === 'content-filter').map((f) => f.message)).toEqual([
      'content filter `Hate (Prompt)` removed',
    ]);
  });

  test('an azapi deployment whose body type changes has dropped its RAI policy', () => {
    const found = findings(
      'azapi_resource',
      azapi('Microsoft.CognitiveServices/accounts/deployments@2024-10-01', { raiPolicyName: 'strict' }),
      azapi('Microsoft.CognitiveServices/accounts/projects@2025-06-01', { raiPolicyName: 'strict' }),
    );
    expect(found.filter((f) => f.kind === 'content-filter').map((f) => f.message)).toEqual([
      'deployment RAI policy removed: `body.properties.raiPolicyName` `"strict"` -> `(absent)`',
    ]);
  });

  const pool = (services: Record<string, unknown>[]) => ({
    type: 'Microsoft.ApiManagement/service/backends@2024-05-01',
    name: 'aoai-pool',
    body: { properties: { pool: { services } } },
  });

  test('backend ids that are not strings are keyed by their JSON', () => {
    expect(
      findings(
        'azapi_resource',
        pool([{ id: 7, weight: 1 }, { weight: 1 }]),
        pool([{ id: 7, weight: 2 }, { weight: 3 }]),
      ).map((f) => f.message),
    ).toEqual(['pool backend `7`: weight `1` -> `2`', 'pool backend `null`: weight `1` -> `3`']);
  });

  test('a backend whose weight and priority both change is one line', () => {
    expect(
      findings(
        'azapi_resource',
        pool([{ id: 'a', weight: 1, priority: 1 }]),
        pool([{ id: 'a', weight: 2, priority: 2 }]),
      ).map((f) => f.message),
    ).toEqual(['pool backend `a`: weight `1` -> `2`, priority `1` -> `2`']);
  });

  const NV = 'azurerm_api_management_named_value';

  test('weights whose value is removed are shown whole', () => {
    expect(
      findings(NV, { name: 'llmops-weights-chat', value: 'a=1' }, { name: 'llmops-weights-chat' }).map(
        (f) => f.message,
      ),
    ).toEqual(['experiment `chat` weights: `"a=1"` -> `(absent)`']);
  });

  test('only API Management named values hold experiment weights', () => {
    const secret = (value: string) => ({ name: 'llmops-weights-chat', value });
    expect(
      findings('azurerm_key_vault_secret', secret('a=1'), secret('a=2')).filter(
        (f) => f.kind === 'gateway-weight',
      ),
    ).toEqual([]);
  });

  test('a weights named value renamed to another name is not read as weights', () => {
    const found = findings(
      NV,
      { name: 'llmops-weights-chat', value: 'a=1' },
      { name: 'other', value: 'a=2' },
    );
    expect(found.filter((f) => f.kind === 'gateway-weight')).toEqual([]);
  });

  const MA = 'azurerm_monitor_metric_alert';
  test('criteria keyed by name only when every criterion has one', () => {
    const alert = (t: number) => ({ criteria: [{ metric_name: 'A', threshold: 1 }, { threshold: t }] });
    expect(findings(MA, alert(1), alert(2)).map((f) => f.message)).toEqual([
      'criteria[1] threshold: `1` -> `2`',
    ]);
  });

  const SQ = 'azurerm_monitor_scheduled_query_rules_alert_v2';
  test('a criterion without a query, or removed, is compared by threshold only', () => {
    expect(
      findings(SQ, { criteria: [{ threshold: 1 }] }, { criteria: [{ threshold: 2 }] }).map((f) => f.message),
    ).toEqual(['criteria[0] threshold: `1` -> `2`']);
    expect(
      findings(
        SQ,
        { criteria: [{ query: 'T | where n > 1' }, { query: 'U' }] },
        { criteria: [{ query: 'T | where n > 1' }] },
      ),
    ).toEqual([]);
  });

  test.each([
    ['no spaces', 'T | where n>=3', 'T | where n>=4', 'criteria[0] query `n >=`: `3` -> `4`'],
    ['several digits', 'T | where n > 10', 'T | where n > 20', 'criteria[0] query `n >`: `10` -> `20`'],
    [
      'several decimals',
      'T | where s < 0.55',
      'T | where s < 0.75',
      'criteria[0] query `s <`: `0.55` -> `0.75`',
    ],
    [
      'a third repeat',
      'T | where n > 1 | where n > 2 | where n > 3',
      'T | where n > 1 | where n > 2 | where n > 4',
      'criteria[0] query `n > #3`: `3` -> `4`',
    ],
  ])('query comparisons with %s', (_name, before, after, message) => {
    expect(
      findings(SQ, { criteria: [{ query: before }] }, { criteria: [{ query: after }] }).map((f) => f.message),
    ).toEqual([message]);
  });

  test('another alert type with criteria is not read for thresholds', () => {
    const activity = (level: string) => ({
      criteria: [{ category: 'Administrative', level, threshold: level === 'Error' ? 1 : 2 }],
    });
    expect(findings('azurerm_monitor_activity_log_alert', activity('Error'), activity('Warning'))).toEqual(
      [],
    );
  });
});

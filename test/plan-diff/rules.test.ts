import { hasUnacknowledgedBlocking } from '../../lib/plan-diff/diff';
import type { FindingKind } from '../../lib/plan-diff/rules';
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

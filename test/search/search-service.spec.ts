import { Aspects, type TerraformStack } from 'cdktf';
import { DiagnosticsAspect } from '../../constructs/core/diagnostics';
import { ValidationError } from '../../constructs/core/errors';
import type { PrivateEndpointProps } from '../../constructs/core/private-endpoint';
import { resolveTokens } from '../../constructs/core/resolve';
import { applyPolicies, PolicyReport } from '../../constructs/policy';
import {
  SEARCH_SKU_LIMITS,
  SEARCH_SKUS,
  SearchService,
  type SearchServiceProps,
  searchCapacityProblems,
} from '../../constructs/search/search-service';
import {
  type Attributes,
  onlyResource,
  ref,
  resourcesOf,
  type SynthJson,
  synthStack,
  TEST_RESOURCE_GROUP,
  testStack,
} from '../helpers/synth';
import { FakeModels, MODEL_ACCOUNT_ID } from './fixtures';

const PRIVATE_ENDPOINT: PrivateEndpointProps = {
  subnetId:
    '/subscriptions/s/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pep',
  dnsZoneIds: {
    'privatelink.search.windows.net':
      '/subscriptions/s/resourceGroups/rg-net/providers/Microsoft.Network/privateDnsZones/privatelink.search.windows.net',
  },
};

function build(props: Partial<SearchServiceProps> = {}): { stack: TerraformStack; search: SearchService } {
  const stack = testStack();
  const search = new SearchService(stack, 'Search', {
    resourceGroup: TEST_RESOURCE_GROUP,
    name: 'srch-llmops-dev-abcde',
    ...props,
  });
  return { stack, search };
}

const FREE_TIER =
  '"free": the free tier has no managed identity, which the key-less integrated vectorizer needs (nor private endpoints); use basic or higher';

function service(json: SynthJson): Attributes {
  return onlyResource(json, 'azurerm_search_service');
}

function problemsOf(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('SearchService defaults', () => {
  // GIVEN only a resource group and a name
  const { stack } = build();
  // WHEN synthesized
  const attrs = service(synthStack(stack));

  test('key authentication is off (RBAC only) and no failure mode is set', () => {
    expect(attrs.local_authentication_enabled).toBe(false);
    expect(attrs).not.toHaveProperty('authentication_failure_mode');
  });

  test('has a system-assigned identity', () => {
    expect(attrs.identity).toEqual({ type: 'SystemAssigned' });
  });

  test('public network access is off', () => {
    expect(attrs.public_network_access_enabled).toBe(false);
  });

  test('trusted Azure services may pass the firewall', () => {
    expect(attrs.network_rule_bypass_option).toBe('AzureServices');
  });

  test('is a basic service with one replica and one partition', () => {
    expect(attrs.sku).toBe('basic');
    expect(attrs.replica_count).toBe(1);
    expect(attrs.partition_count).toBe(1);
  });

  test('semantic ranker on the free plan', () => {
    expect(attrs.semantic_search_sku).toBe('free');
  });

  test('is protected by prevent_destroy', () => {
    expect(attrs.lifecycle).toEqual({ prevent_destroy: true });
  });

  test('creates no private endpoint, shared private link or role assignment', () => {
    const json = synthStack(stack);
    expect(resourcesOf(json, 'azurerm_private_endpoint')).toEqual({});
    expect(resourcesOf(json, 'azurerm_search_shared_private_link_service')).toEqual({});
    expect(resourcesOf(json, 'azurerm_role_assignment')).toEqual({});
  });
});

describe('SearchService with every prop', () => {
  // GIVEN a production-sized, private, unprotected service with diagnostics and a shared private link
  const { stack, search } = build({
    sku: 'standard',
    replicas: 3,
    partitions: 2,
    semanticRanker: 'standard',
    publicNetworkAccessEnabled: true,
    preventDestroy: false,
    privateEndpoint: PRIVATE_ENDPOINT,
    sharedPrivateLinks: {
      'spl-openai-account': { targetResourceId: MODEL_ACCOUNT_ID, subresourceName: 'openai_account' },
    },
    diagnosticSettings: { workspace: { id: '/workspaces/log' } },
  });
  const json = synthStack(stack);

  test('sizes the service as asked', () => {
    const attrs = service(json);
    expect(attrs.sku).toBe('standard');
    expect(attrs.replica_count).toBe(3);
    expect(attrs.partition_count).toBe(2);
    expect(attrs.semantic_search_sku).toBe('standard');
    expect(attrs.public_network_access_enabled).toBe(true);
    expect(attrs).not.toHaveProperty('lifecycle');
  });

  test('creates the private endpoint on sub-resource searchService with its DNS zone', () => {
    const pep = onlyResource(json, 'azurerm_private_endpoint');
    expect(pep.private_service_connection).toEqual({
      is_manual_connection: false,
      name: 'pep-srch-llmops-dev-abcde-searchservice-connection',
      private_connection_resource_id: ref('azurerm_search_service.Search.id'),
      subresource_names: ['searchService'],
    });
    expect(pep.private_dns_zone_group).toEqual({
      name: 'default',
      private_dns_zone_ids: [PRIVATE_ENDPOINT.dnsZoneIds['privatelink.search.windows.net']],
    });
    expect(search.privateEndpoint).toBeDefined();
  });

  test('creates the shared private link to the model account', () => {
    const link = onlyResource(json, 'azurerm_search_shared_private_link_service');
    expect(link).toMatchObject({
      name: 'spl-openai-account',
      search_service_id: ref('azurerm_search_service.Search.id'),
      subresource_name: 'openai_account',
      target_resource_id: MODEL_ACCOUNT_ID,
    });
    expect(Object.keys(search.sharedPrivateLinks)).toEqual(['spl-openai-account']);
  });

  test('sends all logs and metrics to the given workspace', () => {
    const setting = onlyResource(json, 'azurerm_monitor_diagnostic_setting');
    expect(setting).toMatchObject({
      target_resource_id: ref('azurerm_search_service.Search.id'),
      log_analytics_workspace_id: '/workspaces/log',
      enabled_log: [{ category_group: 'allLogs' }],
      enabled_metric: [{ category: 'AllMetrics' }],
    });
  });

  test('data-plane objects wait for the service and its private endpoint', () => {
    expect(search.dataPlaneDependencies).toEqual([search.service, search.privateEndpoint]);
  });
});

describe('SearchService handles', () => {
  const { stack, search } = build();
  const resolve = (value: string) => resolveTokens(stack, value);

  test('endpoint, data-plane host, service id and principal id reference the service', () => {
    expect(resolve(search.endpoint)).toBe(
      `https://${ref('azurerm_search_service.Search.name')}.search.windows.net`,
    );
    expect(resolve(search.dataPlaneHost)).toBe(
      `${ref('azurerm_search_service.Search.name')}.search.windows.net`,
    );
    expect(resolve(search.serviceId)).toBe(ref('azurerm_search_service.Search.id'));
    expect(resolve(search.principalId)).toBe(ref('azurerm_search_service.Search.identity[0].principal_id'));
    expect(search.principalType).toBe('ServicePrincipal');
  });

  test('index names start empty', () => {
    expect(search.indexNames).toEqual([]);
  });
});

describe('SearchService grants', () => {
  test.each([
    ['grantIndexDataReader', 'Search Index Data Reader'],
    ['grantIndexDataContributor', 'Search Index Data Contributor'],
    ['grantServiceContributor', 'Search Service Contributor'],
  ] as const)('%s assigns %s on the service', (method, role) => {
    // GIVEN a service and an application identity
    const { stack, search } = build();
    // WHEN the identity is granted
    search[method]({ principalId: '11111111-1111-1111-1111-111111111111' });
    // THEN one role assignment of that role is scoped to the service
    const assignment = onlyResource(synthStack(stack), 'azurerm_role_assignment');
    expect(assignment).toMatchObject({
      role_definition_name: role,
      scope: ref('azurerm_search_service.Search.id'),
      principal_id: '11111111-1111-1111-1111-111111111111',
      principal_type: 'ServicePrincipal',
    });
  });

  test('integrated vectorization grants the search identity inference on the model account, once', () => {
    // GIVEN a service and a model endpoint
    const { stack, search } = build();
    const models = new FakeModels(stack, 'Models');
    // WHEN vectorization is enabled twice (two indexes on the same models)
    const first = search.enableIntegratedVectorization(models);
    const second = search.enableIntegratedVectorization(models);
    // THEN one assignment: Cognitive Services OpenAI User for the service identity on the account
    expect(second).toBe(first);
    const assignment = onlyResource(synthStack(stack), 'azurerm_role_assignment');
    expect(assignment).toMatchObject({
      role_definition_name: 'Cognitive Services OpenAI User',
      scope: MODEL_ACCOUNT_ID,
      principal_id: ref('azurerm_search_service.Search.identity[0].principal_id'),
      principal_type: 'ServicePrincipal',
    });
  });
});

describe('SearchService in an environment', () => {
  test('the stack diagnostics aspect gives the service a diagnostic setting', () => {
    // GIVEN a service without diagnosticSettings, in a stack with the aspect
    const { stack } = build();
    Aspects.of(stack).add(new DiagnosticsAspect({ workspace: { id: '/workspaces/env' } }));
    // THEN the setting is filled in
    expect(onlyResource(synthStack(stack), 'azurerm_monitor_diagnostic_setting')).toMatchObject({
      target_resource_id: ref('azurerm_search_service.Search.id'),
      log_analytics_workspace_id: '/workspaces/env',
    });
  });

  test('passes the policy rules of a private environment', () => {
    // GIVEN the defaults with a private endpoint, under every policy rule of a private environment
    const { stack } = build({ privateEndpoint: PRIVATE_ENDPOINT });
    Aspects.of(stack).add(new DiagnosticsAspect({ workspace: { id: '/workspaces/env' } }));
    applyPolicies(stack, { networkMode: 'private', requiredTags: [] });
    // THEN synth (which fails on any policy error) succeeds, every rule having looked at the service
    const json = synthStack(stack);
    expect(service(json).public_network_access_enabled).toBe(false);
    const report = PolicyReport.tryOf(stack)!;
    expect(report.ruleIds).toEqual(
      expect.arrayContaining([
        'diagnostic-setting',
        'local-auth-disabled',
        'managed-identity',
        'prevent-destroy',
        'private-endpoint',
        'public-network-access',
      ]),
    );
    // AND nothing was found, not even a suppressed finding
    expect(report.findings).toEqual([]);
  });
});

describe('SearchService validation', () => {
  test('fails when the name breaks the AI Search naming rule', () => {
    expect(problemsOf(() => build({ name: 'Srch_Bad' }))).toEqual([
      {
        path: 'props.name',
        message:
          'AI Search service name "Srch_Bad" breaks the rule: 2-60 lowercase letters, digits and single hyphens, starting and ending with a letter or digit',
      },
    ]);
  });

  test('fails when replicas exceed the tier maximum', () => {
    expect(problemsOf(() => build({ sku: 'basic', replicas: 4 }))).toEqual([
      { path: 'props.replicas', message: '4 replicas: the basic tier allows 1 to 3' },
    ]);
  });

  test('fails when the tier is free: it has no managed identity for the vectorizer', () => {
    // GIVEN the free tier (the semantic ranker then defaults to disabled, so the identity is the only problem)
    expect(problemsOf(() => build({ sku: 'free' }))).toEqual([{ path: 'props.sku', message: FREE_TIER }]);
  });

  test('fails when a free service has more than one replica', () => {
    expect(problemsOf(() => build({ sku: 'free', replicas: 2 }))).toEqual([
      { path: 'props.sku', message: FREE_TIER },
      { path: 'props.replicas', message: '2 replicas: the free tier has exactly 1' },
    ]);
  });

  test('fails when replicas are not a positive integer', () => {
    expect(problemsOf(() => build({ replicas: 0 }))).toEqual([
      { path: 'props.replicas', message: '0 replicas: the basic tier allows 1 to 3' },
    ]);
  });

  test('fails when the partition count is not one the tier allows', () => {
    expect(problemsOf(() => build({ sku: 'standard', partitions: 5 }))).toEqual([
      { path: 'props.partitions', message: '5 partitions: the standard tier allows 1, 2, 3, 4, 6, 12' },
    ]);
  });

  test('fails when a basic service has more than one partition', () => {
    expect(problemsOf(() => build({ sku: 'basic', partitions: 3 }))).toEqual([
      { path: 'props.partitions', message: '3 partitions: the basic tier has exactly 1' },
    ]);
  });

  test('fails when replicas x partitions exceed the search units of the tier', () => {
    expect(problemsOf(() => build({ sku: 'standard2', replicas: 12, partitions: 6 }))).toEqual([
      {
        path: 'props.replicas',
        message: '12 replicas x 6 partitions = 72 search units: the standard2 tier allows at most 36',
      },
    ]);
  });

  test('fails when the semantic ranker is asked for on the free tier', () => {
    expect(problemsOf(() => build({ sku: 'free', semanticRanker: 'free' }))).toEqual([
      { path: 'props.sku', message: FREE_TIER },
      {
        path: 'props.semanticRanker',
        message: '"free": the free tier has no semantic ranker; use "disabled" or a basic or higher tier',
      },
    ]);
  });

  test('fails when the tier is unknown', () => {
    expect(problemsOf(() => build({ sku: 'premium' as never }))).toEqual([
      {
        path: 'props.sku',
        message:
          '"premium" is not an AI Search tier; use one of free, basic, standard, standard2, standard3, storage_optimized_l1, storage_optimized_l2',
      },
    ]);
  });

  test('reports every problem at once', () => {
    expect(
      problemsOf(() => build({ name: '-bad-', sku: 'free', replicas: 3, semanticRanker: 'standard' })).map(
        (p) => p.path,
      ),
    ).toEqual(['props.name', 'props.sku', 'props.replicas', 'props.semanticRanker']);
  });

  test('on the free tier with its only sizing and no semantic ranker, the missing identity is the only problem', () => {
    expect(
      searchCapacityProblems({ sku: 'free', replicas: 1, partitions: 1, semanticRanker: 'disabled' }),
    ).toEqual([{ path: 'sku', message: FREE_TIER }]);
  });

  test.each([
    ['basic', 3, 1],
    ['standard', 12, 3],
    ['standard2', 3, 12],
    ['standard3', 6, 6],
    ['storage_optimized_l1', 12, 1],
    ['storage_optimized_l2', 1, 12],
  ] as const)('%s with %i replicas x %i partitions is within the limits', (sku, replicas, partitions) => {
    expect(searchCapacityProblems({ sku, replicas, partitions, semanticRanker: 'disabled' })).toEqual([]);
  });

  test('every tier has limits', () => {
    expect(Object.keys(SEARCH_SKU_LIMITS).sort()).toEqual([...SEARCH_SKUS].sort());
  });
});

test('snapshot: the search service resource', () => {
  const { stack } = build({ privateEndpoint: PRIVATE_ENDPOINT });
  const attrs = service(synthStack(stack));
  expect(attrs).toMatchObject({ public_network_access_enabled: false, local_authentication_enabled: false });
  expect(attrs).toMatchSnapshot();
});

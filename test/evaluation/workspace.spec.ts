import type { TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { type Problem, ValidationError } from '../../constructs/core/errors';
import type { PrivateEndpointProps } from '../../constructs/core/private-endpoint';
import { resolveTokens } from '../../constructs/core/resolve';
import { BuiltInRoles } from '../../constructs/core/roles';
import {
  DATASTORE_AUTH_API_TYPE,
  EvaluationWorkspace,
  type EvaluationWorkspaceProps,
  OUTBOUND_RULE_TYPE,
} from '../../constructs/evaluation/workspace';
import {
  WORKSPACE_CONNECTION_TYPE,
  WorkspaceConnection,
} from '../../constructs/evaluation/workspace-connection';
import { Observability } from '../../constructs/logging/observability';
import { KeyVault } from '../../constructs/security/key-vault';
import { StorageAccount } from '../../constructs/storage/storage-account';
import { validateAgainstAzureSpec } from '../helpers/azure-spec';
import {
  type Attributes,
  allResources,
  onlyResource,
  ref,
  resourcesOf,
  type SynthJson,
  synthStack,
  TEST_RESOURCE_GROUP,
  testStack,
} from '../helpers/synth';
import { FAKE_ACCOUNT_ID, FAKE_SEARCH_ID, FakeModels, FakeSearch } from './workspace-fakes';

/** References as they read in the synthesized JSON. */
const HUB_ID = ref('azurerm_ai_foundry.Workspace.id');
const PROJECT_ID = ref('azurerm_ai_foundry_project.Workspace_Project_A965FB7A.id');
const HUB_PRINCIPAL = ref('azurerm_ai_foundry.Workspace.identity[0].principal_id');
const PROJECT_PRINCIPAL = ref(
  'azurerm_ai_foundry_project.Workspace_Project_A965FB7A.identity[0].principal_id',
);
const DATASTORE_AUTH = 'azapi_update_resource.Workspace_DatastoreAuth_74F9B3CC';
const MODELS_CONNECTION = 'azapi_resource.Workspace_Connection-ai-services_EC82D138';
const MODELS_OUTBOUND = 'azapi_resource.Workspace_Outbound-ai-services_3768791C';
const SEARCH_CONNECTION = 'azapi_resource.Workspace_Connection-ai-search_2BA3A9BF';
const MODELS_APPROVER =
  'azurerm_role_assignment.Workspace_GrantAzureAIEnterpriseNetworkConnectionApproverHubIdentity-ai-services_14694172';
const SEARCH_APPROVER =
  'azurerm_role_assignment.Workspace_GrantAzureAIEnterpriseNetworkConnectionApproverHubIdentity-ai-search_B88BCAD2';
const STORAGE_ID = ref('azurerm_storage_account.Storage.id');
const VAULT_ID = ref('azurerm_key_vault.KeyVault.id');
const APP_INSIGHTS_ID = ref('azurerm_application_insights.Observability_AppInsights_E0E5903B.id');

const PRIVATE_ENDPOINT: PrivateEndpointProps = {
  subnetId:
    '/subscriptions/s/resourceGroups/rg-test/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pep',
  dnsZoneIds: {
    'privatelink.api.azureml.ms': '/zones/api',
    'privatelink.notebooks.azure.net': '/zones/notebooks',
  },
};

/** A stack with the environment's storage, Key Vault and Application Insights, and stand-ins for models and search. */
function fixture(): {
  stack: TerraformStack;
  base: Omit<EvaluationWorkspaceProps, 'publicNetworkAccessEnabled'>;
  models: FakeModels;
  search: FakeSearch;
} {
  const stack = testStack();
  const storage = new StorageAccount(stack, 'Storage', {
    resourceGroup: TEST_RESOURCE_GROUP,
    name: 'sttest',
  });
  const vault = new KeyVault(stack, 'KeyVault', {
    resourceGroup: TEST_RESOURCE_GROUP,
    name: 'kv-test',
    tenantId: '00000000-0000-0000-0000-000000000000',
  });
  const observability = new Observability(stack, 'Observability', {
    resourceGroup: TEST_RESOURCE_GROUP,
    workspaceName: 'log-test',
    appInsightsName: 'appi-test',
    // only the workspace's own azapi_update_resource (the datastore switch) is under test here
    customMetricDimensionsEnabled: false,
  });
  return {
    stack,
    base: {
      resourceGroup: TEST_RESOURCE_GROUP,
      hubName: 'hub-llmops-test-sdc',
      projectName: 'proj-llmops-test-sdc',
      storageAccount: storage.account,
      keyVault: vault.vault,
      applicationInsights: observability.appInsights,
    },
    models: new FakeModels(stack, 'Models'),
    search: new FakeSearch(stack, 'Search'),
  };
}

/** A connected workspace in a private (default) or public environment, synthesized. */
function connected(extra: Partial<EvaluationWorkspaceProps> = {}): SynthJson {
  const { stack, base, models, search } = fixture();
  const workspace = new EvaluationWorkspace(stack, 'Workspace', { ...base, ...extra });
  workspace.connectModels(models);
  workspace.connectSearch(search);
  return synthStack(stack);
}

function roleAssignments(json: SynthJson): Attributes[] {
  return Object.values(resourcesOf(json, 'azurerm_role_assignment'));
}

/** Every key anywhere inside `value`. */
function deepKeys(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(deepKeys);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [k, ...deepKeys(v)]);
  }
  return [];
}

function problemsOf(build: () => unknown): Problem[] {
  try {
    build();
  } catch (e) {
    if (e instanceof ValidationError) return [...e.problems];
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('EvaluationWorkspace', () => {
  describe('defaults', () => {
    test('the hub has a system-assigned identity, no public access and an approved-outbound managed network', () => {
      // GIVEN a workspace with only the required props
      const { stack, base } = fixture();
      new EvaluationWorkspace(stack, 'Workspace', base);
      // WHEN synthesized
      const hub = onlyResource(synthStack(stack), 'azurerm_ai_foundry');
      // THEN the secure defaults hold
      expect(hub).toMatchObject({
        name: 'hub-llmops-test-sdc',
        resource_group_name: 'rg-test',
        location: 'swedencentral',
        identity: { type: 'SystemAssigned' },
        public_network_access: 'Disabled',
        managed_network: { isolation_mode: 'AllowOnlyApprovedOutbound' },
        high_business_impact_enabled: false,
        lifecycle: { prevent_destroy: true },
      });
    });

    test("the hub is wired to the environment's storage, Key Vault and Application Insights", () => {
      const { stack, base } = fixture();
      new EvaluationWorkspace(stack, 'Workspace', base);
      const hub = onlyResource(synthStack(stack), 'azurerm_ai_foundry');
      expect(hub.storage_account_id).toBe(STORAGE_ID);
      expect(hub.key_vault_id).toBe(VAULT_ID);
      expect(hub.application_insights_id).toBe(APP_INSIGHTS_ID);
    });

    test('the hub reaches its storage with Microsoft Entra ID: systemDatastoresAuthMode is set to identity', () => {
      const { stack, base } = fixture();
      new EvaluationWorkspace(stack, 'Workspace', base);
      const update = onlyResource(synthStack(stack), 'azapi_update_resource');
      expect(update).toEqual({
        type: DATASTORE_AUTH_API_TYPE,
        resource_id: HUB_ID,
        body: { properties: { systemDatastoresAuthMode: 'identity' } },
      });
    });

    test('the project belongs to the hub, has its own identity, is protected and waits for the datastore switch', () => {
      const { stack, base } = fixture();
      new EvaluationWorkspace(stack, 'Workspace', base);
      const project = onlyResource(synthStack(stack), 'azurerm_ai_foundry_project');
      expect(project).toMatchObject({
        name: 'proj-llmops-test-sdc',
        location: 'swedencentral',
        ai_services_hub_id: HUB_ID,
        identity: { type: 'SystemAssigned' },
        high_business_impact_enabled: false,
        lifecycle: { prevent_destroy: true },
        depends_on: [DATASTORE_AUTH],
      });
    });

    test('the hub identity may use the storage and read vault secrets; the project identity may use the storage', () => {
      const { stack, base } = fixture();
      new EvaluationWorkspace(stack, 'Workspace', base);
      const grants = roleAssignments(synthStack(stack)).map((r) => [
        r.role_definition_name,
        r.principal_id,
        r.scope,
      ]);
      expect(grants).toEqual(
        expect.arrayContaining([
          [BuiltInRoles.storageBlobDataContributor.name, HUB_PRINCIPAL, STORAGE_ID],
          [BuiltInRoles.storageBlobDataContributor.name, PROJECT_PRINCIPAL, STORAGE_ID],
          [BuiltInRoles.keyVaultSecretsUser.name, HUB_PRINCIPAL, VAULT_ID],
        ]),
      );
      expect(grants).toHaveLength(3);
    });

    test('no private endpoint, no connection and no diagnostic setting of its own unless asked for', () => {
      const { stack, base } = fixture();
      new EvaluationWorkspace(stack, 'Workspace', base);
      const json = synthStack(stack);
      expect(resourcesOf(json, 'azurerm_private_endpoint')).toEqual({});
      expect(resourcesOf(json, 'azapi_resource')).toEqual({});
      expect(resourcesOf(json, 'azurerm_monitor_diagnostic_setting')).toEqual({});
    });
  });

  test('in a public environment the hub is reachable from the internet and its compute may go out to it', () => {
    // GIVEN public network access
    const json = connected({ publicNetworkAccessEnabled: true });
    // THEN public access is on, outbound is open and the public services need no managed private endpoint
    expect(onlyResource(json, 'azurerm_ai_foundry')).toMatchObject({
      public_network_access: 'Enabled',
      managed_network: { isolation_mode: 'AllowInternetOutbound' },
    });
    expect(
      resourcesOf(json, 'azurerm_machine_learning_workspace_network_outbound_rule_private_endpoint'),
    ).toEqual({});
  });

  test('all props: explicit isolation, high business impact, no protection, own diagnostic settings', () => {
    // GIVEN every optional prop
    const { stack, base } = fixture();
    const observability = new Observability(stack, 'Logs', {
      resourceGroup: TEST_RESOURCE_GROUP,
      workspaceName: 'log-other',
      appInsightsName: 'appi-other',
    });
    new EvaluationWorkspace(stack, 'Workspace', {
      ...base,
      publicNetworkAccessEnabled: true,
      managedNetworkIsolation: 'AllowOnlyApprovedOutbound',
      highBusinessImpactEnabled: true,
      preventDestroy: false,
      diagnosticSettings: { workspace: observability.workspace, logCategoryGroups: ['audit'] },
    });
    // WHEN synthesized
    const json = synthStack(stack);
    const hub = onlyResource(json, 'azurerm_ai_foundry');
    const project = onlyResource(json, 'azurerm_ai_foundry_project');
    // THEN each prop shows
    expect(hub).toMatchObject({
      public_network_access: 'Enabled',
      managed_network: { isolation_mode: 'AllowOnlyApprovedOutbound' },
      high_business_impact_enabled: true,
    });
    expect(project.high_business_impact_enabled).toBe(true);
    expect(hub.lifecycle).toBeUndefined();
    expect(project.lifecycle).toBeUndefined();
    const targets = Object.values(resourcesOf(json, 'azurerm_monitor_diagnostic_setting')).map((d) => [
      d.target_resource_id,
      d.enabled_log,
    ]);
    expect(targets).toEqual([
      [HUB_ID, [{ category_group: 'audit' }]],
      [PROJECT_ID, [{ category_group: 'audit' }]],
    ]);
  });

  describe('connections', () => {
    test('the models and search connections authenticate with Microsoft Entra ID and point at their services', () => {
      // WHEN the workspace is connected to models and search
      const json = connected();
      const connections = Object.values(resourcesOf(json, 'azapi_resource')).filter(
        (r) => r.type === WORKSPACE_CONNECTION_TYPE,
      );
      // THEN there is one AIServices and one CognitiveSearch connection on the hub, with AAD auth
      expect(connections).toEqual([
        {
          type: WORKSPACE_CONNECTION_TYPE,
          name: 'ai-search',
          parent_id: HUB_ID,
          depends_on: [MODELS_OUTBOUND],
          body: {
            properties: {
              category: 'CognitiveSearch',
              target: 'https://srch-test.search.windows.net',
              authType: 'AAD',
              isSharedToAll: true,
              metadata: { ApiType: 'Azure', ResourceId: FAKE_SEARCH_ID },
            },
          },
        },
        {
          type: WORKSPACE_CONNECTION_TYPE,
          name: 'ai-services',
          parent_id: HUB_ID,
          depends_on: [DATASTORE_AUTH],
          body: {
            properties: {
              category: 'AIServices',
              target: 'https://ais-test.cognitiveservices.azure.com/',
              authType: 'AAD',
              isSharedToAll: true,
              metadata: { ApiType: 'Azure', ResourceId: FAKE_ACCOUNT_ID, Location: 'swedencentral' },
            },
          },
        },
      ]);
    });

    test('no key, credential or secret appears anywhere in the synthesized workspace', () => {
      const json = connected();
      const ours = allResources(json).filter(([type]) =>
        [
          'azapi_resource',
          'azapi_update_resource',
          'azurerm_ai_foundry',
          'azurerm_ai_foundry_project',
        ].includes(type),
      );
      // the hub, the project, the datastore switch, both connections and both outbound rules are looked at
      expect(ours.map(([type]) => type).sort()).toEqual([
        'azapi_resource',
        'azapi_resource',
        'azapi_resource',
        'azapi_resource',
        'azapi_update_resource',
        'azurerm_ai_foundry',
        'azurerm_ai_foundry_project',
      ]);
      const keys = ours.flatMap(([, , attrs]) => deepKeys(attrs));
      expect(keys).toContain('authType'); // the walk reaches into the bodies
      for (const forbidden of [
        'credentials',
        'key',
        'keys',
        'accountKey',
        'sas',
        'pat',
        'clientSecret',
        'password',
        'value',
      ]) {
        expect(keys).not.toContain(forbidden);
      }
    });

    test('connection bodies fit the 2024-10-01 AAD connection shape (no vendored schema: checked by hand)', () => {
      // The WorkspaceConnectionPropertiesV2 base properties of 2024-10-01 (Azure/bicep-types-az), AAD variant.
      const allowed = [
        'authType',
        'category',
        'expiryTime',
        'isSharedToAll',
        'metadata',
        'sharedUserList',
        'target',
        'value',
        'valueFormat',
      ];
      const categories = ['AIServices', 'AzureOpenAI', 'CognitiveSearch'];
      const connections = Object.values(resourcesOf(connected(), 'azapi_resource')).filter(
        (r) => r.type === WORKSPACE_CONNECTION_TYPE,
      );
      expect(connections.map((c) => c.name)).toEqual(['ai-search', 'ai-services']);
      for (const connection of connections) {
        const properties = (connection.body as { properties: Record<string, unknown> }).properties;
        expect(Object.keys(properties).filter((k) => !allowed.includes(k))).toEqual([]);
        expect(properties.authType).toBe('AAD');
        expect(categories).toContain(properties.category);
        expect(typeof properties.target).toBe('string');
        expect(properties.target).toMatch(/^https:\/\//);
        // metadata is a string -> string map
        for (const v of Object.values(properties.metadata as Record<string, unknown>))
          expect(typeof v).toBe('string');
        expect(connection.name).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,254}$/);
      }
    });

    test('the hub and project identities get the data-plane role each connection needs', () => {
      const grants = roleAssignments(connected()).map((r) => [
        r.role_definition_name,
        r.principal_id,
        r.scope,
      ]);
      expect(grants).toEqual(
        expect.arrayContaining([
          [BuiltInRoles.cognitiveServicesOpenAiUser.name, HUB_PRINCIPAL, FAKE_ACCOUNT_ID],
          [BuiltInRoles.cognitiveServicesOpenAiUser.name, PROJECT_PRINCIPAL, FAKE_ACCOUNT_ID],
          [BuiltInRoles.searchIndexDataReader.name, HUB_PRINCIPAL, FAKE_SEARCH_ID],
          [BuiltInRoles.searchIndexDataReader.name, PROJECT_PRINCIPAL, FAKE_SEARCH_ID],
        ]),
      );
    });

    test('in a private environment the managed network reaches the services through managed private endpoints', () => {
      // WHEN a private workspace is connected to models and search
      const rules = Object.values(resourcesOf(connected(), 'azapi_resource')).filter(
        (r) => r.type === OUTBOUND_RULE_TYPE,
      );
      // THEN each target gets an ARM outbound rule (azurerm's outbound-rule resource accepts neither
      // `searchService` nor `account` as sub_resource_target)
      expect(rules).toEqual([
        {
          type: 'Microsoft.MachineLearningServices/workspaces/outboundRules@2024-10-01',
          name: 'ai-search',
          parent_id: HUB_ID,
          body: {
            properties: {
              type: 'PrivateEndpoint',
              category: 'UserDefined',
              destination: {
                serviceResourceId: FAKE_SEARCH_ID,
                subresourceTarget: 'searchService',
                sparkEnabled: false,
              },
            },
          },
          // after the hub may approve the connection on the target
          depends_on: [SEARCH_CONNECTION, SEARCH_APPROVER],
        },
        {
          type: 'Microsoft.MachineLearningServices/workspaces/outboundRules@2024-10-01',
          name: 'ai-services',
          parent_id: HUB_ID,
          body: {
            properties: {
              type: 'PrivateEndpoint',
              category: 'UserDefined',
              destination: {
                serviceResourceId: FAKE_ACCOUNT_ID,
                subresourceTarget: 'account',
                sparkEnabled: false,
              },
            },
          },
          depends_on: [MODELS_CONNECTION, MODELS_APPROVER],
        },
      ]);
      // AND the hub's identity may approve the managed endpoints' connections on each target (otherwise
      // they stay Pending and the compute cannot reach the services)
      const approvers = roleAssignments(connected())
        .filter((r) => r.role_definition_name === 'Azure AI Enterprise Network Connection Approver')
        .map((r) => [r.principal_id, r.scope]);
      expect(approvers).toEqual([
        [HUB_PRINCIPAL, FAKE_SEARCH_ID],
        [HUB_PRINCIPAL, FAKE_ACCOUNT_ID],
      ]);
      // AND each body is what azapi 2.12.0's embedded 2024-10-01 schema accepts
      for (const rule of rules) expect(validateAgainstAzureSpec(OUTBOUND_RULE_TYPE, rule.body)).toEqual([]);
    });

    test('the outbound rule schema catches a sub-resource in the wrong place and an unknown category', () => {
      expect(
        validateAgainstAzureSpec(OUTBOUND_RULE_TYPE, {
          properties: { type: 'PrivateEndpoint', category: 'Custom', subresourceTarget: 'account' },
        }),
      ).toEqual([
        '/properties: must NOT have additional properties ("subresourceTarget")',
        '/properties/category: must be equal to one of the allowed values',
      ]);
    });

    test('writes to the hub happen one at a time: switch, then each connection and its outbound rule in turn', () => {
      // GIVEN a private workspace connected to models, then search
      const { stack, base, models, search } = fixture();
      const workspace = new EvaluationWorkspace(stack, 'Workspace', base);
      workspace.connectModels(models);
      workspace.connectSearch(search);
      // WHEN synthesized
      const json = synthStack(stack);
      // THEN each hub write depends on the one before, and the last one is exposed for later writers
      const dependency = (type: string, id: string) => resourcesOf(json, type)[id]!.depends_on;
      expect(dependency('azapi_resource', 'Workspace_Connection-ai-services_EC82D138')).toEqual([
        DATASTORE_AUTH,
      ]);
      expect(dependency(MODELS_OUTBOUND.split('.')[0]!, MODELS_OUTBOUND.split('.')[1]!)).toEqual([
        MODELS_CONNECTION,
        MODELS_APPROVER,
      ]);
      expect(dependency('azapi_resource', 'Workspace_Connection-ai-search_2BA3A9BF')).toEqual([
        MODELS_OUTBOUND,
      ]);
      expect((workspace.lastHubWrite as unknown as IConstruct).node.path).toBe(
        'test/Workspace/Outbound-ai-search',
      );
    });

    test('a connection can take another name', () => {
      const { stack, base, models } = fixture();
      const workspace = new EvaluationWorkspace(stack, 'Workspace', base);
      const connection = workspace.connectModels(models, 'judge');
      expect(connection.connectionName).toBe('judge');
      expect(workspace.connectionNames).toEqual(['judge']);
      // the connection and its outbound rule (the workspace is private by default) both take the name
      const names = Object.values(resourcesOf(synthStack(stack), 'azapi_resource')).map((r) => [
        r.type,
        r.name,
      ]);
      expect(names).toEqual([
        [WORKSPACE_CONNECTION_TYPE, 'judge'],
        [OUTBOUND_RULE_TYPE, 'judge'],
      ]);
    });
  });

  test('grantDeveloper gives Azure AI Developer on the project', () => {
    const { stack, base } = fixture();
    const workspace = new EvaluationWorkspace(stack, 'Workspace', base);
    workspace.grantDeveloper({ principalId: '11111111-1111-1111-1111-111111111111' });
    const grant = roleAssignments(synthStack(stack)).find(
      (r) => r.role_definition_name === 'Azure AI Developer',
    );
    expect(grant).toMatchObject({
      scope: PROJECT_ID,
      principal_id: '11111111-1111-1111-1111-111111111111',
      principal_type: 'ServicePrincipal',
    });
  });

  test('a private endpoint to the hub resolves through both AML zones', () => {
    // GIVEN private endpoint props
    const { stack, base } = fixture();
    const workspace = new EvaluationWorkspace(stack, 'Workspace', {
      ...base,
      privateEndpoint: PRIVATE_ENDPOINT,
    });
    // WHEN synthesized
    const endpoint = onlyResource(synthStack(stack), 'azurerm_private_endpoint');
    // THEN it targets the hub's amlworkspace sub-resource and registers in both zones
    expect(workspace.privateEndpoint).toBeDefined();
    expect(endpoint).toMatchObject({
      name: 'pep-hub-llmops-test-sdc-amlworkspace',
      subnet_id: PRIVATE_ENDPOINT.subnetId,
      private_service_connection: {
        private_connection_resource_id: HUB_ID,
        subresource_names: ['amlworkspace'],
        is_manual_connection: false,
      },
      private_dns_zone_group: { private_dns_zone_ids: ['/zones/api', '/zones/notebooks'] },
    });
  });

  describe('validation', () => {
    test('fails when the hub name breaks the naming rule', () => {
      const { stack, base } = fixture();
      const problems = problemsOf(
        () => new EvaluationWorkspace(stack, 'Workspace', { ...base, hubName: 'Hub_LLMOps' }),
      );
      expect(problems).toEqual([
        {
          path: 'props.hubName',
          message:
            'AI Foundry hub name "Hub_LLMOps" breaks the rule: 3-33 lowercase letters, digits and single hyphens, starting and ending with a letter or digit',
        },
      ]);
    });

    test('fails when the project name breaks the naming rule', () => {
      const { stack, base } = fixture();
      const problems = problemsOf(
        () =>
          new EvaluationWorkspace(stack, 'Workspace', {
            ...base,
            projectName: 'proj-a-project-name-far-too-long-x',
          }),
      );
      expect(problems).toEqual([
        {
          path: 'props.projectName',
          message:
            'AI Foundry project name "proj-a-project-name-far-too-long-x" breaks the rule: 3-33 lowercase letters, digits and single hyphens, starting and ending with a letter or digit',
        },
      ]);
    });

    test('fails when hub and project have the same name', () => {
      const { stack, base } = fixture();
      const problems = problemsOf(
        () => new EvaluationWorkspace(stack, 'Workspace', { ...base, projectName: base.hubName }),
      );
      expect(problems).toEqual([
        {
          path: 'props.projectName',
          message:
            '"hub-llmops-test-sdc" is the hub\'s name too: hub and project are both ML workspaces in one resource group, give them different names',
        },
      ]);
    });

    test('fails when the managed network isolation is not a managed mode', () => {
      const { stack, base } = fixture();
      const problems = problemsOf(
        () =>
          new EvaluationWorkspace(stack, 'Workspace', {
            ...base,
            managedNetworkIsolation: 'Disabled' as EvaluationWorkspaceProps['managedNetworkIsolation'],
          }),
      );
      expect(problems).toEqual([
        {
          path: 'props.managedNetworkIsolation',
          message: '"Disabled" is not one of AllowInternetOutbound, AllowOnlyApprovedOutbound',
        },
      ]);
    });

    test('fails with every problem at once', () => {
      const { stack, base } = fixture();
      const problems = problemsOf(
        () => new EvaluationWorkspace(stack, 'Workspace', { ...base, hubName: 'x', projectName: 'x' }),
      );
      expect(problems.map((p) => p.path)).toEqual([
        'props.hubName',
        'props.projectName',
        'props.projectName',
      ]);
    });

    test('fails when the private endpoint lacks one of the AML zones', () => {
      const { stack, base } = fixture();
      const problems = problemsOf(
        () =>
          new EvaluationWorkspace(stack, 'Workspace', {
            ...base,
            privateEndpoint: {
              ...PRIVATE_ENDPOINT,
              dnsZoneIds: { 'privatelink.api.azureml.ms': '/zones/api' },
            },
          }),
      );
      expect(problems.map((p) => p.message)).toEqual([
        'the amlworkspace endpoint needs DNS zones privatelink.notebooks.azure.net; given: privatelink.api.azureml.ms',
      ]);
    });

    test('fails when two connections get the same name', () => {
      const { stack, base, models, search } = fixture();
      const workspace = new EvaluationWorkspace(stack, 'Workspace', base);
      workspace.connectModels(models, 'shared');
      expect(() => workspace.connectSearch(search, 'shared')).toThrow(
        'EvaluationWorkspace "test/Workspace": a connection named "shared" exists already; give the second one another name',
      );
    });

    test('fails when a connection name breaks the rule', () => {
      const { stack, base, models } = fixture();
      const workspace = new EvaluationWorkspace(stack, 'Workspace', base);
      const problems = problemsOf(() => workspace.connectModels(models, '-models'));
      expect(problems).toEqual([
        {
          path: 'props.name',
          message:
            '"-models" is not a valid connection name: 2-64 letters, digits, hyphens and underscores, starting with a letter or digit',
        },
      ]);
    });
  });

  test('a connection on its own is an azapi_resource named after the connection', () => {
    const stack = testStack();
    const connection = new WorkspaceConnection(stack, 'Conn', {
      workspaceResourceId: '/hub',
      name: 'search',
      category: 'CognitiveSearch',
      target: 'https://s.search.windows.net',
      resourceId: '/search',
    });
    const json = synthStack(stack);
    expect(onlyResource(json, 'azapi_resource')).toMatchObject({ name: 'search', parent_id: '/hub' });
    expect(resolveTokens(stack, connection.resourceId)).toBe(ref('azapi_resource.Conn.id'));
  });

  test('snapshot of the connected private workspace (hub, project, datastore switch, connections, outbound rules)', () => {
    const json = connected();
    const types = [
      'azurerm_ai_foundry',
      'azurerm_ai_foundry_project',
      'azapi_update_resource',
      'azapi_resource',
    ];
    // one hub, one project, one datastore switch, two connections and two outbound rules (azapi)
    expect(types.map((t) => Object.keys(resourcesOf(json, t)).length)).toEqual([1, 1, 1, 4]);
    expect(Object.fromEntries(types.map((t) => [t, resourcesOf(json, t)]))).toMatchSnapshot();
  });
});

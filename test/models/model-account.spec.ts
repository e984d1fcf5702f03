import { PRIVATE_DNS_ZONES, type PrivateEndpointProps } from '../../constructs/core/private-endpoint';
import { resolveTokens } from '../../constructs/core/resolve';
import {
  MICROSOFT_DEFAULT_CONTENT_FILTER,
  RAI_POLICY_AZAPI_TYPE,
  raiPolicyBody,
} from '../../constructs/models/content-filter-policy';
import { ModelAccount, type ModelAccountProps } from '../../constructs/models/model-account';
import { suppressPolicy } from '../../constructs/policy';
import { ref } from '../helpers/synth';
import {
  azapiOf,
  listOf,
  modelStack,
  onlyOf,
  problemsOf,
  RESOURCE_GROUP,
  resourcesOf,
  synth,
} from './helpers';

const NAME = 'ais-llmops-test-abcde';

const PRIVATE_ENDPOINT: PrivateEndpointProps = {
  subnetId:
    '/subscriptions/0/resourceGroups/rg-test/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet-pep',
  dnsZoneIds: Object.fromEntries(
    PRIVATE_DNS_ZONES.account.map((z) => [
      z,
      `/subscriptions/0/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/${z}`,
    ]),
  ),
};

const DEPLOYMENTS: ModelAccountProps['deployments'] = {
  chat: {
    role: 'chat',
    model: { name: 'gpt-4o', version: '2024-11-20' },
    capacityThousandTokensPerMinute: 30,
  },
  embedding: {
    role: 'embedding',
    model: { name: 'text-embedding-3-large', version: '1' },
    capacityThousandTokensPerMinute: 50,
  },
};

function build(props: Partial<ModelAccountProps> = {}, networkMode: 'public' | 'private' = 'public') {
  const stack = modelStack(networkMode);
  // As the environment stack does when config opts out of protection (with a reason).
  if (props.preventDestroy === false) suppressPolicy(stack, 'prevent-destroy', 'throwaway test environment');
  const account = new ModelAccount(stack, 'Models', { resourceGroup: RESOURCE_GROUP, name: NAME, ...props });
  return { stack, account };
}

describe('ModelAccount', () => {
  test('defaults: every secure setting, one by one', () => {
    // GIVEN only the required props (policy rules of a public environment; private ones need an endpoint, below)
    const { stack } = build();

    // WHEN
    const json = synth(stack);
    const account = onlyOf(json, 'azurerm_cognitive_account');

    // THEN
    expect(account.kind).toBe('AIServices');
    expect(account.sku_name).toBe('S0');
    expect(account.name).toBe(NAME);
    expect(account.location).toBe('swedencentral');
    expect(account.custom_subdomain_name).toBe(NAME); // Entra ID auth needs a custom subdomain
    expect(account.local_auth_enabled).toBe(false); // no keys
    expect(account.identity).toEqual({ type: 'SystemAssigned' });
    expect(account.public_network_access_enabled).toBe(false);
    expect(account.network_acls).toEqual({ default_action: 'Deny', bypass: 'AzureServices' });
    expect(account.outbound_network_access_restricted).toBe(false);
    expect(account.customer_managed_key).toBeUndefined();
    expect(account.lifecycle).toEqual({ prevent_destroy: true });
    // AND diagnostics from the stack's aspect
    expect(listOf(json, 'azurerm_monitor_diagnostic_setting').map((d) => d.target_resource_id)).toEqual([
      ref('azurerm_cognitive_account.Models.id'),
    ]);
    // AND one strict content filter, no deployments, no private endpoint
    const [policy, ...others] = azapiOf(json, RAI_POLICY_AZAPI_TYPE);
    expect(others).toHaveLength(0);
    expect(policy!.name).toBe('strict');
    expect(policy!.body).toEqual(raiPolicyBody({}));
    expect(listOf(json, 'azurerm_cognitive_deployment')).toHaveLength(0);
    expect(listOf(json, 'azurerm_private_endpoint')).toHaveLength(0);
  });

  test('private: a private endpoint on sub-resource account with the three AI Services zones passes the private policy set', () => {
    // GIVEN / WHEN
    const { stack, account } = build(
      { privateEndpoint: PRIVATE_ENDPOINT, deployments: DEPLOYMENTS },
      'private',
    );
    const json = synth(stack);

    // THEN
    const pe = onlyOf(json, 'azurerm_private_endpoint');
    expect(pe.name).toBe(`pep-${NAME}-account`);
    expect(pe.subnet_id).toBe(PRIVATE_ENDPOINT.subnetId);
    expect(pe.private_service_connection).toMatchObject({
      private_connection_resource_id: ref('azurerm_cognitive_account.Models.id'),
      subresource_names: ['account'],
    });
    expect(pe.private_dns_zone_group).toMatchObject({
      private_dns_zone_ids: PRIVATE_DNS_ZONES.account.map((z) => PRIVATE_ENDPOINT.dnsZoneIds[z]),
    });
    expect(onlyOf(json, 'azurerm_cognitive_account').public_network_access_enabled).toBe(false);
    expect(account.privateEndpoint).toBeDefined();
  });

  test('all props: region, kind, filters, deployments, public with IP rules, customer-managed key, explicit diagnostics, unprotected', () => {
    // GIVEN
    const { stack, account } = build({
      location: 'westeurope',
      kind: 'OpenAI',
      contentFilters: {
        strict: {},
        relaxed: { severityThreshold: 'High', blocklists: { brands: ['Contoso'] } },
      },
      deployments: {
        ...DEPLOYMENTS,
        legacy: {
          role: 'chat',
          model: { name: 'gpt-4o-mini', version: '2024-07-18' },
          sku: 'Standard',
          capacityThousandTokensPerMinute: 5,
          contentFilter: MICROSOFT_DEFAULT_CONTENT_FILTER,
        },
        'chat-relaxed': {
          role: 'chat',
          model: { name: 'gpt-4o', version: '2024-11-20' },
          capacityThousandTokensPerMinute: 10,
          contentFilter: 'relaxed',
        },
      },
      publicNetworkAccessEnabled: true,
      allowedIpRanges: ['203.0.113.0/24', '198.51.100.7'],
      customerManagedKey: {
        keyVaultKeyId: 'https://kv-llmops-test.vault.azure.net/keys/cmk-models',
        identity: {
          id: '/subscriptions/0/resourceGroups/rg-test/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-cmk',
          clientId: '11111111-1111-1111-1111-111111111111',
        },
      },
      diagnosticSettings: { workspace: { id: '/explicit-workspace' }, logCategoryGroups: ['audit'] },
      preventDestroy: false,
    });

    // WHEN
    const json = synth(stack);
    const resource = onlyOf(json, 'azurerm_cognitive_account');

    // THEN
    expect(resource.location).toBe('westeurope');
    expect(resource.kind).toBe('OpenAI');
    expect(resource.public_network_access_enabled).toBe(true);
    expect(resource.network_acls).toEqual({
      default_action: 'Deny',
      bypass: 'AzureServices',
      ip_rules: ['203.0.113.0/24', '198.51.100.7'],
    });
    expect(resource.identity).toEqual({
      type: 'SystemAssigned, UserAssigned',
      identity_ids: [
        '/subscriptions/0/resourceGroups/rg-test/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-cmk',
      ],
    });
    expect(resource.customer_managed_key).toEqual({
      key_vault_key_id: 'https://kv-llmops-test.vault.azure.net/keys/cmk-models',
      identity_client_id: '11111111-1111-1111-1111-111111111111',
    });
    expect(resource.lifecycle).toBeUndefined();
    const [diagnostics, ...more] = listOf(json, 'azurerm_monitor_diagnostic_setting');
    expect(more).toHaveLength(0);
    expect(diagnostics).toMatchObject({
      log_analytics_workspace_id: '/explicit-workspace',
      enabled_log: [{ category_group: 'audit' }],
    });
    // AND deployments use the filter they name, the opt-out names Microsoft's policy explicitly
    const byName = Object.fromEntries(listOf(json, 'azurerm_cognitive_deployment').map((d) => [d.name, d]));
    expect(byName.chat!.rai_policy_name).toBe('strict');
    expect(byName['chat-relaxed']!.rai_policy_name).toBe('relaxed');
    expect(byName.legacy!.rai_policy_name).toBe('Microsoft.DefaultV2');
    expect(azapiOf(json, RAI_POLICY_AZAPI_TYPE).map((p) => p.name)).toEqual(['relaxed', 'strict']);
    expect(Object.keys(account.contentFilters)).toEqual(['strict', 'relaxed']);
  });

  test('without a network rule, a public account allows every address (still Entra ID only)', () => {
    const resource = onlyOf(
      synth(build({ publicNetworkAccessEnabled: true }).stack),
      'azurerm_cognitive_account',
    );
    expect(resource.network_acls).toEqual({ default_action: 'Allow', bypass: 'AzureServices' });
    expect(resource.local_auth_enabled).toBe(false);
  });

  test('prevent_destroy protects the account unless the caller opts out', () => {
    expect(onlyOf(synth(build().stack), 'azurerm_cognitive_account').lifecycle).toEqual({
      prevent_destroy: true,
    });
    expect(
      onlyOf(synth(build({ preventDestroy: false }).stack), 'azurerm_cognitive_account').lifecycle,
    ).toBeUndefined();
  });

  test('children are written one at a time: each policy and deployment depends on the one before', () => {
    // GIVEN two filters and two deployments
    const { stack } = build({
      contentFilters: { strict: {}, relaxed: { severityThreshold: 'High' } },
      deployments: DEPLOYMENTS,
    });

    // WHEN
    const json = synth(stack);
    const policies = resourcesOf(json, 'azapi_resource');
    const deployments = resourcesOf(json, 'azurerm_cognitive_deployment');
    const addressOf = (type: string, name: string, all: Record<string, Record<string, unknown>>) =>
      `${type}.${Object.entries(all).find(([, r]) => r.name === name)![0]}`;

    // THEN the chain is strict -> relaxed -> chat -> embedding
    const strict = addressOf('azapi_resource', 'strict', policies);
    const relaxed = addressOf('azapi_resource', 'relaxed', policies);
    const chat = addressOf('azurerm_cognitive_deployment', 'chat', deployments);
    const embedding = addressOf('azurerm_cognitive_deployment', 'embedding', deployments);
    const dependsOn = (address: string) => {
      const [type, id] = address.split('.') as [string, string];
      return resourcesOf(json, type)[id]!.depends_on;
    };
    expect(dependsOn(strict)).toBeUndefined();
    expect(dependsOn(relaxed)).toEqual([strict]);
    expect(dependsOn(chat)).toEqual([relaxed, strict]); // previous child, then its own policy
    expect(dependsOn(embedding)).toEqual([chat, strict]);
  });

  test('handles: ids, endpoints, principal, deployments with embedding dimensions', () => {
    // GIVEN / WHEN
    const { stack, account } = build({ deployments: DEPLOYMENTS });
    const resolved = resolveTokens(stack, {
      accountId: account.accountId,
      endpoint: account.endpoint,
      principalId: account.principalId,
      resourceId: account.resourceId,
    });

    // THEN
    expect(resolved).toEqual({
      accountId: ref('azurerm_cognitive_account.Models.id'),
      endpoint: ref('azurerm_cognitive_account.Models.endpoint'),
      principalId: ref('azurerm_cognitive_account.Models.identity[0].principal_id'),
      resourceId: ref('azurerm_cognitive_account.Models.id'),
    });
    expect(account.accountName).toBe(NAME);
    expect(account.openAiEndpoint).toBe(`https://${NAME}.openai.azure.com/`);
    expect(account.location).toBe('swedencentral');
    expect(account.deploymentNames).toEqual(['chat', 'embedding']);
    expect(account.deployments.embedding).toEqual({
      deploymentName: 'embedding',
      role: 'embedding',
      modelName: 'text-embedding-3-large',
      modelVersion: '1',
      dimensions: 3072,
      skuName: 'GlobalStandard',
    });
    expect(account.embedding().dimensions).toBe(3072);
    expect(account.chat().deploymentName).toBe('chat');
    expect(Object.keys(account.modelDeployments)).toEqual(['chat', 'embedding']);
  });

  test('embedding() and chat() name the choices when the pick is ambiguous or missing', () => {
    // GIVEN two embedding deployments and no chat one
    const { account } = build({
      deployments: {
        small: {
          role: 'embedding',
          model: { name: 'text-embedding-3-small', version: '1' },
          capacityThousandTokensPerMinute: 10,
        },
        large: {
          role: 'embedding',
          model: { name: 'text-embedding-3-large', version: '1' },
          capacityThousandTokensPerMinute: 10,
        },
      },
    });

    // THEN
    expect(() => account.embedding()).toThrow(
      'expected exactly one embedding deployment, found small, large; name one',
    );
    expect(account.embedding('small').dimensions).toBe(1536);
    expect(() => account.embedding('medium')).toThrow(
      'no embedding deployment "medium" (embedding deployments: small, large)',
    );
    expect(() => account.chat()).toThrow('expected exactly one chat deployment, found none');
  });

  test('grantInference assigns Cognitive Services OpenAI User and grantModelsUser Cognitive Services User, on the account', () => {
    // GIVEN
    const { stack, account } = build();

    // WHEN
    const inference = account.grantInference({ principalId: '22222222-2222-2222-2222-222222222222' });
    const models = account.grantModelsUser({
      principalId: '33333333-3333-3333-3333-333333333333',
      principalType: 'Group',
    });
    const json = synth(stack);

    // THEN
    const assignments = resourcesOf(json, 'azurerm_role_assignment');
    const byPrincipal = Object.fromEntries(Object.values(assignments).map((a) => [a.principal_id, a]));
    expect(byPrincipal['22222222-2222-2222-2222-222222222222']).toMatchObject({
      role_definition_name: 'Cognitive Services OpenAI User',
      scope: ref('azurerm_cognitive_account.Models.id'),
      principal_type: 'ServicePrincipal',
    });
    expect(byPrincipal['33333333-3333-3333-3333-333333333333']).toMatchObject({
      role_definition_name: 'Cognitive Services User',
      scope: ref('azurerm_cognitive_account.Models.id'),
      principal_type: 'Group',
    });
    expect(inference.node.scope).toBe(account);
    expect(models.node.scope).toBe(account);
  });

  test('snapshot of the account resource', () => {
    const account = onlyOf(synth(build().stack), 'azurerm_cognitive_account');
    expect(account).toMatchObject({ name: NAME, local_auth_enabled: false });
    expect(account).toMatchSnapshot();
  });

  describe('validation', () => {
    const fails = (props: Partial<ModelAccountProps>) => problemsOf(() => build(props));

    test('fails when the name breaks the AI Services naming rule', () => {
      expect(fails({ name: 'AIS_Models' })).toEqual([
        'props.name: AI Services account (custom subdomain) name "AIS_Models" breaks the rule: 2-64 lowercase letters, digits and single hyphens, starting and ending with a letter or digit',
      ]);
    });

    test('fails when the kind cannot serve models', () => {
      expect(fails({ kind: 'Face' as never })).toEqual([
        'props.kind: "Face" is not one of AIServices, OpenAI',
      ]);
    });

    test('fails when a content filter name is invalid', () => {
      expect(fails({ contentFilters: { 'Microsoft.Mine': {} }, deployments: {} })).toEqual([
        'props.contentFilters.Microsoft.Mine: "Microsoft.Mine" is reserved: names starting with "Microsoft." are Microsoft\'s policies',
      ]);
    });

    test('fails when content filter settings are invalid, with the filter in the path', () => {
      expect(fails({ contentFilters: { strict: { blocklists: { brands: [] } } } })).toEqual([
        'props.contentFilters.strict.blocklists.brands: is empty: list at least one term, or remove the blocklist',
      ]);
    });

    test('fails when two content filters differ only in case', () => {
      expect(fails({ contentFilters: { strict: {}, Strict: {} } })).toEqual([
        'props.contentFilters: duplicate policy names (Azure ignores case): strict, Strict',
      ]);
    });

    test('fails when a deployment is invalid, with the deployment in the path', () => {
      expect(
        fails({ deployments: { chat: { ...DEPLOYMENTS!.chat!, model: { name: 'gpt-4o', version: '' } } } }),
      ).toEqual([
        'props.deployments.chat.model.version: is required: pin the model version (e.g. "2024-11-20", or "1" for fine-tuned models); versions never float',
      ]);
    });

    test('fails when a deployment names an unknown content filter', () => {
      expect(fails({ deployments: { chat: { ...DEPLOYMENTS!.chat!, contentFilter: 'lenient' } } })).toEqual([
        'props.deployments.chat.contentFilter: "lenient" is not a declared content filter (declared: strict; or "Microsoft.DefaultV2" to opt out explicitly)',
      ]);
    });

    test('fails when the default content filter is not declared', () => {
      expect(fails({ contentFilters: { relaxed: {} }, deployments: { chat: DEPLOYMENTS!.chat! } })).toEqual([
        'props.deployments.chat.contentFilter: "strict" (the default) is not a declared content filter (declared: relaxed; or "Microsoft.DefaultV2" to opt out explicitly)',
      ]);
    });

    test('fails when an OpenAI account is given a non-OpenAI model', () => {
      expect(
        fails({
          kind: 'OpenAI',
          deployments: {
            llama: {
              role: 'chat',
              model: { format: 'Meta', name: 'Llama-3.3-70B-Instruct', version: '1' },
              capacityThousandTokensPerMinute: 1,
            },
          },
        }),
      ).toEqual([
        'props.deployments.llama.model.format: "Meta" models need an AIServices account; kind OpenAI serves only format "OpenAI"',
      ]);
    });

    test('fails when two deployment names differ only in case', () => {
      expect(fails({ deployments: { chat: DEPLOYMENTS!.chat!, Chat: DEPLOYMENTS!.chat! } })).toEqual([
        'props.deployments: duplicate deployment names (Azure ignores case): chat, Chat',
      ]);
    });

    test('fails when an allowed IP range is not IPv4 or CIDR', () => {
      expect(fails({ publicNetworkAccessEnabled: true, allowedIpRanges: ['10.0.0.0/33'] })).toEqual([
        'props.allowedIpRanges[0]: "10.0.0.0/33" is not an IPv4 address or CIDR range',
      ]);
    });

    test('fails when IP ranges are given while public network access is off', () => {
      expect(fails({ allowedIpRanges: ['203.0.113.0/24'] })).toEqual([
        'props.allowedIpRanges: apply only to public network access, which is off: remove them or set publicNetworkAccessEnabled',
      ]);
    });

    test('fails when the customer-managed key id is not a Key Vault key id', () => {
      expect(
        fails({
          customerManagedKey: { keyVaultKeyId: 'cmk-models', identity: { id: '/id', clientId: 'c' } },
        }),
      ).toEqual([
        'props.customerManagedKey.keyVaultKeyId: "cmk-models" is not a Key Vault key id (https://<vault>.vault.azure.net/keys/<name>[/<version>])',
      ]);
    });

    test('reports every problem at once', () => {
      expect(
        fails({
          name: 'X',
          kind: 'Face' as never,
          deployments: { chat: { ...DEPLOYMENTS!.chat!, contentFilter: 'nope' } },
        }).map((p) => p.split(': ')[0]),
      ).toEqual(['props.name', 'props.kind', 'props.deployments.chat.contentFilter']);
    });
  });
});

import { PolicyReport } from '../../constructs/policy';
import { loadConfig } from '../../lib/config/load';
import { BootstrapStack } from '../../lib/stacks/bootstrap-stack';
import { EnvironmentStack } from '../../lib/stacks/environment-stack';
import { synthEnvironment } from '../helpers/environment';
import {
  type Attributes,
  PRIVATE_ENVIRONMENT_YAML,
  ref,
  resourcesOf,
  synthStack,
  testApp,
  testEnvironment,
} from '../helpers/synth';

const { environments } = loadConfig('config/environments.yaml');

describe.each(['staging', 'prod'])('EnvironmentStack %s (private)', (name) => {
  const { stack, json } = synthEnvironment(environments[name]!);
  const env = environments[name]!;

  test('has a VNet with the configured address space and subnets, each with an NSG', () => {
    expect(Object.values(resourcesOf(json, 'azurerm_virtual_network'))).toEqual([
      expect.objectContaining({ name: `vnet-llmops-${name}-sdc`, address_space: [env.network.addressSpace] }),
    ]);
    const subnets = Object.values(resourcesOf(json, 'azurerm_subnet'));
    expect(subnets.map((s) => [s.name, (s.address_prefixes as string[])[0]]).sort()).toEqual(
      [
        [`snet-llmops-${name}-agents-sdc`, env.network.subnets.agents],
        [`snet-llmops-${name}-apim-sdc`, env.network.subnets.apim],
        [`snet-llmops-${name}-pep-sdc`, env.network.subnets.privateEndpoints],
      ].sort(),
    );
    expect(Object.keys(resourcesOf(json, 'azurerm_subnet_network_security_group_association'))).toHaveLength(
      subnets.length,
    );
  });

  test('the APIM subnet is delegated for the v2 gateway tier the profile picks', () => {
    expect(env.gateway.sku).toBe('StandardV2');
    const apim = Object.values(resourcesOf(json, 'azurerm_subnet')).find((s) =>
      String(s.name).includes('-apim-'),
    )!;
    expect(apim.delegation).toEqual([
      expect.objectContaining({
        service_delegation: expect.objectContaining({ name: 'Microsoft.Web/serverFarms' }),
      }),
    ]);
  });

  test('has every private DNS zone, linked to the VNet', () => {
    const zones = Object.values(resourcesOf(json, 'azurerm_private_dns_zone')).map((z) => z.name);
    expect(zones).toEqual(
      expect.arrayContaining([
        'privatelink.vaultcore.azure.net',
        'privatelink.blob.core.windows.net',
        'privatelink.search.windows.net',
      ]),
    );
    expect(Object.keys(resourcesOf(json, 'azurerm_private_dns_zone_virtual_network_link'))).toHaveLength(
      zones.length,
    );
  });

  /**
   * Every PaaS resource of the environment: its type, the sub-resource its endpoint connects, the zones
   * the endpoint registers in, and the argument that says public access is off.
   */
  const PAAS: readonly [string, string, readonly string[], string, unknown][] = [
    [
      'azurerm_cognitive_account',
      'account',
      [
        'privatelink.cognitiveservices.azure.com',
        'privatelink.openai.azure.com',
        'privatelink.services.ai.azure.com',
      ],
      'public_network_access_enabled',
      false,
    ],
    [
      'azurerm_search_service',
      'searchService',
      ['privatelink.search.windows.net'],
      'public_network_access_enabled',
      false,
    ],
    [
      'azurerm_key_vault',
      'vault',
      ['privatelink.vaultcore.azure.net'],
      'public_network_access_enabled',
      false,
    ],
    [
      'azurerm_storage_account',
      'blob',
      ['privatelink.blob.core.windows.net'],
      'public_network_access_enabled',
      false,
    ],
    // The AI Foundry hub's default storage needs a file endpoint too.
    [
      'azurerm_storage_account',
      'file',
      ['privatelink.file.core.windows.net'],
      'public_network_access_enabled',
      false,
    ],
    [
      'azurerm_ai_foundry',
      'amlworkspace',
      ['privatelink.api.azureml.ms', 'privatelink.notebooks.azure.net'],
      'public_network_access',
      'Disabled',
    ],
    [
      'azurerm_api_management',
      'Gateway',
      ['privatelink.azure-api.net'],
      'public_network_access_enabled',
      false,
    ],
  ];

  /** Logical id of the private DNS zone `zone` (`${azurerm_private_dns_zone.<id>.id}`) in this stack. */
  const zoneReference = (zone: string): string => {
    const [id] = Object.entries(resourcesOf(json, 'azurerm_private_dns_zone')).find(
      ([, z]) => z.name === zone,
    )!;
    return ref(`azurerm_private_dns_zone.${id}.id`);
  };

  test.each(PAAS)(
    '%s has a %s private endpoint in the endpoint subnet, its zone group and public access off',
    (type, subresource, zones, publicKey, closed) => {
      // GIVEN the one resource of that type
      const [[id, resource]] = Object.entries(resourcesOf(json, type)) as [[string, Attributes]];
      // THEN exactly one endpoint connects it for that sub-resource
      const matching = Object.values(resourcesOf(json, 'azurerm_private_endpoint')).filter((pe) => {
        const connection = pe.private_service_connection as Attributes;
        return (
          connection.private_connection_resource_id === ref(`${type}.${id}.id`) &&
          (connection.subresource_names as string[])[0] === subresource
        );
      });
      expect(matching).toHaveLength(1);
      const pe = matching[0]!;
      expect(pe.subnet_id).toMatch(
        /^\$\{azurerm_subnet\.Network_VirtualNetwork_PrivateEndpoints_[0-9A-F]{8}\.id\}$/,
      );
      expect((pe.private_service_connection as Attributes).is_manual_connection).toBe(false);
      // AND its zone group holds exactly the zones the sub-resource resolves in, created in this stack
      expect(pe.private_dns_zone_group).toEqual({
        name: 'default',
        private_dns_zone_ids: zones.map(zoneReference),
      });
      // AND public network access is off: API Management is created open (Azure refuses it closed at
      // creation) and closed by an update that waits for this endpoint
      if (type === 'azurerm_api_management') {
        const [peId] = Object.entries(resourcesOf(json, 'azurerm_private_endpoint')).find(
          ([, e]) => e === pe,
        )!;
        const closure = Object.values(resourcesOf(json, 'azapi_update_resource')).find(
          (u) => u.resource_id === ref(`${type}.${id}.id`),
        );
        expect(closure).toMatchObject({
          body: { properties: { publicNetworkAccess: 'Disabled' } },
          depends_on: expect.arrayContaining([`azurerm_private_endpoint.${peId}`]),
        });
        expect(resource.lifecycle).toMatchObject({ ignore_changes: [publicKey] });
      } else {
        expect(resource[publicKey]).toBe(closed);
      }
    },
  );

  test('creates every zone a private endpoint needs, and links each to the VNet', () => {
    const needed = [...new Set(PAAS.flatMap(([, , zones]) => zones))].sort();
    const created = Object.values(resourcesOf(json, 'azurerm_private_dns_zone'))
      .map((z) => z.name as string)
      .sort();
    expect(created).toEqual(expect.arrayContaining(needed));
    const links = Object.values(resourcesOf(json, 'azurerm_private_dns_zone_virtual_network_link'));
    expect(links.map((l) => l.private_dns_zone_name).sort()).toEqual(
      Object.keys(resourcesOf(json, 'azurerm_private_dns_zone'))
        .map((id) => ref(`azurerm_private_dns_zone.${id}.name`))
        .sort(),
    );
    expect(new Set(links.map((l) => l.virtual_network_id))).toEqual(
      new Set([ref('azurerm_virtual_network.Network_VirtualNetwork_F0072DD6.id')]),
    );
  });

  test('AI Search reaches the private model account through a shared private link', () => {
    expect(Object.values(resourcesOf(json, 'azurerm_search_shared_private_link_service'))).toEqual([
      expect.objectContaining({
        search_service_id: ref('azurerm_search_service.Search.id'),
        target_resource_id: ref('azurerm_cognitive_account.Models.id'),
        subresource_name: 'openai_account',
      }),
    ]);
  });

  test('every resource the private-endpoint rule checks complies (no finding, suppressed or not)', () => {
    const findings = PolicyReport.tryOf(stack)!.findings.filter((f) => f.ruleId === 'private-endpoint');
    expect(PolicyReport.tryOf(stack)!.ruleIds).toContain('private-endpoint');
    expect(findings).toEqual([]);
  });

  test('outputs the agents subnet for the self-hosted runners', () => {
    expect(json.output?.agents_subnet_id?.value).toMatch(
      /^\$\{azurerm_subnet\.Network_VirtualNetwork_Agents_[0-9A-F]{8}\.id\}$/,
    );
  });
});

describe('EnvironmentStack private, bring your own VNet and DNS zones (hub-and-spoke)', () => {
  const HUB = '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-private-dns';
  const VNET =
    '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-spoke/providers/Microsoft.Network/virtualNetworks/vnet-spoke';
  const env = testEnvironment(
    `${PRIVATE_ENVIRONMENT_YAML}
network:
  azure:
    existingVirtualNetworkId: ${VNET}
    subnets: { privateEndpoints: 10.9.1.0/26, apim: 10.9.1.64/27, agents: 10.9.1.96/27 }
    existingDnsZoneResourceGroupId: ${HUB}`,
    'prod',
  );
  const json = synthStack(new EnvironmentStack(testApp(), env));

  test('creates no VNet and no zone; subnets and NSGs go into the existing VNet', () => {
    expect(resourcesOf(json, 'azurerm_virtual_network')).toEqual({});
    expect(resourcesOf(json, 'azurerm_private_dns_zone')).toEqual({});
    expect(resourcesOf(json, 'azurerm_private_dns_zone_virtual_network_link')).toEqual({});
    expect(Object.values(json.data!.azurerm_virtual_network!)).toEqual([
      expect.objectContaining({ name: 'vnet-spoke', resource_group_name: 'rg-spoke' }),
    ]);
    const subnets = Object.values(resourcesOf(json, 'azurerm_subnet'));
    expect(subnets.map((s) => [s.virtual_network_name, s.resource_group_name])).toEqual(
      subnets.map(() => ['vnet-spoke', 'rg-spoke']),
    );
    expect(Object.keys(resourcesOf(json, 'azurerm_network_security_group'))).toHaveLength(3);
  });

  test("every private endpoint registers in the hub's zones, by zone name", () => {
    const endpoints = Object.values(resourcesOf(json, 'azurerm_private_endpoint'));
    expect(endpoints).toHaveLength(8); // AI Services (primary, failover), Search, Key Vault, blob, file, Foundry hub, APIM
    const zoneIds = endpoints.flatMap(
      (pe) => (pe.private_dns_zone_group as Attributes).private_dns_zone_ids as string[],
    );
    for (const id of zoneIds) {
      expect(id).toMatch(new RegExp(`^${HUB}/providers/Microsoft\\.Network/privateDnsZones/privatelink\\.`));
    }
    expect(zoneIds).toContain(
      `${HUB}/providers/Microsoft.Network/privateDnsZones/privatelink.file.core.windows.net`,
    );
  });
});

describe('EnvironmentStack private, without the AI Foundry workspace', () => {
  test('the storage account gets a blob endpoint only (the file endpoint is for the hub)', () => {
    // GIVEN a private environment with the evaluation workspace disabled
    const env = testEnvironment(
      `${PRIVATE_ENVIRONMENT_YAML}\nevaluation:\n  azure:\n    workspace:\n      enabled: false`,
      'prod',
    );
    // WHEN
    const json = synthStack(new EnvironmentStack(testApp(), env));
    // THEN
    const storageEndpoints = Object.values(resourcesOf(json, 'azurerm_private_endpoint')).filter(
      (pe) =>
        (pe.private_service_connection as Attributes).private_connection_resource_id ===
        ref('azurerm_storage_account.Storage.id'),
    );
    expect(
      storageEndpoints.map((pe) => (pe.private_service_connection as Attributes).subresource_names),
    ).toEqual([['blob']]);
    expect(resourcesOf(json, 'azurerm_ai_foundry')).toEqual({});
  });
});

describe('EnvironmentStack dev (public)', () => {
  const { stack, json } = synthEnvironment(environments.dev!);

  test('has no network, no DNS zone and no private endpoint', () => {
    expect(stack.network).toBeUndefined();
    expect(stack.privateEndpointProps).toBeUndefined();
    for (const type of [
      'azurerm_virtual_network',
      'azurerm_subnet',
      'azurerm_private_dns_zone',
      'azurerm_private_endpoint',
    ]) {
      expect(resourcesOf(json, type)).toEqual({});
    }
  });

  test.each([
    ['azurerm_cognitive_account', 'public_network_access_enabled', true],
    ['azurerm_search_service', 'public_network_access_enabled', true],
    ['azurerm_key_vault', 'public_network_access_enabled', true],
    ['azurerm_storage_account', 'public_network_access_enabled', true],
    ['azurerm_ai_foundry', 'public_network_access', 'Enabled'],
    ['azurerm_api_management', 'public_network_access_enabled', true],
  ])('%s keeps public access on (%s)', (type, key, open) => {
    const all = Object.values(resourcesOf(json, type));
    expect(all.length).toBeGreaterThan(0);
    for (const resource of all) expect(resource[key]).toBe(open);
  });

  test.each([
    ['azurerm_cognitive_account', 'local_auth_enabled', false],
    ['azurerm_search_service', 'local_authentication_enabled', false],
    ['azurerm_key_vault', 'rbac_authorization_enabled', true],
    ['azurerm_storage_account', 'shared_access_key_enabled', false],
  ])('%s still accepts Entra ID only (%s = %s) although it is public', (type, key, value) => {
    const all = Object.values(resourcesOf(json, type));
    expect(all.length).toBeGreaterThan(0);
    for (const resource of all) expect(resource[key]).toBe(value);
  });

  test('has no shared private link and no managed private endpoint of the hub', () => {
    expect(resourcesOf(json, 'azurerm_search_shared_private_link_service')).toEqual({});
    expect(
      resourcesOf(json, 'azurerm_machine_learning_workspace_network_outbound_rule_private_endpoint'),
    ).toEqual({});
  });
});

describe('BootstrapStack in a private environment', () => {
  test('the state storage has no private endpoint, and the finding is suppressed with its reason', () => {
    // GIVEN / WHEN
    const stack = new BootstrapStack(testApp(), environments.prod!);
    const json = synthStack(stack); // throws on any unsuppressed policy error

    // THEN
    expect(resourcesOf(json, 'azurerm_private_endpoint')).toEqual({});
    const findings = PolicyReport.tryOf(stack)!.findings.filter((f) => f.ruleId === 'private-endpoint');
    expect(findings).toEqual([
      expect.objectContaining({
        path: 'bootstrap-prod/StateStorage/Default',
        suppressedBecause: expect.stringContaining('created before the environment network'),
      }),
    ]);
  });
});

import { loadConfig } from '../../lib/config/load';
import { PolicyReport } from '../../lib/policy';
import { BootstrapStack } from '../../lib/stacks/bootstrap-stack';
import { EnvironmentStack } from '../../lib/stacks/environment-stack';
import { type Attributes, resourcesOf, type SynthJson, synthStack, testApp } from '../helpers/synth';

/** A Terraform reference as it appears in synthesized JSON, e.g. `${azurerm_key_vault.KeyVault.id}`. */
const ref = (expression: string): string => `\${${expression}}`;

const { environments } = loadConfig('config/environments.yaml');

function synthEnvironment(name: string): { stack: EnvironmentStack; json: SynthJson } {
  const stack = new EnvironmentStack(testApp(), environments[name]!);
  return { stack, json: synthStack(stack) };
}

/** The private endpoint whose connection targets `reference` (`${azurerm_key_vault.KeyVault.id}`). */
function endpointFor(json: SynthJson, reference: string): Attributes | undefined {
  return Object.values(resourcesOf(json, 'azurerm_private_endpoint')).find(
    (pe) => (pe.private_service_connection as Attributes).private_connection_resource_id === reference,
  );
}

describe.each(['staging', 'prod'])('EnvironmentStack %s (private)', (name) => {
  const { stack, json } = synthEnvironment(name);
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

  test('Key Vault and storage have a private endpoint with a zone group and public access off', () => {
    const kv = endpointFor(json, ref('azurerm_key_vault.KeyVault.id'));
    const blob = endpointFor(json, ref('azurerm_storage_account.Storage.id'));
    for (const pe of [kv, blob]) {
      expect(pe).toBeDefined();
      expect(pe!.subnet_id).toMatch(
        /^\$\{azurerm_subnet\.Network_VirtualNetwork_PrivateEndpoints_[0-9A-F]{8}\.id\}$/,
      );
      expect((pe!.private_dns_zone_group as Attributes).private_dns_zone_ids).toHaveLength(1);
    }
    expect(resourcesOf(json, 'azurerm_key_vault').KeyVault!.public_network_access_enabled).toBe(false);
    expect(resourcesOf(json, 'azurerm_storage_account').Storage!.public_network_access_enabled).toBe(false);
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

describe('EnvironmentStack dev (public)', () => {
  const { stack, json } = synthEnvironment('dev');

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

  test('Key Vault and storage keep public access on (Entra ID auth only)', () => {
    expect(resourcesOf(json, 'azurerm_key_vault').KeyVault!.public_network_access_enabled).toBe(true);
    expect(resourcesOf(json, 'azurerm_storage_account').Storage!.public_network_access_enabled).toBe(true);
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

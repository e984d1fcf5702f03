import { ValidationError } from '../../constructs/core/errors';
import { loadConfig } from '../../lib/config/load';
import { defaultSubnets, validateNetworkOverlaps } from '../../lib/config/sections/network';
import { PRIVATE_ENVIRONMENT_YAML, TEST_DEFAULTS_YAML, testConfig, testEnvironment } from '../helpers/synth';

const EXISTING_VNET_ID =
  '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-spoke/providers/Microsoft.Network/virtualNetworks/vnet-spoke';

/** A private environment whose `network:` section is `network` (YAML, indented under `network:`). */
function privateEnv(network: string, extra = '') {
  return testEnvironment(
    `${PRIVATE_ENVIRONMENT_YAML}\nnetwork:\n${indent(network)}${extra ? `\n${extra}` : ''}`,
    'prod',
  );
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => (l ? `  ${l}` : l))
    .join('\n');
}

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (e) {
    if (e instanceof ValidationError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  return [];
}

describe('network config: defaults', () => {
  test('the default file: prod and staging private with distinct ranges, dev public', () => {
    // GIVEN / WHEN
    const { environments } = loadConfig('config/environments.yaml');

    // THEN
    expect(environments.dev!.network.mode).toBe('public');
    expect(environments.staging!.network).toMatchObject({ mode: 'private', addressSpace: '10.41.0.0/16' });
    expect(environments.prod!.network).toMatchObject({
      mode: 'private',
      addressSpace: '10.42.0.0/16',
      subnets: { privateEndpoints: '10.42.1.0/24', apim: '10.42.2.0/24', agents: '10.42.3.0/24' },
    });
    expect(validateNetworkOverlaps(environments)).toEqual([]);
  });

  test('production is private and development public unless the mode says otherwise', () => {
    expect(testEnvironment(PRIVATE_ENVIRONMENT_YAML, 'prod').network.mode).toBe('private');
    expect(testEnvironment('profile: development').network.mode).toBe('public');
  });

  test('subnets default to the 2nd, 3rd and 4th /24 of the given address space', () => {
    expect(privateEnv('azure:\n  addressSpace: 10.77.0.0/16').network).toMatchObject({
      addressSpace: '10.77.0.0/16',
      subnets: { privateEndpoints: '10.77.1.0/24', apim: '10.77.2.0/24', agents: '10.77.3.0/24' },
    });
    expect(privateEnv('mode: private').network.subnets).toEqual({
      privateEndpoints: '10.40.1.0/24',
      apim: '10.40.2.0/24',
      agents: '10.40.3.0/24',
    });
  });

  test('small address spaces are cut in quarters', () => {
    expect(defaultSubnets('10.60.8.0/24')).toEqual({
      privateEndpoints: '10.60.8.64/26',
      apim: '10.60.8.128/26',
      agents: '10.60.8.192/26',
    });
    expect(defaultSubnets('10.60.8.0/25')).toEqual({
      privateEndpoints: '10.60.8.32/27',
      apim: '10.60.8.64/27',
      agents: '10.60.8.96/27',
    });
    expect(defaultSubnets('10.60.8.0/26')).toBeUndefined();
  });

  test('an existing VNet gets no default address space or subnets', () => {
    const run = () => privateEnv(`azure:\n  existingVirtualNetworkId: ${EXISTING_VNET_ID}`);
    expect(problemsOf(run)).toEqual([
      'environments.prod.network.azure.subnets.privateEndpoints: is required with existingVirtualNetworkId: pick a free range in that network',
      'environments.prod.network.azure.subnets.apim: is required with existingVirtualNetworkId: pick a free range in that network',
      'environments.prod.network.azure.subnets.agents: is required with existingVirtualNetworkId: pick a free range in that network',
    ]);
  });

  test('an existing VNet with subnets given (and no address space) is valid', () => {
    const env = privateEnv(
      `azure:\n  existingVirtualNetworkId: ${EXISTING_VNET_ID}\n  subnets:\n    privateEndpoints: 10.9.1.0/27\n    apim: 10.9.1.32/27\n    agents: 10.9.1.64/28`,
    );
    expect(env.network.addressSpace).toBeUndefined();
    expect(env.network.existingVirtualNetworkId).toBe(EXISTING_VNET_ID);
  });
});

describe('validateNetwork', () => {
  test('fails when a subnet is outside the address space', () => {
    const run = () =>
      privateEnv('azure:\n  addressSpace: 10.50.0.0/16\n  subnets:\n    privateEndpoints: 10.51.1.0/24');
    expect(problemsOf(run)).toEqual([
      'environments.prod.network.azure.subnets.privateEndpoints: 10.51.1.0/24 is outside the address space 10.50.0.0/16',
    ]);
  });

  test('fails when subnets overlap', () => {
    const run = () => privateEnv('azure:\n  subnets:\n    agents: 10.40.1.128/25');
    expect(problemsOf(run)).toEqual([
      'environments.prod.network.azure.subnets.agents: 10.40.1.128/25 overlaps network.azure.subnets.privateEndpoints (10.40.1.0/24): subnets of one network must not share addresses',
    ]);
  });

  test('fails when the private endpoint subnet is smaller than /28', () => {
    const run = () => privateEnv('azure:\n  subnets:\n    privateEndpoints: 10.40.1.0/29');
    expect(problemsOf(run)).toEqual([
      'environments.prod.network.azure.subnets.privateEndpoints: 10.40.1.0/29 is too small (8 addresses): at least /28 (16 addresses) is needed because every private endpoint takes one address and an environment has about ten (a /28 leaves 11)',
    ]);
  });

  test('fails when the APIM subnet is smaller than the gateway tier needs (v2: /27)', () => {
    const run = () =>
      privateEnv('azure:\n  subnets:\n    apim: 10.40.2.0/28', 'gateway:\n  azure:\n    sku: StandardV2');
    expect(problemsOf(run)).toEqual([
      'environments.prod.network.azure.subnets.apim: 10.40.2.0/28 is too small (16 addresses): at least /27 (32 addresses) is needed because API Management v2 virtual network integration needs at least /27 (/24 recommended to scale)',
    ]);
  });

  test('a /29 APIM subnet is enough for classic injection, and ignored when the gateway is off', () => {
    expect(
      privateEnv('azure:\n  subnets:\n    apim: 10.40.2.0/29', 'gateway:\n  azure:\n    sku: Developer')
        .network.subnets.apim,
    ).toBe('10.40.2.0/29');
    expect(
      privateEnv('azure:\n  subnets:\n    apim: 10.40.2.0/30', 'gateway:\n  enabled: false').network.subnets
        .apim,
    ).toBe('10.40.2.0/30');
  });

  test('fails when the address space is not a network address', () => {
    const run = () =>
      privateEnv(
        'azure:\n  addressSpace: 10.40.0.1/16\n  subnets:\n    privateEndpoints: 10.40.1.0/24\n    apim: 10.40.2.0/24\n    agents: 10.40.3.0/24',
      );
    expect(problemsOf(run)).toEqual([
      'environments.prod.network.azure.addressSpace: "10.40.0.1/16" has host bits set: the range starts at 10.40.0.0/16',
    ]);
  });

  test('fails when the address space is too small for the default subnets', () => {
    const run = () => privateEnv('azure:\n  addressSpace: 10.40.0.0/27');
    expect(problemsOf(run)).toContain(
      'environments.prod.network.azure.subnets.privateEndpoints: is required: the address space 10.40.0.0/27 is too small for the default subnets (needs /25 or larger)',
    );
  });

  test('fails when the existing VNet id or the DNS zone group id is malformed', () => {
    const run = () =>
      privateEnv(
        'azure:\n  existingVirtualNetworkId: vnet-spoke\n  existingDnsZoneResourceGroupId: rg-dns\n  subnets:\n    privateEndpoints: 10.9.1.0/24\n    apim: 10.9.2.0/24\n    agents: 10.9.3.0/24',
      );
    expect(problemsOf(run)).toEqual([
      'environments.prod.network.azure.existingVirtualNetworkId: "vnet-spoke" is not a virtual network id: /subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<name>',
      'environments.prod.network.azure.existingDnsZoneResourceGroupId: "rg-dns" is not a resource group id: /subscriptions/<guid>/resourceGroups/<name>',
    ]);
  });

  test('public environments create no network, so their section is not checked', () => {
    expect(
      testEnvironment(
        'profile: development\nnetwork:\n  azure:\n    subnets:\n      privateEndpoints: 10.99.0.0/29',
      ).network.mode,
    ).toBe('public');
  });
});

describe('validateNetworkOverlaps', () => {
  const envYaml = (name: string, body: string) =>
    `  ${name}:\n${`${PRIVATE_ENVIRONMENT_YAML}\n${body}`
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n')}\n`;

  test('fails when two private environments share addresses', () => {
    // GIVEN
    const config = () =>
      testConfig(
        `${TEST_DEFAULTS_YAML}environments:\n${envYaml('staging', 'network:\n  azure:\n    addressSpace: 10.40.0.0/16')}${envYaml('prod', 'network:\n  azure:\n    addressSpace: 10.40.128.0/17\n    subnets:\n      privateEndpoints: 10.40.129.0/24\n      apim: 10.40.130.0/24\n      agents: 10.40.131.0/24')}  dev:\n    profile: development\n`,
      );

    // WHEN
    const problems = problemsOf(config);

    // THEN
    expect(problems).toEqual([
      'environments.prod.network.azure.addressSpace: 10.40.128.0/17 overlaps environments.staging.network.azure.addressSpace (10.40.0.0/16): private environments need distinct ranges to be peered to one hub',
    ]);
  });

  test('fails when two environments in the same existing VNet share a subnet range', () => {
    const byo = (pep: string) =>
      `network:\n  azure:\n    existingVirtualNetworkId: ${EXISTING_VNET_ID}\n    subnets:\n      privateEndpoints: ${pep}\n      apim: ${pep.replace('.0/27', '.32/27')}\n      agents: ${pep.replace('.0/27', '.64/27')}`;
    // GIVEN two environments in one existing VNet with the same subnet ranges
    const config = () =>
      testConfig(
        `${TEST_DEFAULTS_YAML}environments:\n${envYaml('staging', byo('10.9.1.0/27'))}${envYaml('prod', byo('10.9.1.0/27'))}`,
      );
    // WHEN the file is loaded, THEN the load fails with each shared range
    expect(problemsOf(config)).toEqual([
      'environments.prod.network.azure.subnets.privateEndpoints: 10.9.1.0/27 overlaps environments.staging.network.azure.subnets.privateEndpoints (10.9.1.0/27) in the same existing virtual network',
      'environments.prod.network.azure.subnets.apim: 10.9.1.32/27 overlaps environments.staging.network.azure.subnets.apim (10.9.1.32/27) in the same existing virtual network',
      'environments.prod.network.azure.subnets.agents: 10.9.1.64/27 overlaps environments.staging.network.azure.subnets.agents (10.9.1.64/27) in the same existing virtual network',
    ]);
  });

  test('public environments are not compared', () => {
    const config = testConfig(
      `${TEST_DEFAULTS_YAML}environments:\n${envYaml('prod', '')}  dev:\n    profile: development\n  test:\n    profile: development\n`,
    );
    expect(validateNetworkOverlaps(config.environments)).toEqual([]);
  });
});

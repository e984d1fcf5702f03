import { join } from 'node:path';
import { findMonitoredResources, type MonitoredResource } from '../../constructs/monitoring/discovery';
import type { EnvironmentConfig } from '../../lib/config/environment';
import { loadConfig } from '../../lib/config/load';
import { EnvironmentStack } from '../../lib/stacks/environment-stack';
import { PRIVATE_ENVIRONMENT_YAML, testApp, testEnvironment } from '../helpers/synth';

const CONFIG = loadConfig(join(__dirname, '..', '..', 'config', 'environments.yaml'));
const HUB = '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-private-dns';
const VNET =
  '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-spoke/providers/Microsoft.Network/virtualNetworks/vnet-spoke';

/** The environments to check: the shipped ones and the variants that change which resources exist. */
const VARIANTS: readonly [string, () => EnvironmentConfig][] = [
  ...Object.keys(CONFIG.environments)
    .filter((name) => CONFIG.environments[name]!.cloud === 'azure')
    .map((name): [string, () => EnvironmentConfig] => [
      `${name} (shipped config)`,
      () => CONFIG.environments[name]!,
    ]),
  [
    'private, bring your own VNet and DNS zones',
    () =>
      testEnvironment(
        `${PRIVATE_ENVIRONMENT_YAML}
network:
  azure:
    existingVirtualNetworkId: ${VNET}
    subnets: { privateEndpoints: 10.9.1.0/26, apim: 10.9.1.64/27, agents: 10.9.1.96/27 }
    existingDnsZoneResourceGroupId: ${HUB}`,
        'prod',
      ),
  ],
  [
    'private, without the AI Foundry workspace',
    () =>
      testEnvironment(
        `${PRIVATE_ENVIRONMENT_YAML}\nevaluation:\n  azure:\n    workspace:\n      enabled: false`,
        'prod',
      ),
  ],
  [
    'public, without the gateway',
    () => testEnvironment('profile: development\ngateway:\n  enabled: false', 'dev'),
  ],
  [
    'private, a provisioned deployment in two regions',
    () =>
      testEnvironment(
        `profile: production
pipeline:
  runner:
    labels: [self-hosted]
models:
  deployments:
    chat: { role: chat, model: gpt-4o, version: "2024-11-20" }
    chat-ptu: { role: chat, model: gpt-4o, version: "2024-11-20", azure: { sku: GlobalProvisionedManaged, capacity: 15 } }
    embedding: { role: embedding, model: text-embedding-3-large, version: "1" }
  azure:
    secondaryLocations: [germanywestcentral]`,
        'prod',
      ),
  ],
];

const summary = (resources: readonly MonitoredResource[]) =>
  resources.map((r) => [r.key, r.resourceType, r.name, r.provisioned]);

describe.each(VARIANTS)('monitoring wiring of %s', (_name, environment) => {
  test('the stack hands monitoring every resource a tree walk finds, in the same order, PTU flags included', () => {
    // GIVEN the environment's stack (monitoring wired from the capabilities' handles)
    const stack = new EnvironmentStack(testApp(), environment());
    // WHEN the tree is walked for every resource of a catalog type
    const found = findMonitoredResources(stack);
    // THEN monitoring was given exactly those: none forgotten, none added, same keys, names and PTU flags
    expect(found.length).toBeGreaterThan(4);
    expect(summary(stack.monitoring.monitored)).toEqual(summary(found));
    expect(Object.keys(stack.monitoring.baselineAlerts)).toEqual(found.map((r) => r.key));
  });
});

test('the provisioned variant is not vacuous: both of its model accounts carry the PTU flag', () => {
  const [, environment] = VARIANTS.at(-1)!;
  const stack = new EnvironmentStack(testApp(), environment());
  expect(stack.monitoring.monitored.filter((r) => r.provisioned).map((r) => r.key)).toEqual([
    'Models',
    'Models-germanywestcentral',
  ]);
});

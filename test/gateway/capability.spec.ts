import { join } from 'node:path';
import { PolicyReport } from '../../constructs/policy';
import { loadConfig } from '../../lib/config/load';
import { PROFILE_DEFAULTS } from '../../lib/config/profile-defaults';
import { EnvironmentStack } from '../../lib/stacks/environment-stack';
import { shippedEnvironmentJson } from '../helpers/shipped-synth';
import {
  allResources,
  onlyResource,
  PRIVATE_ENVIRONMENT_YAML,
  ref,
  resourcesOf,
  type SynthJson,
  synthStack,
  testApp,
  testEnvironment,
} from '../helpers/synth';

const DEV_YAML = `profile: development
logging:
  retentionDays: 60
models:
  deployments:
    chat: { role: chat, model: gpt-4o, version: "2024-11-20" }
    chat-v2: { role: chat, model: gpt-4.1, version: "2025-04-14" }
    embedding: { role: embedding, model: text-embedding-3-large, version: "1", dimensions: 3072 }
  azure:
    secondaryLocations: [francecentral]
gateway:
  experiments:
    chat:
      variants:
        control: { deployment: chat, weight: 90 }
        candidate: { deployment: chat-v2, weight: 10 }
  tokenLimits:
    tokensPerMinute: 20000
    monthlyQuota: 1000000`;

function build(body: string, name: string): { stack: EnvironmentStack; json: SynthJson } {
  const stack = new EnvironmentStack(testApp(), testEnvironment(body, name));
  return { stack, json: synthStack(stack) };
}

describe('addGateway in a public development environment', () => {
  // GIVEN a development environment with a failover region and an experiment
  // WHEN its stack is synthesized with every policy rule
  const { stack, json } = build(DEV_YAML, 'dev');

  test('the gateway fronts every model account and passes the policy rules', () => {
    expect(stack.gateway).toBeDefined();
    const errors = PolicyReport.tryOf(stack)!.findings.filter(
      (f) => f.path.startsWith('dev/Gateway') && f.severity === 'error',
    );
    expect(errors).toEqual([]);
    const apim = onlyResource(json, 'azurerm_api_management');
    expect(apim).toMatchObject({
      sku_name: 'Developer_1',
      virtual_network_type: 'None',
      public_network_access_enabled: true,
    });
    expect(String(apim.name)).toMatch(/^apim-llmops-dev-[a-z0-9]{5}$/);
    const grants = Object.values(resourcesOf(json, 'azurerm_role_assignment')).filter(
      (r) =>
        r.role_definition_name === 'Cognitive Services OpenAI User' &&
        String(r.principal_id).includes('azurerm_api_management.'),
    );
    expect(grants.map((g) => g.scope).sort()).toEqual([
      ref('azurerm_cognitive_account.Models-francecentral.id'),
      ref('azurerm_cognitive_account.Models.id'),
    ]);
  });

  test('config reaches the gateway: experiment weights, token limits, LLM log retention', () => {
    expect(onlyResource(json, 'azurerm_api_management_named_value').value).toBe('control=90;candidate=10');
    expect(String(onlyResource(json, 'azurerm_api_management_api_policy').xml_content)).toContain(
      'tokens-per-minute="20000" token-quota="1000000" token-quota-period="Monthly"',
    );
    expect(onlyResource(json, 'azurerm_log_analytics_workspace_table')).toMatchObject({
      name: 'ApiManagementGatewayLlmLog',
      retention_in_days: 60,
    });
    expect(json.output?.gateway_endpoint).toBeDefined();
  });
});

describe('addGateway in a private production environment', () => {
  // GIVEN a private environment (Standard v2 by default)
  const { json } = build(PRIVATE_ENVIRONMENT_YAML, 'prod');

  test('Standard v2 integrates with the API Management subnet and is reached through a private endpoint', () => {
    const apim = onlyResource(json, 'azurerm_api_management');
    expect(apim).toMatchObject({
      sku_name: 'StandardV2_1',
      virtual_network_type: 'External',
      // created open (Azure refuses it closed at creation); the closure below turns it off
      public_network_access_enabled: true,
      lifecycle: { ignore_changes: ['public_network_access_enabled'] },
    });
    expect(String((apim.virtual_network_configuration as { subnet_id: string }).subnet_id)).toContain(
      'azurerm_subnet.Network_VirtualNetwork_Apim',
    );
    const endpoints = Object.values(resourcesOf(json, 'azurerm_private_endpoint')).filter((p) =>
      String(
        (p.private_service_connection as { private_connection_resource_id: string })
          .private_connection_resource_id,
      ).includes('azurerm_api_management.'),
    );
    expect(endpoints).toHaveLength(1);
    expect(
      (endpoints[0]!.private_service_connection as { subresource_names: string[] }).subresource_names,
    ).toEqual(['Gateway']);
    // AND public access goes off in the same deploy, after that endpoint
    const closure = Object.values(resourcesOf(json, 'azapi_update_resource')).find((u) =>
      String(u.resource_id).startsWith('${azurerm_api_management.'),
    );
    expect(closure).toMatchObject({
      type: 'Microsoft.ApiManagement/service@2024-05-01',
      body: { properties: { publicNetworkAccess: 'Disabled' } },
      depends_on: expect.arrayContaining([
        expect.stringMatching(/^azurerm_private_endpoint\.Gateway_Apim_PrivateEndpoint_/),
      ]),
    });
  });

  test('LLM logs are kept as long as the environment keeps logs', () => {
    expect(onlyResource(json, 'azurerm_log_analytics_workspace_table').retention_in_days).toBe(
      PROFILE_DEFAULTS.logRetentionDays.production,
    );
  });
});

describe('addGateway when the gateway is disabled', () => {
  test('creates nothing', () => {
    const { stack, json } = build('profile: development\ngateway:\n  enabled: false', 'dev');
    expect(stack.gateway).toBeUndefined();
    expect(resourcesOf(json, 'azurerm_api_management')).toEqual({});
  });
});

describe('no keys anywhere: the gateway reaches the models with its managed identity', () => {
  // GIVEN every environment of config/environments.yaml, synthesized with the policy rules
  const config = loadConfig(join(__dirname, '..', '..', 'config', 'environments.yaml'));

  test.each(Object.keys(config.environments).filter((n) => config.environments[n]!.cloud === 'azure'))(
    '%s',
    (name) => {
      const json = shippedEnvironmentJson(name);
      // WHEN the gateway's resources are read
      const gateway = allResources(json).filter(
        ([type, , attrs]) =>
          type.startsWith('azurerm_api_management') ||
          (type === 'azapi_resource' && String(attrs.type).startsWith('Microsoft.ApiManagement/')),
      );
      expect(gateway.length).toBeGreaterThan(10);
      const text = JSON.stringify(gateway);
      // THEN no attribute holds a key, secret or password, and no value reads one from another resource
      const keyAttributes = [...text.matchAll(/"([A-Za-z_-]*(?:key|secret|password)[A-Za-z_-]*)":/gi)].map(
        (m) => m[1],
      );
      // (the subscription key's header name, and `secret: false` on named values, are the only matches)
      expect(
        keyAttributes.filter((k) => !['subscription_key_parameter_names', 'secret'].includes(k!)),
      ).toEqual([]);
      // (named values hold the experiment weights: plain text, never a secret)
      const withSecretFlag = gateway.filter(([, , attrs]) => 'secret' in attrs);
      expect(withSecretFlag.map(([, , attrs]) => attrs.secret)).toEqual(withSecretFlag.map(() => false));
      expect(text).not.toMatch(/primary_access_key|secondary_access_key|primary_key|listKeys|access_key/);
      // backends carry no credentials; the API policy drops the caller's key and gets a token for the models
      const backends = Object.values(resourcesOf(json, 'azurerm_api_management_backend'));
      expect(backends.length).toBeGreaterThan(0);
      for (const backend of backends) {
        expect(backend).not.toHaveProperty('credentials');
      }
      const policy = String(onlyResource(json, 'azurerm_api_management_api_policy').xml_content);
      expect(policy).toContain('<set-header name="api-key" exists-action="delete" />');
      expect(policy).toContain(
        '<authentication-managed-identity resource="https://cognitiveservices.azure.com" />',
      );
      // and the model accounts accept Entra ID only
      const accounts = Object.values(resourcesOf(json, 'azurerm_cognitive_account'));
      expect(accounts.length).toBeGreaterThan(0);
      for (const account of accounts) {
        expect(account.local_auth_enabled).toBe(false);
      }
    },
  );
});

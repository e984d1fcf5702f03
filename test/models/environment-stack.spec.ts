import {
  MICROSOFT_DEFAULT_CONTENT_FILTER,
  RAI_POLICY_AZAPI_TYPE,
} from '../../constructs/models/content-filter-policy';
import { loadConfig, parseConfig } from '../../lib/config/load';
import { synthEnvironment } from '../helpers/environment';
import { ref } from '../helpers/synth';
import type { Attributes, SynthJson } from './helpers';

const of = (json: SynthJson, type: string): [string, Attributes][] =>
  Object.entries(json.resource?.[type] ?? {});

/**
 * Every deployment pins a model version and uses a content filter policy declared on its own account;
 * Microsoft's default policy only when named explicitly (and then `allowMicrosoftDefault` must say so).
 */
function expectPinnedAndFiltered(json: SynthJson, allowMicrosoftDefault: readonly string[] = []): void {
  const policies = of(json, 'azapi_resource')
    .map(([, r]) => r)
    .filter((r) => r.type === RAI_POLICY_AZAPI_TYPE);
  const deployments = of(json, 'azurerm_cognitive_deployment');
  expect(deployments.length).toBeGreaterThan(0);
  for (const [address, d] of deployments) {
    const model = d.model as { version?: string };
    expect({ address, version: typeof model.version === 'string' && model.version.trim() !== '' }).toEqual({
      address,
      version: true,
    });
    const policyName = d.rai_policy_name as string | undefined;
    expect({ address, hasPolicy: typeof policyName === 'string' && policyName !== '' }).toEqual({
      address,
      hasPolicy: true,
    });
    if (policyName === MICROSOFT_DEFAULT_CONTENT_FILTER) {
      expect(allowMicrosoftDefault).toContain(d.name);
      continue;
    }
    const onSameAccount = policies.filter(
      (p) => p.name === policyName && p.parent_id === d.cognitive_account_id,
    );
    expect({ address, policyOnAccount: onSameAccount.length }).toEqual({ address, policyOnAccount: 1 });
  }
}

describe('models in the environment stacks', () => {
  const config = loadConfig('config/environments.yaml');
  // Each environment of the default config is synthesized once and shared by the tests that read it.
  const synthesized = new Map<string, ReturnType<typeof synthEnvironment>>();
  const synthNamed = (name: string): ReturnType<typeof synthEnvironment> => {
    const cached = synthesized.get(name) ?? synthEnvironment(config.environments[name]!);
    synthesized.set(name, cached);
    return cached;
  };

  test.each(Object.keys(config.environments).filter((n) => config.environments[n]!.cloud === 'azure'))(
    '%s: every deployment pins a version and uses a content filter policy',
    (name) => {
      // GIVEN / WHEN
      const env = config.environments[name]!;
      const { stack, json } = synthNamed(name);

      // THEN
      expectPinnedAndFiltered(json);
      // AND one account per region, public access per the network mode
      const accounts = of(json, 'azurerm_cognitive_account');
      expect(accounts).toHaveLength(1 + env.models.secondaryLocations.length);
      for (const [, account] of accounts) {
        expect(account.public_network_access_enabled).toBe(env.network.mode === 'public');
        expect(account.local_auth_enabled).toBe(false);
      }
      // AND the RAG defaults: a chat deployment and an embedding deployment with known dimensions
      expect(stack.models.primary.chat('chat').modelVersion).toBeTruthy();
      expect(stack.models.primary.embedding().dimensions).toBeGreaterThan(0);
      expect(json.output?.model_endpoint?.value).toBe(ref('azurerm_cognitive_account.Models.endpoint'));
    },
  );

  test('private environments reach the accounts through private endpoints', () => {
    const [name, env] = Object.entries(config.environments).find(([, e]) => e.network.mode === 'private')!;
    const { json } = synthNamed(name);
    const endpoints = of(json, 'azurerm_private_endpoint').filter(([, pe]) =>
      String(
        (pe.private_service_connection as { private_connection_resource_id: string })
          .private_connection_resource_id,
      ).includes('azurerm_cognitive_account.'),
    );
    expect(endpoints).toHaveLength(1 + env.models.secondaryLocations.length);
  });

  test('secondary regions get an account each with the same deployments and filters, and an explicit opt-out stays visible', () => {
    // GIVEN
    const env = parseConfig(
      `defaults:
  workload: llmops
  namingSeed: test
  location: swedencentral
  tags: { owner: test-team }
environments:
  dev:
    profile: development
    network: { mode: public }
    models:
      deployments:
        chat: { role: chat, model: gpt-4o, version: "2024-11-20" }
        legacy: { role: chat, model: gpt-4o-mini, version: "2024-07-18", azure: { contentFilter: microsoft-default } }
        embedding: { role: embedding, model: text-embedding-3-large, version: "1" }
      azure:
        secondaryLocations: [westeurope]
        contentFilters:
          strict: { blocklists: { brands: [Contoso] } }
`,
      'test.yaml',
    ).environments.dev!;

    // WHEN
    const { stack, json } = synthEnvironment(env);

    // THEN
    expectPinnedAndFiltered(json, ['legacy']);
    const { primary, secondaries, all } = stack.models;
    expect(Object.keys(secondaries)).toEqual(['westeurope']);
    expect(all).toEqual([primary, secondaries.westeurope]);
    expect(secondaries.westeurope!.location).toBe('westeurope');
    expect(secondaries.westeurope!.accountName).toMatch(/^ais-llmops-dev-weu-[a-z0-9]{5}$/);
    expect(secondaries.westeurope!.deploymentNames).toEqual(primary.deploymentNames);
    const deploymentsPerAccount = new Map<unknown, string[]>();
    for (const [, d] of of(json, 'azurerm_cognitive_deployment')) {
      deploymentsPerAccount.set(d.cognitive_account_id, [
        ...(deploymentsPerAccount.get(d.cognitive_account_id) ?? []),
        d.name as string,
      ]);
    }
    expect([...deploymentsPerAccount.values()].map((names) => names.sort())).toEqual([
      ['chat', 'embedding', 'legacy'],
      ['chat', 'embedding', 'legacy'],
    ]);
    expect(of(json, 'azurerm_cognitive_account_rai_blocklist').map(([, b]) => b.name)).toEqual([
      'strict-brands',
      'strict-brands',
    ]);
  });
});

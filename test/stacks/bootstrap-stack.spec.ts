import { join } from 'node:path';
import { AZAPI_PROVIDER_VERSION } from '../../constructs/core/azapi';
import { isTaggable } from '../../constructs/core/tags';
import { PolicyReport, requiresPreventDestroy } from '../../constructs/policy';
import type { EnvironmentConfig } from '../../lib/config/environment';
import { loadConfig } from '../../lib/config/load';
import { BootstrapStack, bootstrapStackName } from '../../lib/stacks/bootstrap-stack';
import { ENVIRONMENT_RESOURCE_PROVIDERS } from '../../lib/stacks/resource-providers';
import {
  allResources,
  onlyResource,
  resourcesOf,
  type SynthJson,
  synthStack,
  testApp,
  testEnvironment,
} from '../helpers/synth';

const REPO = join(__dirname, '../..');
const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;

const synthesized: Record<string, { env: EnvironmentConfig; stack: BootstrapStack; json: SynthJson }> = {};

beforeAll(() => {
  const config = loadConfig(join(REPO, 'config/environments.yaml'));
  const app = testApp();
  for (const name of ENVIRONMENTS) {
    const env = config.environments[name]!;
    const stack = new BootstrapStack(app, env);
    synthesized[name] = { env, stack, json: synthStack(stack) };
  }
});

describe.each(ENVIRONMENTS)('BootstrapStack for %s (default config)', (name) => {
  const get = () => synthesized[name]!;

  test('is named bootstrap-<env>', () => {
    expect(bootstrapStackName(name)).toBe(`bootstrap-${name}`);
    expect(get().stack.node.id).toBe(`bootstrap-${name}`);
  });

  test('pins azurerm 4.55.0 and azapi in required_providers', () => {
    expect(get().json.terraform!.required_providers).toEqual({
      azurerm: { source: 'azurerm', version: '4.55.0' },
      azapi: { source: 'azure/azapi', version: AZAPI_PROVIDER_VERSION },
    });
  });

  test('registers exactly the resource providers the environment uses (it runs as an administrator)', () => {
    const [azurerm] = get().json.provider!.azurerm!;
    expect(azurerm).toMatchObject({
      resource_provider_registrations: 'none',
      resource_providers_to_register: Object.keys(ENVIRONMENT_RESOURCE_PROVIDERS).sort(),
    });
    expect(get().json.provider!.azapi).toEqual([{ skip_provider_registration: true }]);
  });

  test('keeps its own state in a local file at a relative path (it creates the remote state)', () => {
    expect(get().json.terraform!.backend).toEqual({
      local: { path: `../../../terraform.bootstrap-${name}.tfstate` },
    });
  });

  test('creates the environment resource group, protected and tagged', () => {
    const { env, json } = get();
    expect(resourcesOf(json, 'azurerm_resource_group').ResourceGroup).toEqual({
      name: `rg-llmops-${name}-sdc`,
      location: 'swedencentral',
      lifecycle: { prevent_destroy: true },
      tags: env.tags,
    });
    expect(json.output!.resource_group_name).toEqual({
      value: `\${azurerm_resource_group.ResourceGroup.name}`,
    });
  });

  test('every taggable resource carries the environment tags; every stateful one prevent_destroy', () => {
    const { env, stack, json } = get();
    const taggable = stack.node.findAll().filter(isTaggable);
    expect(taggable.length).toBeGreaterThan(0);
    for (const resource of taggable) {
      const tags = resourcesOf(json, resource.terraformResourceType)[resource.friendlyUniqueId]!.tags;
      expect(tags).toEqual(expect.objectContaining(env.tags));
    }
    const unprotected = allResources(json).filter(
      ([type, , attrs]) =>
        requiresPreventDestroy(type, attrs.type) &&
        (attrs.lifecycle as { prevent_destroy?: boolean })?.prevent_destroy !== true,
    );
    expect(unprotected).toEqual([]);
  });

  test('passes every policy rule; suppressions carry their reasons', () => {
    const report = PolicyReport.tryOf(get().stack)!;
    expect(report.validate()).toEqual([]);
    for (const finding of report.findings)
      expect((finding.suppressedBecause ?? '').length).toBeGreaterThanOrEqual(10);
  });
});

describe('state storage', () => {
  test('an environment with a local backend gets none', () => {
    // GIVEN an environment without a state section (local backend)
    const stack = new BootstrapStack(testApp(), testEnvironment('profile: development'));
    const json = synthStack(stack);
    // THEN no state account is created
    expect(stack.stateStorage).toBeUndefined();
    expect(resourcesOf(json, 'azurerm_storage_account')).toEqual({});
    expect(json.output).not.toHaveProperty('state_storage_account_name');
  });

  test.each(['dev', 'staging', 'prod'])(
    '%s gets a versioned, Entra-ID-only account with a private tfstate container (geo-zone-redundant in production)',
    (name) => {
      const { env, json } = synthesized[name]!;
      const account = onlyResource(json, 'azurerm_storage_account');
      // named as the environment's backend expects
      expect(env.state.backend).toBe('azurerm');
      expect(account.name).toBe(env.state.backend === 'azurerm' ? env.state.storageAccountName : undefined);
      expect(account.account_replication_type).toBe(env.zoneRedundant ? 'GZRS' : 'LRS');
      expect(account.shared_access_key_enabled).toBe(false);
      expect(account.min_tls_version).toBe('TLS1_2');
      expect(account.blob_properties).toEqual({
        versioning_enabled: true,
        change_feed_enabled: true,
        delete_retention_policy: { days: 90 },
        container_delete_retention_policy: { days: 90 },
      });
      // private production: the environment stack closes the firewall to the runner subnet (state-private)
      expect(account.lifecycle).toEqual(
        env.network.mode === 'private' && env.profile === 'production'
          ? { prevent_destroy: true, ignore_changes: ['network_rules', 'public_network_access_enabled'] }
          : { prevent_destroy: true },
      );
      expect(onlyResource(json, 'azurerm_storage_container')).toEqual({
        name: 'tfstate',
        storage_account_id: `\${azurerm_storage_account.StateStorage.id}`,
        container_access_type: 'private',
      });
      expect(json.output!.state_storage_account_name).toEqual({
        value: `\${azurerm_storage_account.StateStorage.name}`,
      });
    },
  );

  test.each(['staging', 'prod'])(
    '%s state storage is reachable publicly, a suppressed finding with its reason',
    (name) => {
      const { stack, json } = synthesized[name]!;
      expect(onlyResource(json, 'azurerm_storage_account').public_network_access_enabled).toBe(true);
      const finding = PolicyReport.tryOf(stack)!.findings.find((f) => f.ruleId === 'public-network-access');
      expect(finding).toMatchObject({
        path: `bootstrap-${name}/StateStorage/Default`,
        suppressedBecause: expect.stringContaining('before the environment network exists'),
      });
    },
  );

  test.each(['staging', 'prod'])(
    '%s suppresses diagnostic settings and their aspect: no workspace exists yet',
    (name) => {
      const { stack } = synthesized[name]!;
      const findings = PolicyReport.tryOf(stack)!.findings.filter(
        (f) => f.ruleId === 'diagnostic-setting' || f.ruleId === 'diagnostics-aspect',
      );
      expect([...new Set(findings.map((f) => f.ruleId))].sort()).toEqual([
        'diagnostic-setting',
        'diagnostics-aspect',
      ]);
      for (const f of findings)
        expect(f.suppressedBecause).toContain(
          "before the environment's Log Analytics workspace exists; the environment stack adds the state account's diagnostic settings",
        );
    },
  );
});

describe('BootstrapStack with protection off', () => {
  test('drops prevent_destroy and suppresses the rule with the reason from config', () => {
    const env = testEnvironment(
      'profile: development\nstate:\n  backend: azurerm\nprotection:\n  preventDestroy: false\n  reason: throwaway sandbox, rebuilt nightly',
      'sandbox',
    );
    const stack = new BootstrapStack(testApp(), env);
    const json = synthStack(stack);
    expect(resourcesOf(json, 'azurerm_resource_group').ResourceGroup).not.toHaveProperty('lifecycle');
    expect(onlyResource(json, 'azurerm_storage_account')).not.toHaveProperty('lifecycle');
    // development: locally redundant state storage
    expect(onlyResource(json, 'azurerm_storage_account').account_replication_type).toBe('LRS');
    const findings = PolicyReport.tryOf(stack)!.findings.filter((f) => f.ruleId === 'prevent-destroy');
    expect(findings.length).toBeGreaterThanOrEqual(2);
    for (const f of findings) expect(f.suppressedBecause).toBe('throwaway sandbox, rebuilt nightly');
  });
});

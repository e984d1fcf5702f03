import { Construct } from 'constructs';
import { Observability } from '../../constructs/logging/observability';
import { LocalAuthDisabledRule, suppressPolicy } from '../../constructs/policy';
import { KeyVault } from '../../constructs/security/key-vault';
import { StorageAccount } from '../../constructs/storage/storage-account';
import { TEST_RESOURCE_GROUP } from '../helpers/synth';
import { findingsAfterSynth, rawResource, stackWith, synthError } from './helpers';

/** Per type: the argument that switches key auth off, its compliant value and the other value. */
const CASES = [
  ['azurerm_cognitive_account', 'local_auth_enabled', false, true],
  ['azurerm_search_service', 'local_authentication_enabled', false, true],
  ['azurerm_storage_account', 'shared_access_key_enabled', false, true],
  ['azurerm_log_analytics_workspace', 'local_authentication_enabled', false, true],
  ['azurerm_application_insights', 'local_authentication_disabled', true, false],
  ['azurerm_key_vault', 'rbac_authorization_enabled', true, false],
] as const;

describe('policy rule local-auth-disabled', () => {
  test("passes for the project's constructs (Key Vault, storage, Log Analytics, Application Insights)", () => {
    // GIVEN the constructs with their defaults
    const stack = stackWith(new LocalAuthDisabledRule());
    new KeyVault(stack, 'Vault', { resourceGroup: TEST_RESOURCE_GROUP, name: 'kv-test', tenantId: 't' });
    new StorageAccount(stack, 'Storage', { resourceGroup: TEST_RESOURCE_GROUP, name: 'sttest' });
    new Observability(stack, 'Observability', {
      resourceGroup: TEST_RESOURCE_GROUP,
      workspaceName: 'log-test',
      appInsightsName: 'appi-test',
    });
    // WHEN synthesized with validations THEN there is no finding
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test.each(CASES)('passes for a %s with %s = %s', (type, key, compliant) => {
    const stack = stackWith(new LocalAuthDisabledRule());
    rawResource(stack, 'Target', type, { [key]: compliant });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test.each(CASES)('fails when a %s has %s = %s', (type, key, compliant, other) => {
    // GIVEN a resource that still accepts keys
    const stack = stackWith(new LocalAuthDisabledRule());
    rawResource(stack, 'Target', type, { [key]: other });
    // WHEN synthesized THEN synth fails with the rule, the construct path, the address and the fix
    expect(synthError(stack)).toContain(
      `[policy local-auth-disabled] test/Target (${type}.Target): local authentication must be off: set ${key} = ${compliant}`,
    );
  });

  test('fails when the argument is left to the provider default', () => {
    const stack = stackWith(new LocalAuthDisabledRule());
    rawResource(stack, 'Account', 'azurerm_cognitive_account');
    expect(synthError(stack)).toContain('set local_auth_enabled = false');
  });

  test('a suppression with a reason lets synth pass and is reported with the finding', () => {
    // GIVEN a non-compliant account inside a construct that suppresses the rule with a reason
    const stack = stackWith(new LocalAuthDisabledRule());
    const legacy = new Construct(stack, 'Legacy');
    rawResource(legacy, 'Account', 'azurerm_cognitive_account', { local_auth_enabled: true });
    suppressPolicy(legacy, 'local-auth-disabled', 'a vendor tool that only speaks API keys, retired in Q3');
    // WHEN synthesized THEN synth passes and the finding carries the reason
    expect(findingsAfterSynth(stack)).toEqual([
      expect.objectContaining({
        ruleId: 'local-auth-disabled',
        path: 'test/Legacy/Account',
        suppressedBecause: 'a vendor tool that only speaks API keys, retired in Q3',
      }),
    ]);
  });

  test('ignores types it does not know', () => {
    const stack = stackWith(new LocalAuthDisabledRule());
    rawResource(stack, 'Group', 'azurerm_resource_group', { local_auth_enabled: true });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });
});

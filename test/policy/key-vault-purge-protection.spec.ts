import { KeyVaultPurgeProtectionRule, suppressPolicy } from '../../constructs/policy';
import { KeyVault } from '../../constructs/security/key-vault';
import { TEST_RESOURCE_GROUP } from '../helpers/synth';
import { findingsAfterSynth, rawResource, stackWith, synthError } from './helpers';

describe('policy rule key-vault-purge-protection', () => {
  test('passes for the KeyVault construct', () => {
    const stack = stackWith(new KeyVaultPurgeProtectionRule());
    new KeyVault(stack, 'Vault', {
      resourceGroup: TEST_RESOURCE_GROUP,
      name: 'kv-test',
      tenantId: 't',
      softDeleteRetentionDays: 7,
    });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('passes when soft delete is left to the provider default (90 days)', () => {
    const stack = stackWith(new KeyVaultPurgeProtectionRule());
    rawResource(stack, 'Vault', 'azurerm_key_vault', { purge_protection_enabled: true });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('fails when purge protection is off', () => {
    const stack = stackWith(new KeyVaultPurgeProtectionRule());
    rawResource(stack, 'Vault', 'azurerm_key_vault', { purge_protection_enabled: false });
    expect(synthError(stack)).toContain(
      '[policy key-vault-purge-protection] test/Vault (azurerm_key_vault.Vault): set purge_protection_enabled = true',
    );
  });

  test('fails when purge protection is left to the provider default (off)', () => {
    const stack = stackWith(new KeyVaultPurgeProtectionRule());
    rawResource(stack, 'Vault', 'azurerm_key_vault');
    expect(synthError(stack)).toContain('set purge_protection_enabled = true');
  });

  test('fails when soft delete keeps deleted objects fewer than 7 days, reporting both problems', () => {
    const stack = stackWith(new KeyVaultPurgeProtectionRule());
    rawResource(stack, 'Vault', 'azurerm_key_vault', {
      purge_protection_enabled: false,
      soft_delete_retention_days: 5,
    });
    expect(synthError(stack)).toContain(
      'test/Vault (azurerm_key_vault.Vault): set purge_protection_enabled = true; soft_delete_retention_days is 5; allowed 7-90',
    );
  });

  test('a suppression with a reason lets synth pass and is reported with the finding', () => {
    const stack = stackWith(new KeyVaultPurgeProtectionRule());
    const vault = rawResource(stack, 'Vault', 'azurerm_key_vault', { purge_protection_enabled: false });
    suppressPolicy(
      vault,
      'key-vault-purge-protection',
      'ephemeral vault for an integration test, deleted by the run',
    );
    expect(findingsAfterSynth(stack)).toEqual([
      expect.objectContaining({
        ruleId: 'key-vault-purge-protection',
        suppressedBecause: 'ephemeral vault for an integration test, deleted by the run',
      }),
    ]);
  });

  test.each([
    [6, 'soft_delete_retention_days is 6; allowed 7-90'],
    [0, 'soft_delete_retention_days is 0; allowed 7-90'],
    ['7', 'soft_delete_retention_days is "7"; allowed 7-90'],
  ])('fails when soft_delete_retention_days is %p', (days, message) => {
    const stack = stackWith(new KeyVaultPurgeProtectionRule());
    rawResource(stack, 'Vault', 'azurerm_key_vault', {
      purge_protection_enabled: true,
      soft_delete_retention_days: days,
    });
    expect(synthError(stack)).toContain(
      `[policy key-vault-purge-protection] test/Vault (azurerm_key_vault.Vault): ${message}`,
    );
  });

  test.each([7, 90])('passes when soft_delete_retention_days is %p', (days) => {
    const stack = stackWith(new KeyVaultPurgeProtectionRule());
    rawResource(stack, 'Vault', 'azurerm_key_vault', {
      purge_protection_enabled: true,
      soft_delete_retention_days: days,
    });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('checks no other resource type', () => {
    const stack = stackWith(new KeyVaultPurgeProtectionRule());
    rawResource(stack, 'Storage', 'azurerm_storage_account', { purge_protection_enabled: false });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });
});

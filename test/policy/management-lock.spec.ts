import { addManagementLock, MANAGEMENT_LOCK_NAME } from '../../constructs/core/lock';
import { ManagementLockRule, suppressPolicy } from '../../constructs/policy';
import { KeyVault } from '../../constructs/security/key-vault';
import { TEST_RESOURCE_GROUP } from '../helpers/synth';
import { findingsAfterSynth, rawResource, stackWith, synthError } from './helpers';

const production = () => new ManagementLockRule({ profile: 'production' });

describe('policy rule management-lock', () => {
  test('passes for a production Key Vault locked with addManagementLock', () => {
    // GIVEN a vault and its CanNotDelete lock
    const stack = stackWith(production());
    const vault = new KeyVault(stack, 'Vault', {
      resourceGroup: TEST_RESOURCE_GROUP,
      name: 'kv-test',
      tenantId: 't',
    });
    const lock = addManagementLock(vault.vault);
    // THEN the lock is CanNotDelete on the vault, protected from destroy, and nothing is found
    expect(lock.nameInput).toBe(MANAGEMENT_LOCK_NAME);
    expect(lock.lockLevelInput).toBe('CanNotDelete');
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('fails in production for a stateful resource without a lock', () => {
    const stack = stackWith(production());
    rawResource(stack, 'Workspace', 'azurerm_log_analytics_workspace', { name: 'log' });
    expect(synthError(stack)).toContain(
      '[policy management-lock] test/Workspace (azurerm_log_analytics_workspace.Workspace): no management lock: a delete from the portal or the CLI would lose its data (prevent_destroy guards Terraform only); keep protection.locks on',
    );
  });

  test('fails in production when the lock is ReadOnly', () => {
    const stack = stackWith(production());
    const search = rawResource(stack, 'Search', 'azurerm_search_service', { name: 's' });
    rawResource(stack, 'Lock', 'azurerm_management_lock', {
      name: 'l',
      scope: search.getStringAttribute('id'),
      lock_level: 'ReadOnly',
    });
    expect(synthError(stack)).toContain(
      'test/Search (azurerm_search_service.Search): the lock has lock_level "ReadOnly"; use CanNotDelete',
    );
  });

  test.each([
    ['a reference to a resource group', `\${data.azurerm_resource_group.ResourceGroup.id}`],
    ['a literal resource group id', '/subscriptions/s/resourceGroups/rg-llmops-prod'],
  ])('fails in every profile for a lock on %s', (_what, scope) => {
    const stack = stackWith(new ManagementLockRule({ profile: 'development' }));
    rawResource(stack, 'GroupLock', 'azurerm_management_lock', {
      name: 'l',
      scope,
      lock_level: 'CanNotDelete',
    });
    expect(synthError(stack)).toContain(
      '[policy management-lock] test/GroupLock (azurerm_management_lock.GroupLock): a lock on a resource group is inherited by every resource in it, so every Terraform delete or replace in the environment fails',
    );
  });

  test('does not ask for locks in development', () => {
    const stack = stackWith(new ManagementLockRule({ profile: 'development' }));
    rawResource(stack, 'Vault', 'azurerm_key_vault', { name: 'kv' });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('a suppression with a reason lets synth pass and is reported with the finding', () => {
    const stack = stackWith(production());
    const account = rawResource(stack, 'Models', 'azurerm_cognitive_account', { name: 'ais' });
    suppressPolicy(account, 'management-lock', 'account recreated by the quarterly region move');
    expect(findingsAfterSynth(stack)).toEqual([
      expect.objectContaining({
        ruleId: 'management-lock',
        suppressedBecause: 'account recreated by the quarterly region move',
      }),
    ]);
  });
});

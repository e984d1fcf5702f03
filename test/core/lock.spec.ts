import { addManagementLock, LOCKED_TYPES, MANAGEMENT_LOCK_NAME } from '../../constructs/core/lock';
import { KeyVault } from '../../constructs/security/key-vault';
import { onlyResource, synthStack, TEST_RESOURCE_GROUP, testStack } from '../helpers/synth';

describe('addManagementLock', () => {
  test('a CanNotDelete lock on the resource, protected from destroy, with a note naming the break-glass page', () => {
    const stack = testStack();
    const vault = new KeyVault(stack, 'Vault', {
      resourceGroup: TEST_RESOURCE_GROUP,
      name: 'kv-test',
      tenantId: 't',
    });
    addManagementLock(vault.vault);
    expect(onlyResource(synthStack(stack), 'azurerm_management_lock')).toMatchObject({
      name: MANAGEMENT_LOCK_NAME,
      scope: `\${azurerm_key_vault.Vault.id}`,
      lock_level: 'CanNotDelete',
      notes: 'Managed by llmops-platform (protection.locks). Removing it: docs/protection.md, break glass.',
      lifecycle: { prevent_destroy: true },
    });
  });

  test('throwaway environments (preventDestroy false) get a lock that Terraform may remove', () => {
    const stack = testStack();
    const vault = new KeyVault(stack, 'Vault', {
      resourceGroup: TEST_RESOURCE_GROUP,
      name: 'kv-test',
      tenantId: 't',
      preventDestroy: false,
    });
    addManagementLock(vault.vault, { preventDestroy: false });
    expect(onlyResource(synthStack(stack), 'azurerm_management_lock')).not.toHaveProperty('lifecycle');
  });

  test('never the resource group: a group lock is inherited by every resource and blocks every replace', () => {
    expect(LOCKED_TYPES.has('azurerm_resource_group')).toBe(false);
    expect([...LOCKED_TYPES].sort()).toEqual([
      'azurerm_cognitive_account',
      'azurerm_key_vault',
      'azurerm_log_analytics_workspace',
      'azurerm_search_service',
      'azurerm_storage_account',
    ]);
  });
});

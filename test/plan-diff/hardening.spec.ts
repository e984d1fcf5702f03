/** plan:diff on the production-hardening resources (issue 17): locks, keys, the hub's create-time encryption. */
import { diffDev } from './helpers';

const HUB = {
  name: 'hub-llmops-prod',
  location: 'swedencentral',
  resource_group_name: 'rg',
  key_vault_id: 'kv',
  storage_account_id: 'st',
  lifecycle: { prevent_destroy: true },
};
const ENCRYPTION = {
  key_id: 'https://kv.vault.azure.net/keys/llmops-cmk',
  key_vault_id: 'kv',
  user_assigned_identity_id: 'id',
};

describe('plan:diff on production hardening', () => {
  test('turning the AI Foundry hub encryption on is a blocking replacement (encryption forces a new hub)', () => {
    // GIVEN a hub without, then with, a customer-managed key
    const report = diffDev(
      { azurerm_ai_foundry: { Hub: HUB } },
      { azurerm_ai_foundry: { Hub: { ...HUB, encryption: ENCRYPTION } } },
    );
    // THEN the hub is replaced, and that is blocking
    expect(report.blocking).toEqual([
      expect.objectContaining({
        kind: 'stateful-replace',
        address: 'azurerm_ai_foundry.Hub',
        message: expect.stringContaining('encryption'),
      }),
    ]);
  });

  test('turning it off again is just as blocking', () => {
    const report = diffDev(
      { azurerm_ai_foundry: { Hub: { ...HUB, encryption: ENCRYPTION } } },
      { azurerm_ai_foundry: { Hub: HUB } },
    );
    expect(report.blocking.map((f) => [f.kind, f.address])).toEqual([
      ['stateful-replace', 'azurerm_ai_foundry.Hub'],
    ]);
  });

  test('removing a management lock is blocking', () => {
    const lock = {
      name: 'llmops-platform-cannot-delete',
      scope: 'kv',
      lock_level: 'CanNotDelete',
      lifecycle: { prevent_destroy: true },
    };
    const report = diffDev({ azurerm_management_lock: { KeyVaultLock: lock } }, {});
    expect(report.blocking).toEqual([
      expect.objectContaining({
        kind: 'stateful-destroy',
        address: 'azurerm_management_lock.KeyVaultLock',
        message: 'stateful `azurerm_management_lock` destroyed (it had `lifecycle.prevent_destroy`)',
      }),
    ]);
  });

  test('removing a customer-managed key is blocking', () => {
    const key = {
      name: 'llmops-cmk',
      key_vault_id: 'kv',
      key_type: 'RSA',
      key_size: 3072,
      key_opts: ['wrapKey'],
    };
    const report = diffDev({ azurerm_key_vault_key: { Key: key } }, {});
    expect(report.blocking.map((f) => [f.kind, f.address])).toEqual([
      ['stateful-destroy', 'azurerm_key_vault_key.Key'],
    ]);
  });

  test('changing the key size replaces the key, which is blocking (everything encrypted with it is re-keyed)', () => {
    const key = { name: 'llmops-cmk', key_vault_id: 'kv', key_type: 'RSA', key_opts: ['wrapKey'] };
    const report = diffDev(
      { azurerm_key_vault_key: { Key: { ...key, key_size: 3072 } } },
      { azurerm_key_vault_key: { Key: { ...key, key_size: 4096 } } },
    );
    expect(report.blocking).toEqual([
      expect.objectContaining({
        kind: 'stateful-replace',
        address: 'azurerm_key_vault_key.Key',
        message: expect.stringContaining('`key_size` changed (forces a new resource)'),
      }),
    ]);
  });

  test('changing the datasets storage from ZRS to GZRS is an in-place update, not blocking', () => {
    const account = {
      name: 'st',
      resource_group_name: 'rg',
      location: 'swedencentral',
      account_tier: 'Standard',
    };
    const report = diffDev(
      { azurerm_storage_account: { Storage: { ...account, account_replication_type: 'ZRS' } } },
      { azurerm_storage_account: { Storage: { ...account, account_replication_type: 'GZRS' } } },
    );
    expect(report.blocking).toEqual([]);
  });
});

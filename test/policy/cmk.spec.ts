import { TimeProvider, TimeSleep } from '../../constructs/core/time';
import { CmkRule, suppressPolicy } from '../../constructs/policy';
import { StorageAccount } from '../../constructs/storage/storage-account';
import { TEST_RESOURCE_GROUP } from '../helpers/synth';
import { findingsAfterSynth, rawResource, stackWith, synthError } from './helpers';

const production = () => new CmkRule({ profile: 'production' });
const IDENTITY = {
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-cmk',
  clientId: 'c',
};
const KEY_ID = 'https://kv-test.vault.azure.net/keys/llmops-cmk';
const GOOD_KEY = {
  key_type: 'RSA',
  key_size: 3072,
  expiration_date: `\${timeadd(plantimestamp(), "17520h")}`,
  rotation_policy: { expire_after: 'P2Y', automatic: { time_after_creation: 'P700D' } },
};

describe('policy rule cmk', () => {
  test('passes for production resources encrypted with a rotating, expiring RSA key', () => {
    // GIVEN each encrypting type with its customer-managed key
    const stack = stackWith(new CmkRule({ profile: 'production', networkMode: 'private' }));
    new TimeProvider(stack, 'Time');
    const wait = new TimeSleep(stack, 'Wait', { createDuration: '120s', dependsOn: [] });
    new StorageAccount(stack, 'Storage', {
      resourceGroup: TEST_RESOURCE_GROUP,
      name: 'sttestcmk',
      customerManagedKey: { keyVaultKeyId: KEY_ID, identity: IDENTITY, dependsOn: [wait] },
    });
    const after = ['time_sleep.Wait'];
    rawResource(stack, 'Key', 'azurerm_key_vault_key', {
      ...GOOD_KEY,
      depends_on: ['time_sleep.Wait', 'azurerm_private_endpoint.VaultEndpoint'],
    });
    rawResource(stack, 'Models', 'azurerm_cognitive_account', {
      customer_managed_key: { key_vault_key_id: KEY_ID, identity_client_id: 'c' },
      depends_on: after,
    });
    rawResource(stack, 'Search', 'azurerm_search_service', {
      customer_managed_key_enforcement_enabled: true,
      depends_on: after,
    });
    rawResource(stack, 'Hub', 'azurerm_ai_foundry', {
      encryption: {
        key_id: `${KEY_ID}/0123456789abcdef`,
        key_vault_id: 'kv',
        user_assigned_identity_id: IDENTITY.id,
      },
      depends_on: after,
    });
    rawResource(stack, 'Index', 'azapi_data_plane_resource', {
      type: 'Microsoft.Search/searchServices/indexes@2024-07-01',
      body: {
        encryptionKey: {
          keyVaultUri: 'https://kv-test.vault.azure.net/',
          keyVaultKeyName: 'llmops-cmk',
          keyVaultKeyVersion: 'v1',
          identity: {
            '@odata.type': '#Microsoft.Azure.Search.DataUserAssignedIdentity',
            userAssignedIdentity: IDENTITY.id,
          },
        },
      },
    });
    // THEN nothing is found
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test.each([
    ['azurerm_cognitive_account', {}, 'no customer_managed_key with key_vault_key_id and identity_client_id'],
    [
      'azurerm_storage_account',
      {},
      'no customer_managed_key with key_vault_key_id and user_assigned_identity_id',
    ],
    ['azurerm_search_service', {}, 'customer_managed_key_enforcement_enabled is not true'],
    ['azurerm_ai_foundry', {}, 'no encryption block with key_id, key_vault_id and user_assigned_identity_id'],
  ])('fails in production for %s without a customer-managed key', (type, attributes, message) => {
    const stack = stackWith(production());
    rawResource(stack, 'R', type, attributes);
    expect(synthError(stack)).toContain(`[policy cmk] test/R (${type}.R): ${message}`);
  });

  test('fails for a search index body without an encryptionKey identity', () => {
    const stack = stackWith(production());
    rawResource(stack, 'Index', 'azapi_data_plane_resource', {
      type: 'Microsoft.Search/searchServices/indexes@2024-07-01',
      body: { encryptionKey: { keyVaultUri: 'u', keyVaultKeyName: 'k', keyVaultKeyVersion: 'v' } },
    });
    expect(synthError(stack)).toContain(
      'test/Index (azapi_data_plane_resource.Index): the index body has no encryptionKey with a user-assigned identity',
    );
  });

  test('fails when an encrypted resource does not wait for its identity role to propagate', () => {
    const stack = stackWith(production());
    rawResource(stack, 'Search', 'azurerm_search_service', {
      customer_managed_key_enforcement_enabled: true,
    });
    expect(synthError(stack)).toContain(
      "test/Search (azurerm_search_service.Search): no depends_on a time_sleep after the key identity's role assignment: the first deploy fails with 403 while the role propagates (EncryptionKey.ready)",
    );
  });

  test("fails in a private environment when the key waits neither for the deployer's role nor for the vault endpoint", () => {
    const stack = stackWith(new CmkRule({ profile: 'production', networkMode: 'private' }));
    rawResource(stack, 'Key', 'azurerm_key_vault_key', GOOD_KEY);
    expect(synthError(stack)).toContain(
      "test/Key (azurerm_key_vault_key.Key): no depends_on a time_sleep after the deployer's Key Vault Crypto Officer assignment: the first deploy fails with 403 while the role propagates; no depends_on the vault's private endpoint: the runner reaches the vault's data plane only through it",
    );
  });

  test('fails for a key whose rotation counts from an expiry the first version lacks', () => {
    const stack = stackWith(production());
    rawResource(stack, 'Key', 'azurerm_key_vault_key', {
      ...GOOD_KEY,
      expiration_date: undefined,
      rotation_policy: { expire_after: 'P2Y', automatic: { time_before_expiry: 'P30D' } },
    });
    expect(synthError(stack)).toContain(
      "test/Key (azurerm_key_vault_key.Key): rotation_policy.automatic counts from the expiry (time_before_expiry), which a version without one does not have: set time_after_creation; no expiration_date: the policy's expire_after applies to new versions only, so the first version would never expire",
    );
  });

  test('fails for a hub whose encryption key id has no version (azurerm rejects it)', () => {
    const stack = stackWith(production());
    rawResource(stack, 'Hub', 'azurerm_ai_foundry', {
      encryption: {
        key_id: `\${azurerm_key_vault_key.Key.versionless_id}`,
        key_vault_id: 'kv',
        user_assigned_identity_id: IDENTITY.id,
      },
    });
    expect(synthError(stack)).toContain(
      `test/Hub (azurerm_ai_foundry.Hub): encryption.key_id "\${azurerm_key_vault_key.Key.versionless_id}" has no version: azurerm accepts only a versioned key id for the hub`,
    );
  });

  test('fails for a key that is not RSA, never rotates and never expires, reporting every problem', () => {
    const stack = stackWith(production());
    rawResource(stack, 'Key', 'azurerm_key_vault_key', { key_type: 'EC' });
    expect(synthError(stack)).toContain(
      'test/Key (azurerm_key_vault_key.Key): key_type is "EC"; use RSA or RSA-HSM; no rotation_policy.automatic.time_after_creation: the key never rotates; no expiration_date: the policy\'s expire_after applies to new versions only, so the first version would never expire; no rotation_policy.expire_after: rotated versions would never expire',
    );
  });

  test('does not apply in development (Microsoft-managed keys are the cheap default)', () => {
    const stack = stackWith(new CmkRule({ profile: 'development' }));
    rawResource(stack, 'Storage', 'azurerm_storage_account', {});
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('a suppression with a reason lets synth pass and is reported with the finding', () => {
    const stack = stackWith(production());
    const account = rawResource(stack, 'State', 'azurerm_storage_account', {});
    suppressPolicy(account, 'cmk', 'created before the vault that would hold its key');
    expect(findingsAfterSynth(stack)).toEqual([
      expect.objectContaining({
        ruleId: 'cmk',
        suppressedBecause: 'created before the vault that would hold its key',
      }),
    ]);
  });
});

/** Customer-managed keys on search indexes: the REST body, the schema lock, the 2024-07-01 schema. */
import {
  compareWithLock,
  emptyLock,
  parseLock,
  serializeLock,
  updateLock,
} from '../../constructs/search/index-lock';
import { toIndexBody } from '../../constructs/search/index-schema/body';
import { defaultRagIndex } from '../../constructs/search/index-schema/default-index';
import type {
  SearchEncryptionKeyDefinition,
  SearchIndexDefinition,
} from '../../constructs/search/index-schema/definition';
import { configEncryptionKey } from '../../lib/search/indexes';
import { validateAgainstAzureSpec } from '../helpers/azure-spec';
import { ref } from '../helpers/synth';

const KEY: SearchEncryptionKeyDefinition = {
  keyVaultUri: ref('azurerm_key_vault.KeyVault.vault_uri'),
  keyName: ref('azurerm_key_vault_key.EncryptionKey.name'),
  keyVersion: ref('azurerm_key_vault_key.EncryptionKey.version'),
  userAssignedIdentityId: ref('azurerm_user_assigned_identity.Cmk.id'),
};
const docs = (encryptionKey?: SearchEncryptionKeyDefinition): SearchIndexDefinition => ({
  ...defaultRagIndex('docs', {
    name: 'embedding',
    endpoint: ref('azurerm_cognitive_account.ai.endpoint'),
    deploymentName: 'text-embedding',
    modelName: 'text-embedding-3-large',
    dimensions: 3072,
  }),
  ...(encryptionKey ? { encryptionKey } : {}),
});

describe('search index encryption', () => {
  test('the body carries encryptionKey with the explicit user-assigned identity, valid for 2024-07-01', () => {
    const body = toIndexBody(docs(KEY));
    expect(body.encryptionKey).toEqual({
      keyVaultUri: KEY.keyVaultUri,
      keyVaultKeyName: KEY.keyName,
      keyVaultKeyVersion: KEY.keyVersion,
      identity: {
        '@odata.type': '#Microsoft.Azure.Search.DataUserAssignedIdentity',
        userAssignedIdentity: KEY.userAssignedIdentityId,
      },
    });
    expect(validateAgainstAzureSpec('Microsoft.Search/searchServices/indexes@2024-07-01', body)).toEqual([]);
  });

  test('the lock records customerManagedKey: true and round-trips it', () => {
    const lock = updateLock(emptyLock(), 'prod', [docs(KEY)]);
    expect(lock.environments.prod!.docs!.customerManagedKey).toBe(true);
    const text = serializeLock(lock);
    expect(text).toContain('"customerManagedKey": true');
    expect(parseLock(text)).toEqual(lock);
    expect(compareWithLock('prod', 'docs', docs(KEY), lock)).toEqual([]);
  });

  test('adding encryption to a deployed index is a change that needs a new index version', () => {
    const lock = updateLock(emptyLock(), 'prod', [docs()]);
    expect(compareWithLock('prod', 'docs', docs(KEY), lock)).toEqual([
      {
        path: 'environments.prod.docs.customerManagedKey',
        message:
          'prod/docs: customer-managed key encryption added to the index; encryption is set when an index is created (the service ignores removing it). The search service (Azure AI Search, OpenSearch Serverless) cannot apply this change to an existing index. Publish a new index version (e.g. "docs-v2") alongside "docs", move readers to it, then remove "docs" from config',
      },
    ]);
  });

  test('removing it is reported too', () => {
    const lock = updateLock(emptyLock(), 'prod', [docs(KEY)]);
    expect(compareWithLock('prod', 'docs', docs(), lock).map((p) => p.path)).toEqual([
      'environments.prod.docs.customerManagedKey',
    ]);
  });

  test('a lock entry with customerManagedKey other than true is rejected with its path', () => {
    const text = JSON.stringify({
      version: 1,
      environments: { prod: { docs: { customerManagedKey: 'yes', fields: [] } } },
    });
    expect(() => parseLock(text, 'lock.json')).toThrow(
      'environments.prod.docs.customerManagedKey: must be true when present (absent: Microsoft-managed keys), got "yes"',
    );
  });

  test('config-only callers (the lock check) see the key exactly when protection.customerManagedKeys is on', () => {
    const on = configEncryptionKey({
      cloud: 'azure',
      protection: { preventDestroy: true, locks: true, customerManagedKeys: true },
    });
    expect(on).toBeDefined();
    expect(Object.values(on!).every((v) => v.startsWith('${'))).toBe(true);
    expect(
      configEncryptionKey({
        cloud: 'azure',
        protection: { preventDestroy: true, locks: false, customerManagedKeys: false },
      }),
    ).toBeUndefined();
  });

  test('AWS indexes carry no key: OpenSearch Serverless encrypts per collection', () => {
    expect(
      configEncryptionKey({
        cloud: 'aws',
        protection: { preventDestroy: true, locks: true, customerManagedKeys: true },
      }),
    ).toBeUndefined();
  });
});

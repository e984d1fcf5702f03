import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import type { TerraformStack } from 'cdktf';
import { ValidationError } from '../../constructs/core/errors';
import { resolveTokens } from '../../constructs/core/resolve';
import { StorageAccount, type StorageAccountProps } from '../../constructs/storage/storage-account';
import { onlyResource, resourcesOf, synthStack, TEST_RESOURCE_GROUP, testStack } from '../helpers/synth';

const REQUIRED: StorageAccountProps = { resourceGroup: TEST_RESOURCE_GROUP, name: 'sttestabcde' };

function build(props: Partial<StorageAccountProps> = {}): { stack: TerraformStack; storage: StorageAccount } {
  const stack = testStack();
  const storage = new StorageAccount(stack, 'Storage', { ...REQUIRED, ...props });
  return { stack, storage };
}

function problemsOf(props: Partial<StorageAccountProps>): string[] {
  try {
    build(props);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain('Invalid StorageAccount "test/Storage"');
    return (error as ValidationError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected the props to be rejected');
}

describe('StorageAccount', () => {
  test('defaults: Entra ID only, TLS 1.2, no public blobs, versioning, soft delete, private, protected', () => {
    // GIVEN only the required props
    const json = synthStack(build().stack);
    const account = onlyResource(json, 'azurerm_storage_account');
    // THEN no shared keys or SAS: every caller uses Entra ID
    expect(account.shared_access_key_enabled).toBe(false);
    expect(account.default_to_oauth_authentication).toBe(true);
    // AND TLS 1.2 over HTTPS only
    expect(account.min_tls_version).toBe('TLS1_2');
    expect(account.https_traffic_only_enabled).toBe(true);
    // AND no anonymous blob access, no cross-tenant replication, double encryption
    expect(account.allow_nested_items_to_be_public).toBe(false);
    expect(account.cross_tenant_replication_enabled).toBe(false);
    expect(account.infrastructure_encryption_enabled).toBe(true);
    // AND blob versioning, change feed and 30 days of soft delete for blobs and containers
    expect(account.blob_properties).toEqual({
      versioning_enabled: true,
      change_feed_enabled: true,
      delete_retention_policy: { days: 30 },
      container_delete_retention_policy: { days: 30 },
    });
    // AND private: public access off, network rules deny
    expect(account.public_network_access_enabled).toBe(false);
    expect(account.network_rules).toEqual({ default_action: 'Deny', bypass: ['AzureServices'] });
    // AND zone-redundant StorageV2, protected from destroy
    expect(account.account_kind).toBe('StorageV2');
    expect(account.account_tier).toBe('Standard');
    expect(account.account_replication_type).toBe('LRS');
    expect(account.lifecycle).toEqual({ prevent_destroy: true });
    expect(account.name).toBe('sttestabcde');
    expect(Object.keys(resourcesOf(json, 'azurerm_storage_account'))).toEqual(['Storage']);
    // AND no containers, no diagnostic setting of its own
    expect(resourcesOf(json, 'azurerm_storage_container')).toEqual({});
    expect(resourcesOf(json, 'azurerm_monitor_diagnostic_setting')).toEqual({});
  });

  test('all props', () => {
    const workspace = { id: '/subscriptions/s/workspaces/log' };
    const { stack, storage } = build({
      containers: ['datasets', 'evaluations'],
      replication: 'GZRS',
      softDeleteRetentionDays: 90,
      versioningEnabled: false,
      publicNetworkAccessEnabled: true,
      allowedIpRanges: ['203.0.113.0/24'],
      preventDestroy: false,
      diagnosticSettings: { workspace },
    });
    const json = synthStack(stack);
    const account = onlyResource(json, 'azurerm_storage_account');
    expect(account.account_replication_type).toBe('GZRS');
    expect(account.blob_properties).toEqual({
      versioning_enabled: false,
      change_feed_enabled: false,
      delete_retention_policy: { days: 90 },
      container_delete_retention_policy: { days: 90 },
    });
    expect(account.public_network_access_enabled).toBe(true);
    // an allow-list keeps the default action at Deny
    expect(account.network_rules).toEqual({
      default_action: 'Deny',
      bypass: ['AzureServices'],
      ip_rules: ['203.0.113.0/24'],
    });
    expect(account).not.toHaveProperty('lifecycle');
    // the containers are private, keyed by name
    expect(Object.keys(storage.containers)).toEqual(['datasets', 'evaluations']);
    expect(Object.values(resourcesOf(json, 'azurerm_storage_container'))).toEqual([
      {
        name: 'datasets',
        storage_account_id: `\${azurerm_storage_account.Storage.id}`,
        container_access_type: 'private',
      },
      {
        name: 'evaluations',
        storage_account_id: `\${azurerm_storage_account.Storage.id}`,
        container_access_type: 'private',
      },
    ]);
    // diagnostic settings for the account and its blob service
    expect(
      Object.values(resourcesOf(json, 'azurerm_monitor_diagnostic_setting'))
        .map((s) => s.target_resource_id)
        .sort(),
    ).toEqual([
      `\${azurerm_storage_account.Storage.id}`,
      `\${azurerm_storage_account.Storage.id}/blobServices/default`,
    ]);
  });

  test('public without an allow-list lets any address in (still Entra ID only)', () => {
    const account = onlyResource(
      synthStack(build({ publicNetworkAccessEnabled: true }).stack),
      'azurerm_storage_account',
    );
    expect(account.network_rules).toEqual({ default_action: 'Allow', bypass: ['AzureServices'] });
    expect(account.shared_access_key_enabled).toBe(false);
  });

  test.each(['st-test', 'stTest', 'st', `st${'a'.repeat(23)}`])(
    'fails when the name %j breaks the storage account rule (hyphens, uppercase, length)',
    (name) => {
      expect(problemsOf({ name })).toEqual([
        `props.name: storage account name "${name}" breaks the rule: 3-24 lowercase letters and digits, globally unique`,
      ]);
    },
  );

  test('fails when replication is not one azurerm accepts (e.g. from untyped config)', () => {
    expect(problemsOf({ replication: 'GRS-RA' as 'GRS' })).toEqual([
      'props.replication: "GRS-RA" is not one of LRS, ZRS, GRS, GZRS, RAGRS, RAGZRS',
    ]);
  });

  test.each([0, 366, 1.5])('fails when softDeleteRetentionDays is %s', (days) => {
    expect(problemsOf({ softDeleteRetentionDays: days })).toEqual([
      `props.softDeleteRetentionDays: ${days} is out of range: allowed 1-365 days`,
    ]);
  });

  test.each(['ab', 'Data', 'data--sets', '-data', `d${'a'.repeat(63)}`])(
    'fails when a container is named %j',
    (name) => {
      expect(problemsOf({ containers: [name, 'datasets'] })).toEqual([
        `props.containers[0]: ${JSON.stringify(name)} is not a valid container name: 3-63 lowercase letters, digits and single hyphens`,
      ]);
    },
  );

  test('fails when a container is listed twice', () => {
    expect(problemsOf({ containers: ['datasets', 'models', 'datasets'] })).toEqual([
      'props.containers: duplicate container names: datasets',
    ]);
  });

  test('reports every invalid prop at once', () => {
    expect(
      problemsOf({ name: 'ST', softDeleteRetentionDays: 0, containers: ['X'] }).map((p) => p.split(':')[0]),
    ).toEqual(['props.name', 'props.softDeleteRetentionDays', 'props.containers[0]']);
  });

  test('grantBlobRead: Storage Blob Data Reader on the account, to a service principal', () => {
    const { stack, storage } = build();
    const identity = new UserAssignedIdentity(stack, 'Reader', {
      name: 'id-r',
      location: 'x',
      resourceGroupName: 'rg',
    });
    expect(storage.grantBlobRead(identity).node.path).toBe('test/Storage/GrantStorageBlobDataReaderReader');
    expect(onlyResource(synthStack(stack), 'azurerm_role_assignment')).toMatchObject({
      role_definition_name: 'Storage Blob Data Reader',
      scope: `\${azurerm_storage_account.Storage.id}`,
      principal_id: `\${azurerm_user_assigned_identity.Reader.principal_id}`,
      principal_type: 'ServicePrincipal',
    });
  });

  test('grantBlobReadWrite on one container: Storage Blob Data Contributor scoped to that container', () => {
    const { stack, storage } = build({ containers: ['datasets', 'evaluations'] });
    storage.grantBlobReadWrite({ principalId: 'p' }, 'evaluations');
    expect(onlyResource(synthStack(stack), 'azurerm_role_assignment')).toMatchObject({
      role_definition_name: 'Storage Blob Data Contributor',
      scope: `\${azurerm_storage_container.Storage_Container-evaluations_36933BAA.id}`,
    });
  });

  test('grant ids stay stable per role, principal and container, whatever the order of the grants', () => {
    // GIVEN the same principal granted on the account and on a container, in both orders
    const ids = (containerFirst: boolean) => {
      const { stack, storage } = build({ containers: ['datasets'] });
      const identity = new UserAssignedIdentity(stack, 'Job', {
        name: 'id-job',
        location: 'x',
        resourceGroupName: 'rg',
      });
      const onContainer = () => storage.grantBlobRead(identity, 'datasets').node.id;
      const onAccount = () => storage.grantBlobRead(identity).node.id;
      if (containerFirst) {
        const container = onContainer();
        return { account: onAccount(), container };
      }
      const account = onAccount();
      return { account, container: onContainer() };
    };
    // THEN each grant keeps its id (a renamed id would replace the role assignment)
    expect(ids(false)).toEqual({
      account: 'GrantStorageBlobDataReaderJob',
      container: 'GrantStorageBlobDataReaderJob-datasets',
    });
    expect(ids(true)).toEqual(ids(false));
  });

  test('fails when a grant names a container the account does not have', () => {
    const { storage } = build({ containers: ['datasets'] });
    expect(() => storage.grantBlobRead({ principalId: 'p' }, 'models')).toThrow(
      'StorageAccount "test/Storage": no container "models" (containers: datasets)',
    );
  });

  test('exposes the resource id', () => {
    const { stack, storage } = build();
    expect(resolveTokens(stack, storage.resourceId)).toBe(`\${azurerm_storage_account.Storage.id}`);
  });

  test('snapshot of its resources', () => {
    const resources = synthStack(build({ containers: ['datasets'] }).stack).resource!;
    expect(Object.keys(resources).sort()).toEqual(['azurerm_storage_account', 'azurerm_storage_container']);
    expect(resources).toMatchSnapshot();
  });
});

import { hasUnacknowledgedBlocking } from '../../lib/plan-diff/diff';
import { type Blocks, diffDev, diffStacks, stackJson, tfRef } from './helpers';

const RG = tfRef('azurerm_resource_group.Rg.name');

const keyVault = (extra: Record<string, unknown> = {}): Blocks => ({
  azurerm_key_vault: {
    Kv: {
      name: 'kv-llmops-dev',
      location: 'swedencentral',
      resource_group_name: RG,
      sku_name: 'standard',
      tenant_id: '00000000-0000-0000-0000-000000000000',
      purge_protection_enabled: true,
      rbac_authorization_enabled: true,
      public_network_access_enabled: false,
      network_acls: [{ bypass: 'AzureServices', default_action: 'Deny' }],
      lifecycle: { prevent_destroy: true },
      ...extra,
    },
  },
});

const roleAssignment = (principal = 'aaaa'): Blocks => ({
  azurerm_role_assignment: {
    Reader: {
      scope: tfRef('azurerm_key_vault.Kv.id'),
      role_definition_name: 'Key Vault Secrets User',
      principal_id: principal,
    },
  },
});

describe('diffOutputs: actions', () => {
  test('an identical stack has no changes, even when cdktf metadata (//) differs', () => {
    // GIVEN the same resources, synthesized with different `//` metadata
    // WHEN diffed
    const report = diffDev(keyVault(), keyVault());
    // THEN nothing changed
    expect(report.stacks).toEqual([
      {
        name: 'dev',
        status: 'unchanged',
        changes: [],
        dataSourceChanges: [],
        counts: { added: 0, changed: 0, replaced: 0, moved: 0, removed: 0 },
      },
    ]);
    expect(report.blocking).toEqual([]);
  });

  test('an added resource is a create, and not blocking', () => {
    const report = diffDev(keyVault(), { ...keyVault(), ...roleAssignment() });
    expect(report.stacks[0]!.changes).toEqual([
      {
        address: 'azurerm_role_assignment.Reader',
        type: 'azurerm_role_assignment',
        action: 'create',
        replaceReasons: [],
        attributes: [],
      },
    ]);
    expect(report.stacks[0]!.counts.added).toBe(1);
    expect(hasUnacknowledgedBlocking(report)).toBe(false);
  });

  test('an in-place change lists attribute-level paths with old and new values', () => {
    // GIVEN a tag and a nested block argument change
    const head = keyVault({
      tags: { env: 'dev', owner: 'ml' },
      network_acls: [{ bypass: 'None', default_action: 'Deny' }],
    });
    // WHEN diffed
    const change = diffDev(keyVault({ tags: { env: 'dev' } }), head).stacks[0]!.changes[0]!;
    // THEN it is an update with leaf paths as Terraform prints them
    expect(change.action).toBe('update');
    expect(change.attributes).toEqual([
      { path: 'network_acls[0].bypass', before: 'AzureServices', after: 'None', sensitive: false },
      { path: 'tags.owner', after: 'ml', sensitive: false },
    ]);
  });

  test('destroying a stateful resource is blocking', () => {
    // GIVEN the key vault disappears without a moved block
    const report = diffDev({ ...keyVault(), ...roleAssignment() }, roleAssignment());
    // THEN it is a delete and a blocking stateful destroy
    expect(report.stacks[0]!.changes.map((c) => [c.address, c.action])).toEqual([
      ['azurerm_key_vault.Kv', 'delete'],
    ]);
    expect(report.stacks[0]!.counts.removed).toBe(1);
    expect(report.blocking).toEqual([
      expect.objectContaining({
        stack: 'dev',
        address: 'azurerm_key_vault.Kv',
        kind: 'stateful-destroy',
        acknowledged: false,
      }),
    ]);
    expect(report.blocking[0]!.message).toContain('prevent_destroy');
    expect(hasUnacknowledgedBlocking(report)).toBe(true);
  });

  test('destroying a stateless resource is shown but not blocking', () => {
    const report = diffDev({ ...keyVault(), ...roleAssignment() }, keyVault());
    expect(report.stacks[0]!.counts.removed).toBe(1);
    expect(report.blocking).toEqual([]);
  });

  test('destroying a stateless resource that had lifecycle.prevent_destroy is blocking', () => {
    const guarded: Blocks = {
      azurerm_user_assigned_identity: { Id: { name: 'id-app', lifecycle: { prevent_destroy: true } } },
    };
    const report = diffDev({ ...keyVault(), ...guarded }, keyVault());
    expect(report.blocking.map((f) => [f.address, f.kind])).toEqual([
      ['azurerm_user_assigned_identity.Id', 'prevent-destroy'],
    ]);
  });

  test('a change to a force-new argument is a replacement; of a stateful resource it is blocking', () => {
    // GIVEN the AI Search SKU changes (azurerm: "Changing this forces a new Search Service to be created")
    const search = (sku: string): Blocks => ({
      azurerm_search_service: {
        Search: { name: 'srch-dev', location: 'swedencentral', resource_group_name: RG, sku },
      },
    });
    // WHEN diffed
    const report = diffDev(search('basic'), search('standard'));
    // THEN it is replaced because of `sku`, and the replacement is blocking
    const change = report.stacks[0]!.changes[0]!;
    expect(change.action).toBe('replace');
    expect(change.replaceReasons).toEqual(['`sku` changed (forces a new resource)']);
    expect(change.attributes).toEqual([
      { path: 'sku', before: 'basic', after: 'standard', sensitive: false, forcesNew: 'sku' },
    ]);
    expect(report.stacks[0]!.counts).toEqual({ added: 0, changed: 0, replaced: 1, moved: 0, removed: 0 });
    expect(report.blocking.map((f) => f.kind)).toEqual(['stateful-replace']);
  });

  test('replacing a stateless resource that has lifecycle.prevent_destroy is blocking', () => {
    const identity = (location: string): Blocks => ({
      azurerm_user_assigned_identity: {
        Id: { name: 'id-app', location, resource_group_name: RG, lifecycle: { prevent_destroy: true } },
      },
    });
    const report = diffDev(identity('swedencentral'), identity('westeurope'));
    expect(report.blocking.map((f) => [f.kind, f.message])).toEqual([
      [
        'prevent-destroy',
        'replaced although it had `lifecycle.prevent_destroy`: `location` changed (forces a new resource)',
      ],
    ]);
  });

  test('every argument of a role assignment forces replacement, which is not blocking', () => {
    const report = diffDev(roleAssignment('aaaa'), roleAssignment('bbbb'));
    expect(report.stacks[0]!.changes[0]!.action).toBe('replace');
    expect(report.blocking).toEqual([]);
  });

  test('a model version bump updates a deployment in place; a model name change replaces it', () => {
    const deployment = (name: string, version: string): Blocks => ({
      azurerm_cognitive_deployment: {
        Chat: {
          name: 'chat',
          cognitive_account_id: tfRef('azurerm_cognitive_account.Ai.id'),
          model: { format: 'OpenAI', name, version },
          sku: { name: 'GlobalStandard', capacity: 50 },
          rai_policy_name: 'strict',
        },
      },
    });
    expect(
      diffDev(deployment('gpt-4o', '2024-08-06'), deployment('gpt-4o', '2024-11-20')).stacks[0]!.changes[0]!
        .action,
    ).toBe('update');
    const renamed = diffDev(deployment('gpt-4o', '2024-08-06'), deployment('gpt-4.1', '2025-04-14'));
    expect(renamed.stacks[0]!.changes[0]!.replaceReasons).toEqual([
      '`model.name` changed (forces a new resource)',
    ]);
    expect(renamed.blocking.map((f) => f.kind)).toEqual(['stateful-replace']);
  });

  test('storage account: Storage -> StorageV2 and LRS -> GRS are in place; LRS -> ZRS replaces', () => {
    const storage = (kind: string, replication: string): Blocks => ({
      azurerm_storage_account: {
        St: {
          name: 'stllmopsdev',
          location: 'swedencentral',
          resource_group_name: RG,
          account_tier: 'Standard',
          account_kind: kind,
          account_replication_type: replication,
        },
      },
    });
    expect(
      diffDev(storage('Storage', 'LRS'), storage('StorageV2', 'GRS')).stacks[0]!.changes[0]!.action,
    ).toBe('update');
    const zoned = diffDev(storage('StorageV2', 'LRS'), storage('StorageV2', 'ZRS'));
    expect(zoned.stacks[0]!.changes[0]!.replaceReasons).toEqual([
      '`account_replication_type` changed (forces a new resource)',
    ]);
  });
});

describe('diffOutputs: moved blocks and renames', () => {
  const storage = (name: string): Blocks => ({
    azurerm_storage_account: {
      [name]: {
        name: 'stllmopsdev',
        location: 'swedencentral',
        resource_group_name: RG,
        account_tier: 'Standard',
      },
    },
    azurerm_storage_container: {
      Logs: { name: 'logs', storage_account_id: `\${azurerm_storage_account.${name}.id}` },
    },
  });

  test('a resource moved with a moved block is a move, not a destroy, and its dependents do not change', () => {
    // GIVEN the storage account's address changes and head carries a moved block
    const base = { dev: stackJson(storage('St')) };
    const head = {
      dev: stackJson(storage('Storage'), {
        moved: [{ from: 'azurerm_storage_account.St', to: 'azurerm_storage_account.Storage' }],
      }),
    };
    // WHEN diffed
    const report = diffStacks(base, head);
    // THEN it is one move; the container referencing it is unchanged; nothing is blocking
    expect(report.stacks[0]!.changes).toEqual([
      {
        address: 'azurerm_storage_account.Storage',
        previousAddress: 'azurerm_storage_account.St',
        type: 'azurerm_storage_account',
        action: 'move',
        replaceReasons: [],
        attributes: [],
      },
    ]);
    expect(report.stacks[0]!.counts).toEqual({ added: 0, changed: 0, replaced: 0, moved: 1, removed: 0 });
    expect(report.blocking).toEqual([]);
  });

  test('the same address change without a moved block is a blocking replacement', () => {
    const report = diffStacks({ dev: stackJson(storage('St')) }, { dev: stackJson(storage('Storage')) });
    const moved = report.stacks[0]!.changes.find((c) => c.type === 'azurerm_storage_account')!;
    expect(moved).toMatchObject({
      address: 'azurerm_storage_account.Storage',
      previousAddress: 'azurerm_storage_account.St',
      action: 'replace',
    });
    expect(moved.replaceReasons[0]).toBe(
      'address changed from `azurerm_storage_account.St` without a `moved` block',
    );
    // the container follows the new account: its storage_account_id forces a new container
    const container = report.stacks[0]!.changes.find((c) => c.type === 'azurerm_storage_container')!;
    expect(container.action).toBe('replace');
    expect(report.blocking.map((f) => [f.address, f.kind])).toEqual([
      ['azurerm_storage_account.Storage', 'stateful-replace'],
      ['azurerm_storage_container.Logs', 'stateful-replace'],
    ]);
  });

  test('a moved block whose target also changes a force-new argument is a replacement', () => {
    const head = storage('Storage');
    (head.azurerm_storage_account!.Storage as Record<string, unknown>).location = 'westeurope';
    const report = diffStacks(
      { dev: stackJson(storage('St')) },
      {
        dev: stackJson(head, {
          moved: [{ from: 'azurerm_storage_account.St', to: 'azurerm_storage_account.Storage' }],
        }),
      },
    );
    expect(report.stacks[0]!.changes.find((c) => c.type === 'azurerm_storage_account')!.action).toBe(
      'replace',
    );
    expect(report.blocking.map((f) => f.kind)).toEqual(['stateful-replace']);
  });
});

describe('diffOutputs: azapi', () => {
  const index = (type: string, fields: string[] = ['id']): Blocks => ({
    azapi_data_plane_resource: {
      Index: {
        type,
        name: 'docs',
        parent_id: 'srch-dev.search.windows.net',
        body: { fields: fields.map((name) => ({ name, type: 'Edm.String', key: name === 'id' })) },
      },
    },
  });

  test('an api-version bump alone is an in-place update, not a replacement', () => {
    const report = diffDev(
      index('Microsoft.Search/searchServices/indexes@2024-07-01'),
      index('Microsoft.Search/searchServices/indexes@2025-05-01'),
    );
    const change = report.stacks[0]!.changes[0]!;
    expect(change.action).toBe('update');
    expect(change.attributes).toEqual([
      {
        path: 'type',
        before: 'Microsoft.Search/searchServices/indexes@2024-07-01',
        after: 'Microsoft.Search/searchServices/indexes@2025-05-01',
        sensitive: false,
      },
    ]);
    expect(report.blocking).toEqual([]);
  });

  test('changing the resource type replaces it; an AI Search index is stateful', () => {
    const report = diffDev(
      index('Microsoft.Search/searchServices/indexes@2024-07-01'),
      index('Microsoft.Search/searchServices/synonymmaps@2024-07-01'),
    );
    expect(report.stacks[0]!.changes[0]!.replaceReasons).toEqual(['`type` changed (forces a new resource)']);
    expect(report.blocking.map((f) => f.kind)).toEqual(['stateful-replace']);
  });

  test('destroying an AI Search index is blocking; destroying another data-plane object is not', () => {
    const destroyIndex = diffDev(index('Microsoft.Search/searchServices/indexes@2024-07-01'), {});
    expect(destroyIndex.blocking.map((f) => f.kind)).toEqual(['stateful-destroy']);
    const destroySynonyms = diffDev(index('Microsoft.Search/searchServices/synonymmaps@2024-07-01'), {});
    expect(destroySynonyms.blocking).toEqual([]);
  });
});

describe('diffOutputs: stacks and data sources', () => {
  test('a stack only in base is removed: everything destroyed, blocking', () => {
    const report = diffStacks(
      { dev: stackJson(keyVault()), prod: stackJson({ ...keyVault(), ...roleAssignment() }) },
      { dev: stackJson(keyVault()) },
    );
    const prod = report.stacks.find((s) => s.name === 'prod')!;
    expect(prod.status).toBe('removed');
    expect(prod.counts.removed).toBe(2);
    expect(report.blocking.map((f) => [f.stack, f.address, f.kind])).toEqual([
      ['prod', '*', 'stack-destroy'],
      ['prod', 'azurerm_key_vault.Kv', 'stateful-destroy'],
    ]);
  });

  test('a stack only in head is added: everything created, nothing blocking', () => {
    const report = diffStacks(
      { dev: stackJson(keyVault()) },
      { dev: stackJson(keyVault()), test: stackJson(keyVault()) },
    );
    expect(report.stacks.map((s) => [s.name, s.status, s.counts.added])).toEqual([
      ['dev', 'unchanged', 0],
      ['test', 'added', 1],
    ]);
    expect(report.blocking).toEqual([]);
  });

  test('data sources are listed but never replaced or blocking', () => {
    const data = (name: string): Blocks => ({
      azurerm_key_vault: { Shared: { name, resource_group_name: 'rg-shared' } },
    });
    const report = diffStacks(
      { dev: stackJson({}, { data: data('kv-shared') }) },
      { dev: stackJson({}, { data: data('kv-other') }) },
    );
    expect(report.stacks[0]!.dataSourceChanges).toEqual([
      {
        address: 'data.azurerm_key_vault.Shared',
        type: 'azurerm_key_vault',
        action: 'update',
        replaceReasons: [],
        attributes: [{ path: 'name', before: 'kv-shared', after: 'kv-other', sensitive: false }],
      },
    ]);
    expect(report.blocking).toEqual([]);
  });
});

describe('diffOutputs: secrets', () => {
  test('values under key/secret/password/token/connection_string/sas names are marked sensitive', () => {
    const backend = (header: string, keyEnabled: boolean): Blocks => ({
      azapi_resource: {
        Backend: {
          type: 'Microsoft.ApiManagement/service/backends@2024-05-01',
          name: 'aoai',
          parent_id: tfRef('azurerm_api_management.Apim.id'),
          body: { properties: { credentials: { header: { 'api-key': [header] } } } },
        },
      },
      azurerm_storage_account: {
        St: { name: 'st', shared_access_key_enabled: keyEnabled, connection_string: header },
      },
    });
    const report = diffDev(backend('old-secret', false), backend('new-secret', false));
    const attributes = report.stacks[0]!.changes.flatMap((c) => c.attributes);
    expect(attributes.map((a) => [a.path, a.sensitive])).toEqual([
      ['body.properties.credentials.header.api-key', true],
      ['connection_string', true],
    ]);
  });
});

describe('diffOutputs: --allow', () => {
  const destroyBoth = (allow: string[]) =>
    diffStacks(
      { dev: stackJson(keyVault()), prod: stackJson(keyVault()) },
      { dev: stackJson({}), prod: stackJson({}) },
      allow,
    );

  test('an address acknowledges that resource in every stack', () => {
    const report = destroyBoth(['azurerm_key_vault.Kv']);
    expect(report.blocking.map((f) => [f.stack, f.acknowledged])).toEqual([
      ['dev', true],
      ['prod', true],
    ]);
    expect(hasUnacknowledgedBlocking(report)).toBe(false);
    expect(report.unusedAllows).toEqual([]);
  });

  test('<stack>:<address> acknowledges it in one stack only', () => {
    const report = destroyBoth(['dev:azurerm_key_vault.Kv']);
    expect(report.blocking.map((f) => [f.stack, f.acknowledged])).toEqual([
      ['dev', true],
      ['prod', false],
    ]);
    expect(hasUnacknowledgedBlocking(report)).toBe(true);
  });

  test('<stack>:* acknowledges a whole stack removal', () => {
    const report = diffStacks(
      { dev: stackJson(keyVault()), prod: stackJson(keyVault()) },
      { dev: stackJson(keyVault()) },
      ['prod:*'],
    );
    expect(report.blocking.map((f) => [f.stack, f.kind, f.acknowledged])).toEqual([
      ['prod', 'stack-destroy', true],
      ['prod', 'stateful-destroy', true],
    ]);
  });

  test('an --allow that matches no blocking change is reported as unused', () => {
    const report = destroyBoth(['azurerm_key_vault.Kv', 'azurerm_key_vault.Typo']);
    expect(report.unusedAllows).toEqual(['azurerm_key_vault.Typo']);
  });

  test('the previous address of a renamed resource also acknowledges it', () => {
    const kv = keyVault().azurerm_key_vault!.Kv!;
    const report = diffDev({ azurerm_key_vault: { Kv: kv } }, { azurerm_key_vault: { Vault: kv } }, [
      'azurerm_key_vault.Kv',
    ]);
    expect(report.blocking.map((f) => [f.address, f.previousAddress, f.acknowledged])).toEqual([
      ['azurerm_key_vault.Vault', 'azurerm_key_vault.Kv', true],
    ]);
  });
});

describe('diffOutputs: determinism', () => {
  test('the report does not depend on key or stack order in the input', () => {
    const a = { ...keyVault(), ...roleAssignment('x') };
    const b = {
      ...roleAssignment('y'),
      azurerm_key_vault: { Kv: { ...keyVault().azurerm_key_vault!.Kv, tags: { b: '1', a: '2' } } },
    };
    const reversed = Object.fromEntries(Object.entries(b).reverse());
    const one = diffStacks(
      { dev: stackJson(a), prod: stackJson(a) },
      { dev: stackJson(b), prod: stackJson({}) },
    );
    const two = diffStacks(
      { prod: stackJson(a), dev: stackJson(a) },
      { prod: stackJson({}), dev: stackJson(reversed) },
    );
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
  });
});

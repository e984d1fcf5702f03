import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { AzapiDataPlaneResource } from '../../constructs/core/azapi';
import { isCloudFormationType, resourceTypesWhere } from '../../constructs/core/resource-types';
import { PreventDestroyRule, suppressPolicy } from '../../constructs/policy';
import { KeyVault } from '../../constructs/security/key-vault';
import { StorageAccount } from '../../constructs/storage/storage-account';
import { isAzurermResourceType } from '../helpers/provider';
import { TEST_RESOURCE_GROUP } from '../helpers/synth';
import { findingsAfterSynth, rawResource, stackWith, synthError } from './helpers';

function searchIndex(
  scope: ReturnType<typeof stackWith>,
  type = 'Microsoft.Search/searchServices/indexes@2024-07-01',
  preventDestroy = false,
) {
  return new AzapiDataPlaneResource(scope, 'Index', {
    type,
    name: 'docs',
    parentId: 'srch-test.search.windows.net',
    body: {},
    lifecycle: preventDestroy ? { preventDestroy: true } : undefined,
  });
}

/**
 * Terraform types the registry marks preventDestroy (the ARM-type entries are the search index tests, the
 * CloudFormation ones the AWS policy's).
 */
const PROTECTED = resourceTypesWhere((f) => f.preventDestroy === true).filter(
  (t) => !t.includes('/') && !isCloudFormationType(t),
);
/** Types whose destroy blocks a plan diff but on which the policy does not require prevent_destroy. */
const BLOCKED_ONLY = resourceTypesWhere((f) => f.losesDataWhenDestroyed === true && !f.preventDestroy);

describe('policy rule prevent-destroy', () => {
  test("passes for the project's stateful constructs (prevent_destroy by default)", () => {
    const stack = stackWith(new PreventDestroyRule());
    new KeyVault(stack, 'Vault', { resourceGroup: TEST_RESOURCE_GROUP, name: 'kv-test', tenantId: 't' });
    new StorageAccount(stack, 'Storage', {
      resourceGroup: TEST_RESOURCE_GROUP,
      name: 'sttest',
      containers: ['data'],
    });
    searchIndex(stack, undefined, true);
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test.each(PROTECTED)('fails when a %s has no lifecycle.prevent_destroy', (type) => {
    const stack = stackWith(new PreventDestroyRule());
    rawResource(stack, 'Target', type);
    expect(synthError(stack)).toContain(
      `[policy prevent-destroy] test/Target (${type}.Target): stateful resource without lifecycle.prevent_destroy; keep the construct default (preventDestroy: true)`,
    );
  });

  test('fails when a construct opted out with preventDestroy: false', () => {
    const stack = stackWith(new PreventDestroyRule());
    new KeyVault(stack, 'Vault', {
      resourceGroup: TEST_RESOURCE_GROUP,
      name: 'kv-test',
      tenantId: 't',
      preventDestroy: false,
    });
    expect(synthError(stack)).toContain(
      '[policy prevent-destroy] test/Vault/Default (azurerm_key_vault.Vault)',
    );
  });

  test('fails when an AI Search index (azapi data-plane resource) has no prevent_destroy', () => {
    const stack = stackWith(new PreventDestroyRule());
    searchIndex(stack);
    expect(synthError(stack)).toContain(
      '[policy prevent-destroy] test/Index (azapi_data_plane_resource.Index)',
    );
  });

  test('ignores data-plane resources that hold no documents, and stateless types', () => {
    const stack = stackWith(new PreventDestroyRule());
    searchIndex(stack, 'Microsoft.Search/searchServices/skillsets@2024-07-01');
    new StorageContainer(stack, 'Container', { name: 'c', storageAccountId: '/s' });
    rawResource(stack, 'Setting', 'azurerm_monitor_diagnostic_setting');
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('a suppression with a reason lets synth pass and is reported with the finding', () => {
    // GIVEN a throwaway environment that opted out (as the stacks do with protection.reason)
    const stack = stackWith(new PreventDestroyRule());
    new KeyVault(stack, 'Vault', {
      resourceGroup: TEST_RESOURCE_GROUP,
      name: 'kv-test',
      tenantId: 't',
      preventDestroy: false,
    });
    suppressPolicy(stack, 'prevent-destroy', 'throwaway sandbox, rebuilt nightly');
    expect(findingsAfterSynth(stack)).toEqual([
      expect.objectContaining({
        ruleId: 'prevent-destroy',
        path: 'test/Vault/Default',
        suppressedBecause: 'throwaway sandbox, rebuilt nightly',
      }),
    ]);
  });

  test('every protected type is a resource type of the pinned azurerm provider (a misspelt one protects nothing)', () => {
    expect(PROTECTED.length).toBeGreaterThan(8);
    expect(PROTECTED.filter((type) => !isAzurermResourceType(type))).toEqual([]);
  });

  test.each(BLOCKED_ONLY)(
    'passes when a %s (stateful, not preventDestroy) has no prevent_destroy',
    (type) => {
      const stack = stackWith(new PreventDestroyRule());
      rawResource(stack, 'Target', type);
      expect(findingsAfterSynth(stack)).toEqual([]);
    },
  );

  test.each(PROTECTED)('passes when a %s has lifecycle.prevent_destroy', (type) => {
    const stack = stackWith(new PreventDestroyRule());
    rawResource(stack, 'Target', type, { lifecycle: { prevent_destroy: true } });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('prevent_destroy must be true, not merely present', () => {
    const stack = stackWith(new PreventDestroyRule());
    rawResource(stack, 'Target', 'azurerm_key_vault', { lifecycle: { prevent_destroy: false } });
    expect(synthError(stack)).toContain('test/Target (azurerm_key_vault.Target): stateful resource');
  });

  test('an index type written in another form is not taken for an AI Search index', () => {
    const stack = stackWith(new PreventDestroyRule());
    searchIndex(stack, 'Microsoft.Search/searchServices/indexesX@2024-07-01');
    expect(findingsAfterSynth(stack)).toEqual([]);
  });
});

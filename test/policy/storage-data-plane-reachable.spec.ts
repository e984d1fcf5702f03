import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { Aspects, TerraformStack } from 'cdktf';
import { AzapiProvider } from '../../constructs/core/azapi';
import { StorageDataPlaneReachableRule, suppressPolicy } from '../../constructs/policy';
import { StorageAccount } from '../../constructs/storage/storage-account';
import { addProviders } from '../../lib/stacks/common';
import { TEST_RESOURCE_GROUP, testApp, testEnvironment } from '../helpers/synth';
import { findingsAfterSynth, rawResource, stackWith, synthError } from './helpers';

/**
 * A stack whose azurerm provider stays off the storage data planes, with the rule applied (the shared
 * `stackWith` helper's provider leaves the data plane on, as a stack without the fix would).
 */
function managementPlaneStack(): TerraformStack {
  const stack = new TerraformStack(testApp(), 'test');
  new AzurermProvider(stack, 'Azurerm', { features: [{ storage: [{ dataPlaneAvailable: false }] }] });
  new AzapiProvider(stack, 'Azapi');
  Aspects.of(stack).add(new StorageDataPlaneReachableRule());
  return stack;
}

const PRIVATE_ACCOUNT = { resourceGroup: TEST_RESOURCE_GROUP, name: 'sttest' } as const;

describe('policy rule storage-data-plane-reachable', () => {
  test("passes for the project's providers and a private StorageAccount with containers", () => {
    // GIVEN the providers every stack of the app gets
    const stack = new TerraformStack(testApp(), 'test');
    addProviders(stack, testEnvironment(), 'environment');
    Aspects.of(stack).add(new StorageDataPlaneReachableRule());
    // WHEN a firewalled account with containers is added
    new StorageAccount(stack, 'Storage', { ...PRIVATE_ACCOUNT, containers: ['datasets'] });
    // THEN nothing needs the data plane
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('fails when the provider leaves data_plane_available at its default (today: true)', () => {
    const stack = stackWith(new StorageDataPlaneReachableRule());
    new StorageAccount(stack, 'Storage', PRIVATE_ACCOUNT);
    expect(synthError(stack)).toContain(
      '[policy storage-data-plane-reachable] test/Storage/Default (azurerm_storage_account.Storage): the azurerm provider polls the blob, queue and file data planes on create and every refresh (features.storage.data_plane_available defaults to true), which fails with 403 when the firewall denies the runner or its identity has no data role: set features { storage { data_plane_available = false } }',
    );
  });

  test.each(['queue_properties', 'static_website'])(
    'fails when an account sets %s, which only the data plane can write',
    (key) => {
      const stack = managementPlaneStack();
      rawResource(stack, 'Account', 'azurerm_storage_account', { [key]: { x: 1 } });
      expect(synthError(stack)).toContain(
        `[policy storage-data-plane-reachable] test/Account (azurerm_storage_account.Account): ${key} is set through the data plane: manage it outside Terraform or drop it`,
      );
    },
  );

  test('fails when a container is addressed by storage_account_name (data plane), passes with storage_account_id', () => {
    const stack = managementPlaneStack();
    rawResource(stack, 'ByName', 'azurerm_storage_container', { name: 'a', storage_account_name: 'st' });
    rawResource(stack, 'ById', 'azurerm_storage_container', { name: 'b', storage_account_id: '/st' });
    const error = synthError(stack);
    expect(error).toContain(
      '[policy storage-data-plane-reachable] test/ByName (azurerm_storage_container.ByName): storage_account_name makes azurerm create and read the container through its data plane, which a firewall blocks: use storage_account_id',
    );
    expect(error).not.toContain('test/ById');
  });

  test('fails for a queue by account name and for a blob (data plane only), passes for a share by account id', () => {
    const stack = managementPlaneStack();
    rawResource(stack, 'Queue', 'azurerm_storage_queue', { name: 'q', storage_account_name: 'st' });
    rawResource(stack, 'Blob', 'azurerm_storage_blob', { name: 'b', storage_container_name: 'c' });
    rawResource(stack, 'Share', 'azurerm_storage_share', { name: 's', storage_account_id: '/st' });
    const error = synthError(stack);
    expect(error).toContain(
      'test/Queue (azurerm_storage_queue.Queue): storage_account_name makes azurerm create and read the queue through its data plane, which a firewall blocks: use storage_account_id',
    );
    expect(error).toContain(
      'test/Blob (azurerm_storage_blob.Blob): azurerm_storage_blob exists only in the storage data plane, which a firewall blocks for the runner: manage its content outside Terraform (a pipeline step on a runner with network access and a data role)',
    );
    expect(error).not.toContain('test/Share');
  });

  test('a suppression with a reason lets synth pass', () => {
    const stack = stackWith(new StorageDataPlaneReachableRule());
    const account = new StorageAccount(stack, 'Storage', {
      ...PRIVATE_ACCOUNT,
      publicNetworkAccessEnabled: true,
    });
    suppressPolicy(
      account,
      'storage-data-plane-reachable',
      'public sandbox account, the runner has data roles',
    );
    expect(findingsAfterSynth(stack)).toEqual([
      expect.objectContaining({
        ruleId: 'storage-data-plane-reachable',
        suppressedBecause: 'public sandbox account, the runner has data roles',
      }),
    ]);
  });
});

import { GeoRedundantStorageRule, suppressPolicy } from '../../constructs/policy';
import { StorageAccount } from '../../constructs/storage/storage-account';
import { TEST_RESOURCE_GROUP } from '../helpers/synth';
import { findingsAfterSynth, rawResource, stackWith, synthError } from './helpers';

const production = () => new GeoRedundantStorageRule({ profile: 'production' });

describe('policy rule geo-redundant-storage', () => {
  test.each(['GZRS', 'RAGZRS'] as const)('passes for a production StorageAccount with %s', (replication) => {
    const stack = stackWith(production());
    new StorageAccount(stack, 'Storage', { resourceGroup: TEST_RESOURCE_GROUP, name: 'sttest', replication });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('fails in production with ZRS (no copy outside the region)', () => {
    const stack = stackWith(production());
    new StorageAccount(stack, 'Storage', {
      resourceGroup: TEST_RESOURCE_GROUP,
      name: 'sttest',
      replication: 'ZRS',
    });
    expect(synthError(stack)).toContain(
      '[policy geo-redundant-storage] test/Storage/Default (azurerm_storage_account.Storage): account_replication_type is "ZRS"; production needs GZRS or RAGZRS (zone- and geo-redundant)',
    );
  });

  test('fails in production with GRS (geo-redundant, but a zone outage takes the primary down)', () => {
    const stack = stackWith(production());
    rawResource(stack, 'Storage', 'azurerm_storage_account', { account_replication_type: 'GRS' });
    expect(synthError(stack)).toContain('account_replication_type is "GRS"; production needs GZRS or RAGZRS');
  });

  test('does not apply in development (LRS is the cheap default)', () => {
    const stack = stackWith(new GeoRedundantStorageRule({ profile: 'development' }));
    rawResource(stack, 'Storage', 'azurerm_storage_account', { account_replication_type: 'LRS' });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('a suppression with a reason lets synth pass and is reported with the finding', () => {
    const stack = stackWith(production());
    const account = rawResource(stack, 'Storage', 'azurerm_storage_account', {
      account_replication_type: 'ZRS',
    });
    suppressPolicy(
      account,
      'geo-redundant-storage',
      'the region has no pair; backups are copied by the data team',
    );
    expect(findingsAfterSynth(stack)).toEqual([
      expect.objectContaining({
        ruleId: 'geo-redundant-storage',
        suppressedBecause: 'the region has no pair; backups are copied by the data team',
      }),
    ]);
  });
});

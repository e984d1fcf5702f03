import { SearchReplicasRule, suppressPolicy } from '../../constructs/policy';
import { SearchService } from '../../constructs/search/search-service';
import { TEST_RESOURCE_GROUP } from '../helpers/synth';
import { findingsAfterSynth, rawResource, stackWith, synthError } from './helpers';

const production = () => new SearchReplicasRule({ profile: 'production' });

describe('policy rule search-replicas', () => {
  test('passes for a production SearchService with 3 replicas (the read-write SLA)', () => {
    // GIVEN the construct sized as the production profile sizes it
    const stack = stackWith(production());
    new SearchService(stack, 'Search', {
      resourceGroup: TEST_RESOURCE_GROUP,
      name: 'srch-test',
      sku: 'standard',
      replicas: 3,
    });
    // THEN nothing is found
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('fails in production with 2 replicas, naming the config key', () => {
    const stack = stackWith(production());
    rawResource(stack, 'Search', 'azurerm_search_service', { replica_count: 2 });
    expect(synthError(stack)).toContain(
      '[policy search-replicas] test/Search (azurerm_search_service.Search): replica_count is 2; production needs at least 3 (the read-write SLA): set search.azure.replicas',
    );
  });

  test('fails in production when replica_count is left to the provider default (1)', () => {
    const stack = stackWith(production());
    rawResource(stack, 'Search', 'azurerm_search_service');
    expect(synthError(stack)).toContain('replica_count is 1; production needs at least 3');
  });

  test('does not apply in development (1 replica is the cheap default)', () => {
    const stack = stackWith(new SearchReplicasRule({ profile: 'development' }));
    rawResource(stack, 'Search', 'azurerm_search_service', { replica_count: 1 });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('a suppression with a reason lets synth pass and is reported with the finding', () => {
    const stack = stackWith(production());
    const search = rawResource(stack, 'Search', 'azurerm_search_service', { replica_count: 2 });
    suppressPolicy(search, 'search-replicas', 'read-only replica of a catalog, reindexed nightly');
    expect(findingsAfterSynth(stack)).toEqual([
      expect.objectContaining({
        ruleId: 'search-replicas',
        suppressedBecause: 'read-only replica of a catalog, reindexed nightly',
      }),
    ]);
  });
});

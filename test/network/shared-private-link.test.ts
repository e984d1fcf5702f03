import { ValidationError } from '../../constructs/core/errors';
import {
  addSharedPrivateLink,
  type SharedPrivateLinkSubresource,
} from '../../constructs/network/shared-private-link';
import { resourcesOf, synthStack, testStack } from '../helpers/synth';

const SEARCH_ID = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Search/searchServices/srch-test';
const AIS_ID = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/ais-test';
const STORAGE_ID = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sttest';

describe('addSharedPrivateLink', () => {
  test('search to AI Services (integrated vectorization) and to storage (indexers)', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    addSharedPrivateLink(stack, 'ToModels', {
      searchServiceId: SEARCH_ID,
      targetResourceId: AIS_ID,
      subresourceName: 'openai_account',
    });
    addSharedPrivateLink(stack, 'ToBlob', {
      searchServiceId: SEARCH_ID,
      targetResourceId: STORAGE_ID,
      subresourceName: 'blob',
      name: 'spl-datasets',
      requestMessage: 'llmops prod indexer',
    });
    const links = Object.values(resourcesOf(synthStack(stack), 'azurerm_search_shared_private_link_service'));

    // THEN
    expect(links).toEqual([
      {
        name: 'spl-datasets',
        search_service_id: SEARCH_ID,
        target_resource_id: STORAGE_ID,
        subresource_name: 'blob',
        request_message: 'llmops prod indexer',
      },
      {
        name: 'spl-openai-account',
        search_service_id: SEARCH_ID,
        target_resource_id: AIS_ID,
        subresource_name: 'openai_account',
        request_message: 'Requested by llmops-platform for AI Search outbound access',
      },
    ]);
  });

  test('fails when the sub-resource is not one AI Search can link to', () => {
    const run = () =>
      addSharedPrivateLink(testStack(), 'Bad', {
        searchServiceId: SEARCH_ID,
        targetResourceId: AIS_ID,
        subresourceName: 'account' as SharedPrivateLinkSubresource,
      });
    expect(run).toThrow(ValidationError);
    expect(run).toThrow(
      /props\.subresourceName: "account" is not a sub-resource AI Search can link to \(allowed: openai_account, cognitiveservices_account, blob/,
    );
  });

  test('fails when the name is empty', () => {
    const run = () =>
      addSharedPrivateLink(testStack(), 'Bad', {
        searchServiceId: SEARCH_ID,
        targetResourceId: AIS_ID,
        subresourceName: 'blob',
        name: ' ',
      });
    expect(run).toThrow(/props\.name: must not be empty/);
  });
});

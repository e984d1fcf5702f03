import { AZAPI_EMBEDDED_TYPES } from '../../constructs/core/azapi-types';
import { ValidationError } from '../../constructs/core/errors';
import {
  addSharedPrivateLink,
  PRIVATE_ENDPOINT_CONNECTION_TYPES,
  type SharedPrivateLinkSubresource,
} from '../../constructs/network/shared-private-link';
import { onlyResource, resourcesOf, synthStack, testStack } from '../helpers/synth';

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

    // THEN the default request message names the search service (from its id) and the link
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
        request_message: `llmops-platform: AI Search \${element(split("/", "${SEARCH_ID}"), 8)} shared private link spl-openai-account`,
      },
    ]);
  });

  describe('approval in the same deploy (the connection starts Pending on the target)', () => {
    const stack = testStack();
    const result = addSharedPrivateLink(stack, 'ToModels', {
      searchServiceId: SEARCH_ID,
      targetResourceId: AIS_ID,
      subresourceName: 'openai_account',
      requestMessage: 'llmops dev vectorizer',
    });
    const json = synthStack(stack);
    const LINK = 'azurerm_search_shared_private_link_service.ToModels';
    const CONNECTIONS = 'data.azapi_resource_list.ToModelsConnections';

    test("lists the target's connections after the link exists and picks the one with the link's message", () => {
      expect((json.data as Record<string, Record<string, unknown>>).azapi_resource_list).toEqual({
        ToModelsConnections: {
          type: 'Microsoft.CognitiveServices/accounts/privateEndpointConnections@2024-10-01',
          parent_id: AIS_ID,
          response_export_values: {
            connectionId:
              "value[?properties.privateLinkServiceConnectionState.description == 'llmops dev vectorizer'].id | [0]",
          },
          // read during apply, after the link (and so its connection) exists
          depends_on: [LINK],
        },
      });
    });

    test('approves that connection and keeps its description, so later plans find the same one', () => {
      expect(resourcesOf(json, 'azapi_update_resource')).toEqual({
        ToModelsApproval: {
          type: 'Microsoft.CognitiveServices/accounts/privateEndpointConnections@2024-10-01',
          resource_id: `\${${CONNECTIONS}.output.connectionId}`,
          body: {
            properties: {
              privateLinkServiceConnectionState: { status: 'Approved', description: 'llmops dev vectorizer' },
            },
          },
          depends_on: [LINK],
        },
      });
      expect(result.approval).toBeDefined();
    });

    test.each(Object.entries(PRIVATE_ENDPOINT_CONNECTION_TYPES) as [SharedPrivateLinkSubresource, string][])(
      'a %s target is approved through %s, a type the pinned azapi embeds',
      (subresource, type) => {
        const s = testStack();
        addSharedPrivateLink(s, 'Link', {
          searchServiceId: SEARCH_ID,
          targetResourceId: STORAGE_ID,
          subresourceName: subresource,
        });
        expect(onlyResource(synthStack(s), 'azapi_update_resource').type).toBe(type);
        expect(AZAPI_EMBEDDED_TYPES).toHaveProperty([type]);
      },
    );

    test('manual approval adds nothing but the link', () => {
      const s = testStack();
      const manual = addSharedPrivateLink(s, 'Link', {
        searchServiceId: SEARCH_ID,
        targetResourceId: AIS_ID,
        subresourceName: 'openai_account',
        approval: 'manual',
      });
      const out = synthStack(s);
      expect(resourcesOf(out, 'azapi_update_resource')).toEqual({});
      expect(out.data).toBeUndefined();
      expect(manual.approval).toBeUndefined();
    });
  });

  test('fails with every problem of the approval inputs at once', () => {
    const run = () =>
      addSharedPrivateLink(testStack(), 'Bad', {
        searchServiceId: SEARCH_ID,
        targetResourceId: AIS_ID,
        subresourceName: 'openai_account',
        requestMessage: `approve the search team's link ${'x'.repeat(120)}`,
        approval: 'later' as 'manual',
      });
    expect(run).toThrow(ValidationError);
    expect(run).toThrow('props.approval: "later" is not one of automatic, manual');
    expect(run).toThrow(/props\.requestMessage: ".*" must have 1-140 characters/);
    expect(run).toThrow(
      /props\.requestMessage: ".*" contains "'", which cannot be matched when the connection is approved/,
    );
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

import jmespath from 'jmespath';
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

    test("the query picks the link's connection among others, before and after approval, and nothing else", () => {
      // GIVEN the query as azapi evaluates it (go-jmespath; the same JMESPath in JavaScript) and a list
      // response of the target's private endpoint connections, as the ARM list API returns it
      const query = (
        json.data as Record<string, Record<string, { response_export_values: Record<string, string> }>>
      ).azapi_resource_list!.ToModelsConnections!.response_export_values.connectionId!;
      const connection = (id: string, status: string, description: string) => ({
        id: `${AIS_ID}/privateEndpointConnections/${id}`,
        properties: { privateLinkServiceConnectionState: { status, description, actionsRequired: 'None' } },
      });
      const ours = `${AIS_ID}/privateEndpointConnections/srch-test.6c1f`;
      // THEN it finds this link's connection while Pending, next to another team's
      expect(
        jmespath.search(
          {
            value: [
              connection('other.1a2b', 'Approved', 'team b'),
              connection('srch-test.6c1f', 'Pending', 'llmops dev vectorizer'),
            ],
          },
          query,
        ),
      ).toBe(ours);
      // AND the same one once approved (the approval keeps the description), so later plans change nothing
      expect(
        jmespath.search(
          { value: [connection('srch-test.6c1f', 'Approved', 'llmops dev vectorizer')] },
          query,
        ),
      ).toBe(ours);
      // AND null when no connection carries the message (the precondition then names the problem)
      expect(jmespath.search({ value: [connection('other.1a2b', 'Pending', 'team b')] }, query)).toBeNull();
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
          // a clear error instead of "name or resource_id must be set" when nothing matches
          lifecycle: {
            precondition: [
              {
                condition: `\${${CONNECTIONS}.output.connectionId != null}`,
                error_message: expect.stringContaining(
                  `No private endpoint connection on ${AIS_ID} has the description "llmops dev vectorizer"`,
                ),
              },
            ],
          },
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

  test('fails when the link name would make the default request message longer than Azure takes', () => {
    const run = () =>
      addSharedPrivateLink(testStack(), 'Bad', {
        searchServiceId: SEARCH_ID,
        targetResourceId: AIS_ID,
        subresourceName: 'openai_account',
        name: `spl-${'x'.repeat(40)}`,
      });
    expect(run).toThrow(
      `props.name: "spl-${'x'.repeat(40)}" is too long for the default request message (at most 140 characters with a 60-character service name): shorten it or give requestMessage`,
    );
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

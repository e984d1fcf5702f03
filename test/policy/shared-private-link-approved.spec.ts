import { addSharedPrivateLink } from '../../constructs/network/shared-private-link';
import { SharedPrivateLinkApprovedRule, suppressPolicy } from '../../constructs/policy';
import { findingsAfterSynth, rawResource, stackWith, synthError } from './helpers';

const SEARCH_ID = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Search/searchServices/srch-test';
const AIS_ID = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/ais-test';
const LINK = 'azurerm_search_shared_private_link_service.Link';

describe('policy rule shared-private-link-approved', () => {
  test('passes for addSharedPrivateLink (approved in the same deploy by default)', () => {
    const stack = stackWith(new SharedPrivateLinkApprovedRule());
    addSharedPrivateLink(stack, 'Link', {
      searchServiceId: SEARCH_ID,
      targetResourceId: AIS_ID,
      subresourceName: 'openai_account',
    });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('fails for a link nothing approves (Pending until someone clicks Approve)', () => {
    const stack = stackWith(new SharedPrivateLinkApprovedRule());
    addSharedPrivateLink(stack, 'Link', {
      searchServiceId: SEARCH_ID,
      targetResourceId: AIS_ID,
      subresourceName: 'openai_account',
      approval: 'manual',
    });
    expect(synthError(stack)).toContain(
      `[policy shared-private-link-approved] test/Link (${LINK}): the link is created Pending and nothing in this deploy approves it, so calls through it fail until someone approves it on the target: use addSharedPrivateLink with approval "automatic" (or suppress with the name of who approves it)`,
    );
  });

  test.each([
    ['an update that does not depend on the link', { depends_on: [] }],
    [
      'an update that rejects the connection',
      { body: { properties: { privateLinkServiceConnectionState: { status: 'Rejected' } } } },
    ],
  ])('fails when the only candidate is %s', (_, override) => {
    const stack = stackWith(new SharedPrivateLinkApprovedRule());
    rawResource(stack, 'Link', 'azurerm_search_shared_private_link_service', { name: 'spl' });
    rawResource(stack, 'Approve', 'azapi_update_resource', {
      body: { properties: { privateLinkServiceConnectionState: { status: 'Approved' } } },
      depends_on: [LINK],
      ...override,
    });
    expect(synthError(stack)).toContain(`[policy shared-private-link-approved] test/Link (${LINK})`);
  });

  test('a suppression naming who approves lets synth pass and is reported', () => {
    const stack = stackWith(new SharedPrivateLinkApprovedRule());
    const { link } = addSharedPrivateLink(stack, 'Link', {
      searchServiceId: SEARCH_ID,
      targetResourceId: AIS_ID,
      subresourceName: 'openai_account',
      approval: 'manual',
    });
    suppressPolicy(
      link,
      'shared-private-link-approved',
      'the model account is in the AI team tenant; they approve it',
    );
    expect(findingsAfterSynth(stack)).toEqual([
      expect.objectContaining({
        ruleId: 'shared-private-link-approved',
        suppressedBecause: 'the model account is in the AI team tenant; they approve it',
      }),
    ]);
  });
});

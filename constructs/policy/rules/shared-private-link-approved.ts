import { attr, dependsOn, PolicyRule, type SynthesizedResource, stackResources } from '../engine';

/**
 * Every AI Search shared private link is approved in the same deploy. Azure creates the link's private
 * endpoint connection on the target Pending, and azurerm only requests it
 * (hashicorp/terraform-provider-azurerm v4.55.0,
 * `internal/services/search/search_shared_private_link_service_resource.go`): until the target approves
 * it, every indexer run or vector query through it fails. The approval is an `azapi_update_resource`
 * that depends on the link and sets the connection's `privateLinkServiceConnectionState.status` to
 * `Approved` (`addSharedPrivateLink` with `approval: 'automatic'`). A link approved by someone else
 * (another tenant's target) needs a reasoned suppression.
 *
 * @see https://learn.microsoft.com/azure/search/search-indexer-howto-access-private#2---approve-the-private-endpoint-connection
 */
export class SharedPrivateLinkApprovedRule extends PolicyRule {
  readonly id = 'shared-private-link-approved';
  readonly description = 'Every AI Search shared private link is approved in the same deploy.';

  appliesTo(resourceType: string): boolean {
    return resourceType === 'azurerm_search_shared_private_link_service';
  }

  check(resource: SynthesizedResource): string | undefined {
    const approved = stackResources(resource.stack, 'azapi_update_resource').some(
      (update) =>
        dependsOn(update).includes(resource.address) &&
        attr(update.attributes, 'body', 'properties', 'privateLinkServiceConnectionState', 'status') ===
          'Approved',
    );
    return approved
      ? undefined
      : 'the link is created Pending and nothing in this deploy approves it, so calls through it fail until someone approves it on the target: use addSharedPrivateLink with approval "automatic" (or suppress with the name of who approves it)';
  }
}

import { SearchSharedPrivateLinkService } from '@cdktf/provider-azurerm/lib/search-shared-private-link-service';
import type { Construct } from 'constructs';
import { Problems } from '../core/errors';

/**
 * Sub-resources (group ids) AI Search can reach through a shared private link, by what they are for.
 *
 * - `openai_account`: an Azure OpenAI / AI Services account, for integrated vectorization (embedding
 *   skill and query-time vectorizer) and knowledge-base calls to chat models.
 * - `cognitiveservices_account`: an AI Services (Foundry) account that bills built-in skills (keyless
 *   skillset connection only).
 * - `blob`, `file`, `table`, `dfs`: a storage account, for indexer data sources, enrichment cache and
 *   knowledge store.
 * - `vault`: a Key Vault holding a customer-managed key.
 *
 * @see https://learn.microsoft.com/azure/search/search-indexer-howto-access-private#supported-resource-types
 */
export const SHARED_PRIVATE_LINK_SUBRESOURCES = [
  'openai_account',
  'cognitiveservices_account',
  'blob',
  'file',
  'table',
  'dfs',
  'vault',
] as const;

/** A sub-resource AI Search can reach through a shared private link. */
export type SharedPrivateLinkSubresource = (typeof SHARED_PRIVATE_LINK_SUBRESOURCES)[number];

/** What {@link addSharedPrivateLink} connects. */
export interface SharedPrivateLinkProps {
  /** ARM id of the search service that calls out. */
  readonly searchServiceId: string;
  /** ARM id of the resource it calls (AI Services account, storage account, Key Vault). */
  readonly targetResourceId: string;
  readonly subresourceName: SharedPrivateLinkSubresource;
  /**
   * Name of the link, unique per search service. Forces replacement.
   * @default `spl-<subresourceName>` (one link per target and sub-resource)
   */
  readonly name?: string;
  /**
   * Message shown to the target's owner, who approves the connection.
   * @default 'Requested by llmops-platform for AI Search outbound access'
   */
  readonly requestMessage?: string;
}

/**
 * Lets AI Search call a private resource through a shared private link: a private endpoint that Search
 * manages in its own network, connected to `targetResourceId`. Without it, a search service whose
 * indexer or vectorizer calls an AI Services account or storage account with public access off gets
 * 403 (Forbidden) at indexing or query time.
 *
 * The connection is created **pending**: the target's owner must approve it before Search can use it
 * (Azure portal: the target's Networking > Private endpoint connections; or
 * `az network private-endpoint-connection approve --id <connection id>`; or an azapi update of the
 * target's `privateEndpointConnections/<name>` with `privateLinkServiceConnectionState.status =
 * "Approved"`). Indexers must also run in the private execution environment
 * (`parameters.configuration.executionEnvironment = "private"`).
 *
 * Created as a child of `scope` with id `id`.
 *
 * @see https://learn.microsoft.com/azure/search/search-indexer-howto-access-private
 */
export function addSharedPrivateLink(
  scope: Construct,
  id: string,
  props: SharedPrivateLinkProps,
): SearchSharedPrivateLinkService {
  const problems = new Problems('props');
  problems.check(
    (SHARED_PRIVATE_LINK_SUBRESOURCES as readonly string[]).includes(props.subresourceName),
    'subresourceName',
    `${JSON.stringify(props.subresourceName)} is not a sub-resource AI Search can link to (allowed: ${SHARED_PRIVATE_LINK_SUBRESOURCES.join(', ')})`,
  );
  const name = props.name ?? `spl-${props.subresourceName.replace(/_/g, '-')}`;
  problems.check(name.trim().length > 0, 'name', 'must not be empty');
  problems.throwIfAny(`Invalid shared private link "${scope.node.path}/${id}"`);
  return new SearchSharedPrivateLinkService(scope, id, {
    name,
    searchServiceId: props.searchServiceId,
    targetResourceId: props.targetResourceId,
    subresourceName: props.subresourceName,
    requestMessage: props.requestMessage ?? 'Requested by llmops-platform for AI Search outbound access',
  });
}

import { SearchSharedPrivateLinkService } from '@cdktf/provider-azurerm/lib/search-shared-private-link-service';
import { Fn } from 'cdktf';
import type { Construct } from 'constructs';
import { AzapiResourceList, AzapiUpdateResource } from '../core/azapi';
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
 * Each matches the sub-resource name pattern azurerm validates
 * (hashicorp/terraform-provider-azurerm v4.55.0 `internal/services/network/validate/private_link_subresource_name.go`; recorded in `AZURERM_ARGUMENT_RULES`).
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

/**
 * The azapi type of the private endpoint connections on each kind of target, through which the link is
 * approved. Each is embedded in azapi 2.12.0 (see `AZAPI_EMBEDDED_TYPES`).
 */
export const PRIVATE_ENDPOINT_CONNECTION_TYPES: Readonly<Record<SharedPrivateLinkSubresource, string>> = {
  openai_account: 'Microsoft.CognitiveServices/accounts/privateEndpointConnections@2024-10-01',
  cognitiveservices_account: 'Microsoft.CognitiveServices/accounts/privateEndpointConnections@2024-10-01',
  blob: 'Microsoft.Storage/storageAccounts/privateEndpointConnections@2023-05-01',
  file: 'Microsoft.Storage/storageAccounts/privateEndpointConnections@2023-05-01',
  table: 'Microsoft.Storage/storageAccounts/privateEndpointConnections@2023-05-01',
  dfs: 'Microsoft.Storage/storageAccounts/privateEndpointConnections@2023-05-01',
  vault: 'Microsoft.KeyVault/vaults/privateEndpointConnections@2023-07-01',
};

/** The longest request message Azure takes on a private endpoint connection. */
const MAX_REQUEST_MESSAGE = 140;
/** The longest AI Search service name (Microsoft Learn, naming rules). */
const MAX_SEARCH_SERVICE_NAME = 60;
const DEFAULT_MESSAGE_PREFIX = 'llmops-platform: AI Search ';
const DEFAULT_MESSAGE_MIDDLE = ' shared private link ';
const DEFAULT_MESSAGE_FIXED = DEFAULT_MESSAGE_PREFIX.length + DEFAULT_MESSAGE_MIDDLE.length;

/** How a shared private link's pending connection gets approved. */
export type SharedPrivateLinkApproval = 'automatic' | 'manual';

/** A shared private link and, when approved in the same deploy, what approves it. */
export interface SharedPrivateLink {
  /** The link (`azurerm_search_shared_private_link_service`). */
  readonly link: SearchSharedPrivateLinkService;
  /**
   * Approves the link's connection on the target (`azapi_update_resource` of the target's private
   * endpoint connection, status `Approved`). Undefined with `approval: 'manual'`.
   */
  readonly approval?: AzapiUpdateResource;
}

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
   * Message shown to the target's owner. With automatic approval it also identifies the connection on
   * the target, so it must be unique among the target's connections and contain no `'`; at most 140
   * characters.
   * @default `llmops-platform: AI Search <service name> shared private link <name>`
   */
  readonly requestMessage?: string;
  /**
   * `automatic`: approve the connection in the same deploy (the deploying identity needs
   * `privateEndpointConnections/write` on the target, which Contributor has): without it the link stays
   * Pending and every call through it fails until someone approves it. `manual`: leave it Pending for the
   * target's owner, e.g. a target in another tenant (the `shared-private-link-approved` policy rule then
   * asks for a reasoned suppression).
   * @default 'automatic'
   */
  readonly approval?: SharedPrivateLinkApproval;
}

/**
 * Lets AI Search call a private resource through a shared private link: a private endpoint that Search
 * manages in its own network, connected to `targetResourceId`. Without it, a search service whose
 * indexer or vectorizer calls an AI Services account or storage account with public access off gets
 * 403 (Forbidden) at indexing or query time.
 *
 * Azure creates the link's connection on the target **Pending**
 * (`azurerm_search_shared_private_link_service` only requests it: hashicorp/terraform-provider-azurerm
 * v4.55.0 `internal/services/search/search_shared_private_link_service_resource.go` reads `status` and
 * approves nothing). With `approval: 'automatic'` (the default) the same deploy approves it, as
 * Microsoft's guide does with the REST API: a data source lists the target's private endpoint connections
 * once the link exists (it depends on the link, so Terraform reads it during apply), picks the one whose
 * description is this link's request message, and an `azapi_update_resource` sets its status to
 * `Approved` (keeping the description, so later plans find the same connection). Indexers must also run
 * in the private execution environment (`parameters.configuration.executionEnvironment = "private"`).
 *
 * Created as children of `scope`: the link with id `id`, the approval as `<id>Connections` (data source)
 * and `<id>Approval`.
 *
 * @see https://learn.microsoft.com/azure/search/search-indexer-howto-access-private#2---approve-the-private-endpoint-connection
 */
export function addSharedPrivateLink(
  scope: Construct,
  id: string,
  props: SharedPrivateLinkProps,
): SharedPrivateLink {
  const problems = new Problems('props');
  problems.check(
    (SHARED_PRIVATE_LINK_SUBRESOURCES as readonly string[]).includes(props.subresourceName),
    'subresourceName',
    `${JSON.stringify(props.subresourceName)} is not a sub-resource AI Search can link to (allowed: ${SHARED_PRIVATE_LINK_SUBRESOURCES.join(', ')})`,
  );
  const name = props.name ?? `spl-${props.subresourceName.replace(/_/g, '-')}`;
  problems.check(name.trim().length > 0, 'name', 'must not be empty');
  const approval = props.approval ?? 'automatic';
  problems.check(
    approval === 'automatic' || approval === 'manual',
    'approval',
    `${JSON.stringify(approval)} is not one of automatic, manual`,
  );
  if (props.requestMessage !== undefined) {
    problems.check(
      props.requestMessage.trim().length > 0 && props.requestMessage.length <= MAX_REQUEST_MESSAGE,
      'requestMessage',
      `${JSON.stringify(props.requestMessage)} must have 1-${MAX_REQUEST_MESSAGE} characters`,
    );
    problems.check(
      !props.requestMessage.includes("'"),
      'requestMessage',
      `${JSON.stringify(props.requestMessage)} contains "'", which cannot be matched when the connection is approved`,
    );
  }
  if (props.requestMessage === undefined && approval === 'automatic') {
    // The default message: 48 characters, the service name (at most 60) and the link name.
    problems.check(
      name.length <= MAX_REQUEST_MESSAGE - DEFAULT_MESSAGE_FIXED - MAX_SEARCH_SERVICE_NAME,
      'name',
      `${JSON.stringify(name)} is too long for the default request message (at most ${MAX_REQUEST_MESSAGE} characters with a ${MAX_SEARCH_SERVICE_NAME}-character service name): shorten it or give requestMessage`,
    );
  }
  problems.throwIfAny(`Invalid shared private link "${scope.node.path}/${id}"`);

  // Element 8 of `/subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.Search/searchServices/<name>`.
  const serviceName = Fn.element(Fn.split('/', props.searchServiceId), 8);
  const requestMessage =
    props.requestMessage ?? `${DEFAULT_MESSAGE_PREFIX}${serviceName}${DEFAULT_MESSAGE_MIDDLE}${name}`;
  const link = new SearchSharedPrivateLinkService(scope, id, {
    name,
    searchServiceId: props.searchServiceId,
    targetResourceId: props.targetResourceId,
    subresourceName: props.subresourceName,
    requestMessage,
  });
  if (approval === 'manual') return { link };

  const connectionType = PRIVATE_ENDPOINT_CONNECTION_TYPES[props.subresourceName];
  const connections = new AzapiResourceList(scope, `${id}Connections`, {
    type: connectionType,
    parentId: props.targetResourceId,
    responseExportValues: {
      connectionId: `value[?properties.privateLinkServiceConnectionState.description == '${requestMessage}'].id | [0]`,
    },
    dependsOn: [link],
  });
  const connectionId = connections.outputValue('connectionId');
  const approvalResource = new AzapiUpdateResource(scope, `${id}Approval`, {
    type: connectionType,
    resourceId: connectionId,
    body: {
      properties: {
        privateLinkServiceConnectionState: { status: 'Approved', description: requestMessage },
      },
    },
    dependsOn: [link],
    // An empty match would fail later with an unrelated message ("name or resource_id must be set").
    lifecycle: {
      precondition: [
        {
          condition: `\${${connections.fqn}.output.connectionId != null}`,
          errorMessage: `No private endpoint connection on ${props.targetResourceId} has the description "${requestMessage}": the shared private link ${name} has not created it yet (run apply again), or its description was changed on the target. Approve it there by hand (Networking > Private endpoint connections) and restore the description, or pass approval: 'manual'.`,
        },
      ],
    },
  });
  return { link, approval: approvalResource };
}

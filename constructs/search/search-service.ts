import type { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { SearchService as SearchServiceResource } from '@cdktf/provider-azurerm/lib/search-service';
import type { ITerraformDependable } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';
import type { CustomerManagedKeyProps } from '../core/cmk';
import type { IModelEndpoint, ISearchEndpoint } from '../core/contracts';
import { addDiagnosticSettings } from '../core/diagnostics';
import { Problems, show } from '../core/errors';
import { checkName } from '../core/naming';
import { addPrivateEndpoint, type PrivateEndpointProps } from '../core/private-endpoint';
import {
  applyProtection,
  type DiagnosticSettingsProps,
  type IResourceGroup,
  type NetworkAccessProps,
  type ProtectionProps,
} from '../core/props';
import { BuiltInRoles, grantRoleOn, type IPrincipal } from '../core/roles';
import {
  addSharedPrivateLink,
  type SharedPrivateLink,
  type SharedPrivateLinkProps,
} from '../network/shared-private-link';
import type { SearchEncryptionKeyDefinition } from './index-schema/definition';
import { type SearchSku, type SemanticRankerPlan, searchCapacityProblems } from './search-tiers';

export {
  SEARCH_SKU_LIMITS,
  SEARCH_SKUS,
  SEMANTIC_RANKER_PLANS,
  type SearchCapacity,
  type SearchSku,
  type SearchSkuLimits,
  type SemanticRankerPlan,
  searchCapacityProblems,
} from './search-tiers';

/**
 * An outbound private connection from the search service (a shared private link), e.g. to the AI
 * Services account its vectorizer calls when that account is reachable only privately. Created with the
 * network construct's `addSharedPrivateLink`, which approves the pending connection in the same deploy
 * unless `approval: 'manual'`.
 *
 * @see https://learn.microsoft.com/azure/search/search-indexer-howto-access-private
 */
export type SearchSharedPrivateLinkProps = Omit<SharedPrivateLinkProps, 'searchServiceId' | 'name'>;

/** Properties of {@link SearchService}. */
export interface SearchServiceProps extends NetworkAccessProps, ProtectionProps {
  readonly resourceGroup: IResourceGroup;
  /** Service name: 2-60 lowercase letters, digits and single hyphens, globally unique. Forces replacement. */
  readonly name: string;
  /**
   * Pricing tier. Forces replacement. `free` is rejected: it cannot have the managed identity the
   * service always gets.
   * @default 'basic'
   */
  readonly sku?: SearchSku;
  /**
   * Replicas (query capacity and availability). Two or more give the read (query) SLA, three or more the
   * read-write SLA.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Partitions (storage and indexing capacity).
   * @default 1
   */
  readonly partitions?: number;
  /**
   * Semantic ranker plan.
   * @default 'free', or 'disabled' on the free tier
   * @see https://learn.microsoft.com/azure/search/semantic-how-to-enable-disable
   */
  readonly semanticRanker?: SemanticRankerPlan;
  /**
   * Private endpoint of the service (sub-resource `searchService`). Given in private environments, where
   * the data plane (index creation included) is reachable only from inside the network.
   * @default - no private endpoint
   */
  readonly privateEndpoint?: PrivateEndpointProps;
  /**
   * Outbound shared private links, keyed by link name (unique per service; forces replacement). In a
   * private environment the vectorizer reaches the model account through one (`openai_account`).
   * @default - none
   */
  readonly sharedPrivateLinks?: Readonly<Record<string, SearchSharedPrivateLinkProps>>;
  /** @default - the stack's DiagnosticsAspect adds all logs (OperationLogs) and metrics */
  readonly diagnosticSettings?: DiagnosticSettingsProps;
  /**
   * Customer-managed keys: AI Search encrypts per object (each index's `encryptionKey`, see
   * {@link SearchService.indexEncryptionKey}); the service gets the key's user-assigned identity next to
   * its system-assigned one and `customer_managed_key_enforcement_enabled = true`, which marks it
   * non-compliant while any object is not encrypted with a customer key (azurerm v4.55.0
   * `website/docs/r/search_service.html.markdown`).
   * @default - Microsoft-managed keys
   * @see https://learn.microsoft.com/azure/search/search-security-manage-encryption-keys
   */
  readonly customerManagedKey?: CustomerManagedKeyProps;
}

/** What {@link SearchService} knows of an index on it. Implemented by `SearchIndex`. */
export interface ISearchIndexRegistration extends IConstruct {
  /** The index name on the service. */
  readonly indexName: string;
}

/**
 * An Azure AI Search service that accepts only Microsoft Entra ID (key authentication off, so RBAC only),
 * with a system-assigned identity (for integrated vectorization and indexers), public network access per
 * the environment's network mode, trusted Azure services allowed through the firewall, replicas and
 * partitions checked against the tier's limits, and `prevent_destroy`.
 *
 * The service is itself a principal (its managed identity): `models.grantInference(search)`.
 *
 * @see https://learn.microsoft.com/azure/search/search-security-rbac
 */
export class SearchService extends Construct implements ISearchEndpoint, IPrincipal {
  /** The `azurerm_search_service`. */
  public readonly service: SearchServiceResource;
  /** The private endpoint, when one was requested. */
  public readonly privateEndpoint?: PrivateEndpoint;
  /** Shared private links by name. */
  public readonly sharedPrivateLinks: Readonly<Record<string, SharedPrivateLink>>;
  /** The service's identity is a managed identity. */
  public readonly principalType = 'ServicePrincipal' as const;
  /** The semantic ranker plan in effect. */
  public readonly semanticRanker: SemanticRankerPlan;

  /**
   * The `encryptionKey` every index on this service carries, when the service has a customer-managed key.
   */
  public readonly indexEncryptionKey?: SearchEncryptionKeyDefinition;

  private readonly indexes = new Map<string, ISearchIndexRegistration>();
  private readonly vectorizerGrants = new Map<IModelEndpoint, RoleAssignment>();

  constructor(scope: Construct, id: string, props: SearchServiceProps) {
    super(scope, id);
    const sku = props.sku ?? 'basic';
    const replicas = props.replicas ?? 1;
    const partitions = props.partitions ?? 1;
    this.semanticRanker = props.semanticRanker ?? (sku === 'free' ? 'disabled' : 'free');

    const problems = new Problems('props');
    const nameProblem = checkName('searchService', props.name);
    if (nameProblem) problems.add('name', nameProblem.message);
    problems.addAll(
      searchCapacityProblems({ sku, replicas, partitions, semanticRanker: this.semanticRanker }, 'props'),
    );
    problems.throwIfAny(`Invalid SearchService "${this.node.path}"`);

    const publicAccess = props.publicNetworkAccessEnabled ?? false;
    this.service = new SearchServiceResource(this, 'Default', {
      name: props.name,
      resourceGroupName: props.resourceGroup.name,
      location: props.resourceGroup.location,
      sku,
      replicaCount: replicas,
      partitionCount: partitions,
      // RBAC only: with local authentication off, authentication_failure_mode must stay unset.
      localAuthenticationEnabled: false,
      identity: props.customerManagedKey
        ? { type: 'SystemAssigned, UserAssigned', identityIds: [props.customerManagedKey.identity.id] }
        : { type: 'SystemAssigned' },
      customerManagedKeyEnforcementEnabled: props.customerManagedKey ? true : undefined,
      dependsOn: props.customerManagedKey?.dependsOn ? [...props.customerManagedKey.dependsOn] : undefined,
      publicNetworkAccessEnabled: publicAccess,
      // Lets trusted Azure services (e.g. AI Foundry agents, Azure OpenAI "on your data") through with
      // their managed identities; they still need a data-plane role.
      networkRuleBypassOption: 'AzureServices',
      // Unset means disabled; the provider rejects any value on the free tier.
      semanticSearchSku: this.semanticRanker === 'disabled' ? undefined : this.semanticRanker,
    });
    applyProtection(this.service, props);
    if (props.diagnosticSettings) addDiagnosticSettings(this.service, props.diagnosticSettings);
    const cmk = props.customerManagedKey;
    if (cmk) {
      const missing = (['keyVaultUri', 'keyName', 'keyVersion'] as const).filter((k) => cmk[k] === undefined);
      if (missing.length > 0) {
        throw new Error(
          `Invalid SearchService "${this.node.path}": customerManagedKey needs ${missing.join(', ')} (index encryption keys name the vault, key and version); use EncryptionKey.customerManagedKey()`,
        );
      }
      this.indexEncryptionKey = {
        keyVaultUri: cmk.keyVaultUri!,
        keyName: cmk.keyName!,
        keyVersion: cmk.keyVersion!,
        userAssignedIdentityId: cmk.identity.id,
      };
    }

    if (props.privateEndpoint) {
      this.privateEndpoint = addPrivateEndpoint(
        this,
        {
          resourceId: this.service.id,
          resourceName: props.name,
          subresource: 'searchService',
          resourceGroupName: props.resourceGroup.name,
          location: props.resourceGroup.location,
        },
        props.privateEndpoint,
      );
    }

    const links: Record<string, SharedPrivateLink> = {};
    for (const [name, link] of Object.entries(props.sharedPrivateLinks ?? {})) {
      links[name] = addSharedPrivateLink(this, `SharedPrivateLink${pascal(name)}`, {
        ...link,
        name,
        searchServiceId: this.service.id,
      });
    }
    this.sharedPrivateLinks = links;
  }

  /** ARM id of the service. */
  get serviceId(): string {
    return this.service.id;
  }

  /** Service name (a reference, so consumers wait for the service). */
  get serviceName(): string {
    return this.service.name;
  }

  /** `https://<name>.search.windows.net`: the data-plane endpoint clients query. */
  get endpoint(): string {
    return `https://${this.service.name}.search.windows.net`;
  }

  /** `<name>.search.windows.net`: the data-plane host, the `parent_id` of azapi data-plane resources. */
  get dataPlaneHost(): string {
    return `${this.service.name}.search.windows.net`;
  }

  /** Object id of the service's system-assigned identity. */
  get principalId(): string {
    return this.service.identity.principalId;
  }

  /** Names of the indexes declared on this service, in declaration order. */
  get indexNames(): readonly string[] {
    return [...this.indexes.keys()];
  }

  /**
   * What a data-plane object on this service (an index) must wait for: the service and, in a private
   * environment, its private endpoint (with the DNS record the deploying runner resolves).
   */
  get dataPlaneDependencies(): readonly ITerraformDependable[] {
    return this.privateEndpoint ? [this.service, this.privateEndpoint] : [this.service];
  }

  /**
   * Records an index declared on this service. Called by `SearchIndex`; an index name used twice on one
   * service is an error naming both constructs.
   */
  registerIndex(index: ISearchIndexRegistration): void {
    const existing = this.indexes.get(index.indexName);
    if (existing) {
      throw new Error(
        `${index.node.path}: index ${show(index.indexName)} is already declared on search service ${this.node.path} by ${existing.node.path}`,
      );
    }
    this.indexes.set(index.indexName, index);
  }

  /**
   * Lets this service's identity call `models` for integrated vectorization (the `azureOpenAI` vectorizer
   * embeds query text with the service's managed identity): role Cognitive Services OpenAI User on the
   * model account, through `models.grantInference`. Returns the same assignment when called again for the
   * same endpoint.
   */
  enableIntegratedVectorization(models: IModelEndpoint): RoleAssignment {
    let grant = this.vectorizerGrants.get(models);
    if (!grant) {
      grant = models.grantInference(this);
      this.vectorizerGrants.set(models, grant);
    }
    return grant;
  }

  /** Lets `principal` query every index on the service: role Search Index Data Reader. */
  grantIndexDataReader(principal: IPrincipal): RoleAssignment {
    return this.grant(BuiltInRoles.searchIndexDataReader, principal);
  }

  /** Lets `principal` query and load documents into every index: role Search Index Data Contributor. */
  grantIndexDataContributor(principal: IPrincipal): RoleAssignment {
    return this.grant(BuiltInRoles.searchIndexDataContributor, principal);
  }

  /**
   * Lets `principal` manage the service and its objects (create, update and delete indexes, indexers,
   * skillsets), but not read or write documents: role Search Service Contributor. The principal that
   * deploys the indexes needs this role.
   */
  grantServiceContributor(principal: IPrincipal): RoleAssignment {
    return this.grant(BuiltInRoles.searchServiceContributor, principal);
  }

  private grant(
    role: (typeof BuiltInRoles)[keyof typeof BuiltInRoles],
    principal: IPrincipal,
  ): RoleAssignment {
    return grantRoleOn(this, role, principal, this.service.id);
  }
}

function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

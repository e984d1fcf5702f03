import { AiFoundry } from '@cdktf/provider-azurerm/lib/ai-foundry';
import { AiFoundryProject } from '@cdktf/provider-azurerm/lib/ai-foundry-project';
import type { ApplicationInsights } from '@cdktf/provider-azurerm/lib/application-insights';
import type { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import type { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import type { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { AzapiResource, AzapiUpdateResource } from '../core/azapi';
import type { CustomerManagedKeyProps } from '../core/cmk';
import type { IModelEndpoint, ISearchEndpoint } from '../core/contracts';
import { addDiagnosticSettings } from '../core/diagnostics';
import { Problems, show } from '../core/errors';
import { checkName } from '../core/naming';
import { addPrivateEndpoint, PRIVATE_DNS_ZONES, type PrivateEndpointProps } from '../core/private-endpoint';
import {
  applyProtection,
  type DiagnosticSettingsProps,
  type IResourceGroup,
  type NetworkAccessProps,
  type ProtectionProps,
} from '../core/props';
import { type BuiltInRole, BuiltInRoles, grantRoleOn, type IPrincipal } from '../core/roles';
import { WorkspaceConnection, type WorkspaceConnectionProps } from './workspace-connection';

/**
 * Outbound modes of the hub's managed network: two of the `azurerm_ai_foundry.managed_network.isolation_mode`
 * values azurerm validates (`Disabled` is the third; the project always isolates the hub's compute)
 * (hashicorp/terraform-provider-azurerm v4.55.0 `internal/services/machinelearning/ai_foundry_resource.go`; recorded in `AZURERM_ARGUMENT_RULES`).
 */
export type ManagedNetworkIsolation = 'AllowInternetOutbound' | 'AllowOnlyApprovedOutbound';

/** The values of {@link ManagedNetworkIsolation}. */
export const MANAGED_NETWORK_ISOLATION_MODES: readonly ManagedNetworkIsolation[] = [
  'AllowInternetOutbound',
  'AllowOnlyApprovedOutbound',
];

/**
 * The preview API version that carries `systemDatastoresAuthMode` (the stable 2024-10-01 schema does not).
 * @see https://learn.microsoft.com/azure/ai-foundry/how-to/disable-local-auth
 */
export const DATASTORE_AUTH_API_TYPE = 'Microsoft.MachineLearningServices/workspaces@2025-01-01-preview';

/**
 * azapi type of the hub's managed-network outbound rules. azurerm's
 * `azurerm_machine_learning_workspace_network_outbound_rule_private_endpoint` cannot be used: its
 * `sub_resource_target` accepts only `vault, amlworkspace, blob, table, queue, file, web, dfs, redisCache`
 * (hashicorp/terraform-provider-azurerm v4.55.0,
 * `internal/services/machinelearning/machine_learning_workspace_network_outbound_rule_private_endpoint_resource.go`),
 * so `terraform validate` rejects the AI Search (`searchService`) and AI Services (`account`) targets.
 * The ARM resource takes any sub-resource the target offers.
 */
export const OUTBOUND_RULE_TYPE = 'Microsoft.MachineLearningServices/workspaces/outboundRules@2024-10-01';

/**
 * Sub-resources the hub's managed network can reach through a private endpoint outbound rule, by target:
 * `account` (AI Services / Azure OpenAI), `searchService` (AI Search), `vault` (Key Vault), `blob`,
 * `file`, `queue`, `table`, `dfs`, `web` (storage), `amlworkspace` (another hub or workspace).
 *
 * @see https://learn.microsoft.com/azure/ai-foundry/how-to/configure-managed-network#private-endpoints
 */
export const OUTBOUND_SUBRESOURCE_TARGETS = [
  'account',
  'searchService',
  'vault',
  'blob',
  'file',
  'queue',
  'table',
  'dfs',
  'web',
  'amlworkspace',
] as const;

/** A sub-resource the hub's managed network reaches through a private endpoint outbound rule. */
export type OutboundSubresourceTarget = (typeof OUTBOUND_SUBRESOURCE_TARGETS)[number];

/**
 * Names of outbound rules (and so of the connections that add them): ARM's pattern for
 * `workspaces/outboundRules` names in 2024-10-01 (azapi's embedded schema).
 */
const OUTBOUND_RULE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$/;

/** Default connection names, as prompt flows and the evaluation job refer to them. */
export const DEFAULT_CONNECTION_NAMES = { models: 'ai-services', search: 'ai-search' } as const;

/** Properties of {@link EvaluationWorkspace}. */
export interface EvaluationWorkspaceProps extends NetworkAccessProps, ProtectionProps {
  readonly resourceGroup: IResourceGroup;
  /** Hub name: 3-33 lowercase letters, digits and hyphens. Forces replacement. */
  readonly hubName: string;
  /** Project name: 3-33 lowercase letters, digits and hyphens. Forces replacement. */
  readonly projectName: string;
  /**
   * The hub's default storage (artifacts, prompt flows, evaluation results). It may have shared keys
   * off: the hub reaches it with Microsoft Entra ID (`systemDatastoresAuthMode = identity`). In a private
   * network it needs a `blob` and a `file` private endpoint (the `private-endpoint` policy rule checks
   * it). Forces replacement.
   * @see https://learn.microsoft.com/azure/ai-foundry/how-to/configure-private-link
   */
  readonly storageAccount: StorageAccount;
  /** The hub's Key Vault (RBAC authorization). Forces replacement. */
  readonly keyVault: KeyVault;
  /** Application Insights that receives the hub's and projects' traces. */
  readonly applicationInsights: ApplicationInsights;
  /**
   * Outbound mode of the hub's managed network (where its compute runs). `AllowOnlyApprovedOutbound`
   * reaches only the hub's own dependencies and the services connected through managed private
   * endpoints; packages from the internet need approved FQDN rules.
   * @default - 'AllowOnlyApprovedOutbound' when public network access is off, 'AllowInternetOutbound' otherwise
   */
  readonly managedNetworkIsolation?: ManagedNetworkIsolation;
  /**
   * Flag the hub as high business impact: less diagnostic data to Microsoft, encrypted local scratch
   * disks. Forces replacement.
   * @default false
   */
  readonly highBusinessImpactEnabled?: boolean;
  /**
   * Private endpoint of the hub (sub-resource `amlworkspace`, zones {@link PRIVATE_DNS_ZONES}.amlworkspace);
   * its projects are reached through it too. Given in private environments.
   * @default - none
   */
  readonly privateEndpoint?: PrivateEndpointProps;
  /** @default - the stack's DiagnosticsAspect adds all logs and metrics to the hub and the project */
  readonly diagnosticSettings?: DiagnosticSettingsProps;
  /**
   * Encrypt the hub's data with a customer-managed key (`encryption` block: `key_vault_id`, `key_id`,
   * `user_assigned_identity_id`; the key's identity joins the hub's identities). Create-time only: the
   * `encryption` block forces a new hub (azurerm v4.55.0 `website/docs/r/ai_foundry.html.markdown`), so
   * plan:diff reports turning it on or off as a blocking replacement. Azure also turns on
   * high-business-impact mode for an encrypted hub; this construct sets it to match.
   * @default - Microsoft-managed keys
   */
  readonly customerManagedKey?: CustomerManagedKeyProps;
}

/** The system-assigned identity of the hub or the project, as a principal roles are granted to. */
class WorkspaceIdentity extends Construct implements IPrincipal {
  readonly principalType = 'ServicePrincipal' as const;
  constructor(
    scope: Construct,
    id: string,
    readonly principalId: string,
  ) {
    super(scope, id);
  }
}

/**
 * The AI Foundry workspace evaluation runs use: a hub (`azurerm_ai_foundry`, the hub-based model prompt
 * flow needs) with one project, wired to the environment's storage, Key Vault and Application Insights.
 *
 * Secure by default: system-assigned identities on hub and project; the hub reaches its storage with
 * Microsoft Entra ID (`systemDatastoresAuthMode = identity`, set through azapi because azurerm lacks it),
 * so storage with shared keys off works; public network access follows the environment; a managed
 * network for the hub's compute; connections (see {@link connectModels}, {@link connectSearch}) use
 * Microsoft Entra ID, never keys.
 *
 * Grants made here: the hub and project identities get Storage Blob Data Contributor on the storage
 * account (system datastores, evaluation results) and the hub identity Key Vault Secrets User on the
 * vault. Each connection grants both identities the data-plane role its target needs.
 *
 * @see https://learn.microsoft.com/azure/ai-foundry/concepts/ai-resources
 */
export class EvaluationWorkspace extends Construct {
  /** The hub (`azurerm_ai_foundry`). */
  public readonly hub: AiFoundry;
  /** The project (`azurerm_ai_foundry_project`) evaluation runs are recorded in. */
  public readonly project: AiFoundryProject;
  /** The hub's system-assigned identity. */
  public readonly hubIdentity: IPrincipal;
  /** The project's system-assigned identity. */
  public readonly projectIdentity: IPrincipal;
  /** Sets `systemDatastoresAuthMode = identity` on the hub. */
  public readonly datastoreAuth: AzapiUpdateResource;
  /** The hub's private endpoint, when one was requested. */
  public readonly privateEndpoint?: PrivateEndpoint;
  /** Outbound mode of the hub's managed network. */
  public readonly managedNetworkIsolation: ManagedNetworkIsolation;
  /** Region of the hub and project. */
  public readonly location: string;
  private readonly publicNetworkAccessEnabled: boolean;
  private readonly connections = new Map<string, WorkspaceConnection>();
  private lastWrite: ITerraformDependable;

  constructor(scope: Construct, id: string, props: EvaluationWorkspaceProps) {
    super(scope, id);
    const publicAccess = props.publicNetworkAccessEnabled ?? false;
    const isolation =
      props.managedNetworkIsolation ?? (publicAccess ? 'AllowInternetOutbound' : 'AllowOnlyApprovedOutbound');
    const problems = new Problems('props');
    for (const [path, kind, name] of [
      ['hubName', 'aiFoundryHub', props.hubName],
      ['projectName', 'aiFoundryProject', props.projectName],
    ] as const) {
      const p = checkName(kind, name);
      if (p) problems.add(path, p.message);
    }
    problems.check(
      props.hubName !== props.projectName,
      'projectName',
      `${show(props.projectName)} is the hub's name too: hub and project are both ML workspaces in one resource group, give them different names`,
    );
    problems.check(
      MANAGED_NETWORK_ISOLATION_MODES.includes(isolation),
      'managedNetworkIsolation',
      `${show(isolation)} is not one of ${MANAGED_NETWORK_ISOLATION_MODES.join(', ')}`,
    );
    const cmk = props.customerManagedKey;
    problems.check(
      !cmk || props.highBusinessImpactEnabled !== false,
      'highBusinessImpactEnabled',
      'false cannot go with customerManagedKey: Azure turns high-business-impact mode on for an encrypted hub, and the difference would replace the hub on the next plan',
    );
    problems.check(
      !cmk || cmk.keyVaultId !== undefined,
      'customerManagedKey.keyVaultId',
      'is required: the hub names the vault of its key (encryption.key_vault_id)',
    );
    problems.check(
      !cmk || cmk.versionedKeyId !== undefined,
      'customerManagedKey.versionedKeyId',
      'is required: azurerm accepts only a versioned key id for the hub (encryption.key_id)',
    );
    problems.throwIfAny(`Invalid EvaluationWorkspace "${this.node.path}"`);
    const highBusinessImpact = props.highBusinessImpactEnabled ?? cmk !== undefined;

    this.location = props.resourceGroup.location;
    this.publicNetworkAccessEnabled = publicAccess;
    this.managedNetworkIsolation = isolation;

    this.hub = new AiFoundry(this, 'Default', {
      name: props.hubName,
      resourceGroupName: props.resourceGroup.name,
      location: this.location,
      storageAccountId: props.storageAccount.id,
      keyVaultId: props.keyVault.id,
      applicationInsightsId: props.applicationInsights.id,
      // The system-assigned identity stays the hub's primary identity (its grants below); the key's
      // user-assigned identity is added only to read the key.
      identity: cmk
        ? { type: 'SystemAssigned, UserAssigned', identityIds: [cmk.identity.id] }
        : { type: 'SystemAssigned' },
      encryption: cmk
        ? {
            keyVaultId: cmk.keyVaultId!,
            // Versioned: azurerm validates `key_id` with keyvaultValidate.NestedItemId
            // (v4.55.0 internal/services/machinelearning/ai_foundry_resource.go).
            keyId: cmk.versionedKeyId!,
            userAssignedIdentityId: cmk.identity.id,
          }
        : undefined,
      publicNetworkAccess: publicAccess ? 'Enabled' : 'Disabled',
      managedNetwork: { isolationMode: isolation },
      highBusinessImpactEnabled: highBusinessImpact,
      dependsOn: cmk?.dependsOn ? [...cmk.dependsOn] : undefined,
    });
    applyProtection(this.hub, props);
    if (cmk) {
      // `encryption` forces a new hub, and each key rotation gives the key a new version (its `id` changes):
      // keep the version the hub was created with (Azure follows the key's rotation for the hub itself).
      // Only the version is ignored: adding or removing encryption still replaces the hub, which plan:diff
      // reports as blocking.
      this.hub.lifecycle = { ...(this.hub.lifecycle ?? {}), ignoreChanges: ['encryption[0].key_id'] };
    }

    // azurerm 4.55 cannot set it; without it the hub's datastores use account keys, which the storage refuses.
    this.datastoreAuth = new AzapiUpdateResource(this, 'DatastoreAuth', {
      type: DATASTORE_AUTH_API_TYPE,
      resourceId: this.hub.id,
      body: { properties: { systemDatastoresAuthMode: 'identity' } },
    });

    this.lastWrite = this.datastoreAuth;

    this.project = new AiFoundryProject(this, 'Project', {
      name: props.projectName,
      location: this.location,
      aiServicesHubId: this.hub.id,
      identity: { type: 'SystemAssigned' },
      highBusinessImpactEnabled: highBusinessImpact,
      // The project reads the hub; create it after the hub's datastores switched to identity.
      dependsOn: [this.datastoreAuth],
    });
    applyProtection(this.project, props);

    if (props.diagnosticSettings) {
      addDiagnosticSettings(this.hub, props.diagnosticSettings);
      addDiagnosticSettings(this.project, props.diagnosticSettings);
    }

    this.hubIdentity = new WorkspaceIdentity(this, 'HubIdentity', this.hub.identity.principalId);
    this.projectIdentity = new WorkspaceIdentity(this, 'ProjectIdentity', this.project.identity.principalId);
    const blobContributor = BuiltInRoles.storageBlobDataContributor;
    for (const identity of [this.hubIdentity, this.projectIdentity]) {
      this.grantOn(blobContributor, identity, props.storageAccount.id);
    }
    this.grantOn(BuiltInRoles.keyVaultSecretsUser, this.hubIdentity, props.keyVault.id);

    if (props.privateEndpoint) {
      this.privateEndpoint = addPrivateEndpoint(
        this,
        {
          resourceId: this.hub.id,
          resourceName: props.hubName,
          subresource: 'amlworkspace',
          resourceGroupName: props.resourceGroup.name,
          location: this.location,
        },
        props.privateEndpoint,
      );
    }
  }

  /** ARM id of the hub. */
  get hubId(): string {
    return this.hub.id;
  }

  /** ARM id of the project. */
  get projectId(): string {
    return this.project.id;
  }

  /**
   * The last resource that writes to the hub (datastore switch, connection, outbound rule). Resources
   * that change the hub depend on it, so the writes happen one at a time: the datastore switch reads and
   * rewrites the whole workspace, and the service refuses concurrent managed-network changes.
   */
  get lastHubWrite(): ITerraformDependable {
    return this.lastWrite;
  }

  /** Names of the connections, in the order they were added. */
  get connectionNames(): string[] {
    return [...this.connections.keys()];
  }

  /**
   * Connects the hub to an AI Services (or Azure OpenAI) account: an `AIServices` connection with
   * Microsoft Entra ID auth, shared with every project. Grants the hub and project identities Cognitive
   * Services OpenAI User on the account (prompt flows and evaluators call the models as them). When the
   * account is private, adds a managed private endpoint so the hub's compute reaches it.
   */
  connectModels(models: IModelEndpoint, name: string = DEFAULT_CONNECTION_NAMES.models): WorkspaceConnection {
    const connection = this.addConnection(name, {
      category: 'AIServices',
      target: models.endpoint,
      resourceId: models.accountId,
      location: models.location,
    });
    models.grantInference(this.hubIdentity);
    models.grantInference(this.projectIdentity);
    this.addOutboundPrivateEndpoint(name, models.accountId, 'account');
    return connection;
  }

  /**
   * Connects the hub to an AI Search service: a `CognitiveSearch` connection with Microsoft Entra ID
   * auth, shared with every project. Grants the hub and project identities Search Index Data Reader on
   * the service. When the service is private, adds a managed private endpoint so the hub's compute
   * reaches it.
   */
  connectSearch(
    search: ISearchEndpoint,
    name: string = DEFAULT_CONNECTION_NAMES.search,
  ): WorkspaceConnection {
    const connection = this.addConnection(name, {
      category: 'CognitiveSearch',
      target: search.endpoint,
      resourceId: search.serviceId,
    });
    search.grantIndexDataReader(this.hubIdentity);
    search.grantIndexDataReader(this.projectIdentity);
    this.addOutboundPrivateEndpoint(name, search.serviceId, 'searchService');
    return connection;
  }

  /**
   * Lets `principal` work in the project (create evaluation runs, register datasets, run prompt flows):
   * role Azure AI Developer, on the project.
   */
  grantDeveloper(principal: IPrincipal): RoleAssignment {
    return this.grantOn(BuiltInRoles.azureAiDeveloper, principal, this.project.id);
  }

  private addConnection(
    name: string,
    target: Pick<WorkspaceConnectionProps, 'category' | 'target' | 'resourceId' | 'location'>,
  ): WorkspaceConnection {
    if (this.connections.has(name)) {
      throw new Error(
        `EvaluationWorkspace "${this.node.path}": a connection named ${show(name)} exists already; give the second one another name`,
      );
    }
    const connection = new WorkspaceConnection(this, `Connection-${name}`, {
      ...target,
      workspaceResourceId: this.hub.id,
      name,
      dependsOn: [this.lastWrite],
    });
    this.lastWrite = connection.connection;
    this.connections.set(name, connection);
    return connection;
  }

  /**
   * Managed private endpoint from the hub's managed network to a private service (private environments
   * only): an outbound rule of category `UserDefined`. The hub creates the endpoint and approves the
   * connection on the target with its own identity, which therefore gets Azure AI Enterprise Network
   * Connection Approver on the target first; without it the connection stays Pending and the hub's
   * compute cannot reach the service.
   *
   * @see https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/ai-machine-learning#azure-ai-enterprise-network-connection-approver
   */
  private addOutboundPrivateEndpoint(
    name: string,
    serviceResourceId: string,
    subresourceTarget: OutboundSubresourceTarget,
  ): void {
    if (this.publicNetworkAccessEnabled) return;
    if (!OUTBOUND_RULE_NAME.test(name)) {
      throw new Error(
        `EvaluationWorkspace "${this.node.path}": connection name ${show(name)} cannot name its outbound rule: 3-33 letters, digits, "_" and "-", starting with a letter or digit (${OUTBOUND_RULE_TYPE})`,
      );
    }
    const approver = grantRoleOn(
      this,
      BuiltInRoles.azureAiEnterpriseNetworkConnectionApprover,
      this.hubIdentity,
      serviceResourceId,
      `-${name}`,
    );
    this.lastWrite = new AzapiResource(this, `Outbound-${name}`, {
      type: OUTBOUND_RULE_TYPE,
      name,
      parentId: this.hub.id,
      body: {
        properties: {
          type: 'PrivateEndpoint',
          category: 'UserDefined',
          destination: { serviceResourceId, subresourceTarget, sparkEnabled: false },
        },
      },
      dependsOn: [this.lastWrite, approver],
    });
  }

  private grantOn(role: BuiltInRole, principal: IPrincipal, scopeResourceId: string): RoleAssignment {
    return grantRoleOn(this, role, principal, scopeResourceId);
  }
}

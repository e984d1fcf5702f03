import type { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { StorageAccount as StorageAccountResource } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { Construct } from 'constructs';
import type { CustomerManagedKeyProps } from '../core/cmk';
import { addDiagnosticSettings } from '../core/diagnostics';
import { Problems } from '../core/errors';
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

/** Storage sub-resources that get a private endpoint. */
export type StoragePrivateEndpointSubresource = 'blob' | 'file';

/**
 * Redundancy of a storage account: `azurerm_storage_account.account_replication_type`, validated
 * (hashicorp/terraform-provider-azurerm v4.55.0 `internal/services/storage/storage_account_resource.go`; recorded in `AZURERM_ARGUMENT_RULES`).
 */
export const STORAGE_REPLICATIONS = ['LRS', 'ZRS', 'GRS', 'GZRS', 'RAGRS', 'RAGZRS'] as const;

/** Redundancy of a storage account (see {@link STORAGE_REPLICATIONS}). */
export type StorageReplication = (typeof STORAGE_REPLICATIONS)[number];

/** Properties of {@link StorageAccount}. */
export interface StorageAccountProps extends NetworkAccessProps, ProtectionProps {
  readonly resourceGroup: IResourceGroup;
  /** Account name: 3-24 lowercase letters and digits, globally unique. Forces replacement. */
  readonly name: string;
  /**
   * Blob containers to create (private).
   * @default - none
   */
  readonly containers?: readonly string[];
  /**
   * Redundancy. Production environments use `GZRS` (the geo-redundant-storage policy rule demands it).
   * @default 'LRS' - the development profile's (the README's profile defaults)
   */
  readonly replication?: StorageReplication;
  /**
   * Days deleted blobs and containers can be restored.
   * @default 30
   */
  readonly softDeleteRetentionDays?: number;
  /**
   * Keep every version of a blob (Terraform state history, dataset history).
   * @default true
   */
  readonly versioningEnabled?: boolean;
  /**
   * IP ranges (CIDR) allowed when public network access is on.
   * @default - none: any address, still with Entra ID auth only
   */
  readonly allowedIpRanges?: readonly string[];
  /** @default - the stack's DiagnosticsAspect adds metrics for the account and logs for its blob service */
  readonly diagnosticSettings?: DiagnosticSettingsProps;
  /**
   * Private endpoints, one per sub-resource in `privateEndpointSubresources`, each registered in its
   * zone (`privatelink.blob.core.windows.net`, `privatelink.file.core.windows.net`).
   * @default - none (public environments)
   */
  readonly privateEndpoint?: PrivateEndpointProps;
  /**
   * Sub-resources that get a private endpoint when `privateEndpoint` is given. An AI Foundry hub's
   * storage needs `blob` and `file`.
   * @default ['blob']
   */
  readonly privateEndpointSubresources?: readonly StoragePrivateEndpointSubresource[];
  /**
   * Encrypt blobs and files with a customer-managed key, read by its user-assigned identity
   * (`customer_managed_key.key_vault_key_id` versionless for auto-rotation, `user_assigned_identity_id`:
   * azurerm v4.55.0 `website/docs/r/storage_account.html.markdown`). The account gets that identity.
   * @default - Microsoft-managed keys
   */
  readonly customerManagedKey?: CustomerManagedKeyProps;
}

/**
 * A StorageV2 account that accepts only Microsoft Entra ID (no shared keys, no SAS), TLS 1.2, HTTPS, no
 * anonymous blob access, with blob versioning and soft delete of blobs and containers.
 *
 * Holds Terraform state (bootstrap stack), evaluation datasets and AI Foundry artifacts.
 */
export class StorageAccount extends Construct {
  public readonly account: StorageAccountResource;
  /** Containers by name. */
  public readonly containers: Readonly<Record<string, StorageContainer>>;
  /** Private endpoints by sub-resource (empty without `privateEndpoint`). */
  public readonly privateEndpoints: Readonly<
    Partial<Record<StoragePrivateEndpointSubresource, PrivateEndpoint>>
  >;

  constructor(scope: Construct, id: string, props: StorageAccountProps) {
    super(scope, id);
    const retention = props.softDeleteRetentionDays ?? 30;
    const problems = new Problems('props');
    const nameProblem = checkName('storageAccount', props.name);
    if (nameProblem) problems.add('name', nameProblem.message);
    problems.check(
      Number.isInteger(retention) && retention >= 1 && retention <= 365,
      'softDeleteRetentionDays',
      `${retention} is out of range: allowed 1-365 days`,
    );
    const replication = props.replication ?? 'LRS';
    problems.check(
      (STORAGE_REPLICATIONS as readonly string[]).includes(replication),
      'replication',
      `${JSON.stringify(replication)} is not one of ${STORAGE_REPLICATIONS.join(', ')}`,
    );
    const containers = props.containers ?? [];
    containers.forEach((c, i) => {
      problems.check(
        /^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$/.test(c),
        `containers[${i}]`,
        `${JSON.stringify(c)} is not a valid container name: 3-63 lowercase letters, digits and single hyphens`,
      );
    });
    const duplicates = containers.filter((c, i) => containers.indexOf(c) !== i);
    problems.check(
      duplicates.length === 0,
      'containers',
      `duplicate container names: ${duplicates.join(', ')}`,
    );
    const endpointSubresources = props.privateEndpointSubresources ?? ['blob'];
    endpointSubresources.forEach((sub, i) => {
      problems.check(
        sub === 'blob' || sub === 'file',
        `privateEndpointSubresources[${i}]`,
        `${JSON.stringify(sub)} is not supported: allowed blob, file`,
      );
    });
    const repeated = endpointSubresources.filter((s, i) => endpointSubresources.indexOf(s) !== i);
    problems.check(
      repeated.length === 0,
      'privateEndpointSubresources',
      `duplicate sub-resources: ${[...new Set(repeated)].join(', ')} (each gets one private endpoint)`,
    );
    problems.throwIfAny(`Invalid StorageAccount "${this.node.path}"`);

    const publicAccess = props.publicNetworkAccessEnabled ?? false;
    this.account = new StorageAccountResource(this, 'Default', {
      name: props.name,
      resourceGroupName: props.resourceGroup.name,
      location: props.resourceGroup.location,
      accountKind: 'StorageV2',
      accountTier: 'Standard',
      accountReplicationType: replication,
      minTlsVersion: 'TLS1_2',
      httpsTrafficOnlyEnabled: true,
      sharedAccessKeyEnabled: false,
      defaultToOauthAuthentication: true,
      allowNestedItemsToBePublic: false,
      crossTenantReplicationEnabled: false,
      infrastructureEncryptionEnabled: true,
      publicNetworkAccessEnabled: publicAccess,
      networkRules: {
        defaultAction: publicAccess && !props.allowedIpRanges?.length ? 'Allow' : 'Deny',
        bypass: ['AzureServices'],
        ipRules: props.allowedIpRanges ? [...props.allowedIpRanges] : undefined,
      },
      identity: props.customerManagedKey
        ? { type: 'UserAssigned', identityIds: [props.customerManagedKey.identity.id] }
        : undefined,
      customerManagedKey: props.customerManagedKey
        ? {
            keyVaultKeyId: props.customerManagedKey.keyVaultKeyId,
            userAssignedIdentityId: props.customerManagedKey.identity.id,
          }
        : undefined,
      dependsOn: props.customerManagedKey?.dependsOn ? [...props.customerManagedKey.dependsOn] : undefined,
      blobProperties: {
        versioningEnabled: props.versioningEnabled ?? true,
        changeFeedEnabled: props.versioningEnabled ?? true,
        deleteRetentionPolicy: { days: retention },
        containerDeleteRetentionPolicy: { days: retention },
      },
    });
    applyProtection(this.account, props);
    if (props.diagnosticSettings) addDiagnosticSettings(this.account, props.diagnosticSettings);

    const byName: Record<string, StorageContainer> = {};
    for (const name of containers) {
      byName[name] = new StorageContainer(this, `Container-${name}`, {
        name,
        storageAccountId: this.account.id,
        containerAccessType: 'private',
      });
    }
    this.containers = byName;

    const endpoints: Partial<Record<StoragePrivateEndpointSubresource, PrivateEndpoint>> = {};
    if (props.privateEndpoint) {
      for (const sub of endpointSubresources) {
        endpoints[sub] = addPrivateEndpoint(
          this,
          {
            resourceId: this.account.id,
            resourceName: props.name,
            subresource: sub,
            resourceGroupName: props.resourceGroup.name,
            location: props.resourceGroup.location,
          },
          props.privateEndpoint,
          sub === 'blob' ? 'PrivateEndpointBlob' : 'PrivateEndpointFile',
        );
      }
    }
    this.privateEndpoints = endpoints;
  }

  get resourceId(): string {
    return this.account.id;
  }

  /** Lets `principal` read blobs: role Storage Blob Data Reader, on the account or one container. */
  grantBlobRead(principal: IPrincipal, container?: string): RoleAssignment {
    return this.grant(BuiltInRoles.storageBlobDataReader, principal, container);
  }

  /** Lets `principal` read and write blobs: role Storage Blob Data Contributor, on the account or one container. */
  grantBlobReadWrite(principal: IPrincipal, container?: string): RoleAssignment {
    return this.grant(BuiltInRoles.storageBlobDataContributor, principal, container);
  }

  private grant(
    role: (typeof BuiltInRoles)[keyof typeof BuiltInRoles],
    principal: IPrincipal,
    container?: string,
  ) {
    if (container !== undefined && !this.containers[container]) {
      throw new Error(
        `StorageAccount "${this.node.path}": no container ${JSON.stringify(container)} (containers: ${Object.keys(this.containers).join(', ') || 'none'})`,
      );
    }
    const scopeId = container ? this.containers[container]!.id : this.account.id;
    return grantRoleOn(this, role, principal, scopeId, container ? `-${container}` : '');
  }
}

import { KeyVault as KeyVaultResource } from '@cdktf/provider-azurerm/lib/key-vault';
import type { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
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

/** Key Vault pricing tiers. */
export const KEY_VAULT_SKUS = ['standard', 'premium'] as const;

/** A Key Vault pricing tier (see {@link KEY_VAULT_SKUS}). */
export type KeyVaultSku = (typeof KEY_VAULT_SKUS)[number];

/** Properties of {@link KeyVault}. */
export interface KeyVaultProps extends NetworkAccessProps, ProtectionProps {
  readonly resourceGroup: IResourceGroup;
  /** Vault name: 3-24 letters, digits and hyphens, globally unique. Forces replacement. */
  readonly name: string;
  /** Microsoft Entra tenant of the vault. */
  readonly tenantId: string;
  /**
   * Days a deleted vault, key or secret can be recovered.
   * @default 90
   */
  readonly softDeleteRetentionDays?: number;
  /**
   * Pricing tier (`premium` adds HSM-backed keys). Validated by azurerm
   * (hashicorp/terraform-provider-azurerm v4.55.0 `internal/services/keyvault/key_vault_resource.go`; recorded in `AZURERM_ARGUMENT_RULES`).
   * @default 'standard'
   */
  readonly sku?: KeyVaultSku;
  /** @default - the stack's DiagnosticsAspect adds all logs and metrics */
  readonly diagnosticSettings?: DiagnosticSettingsProps;
  /**
   * A private endpoint for the `vault` sub-resource, registered in `privatelink.vaultcore.azure.net`.
   * @default - none (public environments)
   */
  readonly privateEndpoint?: PrivateEndpointProps;
}

/**
 * A Key Vault with RBAC authorization (no access policies), purge protection, soft delete and public
 * access per the environment's network mode. Holds customer-managed keys and any secret a workload
 * cannot avoid; the platform itself stores none.
 */
export class KeyVault extends Construct {
  public readonly vault: KeyVaultResource;
  /** The vault's private endpoint, when `privateEndpoint` was given. */
  public readonly privateEndpoint?: PrivateEndpoint;

  constructor(scope: Construct, id: string, props: KeyVaultProps) {
    super(scope, id);
    const retention = props.softDeleteRetentionDays ?? 90;
    const problems = new Problems('props');
    const nameProblem = checkName('keyVault', props.name);
    if (nameProblem) problems.add('name', nameProblem.message);
    problems.check(
      Number.isInteger(retention) && retention >= 7 && retention <= 90,
      'softDeleteRetentionDays',
      `${retention} is out of range: allowed 7-90 days`,
    );
    const sku = props.sku ?? 'standard';
    problems.check(
      (KEY_VAULT_SKUS as readonly string[]).includes(sku),
      'sku',
      `${JSON.stringify(sku)} is not one of ${KEY_VAULT_SKUS.join(', ')}`,
    );
    problems.throwIfAny(`Invalid KeyVault "${this.node.path}"`);

    const publicAccess = props.publicNetworkAccessEnabled ?? false;
    this.vault = new KeyVaultResource(this, 'Default', {
      name: props.name,
      resourceGroupName: props.resourceGroup.name,
      location: props.resourceGroup.location,
      tenantId: props.tenantId,
      skuName: sku,
      rbacAuthorizationEnabled: true,
      purgeProtectionEnabled: true,
      softDeleteRetentionDays: retention,
      publicNetworkAccessEnabled: publicAccess,
      networkAcls: {
        bypass: 'AzureServices',
        defaultAction: publicAccess ? 'Allow' : 'Deny',
      },
    });
    applyProtection(this.vault, props);
    if (props.diagnosticSettings) addDiagnosticSettings(this.vault, props.diagnosticSettings);
    if (props.privateEndpoint) {
      this.privateEndpoint = addPrivateEndpoint(
        this,
        {
          resourceId: this.vault.id,
          resourceName: props.name,
          subresource: 'vault',
          resourceGroupName: props.resourceGroup.name,
          location: props.resourceGroup.location,
        },
        props.privateEndpoint,
      );
    }
  }

  get resourceId(): string {
    return this.vault.id;
  }

  get vaultUri(): string {
    return this.vault.vaultUri;
  }

  /** Lets `principal` read secrets: role Key Vault Secrets User. */
  grantSecretsRead(principal: IPrincipal): RoleAssignment {
    const role = BuiltInRoles.keyVaultSecretsUser;
    return grantRoleOn(this, role, principal, this.vault.id);
  }

  /**
   * What a data-plane object of this vault (a key) must be created after: the vault and, in a private
   * environment, its private endpoint with its DNS zone group (the runner resolves the vault to it).
   */
  get dataPlaneDependencies(): ITerraformDependable[] {
    return this.privateEndpoint ? [this.vault, this.privateEndpoint] : [this.vault];
  }

  /**
   * Lets `principal` create, rotate and delete keys through the data plane: role Key Vault Crypto
   * Officer, on the vault. The deployer of an environment with customer-managed keys needs it.
   */
  grantCryptoOfficer(principal: IPrincipal): RoleAssignment {
    return grantRoleOn(this, BuiltInRoles.keyVaultCryptoOfficer, principal, this.vault.id);
  }

  /** Lets `principal` wrap and unwrap with keys (customer-managed keys): role Key Vault Crypto Service Encryption User. */
  grantCryptoServiceEncryption(principal: IPrincipal): RoleAssignment {
    const role = BuiltInRoles.keyVaultCryptoServiceEncryptionUser;
    return grantRoleOn(this, role, principal, this.vault.id);
  }
}

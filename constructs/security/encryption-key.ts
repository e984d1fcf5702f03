import { KeyVaultKey } from '@cdktf/provider-azurerm/lib/key-vault-key';
import type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { CustomerManagedKeyProps } from '../core/cmk';
import { Problems } from '../core/errors';
import { checkName } from '../core/naming';
import { applyProtection, type IResourceGroup, type ProtectionProps } from '../core/props';
import { BuiltInRoles, grantRole, type IPrincipal } from '../core/roles';
import { RBAC_PROPAGATION_WAIT, TimeSleep } from '../core/time';
import type { KeyVault } from './key-vault';

/** RSA key sizes every consumer here accepts (AI Services, Storage, AI Search, AI Foundry). */
export const ENCRYPTION_KEY_SIZES = [2048, 3072, 4096] as const;

/** Properties of {@link EncryptionKey}. */
export interface EncryptionKeyProps extends ProtectionProps {
  /** The vault the key lives in (purge protection on: every consumer requires it). */
  readonly keyVault: KeyVault;
  /** Resource group of the key's user-assigned identity. */
  readonly resourceGroup: IResourceGroup;
  /** Key name. Forces replacement (a new key: everything encrypted with the old one must be re-keyed). */
  readonly name: string;
  /** Name of the user-assigned identity that reads the key. Forces replacement. */
  readonly identityName: string;
  /**
   * The principal that runs Terraform. The key is created through the vault's data plane, so it needs a
   * data-plane role: Key Vault Crypto Officer on the vault, assigned here and waited for.
   */
  readonly deployer: IPrincipal;
  /** @default 3072 */
  readonly keySize?: (typeof ENCRYPTION_KEY_SIZES)[number];
  /**
   * ISO 8601 duration after which a key version expires (`rotation_policy.expire_after`).
   * @default 'P2Y'
   */
  readonly expireAfter?: string;
  /**
   * ISO 8601 duration before expiry at which Key Vault creates a new version
   * (`rotation_policy.automatic.time_before_expiry`). Consumers given the versionless id follow it.
   * @default 'P30D'
   */
  readonly rotateBeforeExpiry?: string;
  /**
   * What else the key (a data-plane object of the vault) must wait for, beyond the vault and its private
   * endpoint: in a private network, the private DNS zone's link to the network the runner resolves in.
   * @default - none
   */
  readonly dataPlaneReadyAfter?: readonly ITerraformDependable[];
}

const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+D)?$/;

/** Days of an ISO 8601 duration in years, months and days (a year 365 days, a month 30). */
function isoDurationDays(duration: string): number {
  const [, y, m, d] = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$/.exec(duration) ?? [];
  return Number(y ?? 0) * 365 + Number(m ?? 0) * 30 + Number(d ?? 0);
}

/** Hours of an ISO 8601 duration, for Terraform's `timeadd` (which takes hours, not days). */
function isoDurationHours(duration: string): number {
  return isoDurationDays(duration) * 24;
}

/** `a - b` as an ISO 8601 duration in days (`P700D`). */
function isoDurationMinus(a: string, b: string): string {
  return `P${isoDurationDays(a) - isoDurationDays(b)}D`;
}

/**
 * The customer-managed key of an environment and the identity that uses it, in the order one deploy can
 * create them:
 *
 * 1. Key Vault Crypto Officer for the deployer on the vault, then a wait for RBAC propagation;
 * 2. the RSA key (`wrapKey`, `unwrapKey`) with a rotation policy and an expiry, created through the
 *    vault's data plane, so in a private environment after the vault's private endpoint and its DNS zone
 *    group (the runner resolves the vault to the endpoint);
 * 3. a user-assigned identity holding only Key Vault Crypto Service Encryption User on this key, then a
 *    second wait: consumers depend on {@link ready}.
 *
 * Arguments: azurerm v4.55.0 `website/docs/r/key_vault_key.html.markdown` (`key_type` RSA, `key_size`,
 * `key_opts`, `rotation_policy.expire_after`, `rotation_policy.automatic.time_before_expiry`,
 * `resource_versionless_id`, `versionless_id`, `version`).
 *
 * @see https://learn.microsoft.com/azure/key-vault/keys/how-to-configure-key-rotation
 */
export class EncryptionKey extends Construct {
  public readonly key: KeyVaultKey;
  public readonly identity: UserAssignedIdentity;
  /** Key Vault Crypto Service Encryption User on the key, for {@link identity}. */
  public readonly encryptionUserAssignment: RoleAssignment;
  /** Key Vault Crypto Officer on the vault, for the deployer. */
  public readonly deployerAssignment: RoleAssignment;
  /** What a consumer of the key must be created after: the wait that follows the identity's role assignment. */
  public readonly ready: ITerraformDependable[];
  private readonly vault: KeyVault;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const size = props.keySize ?? 3072;
    const expireAfter = props.expireAfter ?? 'P2Y';
    const rotate = props.rotateBeforeExpiry ?? 'P30D';
    const problems = new Problems('props');
    problems.check(
      /^[A-Za-z0-9-]{1,127}$/.test(props.name),
      'name',
      `${JSON.stringify(props.name)} is not a Key Vault key name: 1-127 letters, digits and hyphens`,
    );
    const identityProblem = checkName('userAssignedIdentity', props.identityName, 'identityName');
    if (identityProblem) problems.add(identityProblem.path, identityProblem.message);
    problems.check(
      (ENCRYPTION_KEY_SIZES as readonly number[]).includes(size),
      'keySize',
      `${size} is not one of ${ENCRYPTION_KEY_SIZES.join(', ')}`,
    );
    problems.check(
      ISO_DURATION.test(expireAfter),
      'expireAfter',
      `${JSON.stringify(expireAfter)} is not an ISO 8601 duration in years, months and days (e.g. P2Y)`,
    );
    problems.check(
      ISO_DURATION.test(rotate),
      'rotateBeforeExpiry',
      `${JSON.stringify(rotate)} is not an ISO 8601 duration in years, months and days (e.g. P30D)`,
    );
    problems.throwIfAny(`Invalid EncryptionKey "${this.node.path}"`);
    this.vault = props.keyVault;

    this.deployerAssignment = props.keyVault.grantCryptoOfficer(props.deployer);
    const officerReady = new TimeSleep(this, 'DeployerRolePropagation', {
      createDuration: RBAC_PROPAGATION_WAIT,
      // a replaced assignment waits again
      triggers: { assignment: this.deployerAssignment.id },
      dependsOn: [this.deployerAssignment],
    });
    this.key = new KeyVaultKey(this, 'Default', {
      name: props.name,
      keyVaultId: props.keyVault.resourceId,
      keyType: 'RSA',
      keySize: size,
      keyOpts: ['wrapKey', 'unwrapKey'],
      // The first version's expiry, computed at plan time (no clock at synth) and kept afterwards: each
      // rotation gives the newest version its own expiry from the policy (`expire_after`), which applies
      // to new versions only, so without this the first version never expires.
      expirationDate: `\${timeadd(plantimestamp(), "${isoDurationHours(expireAfter)}h")}`,
      rotationPolicy: {
        expireAfter,
        notifyBeforeExpiry: 'P30D',
        // Counted from each version's creation: a trigger before expiry has no date to count from on a
        // version without one. `expire_after` minus `rotateBeforeExpiry`.
        automatic: { timeAfterCreation: isoDurationMinus(expireAfter, rotate) },
      },
      lifecycle: { ignoreChanges: ['expiration_date'] },
      dependsOn: [
        officerReady,
        ...props.keyVault.dataPlaneDependencies,
        ...(props.dataPlaneReadyAfter ?? []),
      ],
    });
    applyProtection(this.key, props);

    this.identity = new UserAssignedIdentity(this, 'Identity', {
      name: props.identityName,
      resourceGroupName: props.resourceGroup.name,
      location: props.resourceGroup.location,
    });
    this.encryptionUserAssignment = grantRole(
      this,
      'EncryptionUser',
      BuiltInRoles.keyVaultCryptoServiceEncryptionUser,
      { principalId: this.identity.principalId },
      this.key.resourceVersionlessId,
    );
    this.ready = [
      new TimeSleep(this, 'RolePropagation', {
        createDuration: RBAC_PROPAGATION_WAIT,
        triggers: { assignment: this.encryptionUserAssignment.id },
        dependsOn: [this.encryptionUserAssignment],
      }),
    ];
  }

  /** `https://<vault>.vault.azure.net/keys/<name>`: consumers follow rotation. */
  /** The key id with its version (`.../keys/<name>/<version>`): what azurerm's hub `encryption.key_id` takes. */
  get versionedKeyId(): string {
    return this.key.id;
  }

  get versionlessKeyId(): string {
    return this.key.versionlessId;
  }

  /** The current key version (AI Search index bodies need one). */
  get keyVersion(): string {
    return this.key.version;
  }

  /** The vault URI. */
  get keyVaultUri(): string {
    return this.vault.vaultUri;
  }

  /** The vault's ARM id. */
  get keyVaultId(): string {
    return this.vault.resourceId;
  }

  /** The shared customer-managed key shape every consumer construct takes. */
  customerManagedKey(): CustomerManagedKeyProps {
    return {
      keyVaultId: this.vault.resourceId,
      keyVaultUri: this.vault.vaultUri,
      keyName: this.key.name,
      keyVersion: this.key.version,
      keyVaultKeyId: this.key.versionlessId,
      versionedKeyId: this.key.id,
      identity: { id: this.identity.id, clientId: this.identity.clientId },
      dependsOn: this.ready,
    };
  }
}

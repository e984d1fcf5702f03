import type { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import type { Construct } from 'constructs';
import type { PrivateNetwork } from '../../../constructs/network/private-network';
import { EncryptionKey } from '../../../constructs/security/encryption-key';
import { KeyVault } from '../../../constructs/security/key-vault';
import { StorageAccount } from '../../../constructs/storage/storage-account';
import type { EnvironmentInputs } from './inputs';

/** What {@link addVaultAndStorage} reads besides the environment. */
export interface VaultAndStorageInputs extends EnvironmentInputs {
  /** The deployment's client config: the vault's tenant, and the CMK deployer (its object id). */
  readonly clientConfig: DataAzurermClientConfig;
  /**
   * The private network the vault and the account get their private endpoints in.
   * @default - none: a public environment
   */
  readonly network?: PrivateNetwork;
}

/** What {@link addVaultAndStorage} created. */
export interface VaultAndStorageHandles {
  /** The environment's Key Vault (construct id `KeyVault`). */
  readonly keyVault: KeyVault;
  /**
   * The customer-managed key (RSA, rotation policy, expiry) and its identity, when
   * `protection.customerManagedKeys` is on; every encrypting capability takes `customerManagedKey()`.
   */
  readonly encryptionKey?: EncryptionKey;
  /** The datasets and evaluations storage account (construct id `Storage`). */
  readonly storage: StorageAccount;
}

/**
 * The environment's Key Vault, its customer-managed key when `protection.customerManagedKeys` is on, and
 * the storage account (containers `datasets` and `evaluations`, encrypted with that key). Public network
 * access follows the network mode; with a network, each gets its private endpoints in it.
 *
 * Add it after the network and before the capabilities that encrypt with the key or store in the account.
 */
export function addVaultAndStorage(scope: Construct, inputs: VaultAndStorageInputs): VaultAndStorageHandles {
  const { config: env, naming, resourceGroup, clientConfig, network } = inputs;
  const publicNetworkAccessEnabled = env.network.mode === 'public';
  const privateEndpoint = network?.privateEndpointProps();
  const protection = { preventDestroy: env.protection.preventDestroy };

  const keyVault = new KeyVault(scope, 'KeyVault', {
    resourceGroup,
    name: naming.name('keyVault'),
    tenantId: clientConfig.tenantId,
    publicNetworkAccessEnabled,
    privateEndpoint,
    ...protection,
  });

  const vaultZoneLink = network?.dnsZones.links['privatelink.vaultcore.azure.net'];
  const encryptionKey = env.protection.customerManagedKeys
    ? new EncryptionKey(scope, 'EncryptionKey', {
        keyVault,
        resourceGroup,
        name: `${env.workload}-cmk`,
        identityName: naming.name('userAssignedIdentity', 'cmk'),
        // The pipeline's deployment identity in CI (docs/pipeline.md): a service principal.
        deployer: { principalId: clientConfig.objectId },
        // The runner resolves the vault to its private endpoint only once the zone is linked to the network.
        dataPlaneReadyAfter: vaultZoneLink ? [vaultZoneLink] : undefined,
        ...protection,
      })
    : undefined;

  const storage = new StorageAccount(scope, 'Storage', {
    resourceGroup,
    name: naming.name('storageAccount'),
    containers: ['datasets', 'evaluations'],
    replication: env.storageReplication,
    publicNetworkAccessEnabled,
    privateEndpoint,
    // The AI Foundry hub's default storage needs both a blob and a file private endpoint.
    privateEndpointSubresources: env.evaluation.workspace.enabled ? ['blob', 'file'] : ['blob'],
    customerManagedKey: encryptionKey?.customerManagedKey(),
    ...protection,
  });
  return { keyVault, encryptionKey, storage };
}

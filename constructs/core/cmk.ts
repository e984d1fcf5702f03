import type { ITerraformDependable } from 'cdktf';

/** A user-assigned identity as a customer-managed key needs it (an `azurerm_user_assigned_identity`). */
export interface IKeyReaderIdentity {
  /** ARM id of the identity. */
  readonly id: string;
  /** Client id of the identity. */
  readonly clientId: string;
}

/**
 * Encryption at rest with a key in the customer's Key Vault: the one shared shape (Azure Verified Modules'
 * `customer_managed_key` interface) every construct that can encrypt takes as `customerManagedKey`.
 * `EncryptionKey.customerManagedKey()` builds it.
 */
export interface CustomerManagedKeyProps {
  /**
   * Key id, versionless (`https://<vault>.vault.azure.net/keys/<name>`) so rotation needs no change. The
   * vault needs soft delete and purge protection (`KeyVault` has both).
   */
  readonly keyVaultKeyId: string;
  /**
   * The key id with its version. azurerm's `azurerm_ai_foundry.encryption.key_id` accepts only a versioned
   * id (`keyvaultValidate.NestedItemId`, v4.55.0 `internal/services/machinelearning/ai_foundry_resource.go`).
   * @default - none (consumers that take a versionless id do not need it)
   */
  readonly versionedKeyId?: string;
  /**
   * Identity that reads the key. It must hold Key Vault Crypto Service Encryption User on the key before
   * the resource is created (a user-assigned identity exists before the resource; the system-assigned
   * one does not).
   */
  readonly identity: IKeyReaderIdentity;
  /** ARM id of the vault (AI Foundry `encryption.key_vault_id`). @default - not needed by the consumer */
  readonly keyVaultId?: string;
  /** `https://<vault>.vault.azure.net/` (AI Search `encryptionKey.keyVaultUri`). @default - not needed */
  readonly keyVaultUri?: string;
  /** Key name (AI Search `encryptionKey.keyVaultKeyName`). @default - not needed */
  readonly keyName?: string;
  /** Current key version (AI Search `encryptionKey.keyVaultKeyVersion`). @default - not needed */
  readonly keyVersion?: string;
  /**
   * What the encrypted resource must be created after: the wait for the identity's role assignment to
   * propagate. @default - none
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

import { attr, dependsOn, PolicyRule, type SynthesizedResource } from '../engine';

/** Profile of the environment the rule checks. */
export interface CmkRuleProps {
  readonly profile: 'development' | 'production';
  /** In a private environment a key must also wait for the vault's private endpoint. @default 'public' */
  readonly networkMode?: 'public' | 'private';
}

/** RSA key types a customer-managed key may have (azurerm v4.55.0 `website/docs/r/key_vault_key.html.markdown`). */
const RSA_KEY_TYPES: readonly string[] = ['RSA', 'RSA-HSM'];

function isSearchIndex(resource: SynthesizedResource): boolean {
  const type = attr(resource.attributes, 'type');
  return typeof type === 'string' && type.startsWith('Microsoft.Search/searchServices/indexes@');
}

const present = (value: unknown): boolean => typeof value === 'string' && value !== '';

/**
 * In production, data at rest is encrypted with customer-managed keys (Azure Verified Modules'
 * `customer_managed_key` interface), each read by a user-assigned identity, and the keys rotate and
 * expire:
 *
 * - `azurerm_cognitive_account`: `customer_managed_key` with `key_vault_key_id` and `identity_client_id`
 *   (azurerm v4.55.0 `website/docs/r/cognitive_account.html.markdown`);
 * - `azurerm_storage_account`: `customer_managed_key` with `key_vault_key_id` and
 *   `user_assigned_identity_id` (`storage_account.html.markdown`);
 * - `azurerm_search_service`: `customer_managed_key_enforcement_enabled = true` (`search_service.html.markdown`),
 *   and every search index body an `encryptionKey` with an explicit `identity` (REST 2024-07-01);
 * - `azurerm_ai_foundry`: an `encryption` block with `key_id`, `key_vault_id` and
 *   `user_assigned_identity_id` (`ai_foundry.html.markdown`; forces a new hub);
 * - `azurerm_key_vault_key`: RSA, a `rotation_policy` with `automatic` rotation, and an expiry
 *   (`expiration_date` or `rotation_policy.expire_after`).
 *
 * One deploy must be able to create them (docs/first-deploy.md): a key `depends_on` a `time_sleep` (the
 * deployer's data-plane role propagating) and, in a private environment, a private endpoint (the vault's,
 * the runner's only path to its data plane); an encrypted resource `depends_on` a `time_sleep` (its
 * identity's role on the key propagating).
 *
 * The Terraform state account (bootstrap, created before the environment's vault) is suppressed there
 * with its reason.
 */
export class CmkRule extends PolicyRule {
  readonly id = 'cmk';
  readonly description =
    'Production data at rest is encrypted with rotating, expiring customer-managed RSA keys read by a user-assigned identity.';

  constructor(private readonly props: CmkRuleProps) {
    super();
  }

  appliesTo(resourceType: string): boolean {
    return (
      this.props.profile === 'production' &&
      [
        'azurerm_cognitive_account',
        'azurerm_storage_account',
        'azurerm_search_service',
        'azurerm_ai_foundry',
        'azurerm_key_vault_key',
        'azapi_data_plane_resource',
      ].includes(resourceType)
    );
  }

  check(resource: SynthesizedResource): string | undefined {
    const encryption = this.encryption(resource);
    const waits = dependsOn(resource).some((d) => d.startsWith('time_sleep.'));
    if (encryption !== undefined || resource.type === 'azapi_data_plane_resource') return encryption;
    if (resource.type === 'azurerm_key_vault_key') {
      const order: string[] = [];
      if (!waits)
        order.push(
          "no depends_on a time_sleep after the deployer's Key Vault Crypto Officer assignment: the first deploy fails with 403 while the role propagates",
        );
      if (
        this.props.networkMode === 'private' &&
        !dependsOn(resource).some((d) => d.startsWith('azurerm_private_endpoint.'))
      )
        order.push(
          "no depends_on the vault's private endpoint: the runner reaches the vault's data plane only through it",
        );
      return order.length ? order.join('; ') : undefined;
    }
    return waits
      ? undefined
      : "no depends_on a time_sleep after the key identity's role assignment: the first deploy fails with 403 while the role propagates (EncryptionKey.ready)";
  }

  private encryption(resource: SynthesizedResource): string | undefined {
    const a = resource.attributes;
    switch (resource.type) {
      case 'azurerm_cognitive_account':
        return present(attr(a, 'customer_managed_key', 0, 'key_vault_key_id')) &&
          present(attr(a, 'customer_managed_key', 0, 'identity_client_id'))
          ? undefined
          : 'no customer_managed_key with key_vault_key_id and identity_client_id: give the construct customerManagedKey (protection.customerManagedKeys)';
      case 'azurerm_storage_account':
        return present(attr(a, 'customer_managed_key', 0, 'key_vault_key_id')) &&
          present(attr(a, 'customer_managed_key', 0, 'user_assigned_identity_id'))
          ? undefined
          : 'no customer_managed_key with key_vault_key_id and user_assigned_identity_id: give the construct customerManagedKey (protection.customerManagedKeys)';
      case 'azurerm_search_service':
        return attr(a, 'customer_managed_key_enforcement_enabled') === true
          ? undefined
          : 'customer_managed_key_enforcement_enabled is not true: give the construct customerManagedKey, which also encrypts every index';
      case 'azurerm_ai_foundry': {
        if (
          !present(attr(a, 'encryption', 0, 'key_id')) ||
          !present(attr(a, 'encryption', 0, 'key_vault_id')) ||
          !present(attr(a, 'encryption', 0, 'user_assigned_identity_id'))
        ) {
          return 'no encryption block with key_id, key_vault_id and user_assigned_identity_id: give the construct customerManagedKey (create-time only: adding it replaces the hub)';
        }
        // azurerm parses key_id as a versioned nested item (keyvaultValidate.NestedItemId,
        // v4.55.0 internal/services/machinelearning/ai_foundry_resource.go): a versionless id fails.
        const keyId = String(attr(a, 'encryption', 0, 'key_id'));
        return /\.versionless_id\}$/.test(keyId) || /\/keys\/[^/]+\/?$/.test(keyId)
          ? `encryption.key_id ${JSON.stringify(keyId)} has no version: azurerm accepts only a versioned key id for the hub (the key's id, not its versionless_id)`
          : undefined;
      }
      case 'azurerm_key_vault_key':
        return keyProblems(a);
      default: {
        if (!isSearchIndex(resource)) return undefined;
        const key = attr(a, 'body', 'encryptionKey');
        const identity = key
          ? attr(key as Record<string, unknown>, 'identity', 'userAssignedIdentity')
          : undefined;
        return present(identity)
          ? undefined
          : 'the index body has no encryptionKey with a user-assigned identity: give the search service customerManagedKey (an index is encrypted when it is created)';
      }
    }
  }
}

function keyProblems(a: Readonly<Record<string, unknown>>): string | undefined {
  const problems: string[] = [];
  const type = attr(a, 'key_type');
  if (typeof type !== 'string' || !RSA_KEY_TYPES.includes(type)) {
    problems.push(`key_type is ${JSON.stringify(type)}; use RSA or RSA-HSM`);
  }
  if (!present(attr(a, 'rotation_policy', 0, 'automatic', 0, 'time_after_creation'))) {
    problems.push(
      present(attr(a, 'rotation_policy', 0, 'automatic', 0, 'time_before_expiry'))
        ? 'rotation_policy.automatic counts from the expiry (time_before_expiry), which a version without one does not have: set time_after_creation'
        : 'no rotation_policy.automatic.time_after_creation: the key never rotates',
    );
  }
  if (!present(attr(a, 'expiration_date'))) {
    problems.push(
      "no expiration_date: the policy's expire_after applies to new versions only, so the first version would never expire",
    );
  }
  if (!present(attr(a, 'rotation_policy', 0, 'expire_after'))) {
    problems.push('no rotation_policy.expire_after: rotated versions would never expire');
  }
  return problems.length ? problems.join('; ') : undefined;
}

import { attr, PolicyRule, type SynthesizedResource } from '../engine';

/** Key Vaults have purge protection and soft delete, so deleted keys and secrets can be recovered. */
export class KeyVaultPurgeProtectionRule extends PolicyRule {
  readonly id = 'key-vault-purge-protection';
  readonly description = 'Key Vaults have purge protection on and soft delete of at least 7 days.';

  appliesTo(resourceType: string): boolean {
    return resourceType === 'azurerm_key_vault';
  }

  check(resource: SynthesizedResource): string | undefined {
    const problems: string[] = [];
    if (attr(resource.attributes, 'purge_protection_enabled') !== true)
      problems.push('set purge_protection_enabled = true');
    const days = attr(resource.attributes, 'soft_delete_retention_days');
    if (days !== undefined && (typeof days !== 'number' || days < 7)) {
      problems.push(`soft_delete_retention_days is ${JSON.stringify(days)}; allowed 7-90`);
    }
    return problems.length ? problems.join('; ') : undefined;
  }
}

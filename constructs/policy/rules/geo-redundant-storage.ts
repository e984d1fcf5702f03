import { attr, PolicyRule, type SynthesizedResource } from '../engine';

/**
 * Replication types that keep three copies across zones in the primary region and three in the paired
 * region (`azurerm_storage_account.account_replication_type`, azurerm v4.55.0
 * `internal/services/storage/storage_account_resource.go`).
 *
 * @see https://learn.microsoft.com/azure/storage/common/storage-redundancy#geo-zone-redundant-storage
 */
export const GEO_ZONE_REDUNDANT_REPLICATIONS: readonly string[] = ['GZRS', 'RAGZRS'];

/** Profile of the environment the rule checks. */
export interface GeoRedundantStorageRuleProps {
  readonly profile: 'development' | 'production';
}

/**
 * Production storage accounts (datasets, Terraform state) survive a zone outage and keep a copy in the
 * paired region: GZRS or RA-GZRS.
 */
export class GeoRedundantStorageRule extends PolicyRule {
  readonly id = 'geo-redundant-storage';
  readonly description = 'Production storage accounts are geo-zone-redundant (GZRS or RAGZRS).';

  constructor(private readonly props: GeoRedundantStorageRuleProps) {
    super();
  }

  appliesTo(resourceType: string): boolean {
    return this.props.profile === 'production' && resourceType === 'azurerm_storage_account';
  }

  check(resource: SynthesizedResource): string | undefined {
    const replication = attr(resource.attributes, 'account_replication_type');
    return typeof replication === 'string' && GEO_ZONE_REDUNDANT_REPLICATIONS.includes(replication)
      ? undefined
      : `account_replication_type is ${JSON.stringify(replication)}; production needs ${GEO_ZONE_REDUNDANT_REPLICATIONS.join(' or ')} (zone- and geo-redundant)`;
  }
}

import { attr, PolicyRule, type SynthesizedResource } from '../engine';

/**
 * Replicas a production AI Search service needs: Microsoft's SLA covers reads (queries) from 2 replicas
 * and reads and writes (indexing) from 3.
 *
 * @see https://learn.microsoft.com/azure/search/search-reliability
 */
export const MIN_PRODUCTION_SEARCH_REPLICAS = 3;

/** Profile of the environment the rule checks. */
export interface SearchReplicasRuleProps {
  readonly profile: 'development' | 'production';
}

/** Production AI Search services run at least {@link MIN_PRODUCTION_SEARCH_REPLICAS} replicas. */
export class SearchReplicasRule extends PolicyRule {
  readonly id = 'search-replicas';
  readonly description =
    `Production AI Search services run at least ${MIN_PRODUCTION_SEARCH_REPLICAS} replicas (the read-write SLA).`;

  constructor(private readonly props: SearchReplicasRuleProps) {
    super();
  }

  appliesTo(resourceType: string): boolean {
    return this.props.profile === 'production' && resourceType === 'azurerm_search_service';
  }

  check(resource: SynthesizedResource): string | undefined {
    // azurerm v4.55.0 internal/services/search/search_service_resource.go: replica_count defaults to 1.
    const replicas = attr(resource.attributes, 'replica_count') ?? 1;
    return typeof replicas === 'number' && replicas >= MIN_PRODUCTION_SEARCH_REPLICAS
      ? undefined
      : `replica_count is ${JSON.stringify(replicas)}; production needs at least ${MIN_PRODUCTION_SEARCH_REPLICAS} (the read-write SLA): set search.azure.replicas`;
  }
}

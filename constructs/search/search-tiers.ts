/**
 * AI Search pricing tiers and semantic ranker plans as azurerm accepts them, the capacity limits of each tier,
 * and the check built on them. Free of cdktf, so `SearchService` and the environment config validate with the
 * same rules and messages.
 */
import { type Problem, Problems, show } from '../core/errors';

/**
 * AI Search pricing tiers, as `azurerm_search_service.sku` spells and validates them
 * (hashicorp/terraform-provider-azurerm v4.55.0 `internal/services/search/search_service_resource.go`; recorded in `AZURERM_ARGUMENT_RULES`).
 */
export const SEARCH_SKUS = [
  'free',
  'basic',
  'standard',
  'standard2',
  'standard3',
  'storage_optimized_l1',
  'storage_optimized_l2',
] as const;

/** An AI Search pricing tier. Changing it replaces the service (there is no in-place tier change). */
export type SearchSku = (typeof SEARCH_SKUS)[number];

/**
 * Semantic ranker plans: off, the free plan (1,000 requests a month), or the pay-as-you-go standard plan.
 * `free` and `standard` are `azurerm_search_service.semantic_search_sku` values
 * (hashicorp/terraform-provider-azurerm v4.55.0 `internal/services/search/search_service_resource.go`; recorded in `AZURERM_ARGUMENT_RULES`); `disabled` omits it.
 */
export const SEMANTIC_RANKER_PLANS = ['disabled', 'free', 'standard'] as const;

/** A semantic ranker plan. */
export type SemanticRankerPlan = (typeof SEMANTIC_RANKER_PLANS)[number];

/** Capacity limits of one pricing tier. Search units = replicas x partitions. */
export interface SearchSkuLimits {
  /** Most replicas the tier allows. */
  readonly maxReplicas: number;
  /** Partition counts the tier allows. */
  readonly partitions: readonly number[];
  /** Most search units (replicas x partitions) the tier allows. */
  readonly maxSearchUnits: number;
  /** Whether the semantic ranker can be turned on. */
  readonly semanticRanker: boolean;
  /**
   * Whether the service can have a managed identity. {@link SearchService} always has one: the
   * integrated vectorizer calls the model account with it, without a key.
   */
  readonly managedIdentity: boolean;
}

const DEDICATED: SearchSkuLimits = {
  maxReplicas: 12,
  partitions: [1, 2, 3, 4, 6, 12],
  maxSearchUnits: 36,
  semanticRanker: true,
  managedIdentity: true,
};

/**
 * Replica and partition limits per tier, as `azurerm_search_service` 4.55 accepts them.
 *
 * Free is shared and does not scale (1 x 1). Basic allows up to 3 replicas; Azure also allows 3 partitions
 * on Basic services created after 3 April 2024, but the azurerm provider rejects a Basic `partition_count`
 * above 1, so 1 is the limit here. Standard S1-S3 and Storage Optimized L1/L2 allow up to 12 replicas and
 * 1, 2, 3, 4, 6 or 12 partitions, at most 36 search units. The semantic ranker is not available on Free,
 * and neither is a managed identity (Basic or higher), which this construct always has: a Free service is
 * rejected. High-density S3 (at most 3 partitions) is not offered by this construct.
 *
 * @see https://learn.microsoft.com/azure/search/search-limits-quotas-capacity
 * @see https://learn.microsoft.com/azure/search/search-capacity-planning
 * @see https://learn.microsoft.com/azure/search/search-howto-managed-identities-data-sources
 */
export const SEARCH_SKU_LIMITS: Readonly<Record<SearchSku, SearchSkuLimits>> = {
  free: { maxReplicas: 1, partitions: [1], maxSearchUnits: 1, semanticRanker: false, managedIdentity: false },
  basic: { maxReplicas: 3, partitions: [1], maxSearchUnits: 3, semanticRanker: true, managedIdentity: true },
  standard: DEDICATED,
  standard2: DEDICATED,
  standard3: DEDICATED,
  storage_optimized_l1: DEDICATED,
  storage_optimized_l2: DEDICATED,
};

/** What {@link searchCapacityProblems} checks. */
export interface SearchCapacity {
  readonly sku: SearchSku;
  readonly replicas: number;
  readonly partitions: number;
  readonly semanticRanker: SemanticRankerPlan;
}

/**
 * Checks a tier, replica and partition counts and semantic ranker plan against the tier's limits
 * ({@link SEARCH_SKU_LIMITS}), and that the tier can have the managed identity {@link SearchService}
 * needs. Paths are `sku`, `replicas`, `partitions`, `semanticRanker`, relative to `prefix`. Used by
 * {@link SearchService} and by the environment config validation.
 */
export function searchCapacityProblems(capacity: SearchCapacity, prefix = ''): Problem[] {
  const problems = new Problems(prefix);
  const { sku, replicas, partitions, semanticRanker } = capacity;
  const limits = Object.hasOwn(SEARCH_SKU_LIMITS, sku) ? SEARCH_SKU_LIMITS[sku] : undefined;
  if (!limits) {
    problems.add('sku', `${show(sku)} is not an AI Search tier; use one of ${SEARCH_SKUS.join(', ')}`);
    return [...problems.all];
  }
  problems.check(
    limits.managedIdentity,
    'sku',
    `${show(sku)}: the ${sku} tier has no managed identity, which the key-less integrated vectorizer needs (nor private endpoints); use basic or higher`,
  );
  const replicasOk = problems.check(
    Number.isInteger(replicas) && replicas >= 1 && replicas <= limits.maxReplicas,
    'replicas',
    limits.maxReplicas === 1
      ? `${show(replicas)} replicas: the ${sku} tier has exactly 1`
      : `${show(replicas)} replicas: the ${sku} tier allows 1 to ${limits.maxReplicas}`,
  );
  const partitionsOk = problems.check(
    limits.partitions.includes(partitions),
    'partitions',
    limits.partitions.length === 1
      ? `${show(partitions)} partitions: the ${sku} tier has exactly 1`
      : `${show(partitions)} partitions: the ${sku} tier allows ${limits.partitions.join(', ')}`,
  );
  if (replicasOk && partitionsOk) {
    problems.check(
      replicas * partitions <= limits.maxSearchUnits,
      'replicas',
      `${replicas} replicas x ${partitions} partitions = ${replicas * partitions} search units: the ${sku} tier allows at most ${limits.maxSearchUnits}`,
    );
  }
  if (!(SEMANTIC_RANKER_PLANS as readonly string[]).includes(semanticRanker)) {
    problems.add(
      'semanticRanker',
      `${show(semanticRanker)} is not a semantic ranker plan; use one of ${SEMANTIC_RANKER_PLANS.join(', ')}`,
    );
  } else {
    problems.check(
      semanticRanker === 'disabled' || limits.semanticRanker,
      'semanticRanker',
      `${show(semanticRanker)}: the ${sku} tier has no semantic ranker; use "disabled" or a basic or higher tier`,
    );
  }
  return [...problems.all];
}

import { z } from 'zod';
import { byProfile, type ResolveContext } from './context';

export const SEARCH_SKUS = ['free', 'basic', 'standard', 'standard2', 'standard3', 'storage_optimized_l1', 'storage_optimized_l2'] as const;

export const searchSchema = z
  .strictObject({
    indexes: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Search indexes keyed by index name. Default: one RAG index, docs-v1.'),
    azure: z
      .strictObject({
        sku: z.enum(SEARCH_SKUS).optional().describe('Default: basic (development), standard (production).'),
        replicas: z.number().int().min(1).max(12).optional().describe('Default: 1 (development), 2 (production: read SLA).'),
        partitions: z.number().int().optional().describe('1, 2, 3, 4, 6 or 12. Default: 1.'),
        semanticRanker: z.enum(['disabled', 'free', 'standard']).optional().describe('Default: free (development), standard (production).'),
      })
      .optional(),
  })
  .describe('Retrieval (AI Search).');

export interface SearchConfig {
  /** Raw index declarations, validated by the search capability. */
  readonly indexes: Readonly<Record<string, unknown>>;
  readonly sku: (typeof SEARCH_SKUS)[number];
  readonly replicas: number;
  readonly partitions: number;
  readonly semanticRanker: 'disabled' | 'free' | 'standard';
}

export function resolveSearch(raw: z.infer<typeof searchSchema> | undefined, ctx: ResolveContext): SearchConfig {
  return {
    indexes: raw?.indexes ?? { 'docs-v1': {} },
    sku: raw?.azure?.sku ?? byProfile(ctx, 'basic', 'standard'),
    replicas: raw?.azure?.replicas ?? byProfile(ctx, 1, 2),
    partitions: raw?.azure?.partitions ?? 1,
    semanticRanker: raw?.azure?.semanticRanker ?? byProfile(ctx, 'free', 'standard'),
  };
}

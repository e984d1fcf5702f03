import { z } from 'zod';
import { byProfile, type ResolveContext } from './context';

/** SKUs of model deployments (Azure deployment types). */
export const DEPLOYMENT_SKUS = [
  'Standard',
  'GlobalStandard',
  'DataZoneStandard',
  'ProvisionedManaged',
  'GlobalProvisionedManaged',
  'DataZoneProvisionedManaged',
  'GlobalBatch',
] as const;

export const MODEL_ROLES = ['chat', 'embedding'] as const;

const deploymentAzure = z
  .strictObject({
    sku: z.enum(DEPLOYMENT_SKUS).optional().describe('Deployment type. Default: GlobalStandard.'),
    capacity: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Capacity: thousands of tokens per minute (Standard types) or PTUs (provisioned types).'),
    versionUpgrade: z
      .enum(['NoAutoUpgrade', 'OnceNewDefaultVersionAvailable', 'OnceCurrentVersionExpired'])
      .optional()
      .describe('Version upgrade option. Default: NoAutoUpgrade in production, OnceCurrentVersionExpired otherwise.'),
    contentFilter: z
      .string()
      .optional()
      .describe('Name of a content filter in models.azure.contentFilters, or "microsoft-default" to opt out explicitly.'),
  })
  .describe('How the deployment runs on Azure.');

export const deploymentSchema = z
  .strictObject({
    role: z.enum(MODEL_ROLES).describe('What the deployment serves: chat completions or embeddings.'),
    model: z.string().min(1).describe('Model name, e.g. gpt-4o or text-embedding-3-large, or a fine-tuned model id.'),
    version: z.string().min(1).describe('Pinned model version, e.g. 2024-11-20. Required: versions are never floating.'),
    format: z.string().optional().describe('Model format. Default: OpenAI.'),
    dimensions: z.number().int().positive().optional().describe('Embedding vector dimensions (embeddings only).'),
    azure: deploymentAzure.optional(),
  })
  .describe('A model deployment.');

const severity = z.enum(['Low', 'Medium', 'High']);

export const contentFilterSchema = z
  .strictObject({
    severityThreshold: severity
      .optional()
      .describe('Block content at or above this severity for hate, sexual, violence and self-harm. Default: Low (strictest).'),
    categories: z
      .record(z.enum(['Hate', 'Sexual', 'Violence', 'SelfHarm']), severity)
      .optional()
      .describe('Per-category threshold overrides.'),
    promptShields: z.boolean().optional().describe('Jailbreak and indirect-attack detection. Default: true.'),
    protectedMaterial: z.boolean().optional().describe('Protected material detection (text and code). Default: true.'),
    blocklists: z
      .record(z.string().regex(/^[A-Za-z0-9_-]{2,64}$/), z.array(z.string().min(1)).min(1))
      .optional()
      .describe('Custom blocklists: name -> blocked terms.'),
  })
  .describe('A content filter (RAI policy).');

export const modelsSchema = z
  .strictObject({
    deployments: z.record(z.string(), deploymentSchema).optional().describe('Model deployments keyed by deployment name.'),
    azure: z
      .strictObject({
        kind: z.enum(['AIServices', 'OpenAI']).optional().describe('Account kind. Default: AIServices.'),
        secondaryLocations: z
          .array(z.string())
          .optional()
          .describe('Extra regions carrying the same deployments, for gateway failover.'),
        contentFilters: z.record(z.string(), contentFilterSchema).optional().describe('Content filters by name.'),
        defaultContentFilter: z.string().optional().describe('Filter for deployments that name none. Default: strict.'),
      })
      .optional(),
  })
  .describe('Model endpoints.');

export interface DeploymentConfig {
  readonly role: (typeof MODEL_ROLES)[number];
  readonly model: string;
  readonly version: string;
  readonly format: string;
  readonly dimensions?: number;
  readonly sku: (typeof DEPLOYMENT_SKUS)[number];
  readonly capacity: number;
  readonly versionUpgrade: 'NoAutoUpgrade' | 'OnceNewDefaultVersionAvailable' | 'OnceCurrentVersionExpired';
  /** Content filter name, or `microsoft-default`. */
  readonly contentFilter: string;
}

export interface ContentFilterConfig {
  readonly severityThreshold: 'Low' | 'Medium' | 'High';
  readonly categories: Readonly<Partial<Record<'Hate' | 'Sexual' | 'Violence' | 'SelfHarm', 'Low' | 'Medium' | 'High'>>>;
  readonly promptShields: boolean;
  readonly protectedMaterial: boolean;
  readonly blocklists: Readonly<Record<string, readonly string[]>>;
}

export interface ModelsConfig {
  readonly kind: 'AIServices' | 'OpenAI';
  readonly secondaryLocations: readonly string[];
  readonly deployments: Readonly<Record<string, DeploymentConfig>>;
  readonly contentFilters: Readonly<Record<string, ContentFilterConfig>>;
}

/** Default deployments: one chat and one embedding model, so RAG works out of the box. */
const DEFAULT_DEPLOYMENTS: Record<string, z.infer<typeof deploymentSchema>> = {
  chat: { role: 'chat', model: 'gpt-4o', version: '2024-11-20' },
  embedding: { role: 'embedding', model: 'text-embedding-3-large', version: '1', dimensions: 3072 },
};

export function resolveModels(raw: z.infer<typeof modelsSchema> | undefined, ctx: ResolveContext): ModelsConfig {
  const filters = raw?.azure?.contentFilters ?? { strict: {} };
  const defaultFilter = raw?.azure?.defaultContentFilter ?? 'strict';
  const deployments: Record<string, DeploymentConfig> = {};
  for (const [name, d] of Object.entries(raw?.deployments ?? DEFAULT_DEPLOYMENTS)) {
    deployments[name] = {
      role: d.role,
      model: d.model,
      version: d.version,
      format: d.format ?? 'OpenAI',
      dimensions: d.dimensions,
      sku: d.azure?.sku ?? 'GlobalStandard',
      capacity: d.azure?.capacity ?? byProfile(ctx, d.role === 'embedding' ? 50 : 30, d.role === 'embedding' ? 150 : 100),
      versionUpgrade: d.azure?.versionUpgrade ?? byProfile(ctx, 'OnceCurrentVersionExpired', 'NoAutoUpgrade'),
      contentFilter: d.azure?.contentFilter ?? defaultFilter,
    };
  }
  const contentFilters: Record<string, ContentFilterConfig> = {};
  for (const [name, f] of Object.entries(filters)) {
    contentFilters[name] = {
      severityThreshold: f.severityThreshold ?? 'Low',
      categories: f.categories ?? {},
      promptShields: f.promptShields ?? true,
      protectedMaterial: f.protectedMaterial ?? true,
      blocklists: f.blocklists ?? {},
    };
  }
  return {
    kind: raw?.azure?.kind ?? 'AIServices',
    secondaryLocations: raw?.azure?.secondaryLocations ?? [],
    deployments,
    contentFilters,
  };
}

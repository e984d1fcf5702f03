import { z } from 'zod';
import { byProfile, type ResolveContext } from './context';

export const APIM_SKUS = ['Developer', 'Basic', 'Standard', 'Premium', 'BasicV2', 'StandardV2', 'PremiumV2'] as const;

const variantSchema = z.strictObject({
  deployment: z.string().describe('Model deployment serving this variant.'),
  promptVersion: z.string().optional().describe('Prompt version the application uses for this variant.'),
  weight: z.number().int().min(0).max(100).describe('Share of traffic, in percent. Weights of an experiment sum to 100.'),
});

export const gatewaySchema = z
  .strictObject({
    enabled: z.boolean().optional().describe('Deploy the gateway. Default: true.'),
    experiments: z
      .record(
        z.string(),
        z.strictObject({
          variants: z.record(z.string(), variantSchema),
          pinHeader: z.string().optional().describe('Request header that pins a variant. Default: x-llmops-variant.'),
        }),
      )
      .optional()
      .describe('A/B experiments keyed by experiment name.'),
    tokenLimits: z
      .strictObject({
        tokensPerMinute: z.number().int().positive().optional(),
        monthlyQuota: z.number().int().positive().optional(),
      })
      .optional(),
    logging: z
      .strictObject({
        bodySampleRatePercent: z.number().min(0).max(100).optional().describe('Share of prompts and completions logged. Default: 100.'),
        logBodies: z.boolean().optional().describe('Privacy switch: false logs token usage only. Default: true.'),
      })
      .optional(),
    semanticCache: z.boolean().optional(),
    azure: z
      .strictObject({
        sku: z.enum(APIM_SKUS).optional().describe('Default: Developer (development), StandardV2 (production).'),
        capacity: z.number().int().min(1).max(12).optional(),
        publisherEmail: z.string().email().optional(),
        publisherName: z.string().optional(),
      })
      .optional(),
  })
  .describe('GenAI gateway (API Management).');

export interface GatewayConfig {
  readonly enabled: boolean;
  readonly experiments: Readonly<
    Record<string, { readonly pinHeader: string; readonly variants: Readonly<Record<string, { deployment: string; promptVersion?: string; weight: number }>> }>
  >;
  readonly tokenLimits: { readonly tokensPerMinute: number; readonly monthlyQuota?: number };
  readonly logging: { readonly bodySampleRatePercent: number; readonly logBodies: boolean };
  readonly semanticCache: boolean;
  readonly sku: (typeof APIM_SKUS)[number];
  readonly capacity: number;
  readonly publisherEmail: string;
  readonly publisherName: string;
}

export function resolveGateway(raw: z.infer<typeof gatewaySchema> | undefined, ctx: ResolveContext): GatewayConfig {
  const experiments: Record<string, GatewayConfig['experiments'][string]> = {};
  for (const [name, e] of Object.entries(raw?.experiments ?? {})) {
    experiments[name] = { pinHeader: e.pinHeader ?? 'x-llmops-variant', variants: e.variants };
  }
  return {
    enabled: raw?.enabled ?? true,
    experiments,
    tokenLimits: {
      tokensPerMinute: raw?.tokenLimits?.tokensPerMinute ?? byProfile(ctx, 10_000, 100_000),
      monthlyQuota: raw?.tokenLimits?.monthlyQuota,
    },
    logging: {
      bodySampleRatePercent: raw?.logging?.bodySampleRatePercent ?? 100,
      logBodies: raw?.logging?.logBodies ?? true,
    },
    semanticCache: raw?.semanticCache ?? false,
    sku: raw?.azure?.sku ?? byProfile(ctx, 'Developer', 'StandardV2'),
    capacity: raw?.azure?.capacity ?? 1,
    publisherEmail: raw?.azure?.publisherEmail ?? 'platform@example.com',
    publisherName: raw?.azure?.publisherName ?? 'LLMOps platform',
  };
}

// INTERIM (lead): replaced by the models helper's Bedrock model facts at merge.
export const CROSS_REGION_GEOGRAPHIES = ['us', 'eu', 'apac', 'global'] as const;
export type CrossRegionGeography = (typeof CROSS_REGION_GEOGRAPHIES)[number];
export const GUARDRAIL_STRENGTHS = ['NONE', 'LOW', 'MEDIUM', 'HIGH'] as const;
export type GuardrailStrength = (typeof GUARDRAIL_STRENGTHS)[number];
const VERSIONED = /^[a-z0-9-]+\.[a-z0-9.-]+:\d+$/;
export function bedrockModelProblem(id: string, _role?: string): string | undefined {
  return VERSIONED.test(id) ? undefined : `${JSON.stringify(id)} is not a versioned Bedrock model ID`;
}
export function bedrockModelVersion(id: string): string {
  return id.split(':').at(-1) ?? '';
}
export function bedrockEmbeddingDimensions(id: string): number | undefined {
  return id === 'amazon.titan-embed-text-v2:0' ? 1024 : undefined;
}
export function geographyOf(region: string): CrossRegionGeography | undefined {
  return region.startsWith('us-')
    ? 'us'
    : region.startsWith('eu-')
      ? 'eu'
      : region.startsWith('ap-')
        ? 'apac'
        : undefined;
}

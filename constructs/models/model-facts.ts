import { EMBEDDING_MODELS } from '../core/embedding-models';

/**
 * Facts about Azure model deployments and the checks built on them. Pure functions with no construct
 * dependency, so the constructs and the environment config validate with the same rules and messages.
 * Free of cdktf: the checks take literal values, and a construct skips an unresolved token before calling
 * one.
 */

/**
 * Deployment types (the deployment's `sku.name`).
 *
 * @see https://learn.microsoft.com/azure/ai-foundry/openai/how-to/deployment-types
 */
export const DEPLOYMENT_SKUS = [
  'Standard',
  'GlobalStandard',
  'DataZoneStandard',
  'ProvisionedManaged',
  'GlobalProvisionedManaged',
  'DataZoneProvisionedManaged',
  'GlobalBatch',
] as const;

/**
 * A deployment type: `azurerm_cognitive_deployment.sku.name`, validated (hashicorp/terraform-provider-azurerm v4.55.0 `internal/services/cognitive/cognitive_deployment_resource.go`; recorded in `AZURERM_ARGUMENT_RULES`).
 */
export type DeploymentSku = (typeof DEPLOYMENT_SKUS)[number];

/** Provisioned deployment types: capacity is in provisioned throughput units (PTU). */
export const PROVISIONED_SKUS: readonly DeploymentSku[] = [
  'ProvisionedManaged',
  'GlobalProvisionedManaged',
  'DataZoneProvisionedManaged',
];

/** Whether `sku` is a provisioned type (capacity in PTU rather than thousands of tokens per minute). */
export function isProvisionedSku(sku: string): boolean {
  return (PROVISIONED_SKUS as readonly string[]).includes(sku);
}

/** When Azure moves a deployment to a newer model version. */
export const VERSION_UPGRADE_OPTIONS = [
  'NoAutoUpgrade',
  'OnceNewDefaultVersionAvailable',
  'OnceCurrentVersionExpired',
] as const;

/**
 * A version upgrade option: `azurerm_cognitive_deployment.version_upgrade_option`, validated
 * (hashicorp/terraform-provider-azurerm v4.55.0 `internal/services/cognitive/cognitive_deployment_resource.go`; recorded in `AZURERM_ARGUMENT_RULES`).
 */
export type VersionUpgradeOption = (typeof VERSION_UPGRADE_OPTIONS)[number];

/** What a deployment serves. */
export type ModelRole = 'chat' | 'embedding';

/** Minimum and step of a provisioned deployment, in PTU. */
export interface ProvisionedSizing {
  readonly minimum: number;
  readonly increment: number;
}

/**
 * Provisioned deployment sizes (Microsoft Learn, "Understanding costs associated with provisioned
 * throughput units", per-model tables, August 2025).
 *
 * Global and data zone provisioned deployments start at 15 PTU and scale in steps of 5 for every Azure
 * OpenAI model in the tables; the DeepSeek models start at 100 and scale in steps of 100, and have no
 * regional provisioned offer. Regional provisioned (`ProvisionedManaged`) sizes depend on the model:
 * 50/50 for gpt-5, gpt-4.1, gpt-4o and o3; 25/25 for gpt-4.1-mini, gpt-4.1-nano, gpt-4o-mini, o3-mini
 * and o4-mini. Models not in the tables (o1 among them: its documented regional minimum, 25, is not a
 * multiple of its increment, 50) are checked against the smallest documented size (25, in steps of 25
 * regionally; 15/5 globally); Azure has the final word at apply time.
 *
 * @see https://learn.microsoft.com/azure/ai-foundry/openai/how-to/provisioned-throughput-onboarding
 */
export const PROVISIONED_SIZING = {
  global: { minimum: 15, increment: 5 },
  globalByModel: {
    'DeepSeek-R1': { minimum: 100, increment: 100 },
    'DeepSeek-R1-0528': { minimum: 100, increment: 100 },
    'DeepSeek-V3-0324': { minimum: 100, increment: 100 },
  } as Readonly<Record<string, ProvisionedSizing>>,
  regionalDefault: { minimum: 25, increment: 25 },
  regional: {
    'gpt-5': { minimum: 50, increment: 50 },
    'gpt-4.1': { minimum: 50, increment: 50 },
    'gpt-4o': { minimum: 50, increment: 50 },
    o3: { minimum: 50, increment: 50 },
    'gpt-4.1-mini': { minimum: 25, increment: 25 },
    'gpt-4.1-nano': { minimum: 25, increment: 25 },
    'gpt-4o-mini': { minimum: 25, increment: 25 },
    'o3-mini': { minimum: 25, increment: 25 },
    'o4-mini': { minimum: 25, increment: 25 },
  } as Readonly<Record<string, ProvisionedSizing>>,
} as const;

/** Models offered only as global or data zone provisioned deployments (no `ProvisionedManaged`). */
export const NO_REGIONAL_PROVISIONED: ReadonlySet<string> = new Set([
  'DeepSeek-R1',
  'DeepSeek-R1-0528',
  'DeepSeek-V3-0324',
]);

/** The documented size rule for a provisioned deployment of `modelName`. */
export function provisionedSizing(sku: DeploymentSku, modelName: string): ProvisionedSizing {
  const family = modelFamily(modelName);
  if (sku !== 'ProvisionedManaged' || NO_REGIONAL_PROVISIONED.has(family)) {
    return PROVISIONED_SIZING.globalByModel[family] ?? PROVISIONED_SIZING.global;
  }
  return PROVISIONED_SIZING.regional[family] ?? PROVISIONED_SIZING.regionalDefault;
}

/**
 * Native vector dimensions of the embedding models whose size is known. `text-embedding-3-*` models
 * can return shorter vectors (the `dimensions` request parameter); `text-embedding-ada-002` cannot.
 *
 * @see https://learn.microsoft.com/azure/ai-foundry/openai/concepts/models#embeddings
 */
export const EMBEDDING_DIMENSIONS: Readonly<Record<string, number>> = Object.fromEntries(
  Object.entries(EMBEDDING_MODELS).map(([name, m]) => [name, m.dimensions]),
);

/** Embedding models that only return their native size. */
const FIXED_DIMENSION_MODELS = new Set(
  Object.entries(EMBEDDING_MODELS)
    .filter(([, m]) => !m.shortenable)
    .map(([name]) => name),
);

/**
 * Whether `modelName` is a fine-tuned model id (`<base model>.ft-<job id>`, as returned by a
 * fine-tuning job), e.g. `gpt-4o-mini-2024-07-18.ft-0123456789abcdef0123456789abcdef`.
 *
 * @see https://learn.microsoft.com/azure/ai-foundry/openai/how-to/fine-tuning-deploy
 */
export function isFineTunedModel(modelName: string): boolean {
  return /\.ft-[A-Za-z0-9]+/.test(modelName);
}

/** The base model of a fine-tuned model id (`gpt-4o-mini-2024-07-18.ft-...` -> `gpt-4o-mini-2024-07-18`). */
export function baseModelName(modelName: string): string {
  return modelName.replace(/\.ft-.*$/, '');
}

/** The model family used in size tables: the base model without a date suffix (`gpt-4o-2024-08-06.ft-...` -> `gpt-4o`). */
export function modelFamily(modelName: string): string {
  return baseModelName(modelName).replace(/-\d{4}-\d{2}-\d{2}$/, '');
}

/** Deployment names: letters, digits, `.`, `_` and `-`, starting with a letter or digit, at most 64 characters. */
export const DEPLOYMENT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Why `name` (a literal, not a token) is not a valid deployment name, or undefined. */
export function deploymentNameProblem(name: string): string | undefined {
  return DEPLOYMENT_NAME_PATTERN.test(name)
    ? undefined
    : `${JSON.stringify(name)} is not a valid deployment name: 1-64 letters, digits, ".", "_" and "-", starting with a letter or digit`;
}

/** Why `version` is not a pinned model version, or undefined. */
export function versionProblem(version: string | undefined): string | undefined {
  if (version === undefined || version.trim() === '') {
    return 'is required: pin the model version (e.g. "2024-11-20", or "1" for fine-tuned models); versions never float';
  }
  return undefined;
}

/**
 * Why `capacity` is out of range for `sku`, or undefined. Standard, data zone, global and batch types
 * take thousands of tokens per minute (at least 1; the upper bound is the subscription's regional quota,
 * which only Azure knows); provisioned types take PTU with a documented minimum and increment
 * ({@link provisionedSizing}), and a model without a regional provisioned offer
 * ({@link NO_REGIONAL_PROVISIONED}) cannot be deployed as `ProvisionedManaged`.
 */
export function capacityProblem(sku: DeploymentSku, modelName: string, capacity: number): string | undefined {
  if (!Number.isInteger(capacity)) return `${capacity} is not a whole number`;
  if (!isProvisionedSku(sku)) {
    return capacity >= 1
      ? undefined
      : `${capacity} is too small for ${sku}: at least 1 (thousand tokens per minute)`;
  }
  if (sku === 'ProvisionedManaged' && NO_REGIONAL_PROVISIONED.has(modelFamily(modelName))) {
    return `${baseModelName(modelName)} has no regional provisioned (ProvisionedManaged) offer: use GlobalProvisionedManaged or DataZoneProvisionedManaged`;
  }
  const { minimum, increment } = provisionedSizing(sku, modelName);
  if (capacity < minimum) {
    return `${capacity} PTU is below the ${sku} minimum of ${minimum} PTU for ${baseModelName(modelName)}`;
  }
  if (capacity % increment !== 0) {
    return `${capacity} PTU is not a multiple of the ${sku} increment of ${increment} PTU for ${baseModelName(modelName)}`;
  }
  return undefined;
}

/**
 * Why the vector size of an embedding deployment is unknown or impossible, or undefined. Known models
 * default to their native size; other embedding models must declare `dimensions` so the search index
 * can be built for them.
 */
export function dimensionsProblem(
  role: ModelRole,
  modelName: string,
  dimensions: number | undefined,
): string | undefined {
  if (role !== 'embedding') {
    return dimensions === undefined
      ? undefined
      : `is set on a ${role} deployment: dimensions apply to embedding deployments only`;
  }
  const native = EMBEDDING_DIMENSIONS[modelName];
  if (dimensions === undefined) {
    return native !== undefined
      ? undefined
      : `is required for embedding model ${JSON.stringify(modelName)}: its vector size is not known (known: ${Object.keys(EMBEDDING_DIMENSIONS).join(', ')})`;
  }
  if (!Number.isInteger(dimensions) || dimensions < 1) return `${dimensions} is not a positive whole number`;
  if (native === undefined) return undefined;
  if (FIXED_DIMENSION_MODELS.has(modelName) && dimensions !== native) {
    return `${dimensions} is not possible for ${modelName}: it always returns ${native} dimensions`;
  }
  if (dimensions > native) return `${dimensions} exceeds the ${native} dimensions of ${modelName}`;
  return undefined;
}

/** The vector size of an embedding deployment: declared, else the model's native size. */
export function effectiveDimensions(
  role: ModelRole,
  modelName: string,
  dimensions: number | undefined,
): number | undefined {
  if (role !== 'embedding') return undefined;
  return dimensions ?? EMBEDDING_DIMENSIONS[modelName];
}

/** Why a fine-tuned deployment's format is wrong, or undefined. Fine-tuned models are Azure OpenAI models. */
export function fineTunedFormatProblem(modelName: string, format: string): string | undefined {
  return isFineTunedModel(modelName) && format !== 'OpenAI'
    ? `${JSON.stringify(format)} is not possible for fine-tuned model ${JSON.stringify(modelName)}: fine-tuned models have format "OpenAI"`
    : undefined;
}

/** Names that occur more than once when compared case-insensitively (Azure resource names are case-insensitive). */
export function caseInsensitiveDuplicates(names: readonly string[]): string[][] {
  const groups = new Map<string, string[]>();
  for (const n of names) groups.set(n.toLowerCase(), [...(groups.get(n.toLowerCase()) ?? []), n]);
  return [...groups.values()].filter((g) => g.length > 1);
}

/**
 * Model formats (publishers) a deployment in an AI Services account can have. azurerm 4.55.0 checks only
 * that `model.format` is not empty (`internal/services/cognitive/cognitive_deployment_resource.go`:
 * `validation.StringIsNotEmpty`); its documentation lists the publishers Azure offers
 * (`website/docs/r/cognitive_deployment.html.markdown`: "These could include models from `AI21 Labs`,
 * `Black Forest Labs`, `Cohere`, `Core42`, `DeepSeek`, `Meta`, `Microsoft`, `Mistral AI`, `OpenAI`, and
 * `xAI`"), and `az cognitiveservices account list-models` shows what a region offers. A misspelt
 * publisher would only fail at apply time, so config checks the name against this list.
 *
 * @see https://learn.microsoft.com/azure/ai-foundry/foundry-models/concepts/models-sold-directly-by-azure
 */
export const MODEL_FORMATS = [
  'OpenAI',
  'AI21 Labs',
  'Black Forest Labs',
  'Cohere',
  'Core42',
  'DeepSeek',
  'Meta',
  'Microsoft',
  'Mistral AI',
  'xAI',
] as const;

/**
 * Deployment types a model from another publisher than OpenAI (Llama, Mistral, Phi, DeepSeek, ...) can use:
 * Foundry Models sold directly by Azure from other providers are offered as global and data zone
 * deployments (the region's offer decides which); the regional `Standard` and `ProvisionedManaged` types
 * and batch are Azure OpenAI offers.
 *
 * @see https://learn.microsoft.com/azure/ai-foundry/foundry-models/concepts/deployment-types
 * @see https://learn.microsoft.com/azure/ai-foundry/foundry-models/concepts/models-sold-directly-by-azure-region-availability
 */
export const NON_OPENAI_SKUS: readonly DeploymentSku[] = [
  'GlobalStandard',
  'DataZoneStandard',
  'GlobalProvisionedManaged',
  'DataZoneProvisionedManaged',
];

/** Why `format` (a literal, not a token) is not a known model publisher, or undefined. */
export function modelFormatProblem(format: string): string | undefined {
  return (MODEL_FORMATS as readonly string[]).includes(format)
    ? undefined
    : `${JSON.stringify(format)} is not a model format (publisher) AI Services deploys: one of ${MODEL_FORMATS.map((f) => JSON.stringify(f)).join(', ')} (case matters)`;
}

/** Why a model of `format` cannot be deployed as `sku`, or undefined. */
export function formatSkuProblem(format: string, sku: string): string | undefined {
  if (format === 'OpenAI' || !(MODEL_FORMATS as readonly string[]).includes(format)) return undefined;
  return (NON_OPENAI_SKUS as readonly string[]).includes(sku)
    ? undefined
    : `${sku} is an Azure OpenAI deployment type: ${format} models deploy as ${NON_OPENAI_SKUS.join(', ')}`;
}

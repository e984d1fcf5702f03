import { z } from 'zod';
import {
  embeddingDimensions as bedrockEmbeddingDimensions,
  bedrockModel,
  bedrockModelProblem,
  CROSS_REGION_PREFIXES,
  type CrossRegionPrefix,
  crossRegionProblem,
  embeddingDimensionsProblem,
  guardrailNameProblem,
  profileNameProblem,
} from '../../../constructs/aws/models/bedrock-models';
import type { FilterStrength } from '../../../constructs/aws/models/guardrail';
import type { Problems } from '../../../constructs/core/errors';
import {
  checkContentFilterSettings,
  type HarmCategory,
  policyNameProblem,
  type SeverityThreshold,
} from '../../../constructs/models/content-filter-settings';
import {
  capacityProblem,
  caseInsensitiveDuplicates,
  DEPLOYMENT_SKUS,
  type DeploymentSku,
  deploymentNameProblem,
  dimensionsProblem,
  effectiveDimensions,
  fineTunedFormatProblem,
  formatSkuProblem,
  isProvisionedSku,
  modelFormatProblem,
  provisionedSizing,
  VERSION_UPGRADE_OPTIONS,
  type VersionUpgradeOption,
  versionProblem,
} from '../../../constructs/models/model-facts';
import { awsName } from '../../aws/names';
import type { EnvironmentConfig } from '../environment';
import { defaultText, PROFILE_DEFAULTS, profileValues } from '../profile-defaults';
import { AZURE_REGIONS } from '../regions';
import { byProfile, type ResolveContext } from './context';
import { BEDROCK_PRICING_TIER } from './evaluation';

export { DEPLOYMENT_SKUS };

/** What a deployment serves. */
export const MODEL_ROLES = ['chat', 'embedding'] as const;

/** The content filter name that opts a deployment out to Microsoft's default policy, explicitly. */
export const MICROSOFT_DEFAULT_FILTER = 'microsoft-default';

/** The content filter deployments use when neither they nor `models.azure.defaultContentFilter` name one. */
export const STRICT_FILTER = 'strict';

const deploymentAzure = z
  .strictObject({
    sku: z.enum(DEPLOYMENT_SKUS).optional().describe('Deployment type. Default: GlobalStandard.'),
    capacity: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        `Capacity: thousands of tokens per minute (standard, data zone, global, batch types) or PTU (provisioned types). Default: chat ${profileValues(PROFILE_DEFAULTS.chatCapacity)}; embedding ${profileValues(PROFILE_DEFAULTS.embeddingCapacity)}; provisioned types: the documented minimum for the SKU and model.`,
      ),
    versionUpgrade: z
      .enum(VERSION_UPGRADE_OPTIONS)
      .optional()
      .describe(`Version upgrade option. ${defaultText(PROFILE_DEFAULTS.versionUpgrade)}`),
    contentFilter: z
      .string()
      .optional()
      .describe(
        `Name of a content filter in models.azure.contentFilters, or "${MICROSOFT_DEFAULT_FILTER}" to opt out explicitly. Default: models.azure.defaultContentFilter.`,
      ),
  })
  .describe('How the deployment runs on Azure.');

/** One entry of `models.deployments`. */
export const deploymentSchema = z
  .strictObject({
    role: z.enum(MODEL_ROLES).describe('What the deployment serves: chat completions or embeddings.'),
    model: z
      .string()
      .min(1)
      .describe(
        'Azure: model name, e.g. gpt-4o or text-embedding-3-large, or a fine-tuned model id (<base model>.ft-<job id>, format OpenAI, version "1"). AWS: a versioned Bedrock model ID, e.g. anthropic.claude-sonnet-4-5-20250929-v1:0 or amazon.titan-embed-text-v2:0.',
      ),
    version: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Pinned model version, e.g. 2024-11-20 (fine-tuned models: "1"). Required on Azure: versions are never floating. AWS: absent (the version is part of the model ID).',
      ),
    format: z
      .string()
      .optional()
      .describe(
        'Model format (publisher): OpenAI, or for catalog models sold directly by Azure e.g. Meta (Llama), Mistral AI, Microsoft (Phi), DeepSeek. Non-OpenAI models deploy as GlobalStandard, DataZoneStandard or a global/data zone provisioned type. Default: OpenAI.',
      ),
    dimensions: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        'Embedding vector dimensions (embeddings only). Required for embedding models whose size is not known; at most the native size.',
      ),
    azure: deploymentAzure.optional(),
    aws: z
      .strictObject({
        crossRegion: z
          .enum(CROSS_REGION_PREFIXES)
          .optional()
          .describe(
            "Route through Bedrock's system cross-region inference profile of this geography (us, eu, apac, jp, au, global). Default: none for models Bedrock serves in the region on demand; for models it serves only through profiles, the first geographic profile whose Regions include the environment's.",
          ),
        contentFilter: z
          .string()
          .optional()
          .describe(
            'Name of a guardrail in models.aws.contentFilters. Default: models.aws.defaultContentFilter.',
          ),
      })
      .optional()
      .describe('How the deployment runs on AWS (Bedrock).'),
  })
  .describe('A model deployment.');

/** Strengths a config guardrail may set (NONE on every category would be no guardrail at all). */
const GUARDRAIL_STRENGTH_CHOICES = ['LOW', 'MEDIUM', 'HIGH'] as const satisfies readonly FilterStrength[];

/** One entry of `models.aws.contentFilters`: a Bedrock guardrail and its published version. */
export const awsContentFilterSchema = z
  .strictObject({
    strength: z
      .enum(GUARDRAIL_STRENGTH_CHOICES)
      .optional()
      .describe(
        'Filter strength for hate, insults, sexual, violence and misconduct (prompts and answers) and prompt attacks (prompts). Default: HIGH (strictest).',
      ),
    contextualGrounding: z
      .strictObject({
        grounding: z.number().min(0).max(0.99).describe('Block answers whose grounding score is below this.'),
        relevance: z.number().min(0).max(0.99).describe('Block answers whose relevance score is below this.'),
      })
      .optional()
      .describe('Contextual grounding check of answers against the retrieved sources. Default: off.'),
  })
  .describe('A content filter on AWS (a Bedrock guardrail).');

const severity = z.enum(['Low', 'Medium', 'High']);

/** One entry of `models.azure.contentFilters`. */
export const contentFilterSchema = z
  .strictObject({
    severityThreshold: severity
      .optional()
      .describe(
        "Block content at or above this severity for hate, sexual, violence and self-harm, in prompts and completions. Default: Low (strictest; Microsoft's default is Medium).",
      ),
    categories: z
      .partialRecord(z.enum(['Hate', 'Sexual', 'Violence', 'SelfHarm']), severity)
      .optional()
      .describe('Per-category threshold overrides.'),
    promptShields: z
      .boolean()
      .optional()
      .describe('Block jailbreak attempts and indirect attacks. Default: true.'),
    protectedMaterial: z
      .boolean()
      .optional()
      .describe('Block protected material in completions (text and code). Default: true.'),
    blocklists: z
      .record(z.string(), z.array(z.string()))
      .optional()
      .describe(
        'Custom blocklists: name -> blocked terms (exact, case-insensitive), on prompts and completions.',
      ),
  })
  .describe('A content filter (RAI policy).');

const region = z.enum(AZURE_REGIONS, {
  error: (iss) =>
    `${JSON.stringify(iss.input)} is not an Azure region (e.g. swedencentral, westeurope, eastus2)`,
});

/** The `models` section of an environment. */
export const modelsSchema = z
  .strictObject({
    deployments: z
      .record(z.string(), deploymentSchema)
      .optional()
      .describe(
        `Model deployments keyed by deployment name. Default: chat (gpt-4o) and embedding (text-embedding-3-large); AWS: chat (${profileValues(PROFILE_DEFAULTS.awsChatModel)}) and embedding (${profileValues(PROFILE_DEFAULTS.awsEmbeddingModel)}).`,
      ),
    azure: z
      .strictObject({
        kind: z.enum(['AIServices', 'OpenAI']).optional().describe('Account kind. Default: AIServices.'),
        secondaryLocations: z
          .array(region)
          .optional()
          .describe('Extra regions carrying the same deployments, for gateway failover.'),
        contentFilters: z
          .record(z.string(), contentFilterSchema)
          .optional()
          .describe(
            'Content filters by name. Default: strict (every severity blocked, shields and protected material on).',
          ),
        defaultContentFilter: z
          .string()
          .optional()
          .describe(
            `Filter for deployments that name none (or "${MICROSOFT_DEFAULT_FILTER}"). Default: strict.`,
          ),
      })
      .optional(),
    aws: z
      .strictObject({
        contentFilters: z
          .record(z.string(), awsContentFilterSchema)
          .optional()
          .describe('Guardrails by name. Default: strict (every filter HIGH).'),
        defaultContentFilter: z
          .string()
          .optional()
          .describe('Guardrail of deployments that name none. Default: strict.'),
      })
      .optional(),
  })
  .describe('Model endpoints.');

/** A deployment with every default filled in. */
export interface DeploymentConfig {
  readonly role: (typeof MODEL_ROLES)[number];
  readonly model: string;
  readonly version: string;
  readonly format: string;
  /** Embedding vector size: declared, else the native size of a known model; undefined for chat deployments. */
  readonly dimensions?: number;
  readonly sku: DeploymentSku;
  /** Thousands of tokens per minute, or PTU for provisioned SKUs. */
  readonly capacity: number;
  readonly versionUpgrade: VersionUpgradeOption;
  /** Content filter name, or {@link MICROSOFT_DEFAULT_FILTER}. */
  readonly contentFilter: string;
  /** The key its price is read under in `evaluation.pricing.models.<model>`: `sku`, or `OnDemand` on AWS. */
  readonly pricingTier: string;
  /** How the deployment runs on Bedrock (AWS environments only). */
  readonly aws?: AwsDeploymentConfig;
}

/** A deployment's Bedrock settings. */
export interface AwsDeploymentConfig {
  /** The system cross-region inference profile's geography, or undefined for in-region invocation. */
  readonly crossRegion?: CrossRegionPrefix;
  /** Guardrail name (a key of `models.aws.contentFilters`). */
  readonly contentFilter: string;
}

/** A guardrail with every default filled in. */
export interface AwsContentFilterConfig {
  readonly strength: FilterStrength;
  readonly contextualGrounding?: { readonly grounding: number; readonly relevance: number };
}

/** A content filter with every default filled in. */
export interface ContentFilterConfig {
  readonly severityThreshold: SeverityThreshold;
  readonly categories: Readonly<Partial<Record<HarmCategory, SeverityThreshold>>>;
  readonly promptShields: boolean;
  readonly protectedMaterial: boolean;
  readonly blocklists: Readonly<Record<string, readonly string[]>>;
}

/** The resolved `models` section the stacks read. */
export interface ModelsConfig {
  readonly kind: 'AIServices' | 'OpenAI';
  /** Failover regions, in config order; each gets an account with the same deployments. */
  readonly secondaryLocations: readonly string[];
  readonly deployments: Readonly<Record<string, DeploymentConfig>>;
  readonly contentFilters: Readonly<Record<string, ContentFilterConfig>>;
  /** The filter deployments that name none use. */
  readonly defaultContentFilter: string;
  /** Guardrails (AWS environments only). */
  readonly aws?: {
    readonly contentFilters: Readonly<Record<string, AwsContentFilterConfig>>;
    readonly defaultContentFilter: string;
  };
}

/** Default deployments: one chat and one embedding model, so RAG works out of the box. */
const DEFAULT_DEPLOYMENTS: Record<string, z.infer<typeof deploymentSchema>> = {
  chat: { role: 'chat', model: 'gpt-4o', version: '2024-11-20' },
  // dimensions: the model's native size (EMBEDDING_MODELS), filled in like any known embedding model's
  embedding: { role: 'embedding', model: 'text-embedding-3-large', version: '1' },
};

/**
 * Fills in the defaults of `models`: the chat and embedding deployments, the strict filter, capacity and
 * version upgrade per profile, native dimensions of known embedding models.
 */
export function resolveModels(
  raw: z.infer<typeof modelsSchema> | undefined,
  ctx: ResolveContext,
): ModelsConfig {
  const filters = raw?.azure?.contentFilters ?? { [STRICT_FILTER]: {} };
  const defaultFilter = raw?.azure?.defaultContentFilter ?? STRICT_FILTER;
  const awsDefaultFilter = raw?.aws?.defaultContentFilter ?? STRICT_FILTER;
  const aws = ctx.cloud === 'aws';
  const deployments: Record<string, DeploymentConfig> = {};
  for (const [name, d] of Object.entries(raw?.deployments ?? defaultDeployments(ctx))) {
    const sku = d.azure?.sku ?? 'GlobalStandard';
    const standardCapacity = byProfile(ctx, d.role === 'embedding' ? 'embeddingCapacity' : 'chatCapacity');
    deployments[name] = {
      role: d.role,
      model: d.model,
      // Required on Azure, absent on AWS (the ID carries it): validateModels reports either way.
      version: d.version ?? '',
      format: d.format ?? 'OpenAI',
      // Known embedding models get their native size, so other sections (the search index) read it here.
      dimensions:
        d.dimensions ??
        (aws
          ? d.role === 'embedding'
            ? bedrockEmbeddingDimensions(d.model)
            : undefined
          : effectiveDimensions(d.role, d.model, undefined)),
      sku,
      capacity:
        d.azure?.capacity ??
        (isProvisionedSku(sku) ? provisionedSizing(sku, d.model).minimum : standardCapacity),
      versionUpgrade: d.azure?.versionUpgrade ?? byProfile(ctx, 'versionUpgrade'),
      contentFilter: d.azure?.contentFilter ?? defaultFilter,
      pricingTier: aws ? BEDROCK_PRICING_TIER : sku,
      ...(aws
        ? {
            aws: {
              crossRegion: d.aws?.crossRegion ?? defaultCrossRegion(d.model, ctx.region),
              contentFilter: d.aws?.contentFilter ?? awsDefaultFilter,
            },
          }
        : {}),
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
    defaultContentFilter: defaultFilter,
    ...(aws
      ? {
          aws: {
            contentFilters: Object.fromEntries(
              Object.entries(raw?.aws?.contentFilters ?? { [STRICT_FILTER]: {} }).map(([name, f]) => [
                name,
                { strength: f.strength ?? 'HIGH', contextualGrounding: f.contextualGrounding },
              ]),
            ),
            defaultContentFilter: awsDefaultFilter,
          },
        }
      : {}),
  };
}

/**
 * The cross-region profile a deployment uses when it names none: none for a model Bedrock serves on demand
 * in the region (or one this project does not know), else the first geographic profile (not `global`) whose
 * destination Regions include the environment's region.
 */
function defaultCrossRegion(modelId: string, region: string): CrossRegionPrefix | undefined {
  const facts = bedrockModel(modelId);
  if (!facts || facts.inRegion) return undefined;
  return (Object.entries(facts.crossRegion) as [CrossRegionPrefix, readonly string[] | '*'][]).find(
    ([prefix, regions]) => prefix !== 'global' && regions !== '*' && regions.includes(region),
  )?.[0];
}

/** The default deployments of the environment's cloud: one chat and one embedding model. */
function defaultDeployments(ctx: ResolveContext): Record<string, z.infer<typeof deploymentSchema>> {
  if (ctx.cloud === 'azure') return DEFAULT_DEPLOYMENTS;
  return {
    chat: { role: 'chat', model: byProfile(ctx, 'awsChatModel') },
    embedding: { role: 'embedding', model: byProfile(ctx, 'awsEmbeddingModel') },
  };
}

/**
 * Cross-field checks of `models` (paths relative to `environments.<env>`): deployment names and their
 * case-insensitive duplicates, pinned versions, capacity in the unit and range of the SKU, known
 * embedding dimensions, fine-tuned formats, content filters that exist and are valid, secondary regions.
 * The {@link ModelAccount} construct checks the same rules with the same functions.
 */
export function validateModels(env: EnvironmentConfig, problems: Problems): void {
  if (env.cloud === 'aws') {
    validateAwsModels(env, problems);
    return;
  }
  const models = env.models;
  const filters = models.contentFilters;
  const known = (filter: string) => filter === MICROSOFT_DEFAULT_FILTER || filters[filter] !== undefined;
  const declared = `declared: ${Object.keys(filters).join(', ') || 'none'}; or "${MICROSOFT_DEFAULT_FILTER}" to opt out explicitly`;

  for (const [name, settings] of Object.entries(filters)) {
    const path = `models.azure.contentFilters.${name}`;
    const nameProblem =
      name === MICROSOFT_DEFAULT_FILTER
        ? `"${MICROSOFT_DEFAULT_FILTER}" is reserved for the explicit opt-out`
        : policyNameProblem(name);
    if (nameProblem) problems.add(path, nameProblem);
    checkContentFilterSettings(
      {
        severityThreshold: settings.severityThreshold,
        categories: settings.categories,
        promptShieldsEnabled: settings.promptShields,
        protectedMaterialEnabled: settings.protectedMaterial,
        blocklists: settings.blocklists,
      },
      problems,
      path,
    );
  }
  for (const group of caseInsensitiveDuplicates(Object.keys(filters))) {
    problems.add(
      'models.azure.contentFilters',
      `duplicate content filter names (Azure ignores case): ${group.join(', ')}`,
    );
  }
  const defaultFilterOk = known(models.defaultContentFilter);
  if (!defaultFilterOk) {
    problems.add(
      'models.azure.defaultContentFilter',
      `${JSON.stringify(models.defaultContentFilter)} is not a declared content filter (${declared})`,
    );
  }

  for (const [name, d] of Object.entries(models.deployments)) {
    const path = `models.deployments.${name}`;
    const nameProblem = deploymentNameProblem(name);
    if (nameProblem) problems.add(path, nameProblem);
    // Optional in the schema because AWS model IDs carry their version; required on Azure.
    if (d.version === '') problems.add(`${path}.version`, 'is required (string)');
    const version = d.version === '' ? undefined : versionProblem(d.version);
    if (version) problems.add(`${path}.version`, version);
    const format = modelFormatProblem(d.format) ?? fineTunedFormatProblem(d.model, d.format);
    if (format) problems.add(`${path}.format`, format);
    const formatSku = formatSkuProblem(d.format, d.sku);
    if (formatSku) problems.add(`${path}.azure.sku`, formatSku);
    if (models.kind === 'OpenAI' && d.format !== 'OpenAI') {
      problems.add(
        `${path}.format`,
        `${JSON.stringify(d.format)} models need models.azure.kind AIServices; kind OpenAI serves only format "OpenAI"`,
      );
    }
    const capacity = capacityProblem(d.sku, d.model, d.capacity);
    if (capacity) problems.add(`${path}.azure.capacity`, capacity);
    const dims = dimensionsProblem(d.role, d.model, d.dimensions);
    if (dims) problems.add(`${path}.dimensions`, dims);
    // A deployment that inherits an unknown default is reported once, at the default.
    if (!known(d.contentFilter) && (d.contentFilter !== models.defaultContentFilter || defaultFilterOk)) {
      problems.add(
        `${path}.azure.contentFilter`,
        `${JSON.stringify(d.contentFilter)} is not a declared content filter (${declared})`,
      );
    }
  }
  for (const group of caseInsensitiveDuplicates(Object.keys(models.deployments))) {
    problems.add(
      'models.deployments',
      `duplicate deployment names (Azure ignores case): ${group.join(', ')}`,
    );
  }

  models.secondaryLocations.forEach((location, i) => {
    const path = `models.azure.secondaryLocations[${i}]`;
    if (location === env.location) {
      problems.add(
        path,
        `${JSON.stringify(location)} is the environment's own region: a secondary account must be elsewhere`,
      );
    } else if (models.secondaryLocations.indexOf(location) !== i) {
      problems.add(path, `${JSON.stringify(location)} is listed twice`);
    }
  });
}

/**
 * Cross-field checks of `models` in an AWS environment: versioned Bedrock model IDs (an Azure OpenAI name
 * is an error), no separate `version`, known embedding sizes, guardrails that exist.
 */
function validateAwsModels(env: EnvironmentConfig, problems: Problems): void {
  const aws = env.models.aws;
  if (!aws) return;
  const declared = `declared: ${Object.keys(aws.contentFilters).join(', ') || 'none'}`;
  // The names the AWS stacks give guardrails and inference profiles (lib/aws/names.ts) must be legal there.
  for (const name of Object.keys(aws.contentFilters)) {
    const problem = guardrailNameProblem(awsName(env, name));
    if (problem) problems.add(`models.aws.contentFilters.${name}`, `the guardrail name: ${problem}`);
  }
  const defaultOk = aws.contentFilters[aws.defaultContentFilter] !== undefined;
  if (!defaultOk) {
    problems.add(
      'models.aws.defaultContentFilter',
      `${JSON.stringify(aws.defaultContentFilter)} is not a declared guardrail (${declared})`,
    );
  }
  for (const [name, d] of Object.entries(env.models.deployments)) {
    const path = `models.deployments.${name}`;
    const nameProblem = deploymentNameProblem(name);
    if (nameProblem) problems.add(path, nameProblem);
    const profileName = profileNameProblem(awsName(env, name));
    if (profileName) problems.add(path, `the inference profile name: ${profileName}`);
    const modelProblem = bedrockModelProblem(d.model);
    if (modelProblem) problems.add(`${path}.model`, modelProblem);
    const facts = bedrockModel(d.model);
    if (facts && facts.role !== d.role) {
      problems.add(
        `${path}.role`,
        `${JSON.stringify(d.role)} does not match ${JSON.stringify(d.model)}, ${facts.role === 'embedding' ? 'an embedding' : 'a chat'} model`,
      );
    }
    if (d.version !== '') {
      problems.add(
        `${path}.version`,
        `${JSON.stringify(d.version)}: an AWS deployment's version is part of its model ID (${JSON.stringify(d.model)}): remove version`,
      );
    }
    // without a region (reported at aws.region) the profile cannot be judged
    const crossRegion =
      modelProblem || !env.location
        ? undefined
        : crossRegionProblem(d.model, d.aws?.crossRegion, env.location);
    if (crossRegion) problems.add(`${path}.aws.crossRegion`, crossRegion);
    if (d.role === 'embedding' && !modelProblem) {
      const dims =
        d.dimensions === undefined
          ? `is required: the vector size of ${JSON.stringify(d.model)} is not known to this project`
          : embeddingDimensionsProblem(d.model, d.dimensions);
      if (dims) problems.add(`${path}.dimensions`, dims);
    }
    const filter = d.aws?.contentFilter;
    if (
      filter !== undefined &&
      aws.contentFilters[filter] === undefined &&
      (filter !== aws.defaultContentFilter || defaultOk)
    ) {
      problems.add(
        `${path}.aws.contentFilter`,
        `${JSON.stringify(filter)} is not a declared guardrail (${declared})`,
      );
    }
  }
}

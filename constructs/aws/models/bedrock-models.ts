/**
 * The Bedrock foundation models this project knows (`data/bedrock-models.json`) and the rules for naming a
 * Bedrock model: a versioned model ID, the system-defined cross-region inference profiles that route it, and
 * the vector size of the embedding models. The `BedrockModel` construct and the config layer both read it;
 * nothing restates it. Free of aws-cdk-lib: the checks take literal values, and the constructs skip an
 * unresolved token before calling one (`isVersionedBedrockModelId`, which accepts tokens, is in
 * `bedrock-model.ts`).
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/models-supported.html
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html
 */
import { EMBEDDING_MODELS } from '../../core/embedding-models';
import data from './data/bedrock-models.json';

/** What a model is used for, as in the Azure rendering (`ModelRole`). */
export type BedrockModelRole = 'chat' | 'embedding';

/**
 * Geography prefixes of the system-defined cross-region inference profiles in the commercial partition: the
 * profile ID is `<prefix>.<modelId>` (`us.anthropic.claude-sonnet-4-5-20250929-v1:0`). `global` routes to
 * every commercial Region; the others stay in their geography (`apac` includes `me-central-1` for some
 * models). GovCloud's `us-gov` is not offered: this project deploys to the commercial partition.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/geographic-cross-region-inference.html
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/global-cross-region-inference.html
 */
export const CROSS_REGION_PREFIXES = ['us', 'eu', 'apac', 'jp', 'au', 'global'] as const;

/** A geography prefix of {@link CROSS_REGION_PREFIXES}. */
export type CrossRegionPrefix = (typeof CROSS_REGION_PREFIXES)[number];

/** Facts about one known Bedrock model (one entry of `data/bedrock-models.json`). */
export interface BedrockModelFacts {
  readonly role: BedrockModelRole;
  /** Whether the model can be invoked on demand in a Region without a cross-region inference profile. */
  readonly inRegion: boolean;
  /**
   * The cross-region inference profiles that offer the model, with the destination Regions each routes to;
   * `'*'` for the global profile (every commercial Region).
   */
  readonly crossRegion: Readonly<Partial<Record<CrossRegionPrefix, readonly string[] | '*'>>>;
  /** Native and supported vector sizes of an embedding model. */
  readonly embedding?: { readonly dimensions: number; readonly supportedDimensions: readonly number[] };
  /** Why an ID without a `:<version>` suffix is still pinned (AWS publishes a few IDs that way). */
  readonly versionInName?: string;
  /** Where the facts were checked. */
  readonly source: string;
}

/**
 * Every model the project knows, by model ID. The cast is checked by `test/aws/models/bedrock-models.spec.ts`
 * (JSON types are wider than the interface).
 */
export const BEDROCK_MODELS = data.models as unknown as Readonly<Record<string, BedrockModelFacts>>;

/** The facts of a known model, or `undefined`. */
export function bedrockModel(modelId: string): BedrockModelFacts | undefined {
  return Object.hasOwn(BEDROCK_MODELS, modelId) ? BEDROCK_MODELS[modelId] : undefined;
}

/**
 * A well-formed Bedrock model ID: `<provider>.<model>` with up to two `:` suffixes, the model part of the
 * foundation-model ARN pattern of the CloudFormation schema (`InferenceProfileModel.ModelArn`).
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-bedrock-applicationinferenceprofile-inferenceprofilemodel.html
 */
const MODEL_ID = /^[a-z0-9-]{1,63}\.([a-z0-9-]{1,63}\.){0,2}[a-z0-9-]{1,63}(:[a-z0-9-]{1,63}){0,2}$/;
/** A version suffix: `...-v1:0`, `...-v2:0`. */
const VERSIONED = /:\d+$/;
/** A provisioned-throughput variant: `...-v1:0:200k`, `...-v2:0:8k`. */
const PROVISIONED_VARIANT = /:\d+:[a-z0-9-]+$/;
/** Names of Azure OpenAI models (they carry no `<provider>.` prefix). */
const AZURE_OPENAI_NAME =
  /^(gpt-|o\d|text-embedding-|davinci|babbage|dall-e|whisper|tts-|codex-|computer-use-)/i;
const PROFILE_PREFIX = new RegExp(`^(${[...CROSS_REGION_PREFIXES, 'us-gov'].join('|')})\\.`);

const EXAMPLES = '"anthropic.claude-sonnet-4-5-20250929-v1:0" or "amazon.titan-embed-text-v2:0"';

/**
 * What is wrong with `id` as the model ID of a Bedrock deployment, or `undefined`: it must be a well-formed,
 * versioned foundation-model ID, not an Azure OpenAI model name, not a cross-region profile ID, not an ARN.
 * `id` is a literal, not a token.
 */
export function bedrockModelProblem(id: string): string | undefined {
  const shown = JSON.stringify(id);
  if (typeof id !== 'string' || id === '') {
    return `${JSON.stringify(id) ?? String(id)} is not a Bedrock model ID: give a versioned model ID such as ${EXAMPLES}`;
  }
  if (id.startsWith('arn:')) {
    return `${shown} is an ARN: give the versioned model ID itself, such as ${EXAMPLES}`;
  }
  if (PROFILE_PREFIX.test(id)) {
    const prefix = id.slice(0, id.indexOf('.'));
    return `${shown} is a cross-region inference profile ID: set the model ID to ${JSON.stringify(id.slice(prefix.length + 1))} and crossRegion to ${JSON.stringify(prefix)}`;
  }
  if (!id.includes('.') && (AZURE_OPENAI_NAME.test(id) || Object.hasOwn(EMBEDDING_MODELS, id))) {
    return `${shown} is an Azure OpenAI model name, not a Bedrock model ID: an AWS environment names a versioned Bedrock model ID such as ${EXAMPLES}`;
  }
  if (!MODEL_ID.test(id)) {
    return `${shown} is not a Bedrock model ID: "<provider>.<model>:<version>" in lowercase letters, digits, "-" and ".", such as ${EXAMPLES}`;
  }
  if (PROVISIONED_VARIANT.test(id)) {
    return `${shown} is a provisioned-throughput variant (context-length suffix): on-demand deployments use the ID without the last ":" part`;
  }
  if (!VERSIONED.test(id) && bedrockModel(id)?.versionInName === undefined) {
    return `${shown} is not pinned to a version: give the ID with its ":<version>" suffix, such as ${EXAMPLES} (floating IDs are not allowed)`;
  }
  return undefined;
}

/**
 * What is wrong with serving `modelId` through the cross-region profile `prefix` from `region`, or with
 * serving it without one (`prefix` undefined), or `undefined`. Known models only: an unknown model is
 * checked by Bedrock at deploy time. `region` undefined is not checked (a construct passes undefined for
 * an unresolved Region).
 */
export function crossRegionProblem(
  modelId: string,
  prefix: string | undefined,
  region?: string,
): string | undefined {
  if (prefix !== undefined && !(CROSS_REGION_PREFIXES as readonly string[]).includes(prefix)) {
    return `${JSON.stringify(prefix)} is not a cross-region inference profile prefix: one of ${CROSS_REGION_PREFIXES.join(', ')}`;
  }
  const facts = bedrockModel(modelId);
  if (!facts) return undefined;
  const offered = Object.keys(facts.crossRegion);
  if (prefix === undefined) {
    return facts.inRegion
      ? undefined
      : `${JSON.stringify(modelId)} is served only through cross-region inference profiles: set crossRegion to one of ${offered.join(', ')}`;
  }
  const destinations = facts.crossRegion[prefix as CrossRegionPrefix];
  if (destinations === undefined) {
    return offered.length
      ? `${JSON.stringify(modelId)} has no ${JSON.stringify(prefix)} cross-region inference profile: one of ${offered.join(', ')}`
      : `${JSON.stringify(modelId)} has no cross-region inference profile: leave crossRegion unset`;
  }
  if (region !== undefined && destinations !== '*' && !destinations.includes(region)) {
    return `the ${JSON.stringify(prefix)} profile of ${JSON.stringify(modelId)} cannot be used from ${region}: its Regions are ${destinations.join(', ')}`;
  }
  return undefined;
}

/** The native vector size of a known embedding model, or `undefined` (unknown model, or a chat model). */
export function embeddingDimensions(modelId: string): number | undefined {
  return bedrockModel(modelId)?.embedding?.dimensions;
}

/**
 * What is wrong with `dimensions` as the vector size of `modelId`, or `undefined`: a known embedding model
 * returns only its supported sizes (Titan Text Embeddings V2: 256, 512, 1024). Unknown models are not
 * checked.
 */
export function embeddingDimensionsProblem(modelId: string, dimensions: number): string | undefined {
  const embedding = bedrockModel(modelId)?.embedding;
  if (!embedding || embedding.supportedDimensions.includes(dimensions)) return undefined;
  return `${dimensions} is not a vector size of ${JSON.stringify(modelId)}: one of ${embedding.supportedDimensions.join(', ')}`;
}

/** Name rules of the CloudFormation schema (`InferenceProfileName`: 1-64, `^([0-9a-zA-Z][ _-]?)+$`). */
const PROFILE_NAME = /^([0-9a-zA-Z][ _-]?)+$/;

/**
 * What is wrong with `name` (a literal, not a token) as an application inference profile name, or
 * `undefined`.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-bedrock-applicationinferenceprofile.html
 */
export function profileNameProblem(name: string): string | undefined {
  return name.length <= 64 && PROFILE_NAME.test(name)
    ? undefined
    : `${JSON.stringify(name)} is not a valid inference profile name: 1-64 letters and digits, with single " ", "_" or "-" between them`;
}

/** Name rule of `AWS::Bedrock::Guardrail` `Name`: 1-50 letters, digits, `-` and `_`. */
const GUARDRAIL_NAME = /^[0-9a-zA-Z_-]{1,50}$/;

/**
 * Why `name` (a literal, not a token) cannot name a guardrail, or undefined when it can.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-bedrock-guardrail.html
 */
export function guardrailNameProblem(name: string): string | undefined {
  if (GUARDRAIL_NAME.test(name)) return undefined;
  return `${JSON.stringify(name)} is not a valid guardrail name: 1-50 letters, digits, "-" and "_"`;
}

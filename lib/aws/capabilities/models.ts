import type { Construct } from 'constructs';
import { BedrockModel } from '../../../constructs/aws/models/bedrock-model';
import {
  CONTENT_FILTER_CATEGORIES,
  type ContentFilterStrengths,
  Guardrail,
} from '../../../constructs/aws/models/guardrail';
import type { EnvironmentConfig } from '../../config/environment';
import type { AwsContentFilterConfig } from '../../config/sections/models';
import { awsName } from '../names';

/** What the models capability hands to the others. */
export interface AwsModels {
  /** One application inference profile per deployment, by deployment name. */
  readonly deployments: Readonly<Record<string, BedrockModel>>;
  /** One guardrail (and published version) per content filter, by filter name. */
  readonly guardrails: Readonly<Record<string, Guardrail>>;
  /** The guardrail of each deployment, by deployment name. */
  readonly guardrailOf: (deployment: string) => Guardrail;
}

/**
 * The environment's Bedrock models: an application inference profile per deployment (pinned model ID,
 * the environment's tags for cost allocation, the cross-region profile the config names or defaults to),
 * and a guardrail with a published version per content filter.
 */
export function addAwsModels(scope: Construct, inputs: { readonly env: EnvironmentConfig }): AwsModels {
  const { env } = inputs;
  const aws = env.models.aws!;
  const guardrails = Object.fromEntries(
    Object.entries(aws.contentFilters).map(([name, filter]) => [
      name,
      new Guardrail(scope, `Guardrail-${name}`, {
        name: awsName(env, name),
        contentFilters: contentFiltersOf(filter),
        ...(filter.contextualGrounding ? { contextualGrounding: filter.contextualGrounding } : {}),
        tags: env.tags,
      }),
    ]),
  );
  const deployments = Object.fromEntries(
    Object.entries(env.models.deployments).map(([name, d]) => [
      name,
      new BedrockModel(scope, `Model-${name}`, {
        modelId: d.model,
        ...(d.aws?.crossRegion ? { crossRegion: d.aws.crossRegion } : {}),
        name: awsName(env, name),
        tags: { ...env.tags, deployment: name },
      }),
    ]),
  );
  return {
    deployments,
    guardrails,
    guardrailOf: (deployment) =>
      guardrails[env.models.deployments[deployment]?.aws?.contentFilter ?? aws.defaultContentFilter]!,
  };
}

/**
 * The guardrail filters of a config content filter: every harm category at its strength on prompts and
 * answers; prompt attacks at its strength on prompts (Bedrock requires NONE on answers).
 */
function contentFiltersOf(filter: AwsContentFilterConfig): Record<string, ContentFilterStrengths> {
  return Object.fromEntries(
    CONTENT_FILTER_CATEGORIES.map((category) => [
      category,
      category === 'PROMPT_ATTACK'
        ? { input: filter.strength, output: 'NONE' }
        : { input: filter.strength, output: filter.strength },
    ]),
  );
}

import { createHash } from 'node:crypto';
import { CfnDeletionPolicy, Lazy, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { CfnGuardrail, CfnGuardrailVersion } from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { Problems } from '../../core/errors';
import { guardrailNameProblem } from './bedrock-models';
import { tagsProblems, toCfnTags } from './tags';

/**
 * The content filter categories of a Bedrock guardrail (`ContentFilterConfig.Type`).
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-content-filters.html
 */
export const CONTENT_FILTER_CATEGORIES = [
  'HATE',
  'INSULTS',
  'SEXUAL',
  'VIOLENCE',
  'MISCONDUCT',
  'PROMPT_ATTACK',
] as const;

/** A category of {@link CONTENT_FILTER_CATEGORIES}. */
export type ContentFilterCategory = (typeof CONTENT_FILTER_CATEGORIES)[number];

/**
 * How strongly a filter blocks: `HIGH` blocks content classified with low, medium or high confidence,
 * `LOW` only high-confidence content, `NONE` nothing (`FilterStrength` of the CloudFormation schema).
 */
export const FILTER_STRENGTHS = ['NONE', 'LOW', 'MEDIUM', 'HIGH'] as const;

/** A strength of {@link FILTER_STRENGTHS}. */
export type FilterStrength = (typeof FILTER_STRENGTHS)[number];

/** Strengths of one content filter on prompts (`input`) and model responses (`output`). */
export interface ContentFilterStrengths {
  /** @default - the strict policy's ({@link STRICT_CONTENT_FILTERS}) */
  readonly input?: FilterStrength;
  /** `PROMPT_ATTACK` applies to prompts only: its output strength must be `NONE`. @default - the strict policy's */
  readonly output?: FilterStrength;
}

/**
 * The strict content filter policy: every harm category blocked at `HIGH` on prompts and responses, prompt
 * attacks (jailbreaks, prompt injection) at `HIGH` on prompts. Bedrock rejects any output strength but
 * `NONE` for `PROMPT_ATTACK` ("PROMPT_ATTACK content filter strength for response must be NONE").
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-prompt-attack.html
 * @see https://github.com/hashicorp/terraform-provider-awscc/issues/1905
 */
export const STRICT_CONTENT_FILTERS: Readonly<
  Record<ContentFilterCategory, Required<ContentFilterStrengths>>
> = {
  HATE: { input: 'HIGH', output: 'HIGH' },
  INSULTS: { input: 'HIGH', output: 'HIGH' },
  SEXUAL: { input: 'HIGH', output: 'HIGH' },
  VIOLENCE: { input: 'HIGH', output: 'HIGH' },
  MISCONDUCT: { input: 'HIGH', output: 'HIGH' },
  PROMPT_ATTACK: { input: 'HIGH', output: 'NONE' },
};

/**
 * Contextual grounding check of responses against the retrieved source (`grounding`) and the question
 * (`relevance`): a response scoring below a threshold is blocked. Thresholds are 0-0.99; higher is
 * stricter. Give at least one.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-contextual-grounding-check.html
 */
export interface ContextualGroundingThresholds {
  /** @default - no grounding check */
  readonly grounding?: number;
  /** @default - no relevance check */
  readonly relevance?: number;
}

/** Properties of {@link Guardrail}. */
export interface GuardrailProps {
  /**
   * Guardrail name: 1-50 letters, digits, `-` and `_`. Updated in place.
   * @default - derived from the construct path
   */
  readonly name?: string;
  /**
   * Description of the guardrail (1-200 characters).
   * @default - none
   */
  readonly description?: string;
  /**
   * Content filter strengths by category, over the strict policy: a category or side left out keeps
   * {@link STRICT_CONTENT_FILTERS}. A category set to `NONE` on both sides is left out of the guardrail.
   * @default - {@link STRICT_CONTENT_FILTERS}
   */
  readonly contentFilters?: Readonly<Partial<Record<ContentFilterCategory, ContentFilterStrengths>>>;
  /**
   * Contextual grounding check (for RAG answers); blocks responses below the thresholds.
   * @default - none
   */
  readonly contextualGrounding?: ContextualGroundingThresholds;
  /**
   * Message returned instead of a blocked prompt (1-500 characters).
   * @default 'Sorry, this request was blocked by the content policy.'
   */
  readonly blockedInputMessage?: string;
  /**
   * Message returned instead of a blocked response (1-500 characters).
   * @default 'Sorry, the response was blocked by the content policy.'
   */
  readonly blockedOutputMessage?: string;
  /**
   * Customer managed key that encrypts the guardrail. Its key policy must let the deploying role use it
   * (`kms:Decrypt`, `kms:GenerateDataKey`, `kms:DescribeKey`, `kms:CreateGrant`); {@link Guardrail.grantApply}
   * grants callers `kms:Decrypt`.
   * @default - an AWS-owned key
   * @see https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-permissions-kms.html
   */
  readonly kmsKey?: kms.IKey;
  /**
   * Tags of the guardrail (same rules as {@link BedrockModelProps.tags}).
   * @default - none
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Keep the previous published version when a configuration change publishes a new one (the version
   * resource's `UpdateReplacePolicy: Retain`). Off by default: the stack holds exactly one published
   * version, the previous one is deleted after the update succeeded (a failed update rolls back to it),
   * and Bedrock's per-guardrail version quota is never reached. Retained versions are deleted with the
   * guardrail.
   * @default false
   */
  readonly retainReplacedVersions?: boolean;
}

const DEFAULT_BLOCKED_INPUT = 'Sorry, this request was blocked by the content policy.';
const DEFAULT_BLOCKED_OUTPUT = 'Sorry, the response was blocked by the content policy.';
/** `Name` of the CloudFormation schema: 1-50, `^[0-9a-zA-Z-_]+$`. */

/**
 * A Bedrock guardrail and its published version: content filters (hate, insults, sexual, violence,
 * misconduct, prompt attacks; strict by default) and an optional contextual grounding check. Callers apply
 * it by ID and version ({@link guardrailId}, {@link guardrailVersion}) on `InvokeModel` / `Converse`, or call
 * `ApplyGuardrail`.
 *
 * The version (`AWS::Bedrock::GuardrailVersion`) is an immutable snapshot of the guardrail's working draft,
 * published when it is created. Its description carries a SHA-256 of the guardrail's configuration, a
 * create-only property: a configuration change replaces the version resource, which publishes a new
 * version after the guardrail was updated; an unchanged configuration keeps the version. See
 * {@link GuardrailProps.retainReplacedVersions} for what happens to the previous one.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-bedrock-guardrail.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-bedrock-guardrailversion.html
 */
export class Guardrail extends Construct {
  /** The strict content filter policy ({@link STRICT_CONTENT_FILTERS}). */
  public static readonly STRICT = STRICT_CONTENT_FILTERS;

  /** The guardrail (its working draft). */
  public readonly guardrail: CfnGuardrail;
  /** The published version. */
  public readonly version: CfnGuardrailVersion;
  /** Guardrail ID (`guardrailIdentifier` of `InvokeModel` / `Converse` / `ApplyGuardrail`). */
  public readonly guardrailId: string;
  /** Guardrail ARN; IAM policies on it apply to all its versions. */
  public readonly guardrailArn: string;
  /** The published version number (`1`, `2`, ...) callers pin (`guardrailVersion`). */
  public readonly guardrailVersion: string;
  /** The content filter strengths in effect, by category (strict defaults merged with the props). */
  public readonly contentFilters: Readonly<Record<ContentFilterCategory, Required<ContentFilterStrengths>>>;
  private readonly kmsKey: kms.IKey | undefined;

  constructor(scope: Construct, id: string, props: GuardrailProps = {}) {
    super(scope, id);
    const problems = new Problems('props');
    const filters = mergeContentFilters(props.contentFilters ?? {}, problems);
    checkGrounding(props.contextualGrounding, problems);
    const name = props.name ?? Names.uniqueResourceName(this, { maxLength: 50, separator: '-' });
    // An unresolved token passes: its value is known only at deploy time.
    const nameProblem = Token.isUnresolved(name) ? undefined : guardrailNameProblem(name);
    if (nameProblem) problems.add('name', nameProblem);
    checkLength(props.description, 200, 'description', problems);
    checkLength(props.blockedInputMessage, 500, 'blockedInputMessage', problems);
    checkLength(props.blockedOutputMessage, 500, 'blockedOutputMessage', problems);
    problems.addAll(tagsProblems(props.tags ?? {}, 'props.tags'));
    const activeFilters = CONTENT_FILTER_CATEGORIES.filter(
      (c) => filters[c].input !== 'NONE' || filters[c].output !== 'NONE',
    );
    if (problems.empty && activeFilters.length === 0 && props.contextualGrounding === undefined) {
      problems.add(
        'contentFilters',
        'every filter is NONE and there is no contextual grounding: a guardrail needs at least one policy',
      );
    }
    problems.throwIfAny(`Invalid Guardrail "${this.node.path}"`);

    this.contentFilters = filters;
    this.kmsKey = props.kmsKey;
    // Property names and enums: CfnGuardrailProps (aws-cdk-lib/aws-bedrock) and the CloudFormation page above.
    this.guardrail = new CfnGuardrail(this, 'Resource', {
      name,
      description: props.description,
      blockedInputMessaging: props.blockedInputMessage ?? DEFAULT_BLOCKED_INPUT,
      blockedOutputsMessaging: props.blockedOutputMessage ?? DEFAULT_BLOCKED_OUTPUT,
      contentPolicyConfig: activeFilters.length
        ? {
            filtersConfig: activeFilters.map((type) => ({
              type,
              inputStrength: filters[type].input,
              outputStrength: filters[type].output,
            })),
          }
        : undefined,
      contextualGroundingPolicyConfig: groundingConfig(props.contextualGrounding),
      kmsKeyArn: props.kmsKey?.keyArn,
      tags: toCfnTags(props.tags),
    });

    this.version = new CfnGuardrailVersion(this, 'Version', {
      guardrailIdentifier: this.guardrail.attrGuardrailId,
      // Description is create-only (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-bedrock-guardrailversion.html):
      // a new configuration hash replaces the resource, which publishes a new version.
      description: Lazy.string({
        produce: () => `llmops-platform: guardrail config sha256 ${this.configHash()}`,
      }),
    });
    this.version.applyRemovalPolicy(RemovalPolicy.DESTROY);
    if (props.retainReplacedVersions) this.version.cfnOptions.updateReplacePolicy = CfnDeletionPolicy.RETAIN;
    this.guardrailId = this.guardrail.attrGuardrailId;
    this.guardrailArn = this.guardrail.attrGuardrailArn;
    this.guardrailVersion = this.version.attrVersion;
  }

  /**
   * SHA-256 (first 16 hex digits) of the guardrail's configuration as synthesized: everything but tags,
   * which do not change what a version enforces.
   */
  public configHash(): string {
    const stack = Stack.of(this);
    const g = this.guardrail;
    const config = stack.resolve({
      name: g.name,
      description: g.description,
      blockedInputMessaging: g.blockedInputMessaging,
      blockedOutputsMessaging: g.blockedOutputsMessaging,
      contentPolicyConfig: g.contentPolicyConfig,
      contextualGroundingPolicyConfig: g.contextualGroundingPolicyConfig,
      sensitiveInformationPolicyConfig: g.sensitiveInformationPolicyConfig,
      topicPolicyConfig: g.topicPolicyConfig,
      wordPolicyConfig: g.wordPolicyConfig,
      crossRegionConfig: g.crossRegionConfig,
      automatedReasoningPolicyConfig: g.automatedReasoningPolicyConfig,
      kmsKeyArn: g.kmsKeyArn,
    });
    return createHash('sha256').update(canonicalJson(config)).digest('hex').slice(0, 16);
  }

  /**
   * Allows `grantee` to apply this guardrail: `bedrock:ApplyGuardrail` on the guardrail ARN (which covers
   * every version, and guardrails passed to `InvokeModel` / `Converse`), plus `kms:Decrypt` on the
   * customer managed key, if any.
   *
   * @see https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-permissions.html
   */
  public grantApply(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['bedrock:ApplyGuardrail'],
      resourceArns: [this.guardrailArn],
    });
    return this.kmsKey ? grant.combine(this.kmsKey.grantDecrypt(grantee)) : grant;
  }
}

function mergeContentFilters(
  given: Readonly<Partial<Record<ContentFilterCategory, ContentFilterStrengths>>>,
  problems: Problems,
): Record<ContentFilterCategory, Required<ContentFilterStrengths>> {
  for (const category of Object.keys(given)) {
    if (!(CONTENT_FILTER_CATEGORIES as readonly string[]).includes(category)) {
      problems.add(
        `contentFilters.${category}`,
        `${JSON.stringify(category)} is not a content filter category: one of ${CONTENT_FILTER_CATEGORIES.join(', ')}`,
      );
    }
  }
  const merged = {} as Record<ContentFilterCategory, Required<ContentFilterStrengths>>;
  for (const category of CONTENT_FILTER_CATEGORIES) {
    const strict = STRICT_CONTENT_FILTERS[category];
    const input = given[category]?.input ?? strict.input;
    const output = given[category]?.output ?? strict.output;
    for (const [side, value] of [
      ['input', input],
      ['output', output],
    ] as const) {
      if (!FILTER_STRENGTHS.includes(value)) {
        problems.add(
          `contentFilters.${category}.${side}`,
          `${JSON.stringify(value)} is not a filter strength: one of ${FILTER_STRENGTHS.join(', ')}`,
        );
      }
    }
    if (category === 'PROMPT_ATTACK' && output !== 'NONE') {
      problems.add(
        'contentFilters.PROMPT_ATTACK.output',
        `${JSON.stringify(output)} is not allowed: prompt attacks are detected in prompts only, so Bedrock requires NONE on responses`,
      );
    }
    merged[category] = { input, output };
  }
  return merged;
}

function checkGrounding(grounding: ContextualGroundingThresholds | undefined, problems: Problems): void {
  if (grounding === undefined) return;
  if (grounding.grounding === undefined && grounding.relevance === undefined) {
    problems.add('contextualGrounding', 'names no threshold: give grounding, relevance or both (0-0.99)');
  }
  for (const key of ['grounding', 'relevance'] as const) {
    const value = grounding[key];
    if (value === undefined || Token.isUnresolved(value)) continue;
    if (typeof value !== 'number' || !(value >= 0 && value <= 0.99)) {
      problems.add(
        `contextualGrounding.${key}`,
        `${JSON.stringify(value)} is not a threshold: a number from 0 to 0.99`,
      );
    }
  }
}

function groundingConfig(
  grounding: ContextualGroundingThresholds | undefined,
): CfnGuardrail.ContextualGroundingPolicyConfigProperty | undefined {
  if (grounding === undefined) return undefined;
  const filtersConfig = (
    [
      ['GROUNDING', grounding.grounding],
      ['RELEVANCE', grounding.relevance],
    ] as const
  )
    .filter(([, threshold]) => threshold !== undefined)
    .map(([type, threshold]) => ({ type, threshold: threshold as number }));
  return { filtersConfig };
}

function checkLength(value: string | undefined, max: number, path: string, problems: Problems): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (value.length < 1 || value.length > max) {
    problems.add(path, `${JSON.stringify(value)} is ${value.length} characters long: 1-${max} allowed`);
  }
}

/** JSON with object keys sorted, so the hash does not depend on property order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

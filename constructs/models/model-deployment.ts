import { CognitiveDeployment } from '@cdktf/provider-azurerm/lib/cognitive-deployment';
import { type ITerraformDependable, Token } from 'cdktf';
import { Construct } from 'constructs';
import type { ModelDeploymentInfo } from '../core/contracts';
import { Problems } from '../core/errors';
import {
  type ContentFilterPolicy,
  type IModelAccountRef,
  MICROSOFT_DEFAULT_CONTENT_FILTER,
} from './content-filter-policy';
import {
  capacityProblem,
  DEPLOYMENT_SKUS,
  type DeploymentSku,
  deploymentNameProblem,
  dimensionsProblem,
  effectiveDimensions,
  fineTunedFormatProblem,
  formatSkuProblem,
  isFineTunedModel,
  isProvisionedSku,
  type ModelRole,
  modelFormatProblem,
  VERSION_UPGRADE_OPTIONS,
  type VersionUpgradeOption,
  versionProblem,
} from './model-facts';

/** The model a deployment serves. */
export interface ModelSpec {
  /**
   * Model format (publisher): `OpenAI` for Azure OpenAI and fine-tuned models; others (e.g. `Meta`,
   * `Mistral AI`, `Microsoft`) need an `AIServices` account.
   * @default 'OpenAI'
   */
  readonly format?: string;
  /** Model name (`gpt-4o`, `text-embedding-3-large`) or a fine-tuned model id (`<base>.ft-<job id>`). */
  readonly name: string;
  /** Pinned model version (`2024-11-20`; fine-tuned models: `1`). Required: versions never float. */
  readonly version: string;
}

/** What to deploy and how big: the part of a deployment that does not depend on where it lives. */
export interface ModelDeploymentOptions {
  /** What the deployment serves. */
  readonly role: ModelRole;
  readonly model: ModelSpec;
  /**
   * Deployment type. Changing it replaces the deployment.
   * @default 'GlobalStandard'
   */
  readonly sku?: DeploymentSku;
  /**
   * Capacity of a standard, data zone, global or batch deployment, in thousands of tokens per minute
   * (Azure derives requests per minute from it). Required for those types; bounded by the
   * subscription's regional quota.
   * @default - none: required unless the SKU is provisioned
   */
  readonly capacityThousandTokensPerMinute?: number;
  /**
   * Capacity of a provisioned deployment, in PTU; minimum and increment depend on the type and model
   * (see {@link PROVISIONED_SIZING}). Required for provisioned types.
   * @default - none: required when the SKU is provisioned
   */
  readonly provisionedThroughputUnits?: number;
  /**
   * When Azure may move the deployment to a newer model version. `NoAutoUpgrade` keeps the pinned version
   * until you change it (production environments use it).
   * @default 'OnceCurrentVersionExpired' - the development profile's (the README's profile defaults): the
   * deployment keeps serving when its version retires
   */
  readonly versionUpgradeOption?: VersionUpgradeOption;
  /**
   * Vector dimensions of an embedding deployment. Required for embedding models not in
   * {@link EMBEDDING_DIMENSIONS}; for `text-embedding-3-*` a smaller value shortens the vectors.
   * @default - the model's native size
   */
  readonly dimensions?: number;
}

/** Properties of {@link ModelDeployment}. */
export interface ModelDeploymentProps extends ModelDeploymentOptions {
  /** The account that hosts the deployment. Forces replacement. */
  readonly account: IModelAccountRef;
  /** Deployment name, used in API paths (`/openai/deployments/<name>`). Forces replacement. */
  readonly name: string;
  /**
   * The content filter applied to prompts and completions. {@link MICROSOFT_DEFAULT_CONTENT_FILTER} is
   * an explicit opt-out to Microsoft's default policy; there is no implicit default.
   */
  readonly contentFilter: ContentFilterPolicy | typeof MICROSOFT_DEFAULT_CONTENT_FILTER;
  /**
   * Resources that must be written first. Azure rejects concurrent deployment writes on one account
   * (HTTP 409), so {@link ModelAccount} chains its deployments.
   * @default - only the content filter policy
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * Checks deployment options against the documented rules: deployment name, pinned version, fine-tuned
 * format, SKU, capacity in the unit and range of the SKU, known embedding dimensions. `path` prefixes
 * every problem (`props`, `props.deployments.chat`).
 */
export function checkDeploymentOptions(
  name: string,
  options: ModelDeploymentOptions,
  problems: Problems,
  path: string,
): void {
  const at = (p: string) => (path ? `${path}.${p}` : p);
  // Unresolved tokens pass: their value is known only at apply.
  const nameProblem = Token.isUnresolved(name) ? undefined : deploymentNameProblem(name);
  if (nameProblem) problems.add(path || 'name', nameProblem);
  const version = versionProblem(options.model.version);
  if (version) problems.add(at('model.version'), version);
  const modelFormat = options.model.format ?? 'OpenAI';
  const format =
    (Token.isUnresolved(modelFormat) ? undefined : modelFormatProblem(modelFormat)) ??
    fineTunedFormatProblem(options.model.name, modelFormat);
  if (format) problems.add(at('model.format'), format);
  const formatSku = formatSkuProblem(modelFormat, options.sku ?? 'GlobalStandard');
  if (formatSku) problems.add(at('sku'), formatSku);
  if (!['chat', 'embedding'].includes(options.role)) {
    problems.add(at('role'), `${JSON.stringify(options.role)} is not one of chat, embedding`);
  }
  const upgrade = options.versionUpgradeOption;
  if (upgrade !== undefined && !VERSION_UPGRADE_OPTIONS.includes(upgrade)) {
    problems.add(
      at('versionUpgradeOption'),
      `${JSON.stringify(upgrade)} is not one of ${VERSION_UPGRADE_OPTIONS.join(', ')}`,
    );
  }
  const sku = options.sku ?? 'GlobalStandard';
  if (!DEPLOYMENT_SKUS.includes(sku)) {
    problems.add(at('sku'), `${JSON.stringify(sku)} is not one of ${DEPLOYMENT_SKUS.join(', ')}`);
  } else {
    const provisioned = isProvisionedSku(sku);
    const [given, other] = provisioned
      ? (['provisionedThroughputUnits', 'capacityThousandTokensPerMinute'] as const)
      : (['capacityThousandTokensPerMinute', 'provisionedThroughputUnits'] as const);
    const value = options[given];
    if (options[other] !== undefined) {
      problems.add(at(other), `does not apply to ${sku} deployments: set ${given} instead`);
    }
    if (value === undefined) {
      problems.add(at(given), `is required for ${sku} deployments`);
    } else {
      const capacity = capacityProblem(sku, options.model.name, value);
      if (capacity) problems.add(at(given), capacity);
    }
  }
  const dims = dimensionsProblem(options.role, options.model.name, options.dimensions);
  if (dims) problems.add(at('dimensions'), dims);
}

/**
 * One model deployment on an AI Services / Azure OpenAI account, with a pinned model version, an
 * explicit content filter and capacity in the unit its SKU uses.
 *
 * Fine-tuned models deploy the same way: `model.name` is the fine-tuned model id returned by the
 * fine-tuning job in this account, `model.version` is `1`, format `OpenAI`.
 *
 * @see https://learn.microsoft.com/azure/ai-foundry/openai/how-to/create-resource#deploy-a-model
 */
export class ModelDeployment extends Construct {
  public readonly deployment: CognitiveDeployment;
  /** Deployment name. */
  public readonly deploymentName: string;
  /** The deployment as consumers (search, gateway, evaluation) see it. */
  public readonly info: ModelDeploymentInfo;
  /** Whether the model is a fine-tuned model. */
  public readonly fineTuned: boolean;
  /** Name of the RAI policy the deployment uses (`Microsoft.DefaultV2` only as an explicit opt-out). */
  public readonly contentFilterName: string;

  constructor(scope: Construct, id: string, props: ModelDeploymentProps) {
    super(scope, id);
    const problems = new Problems('props');
    checkDeploymentOptions(props.name, props, problems, '');
    if (props.contentFilter === undefined) {
      problems.add(
        'contentFilter',
        `is required: pass a ContentFilterPolicy, or ${JSON.stringify(MICROSOFT_DEFAULT_CONTENT_FILTER)} to opt out explicitly`,
      );
    }
    problems.throwIfAny(`Invalid ModelDeployment "${this.node.path}"`);

    const sku = props.sku ?? 'GlobalStandard';
    const policy = typeof props.contentFilter === 'string' ? undefined : props.contentFilter;
    this.contentFilterName = policy ? policy.policyName : MICROSOFT_DEFAULT_CONTENT_FILTER;
    this.deploymentName = props.name;
    this.fineTuned = isFineTunedModel(props.model.name);
    const dependsOn = [...new Set([...(props.dependsOn ?? []), ...(policy ? [policy.policy] : [])])];
    this.deployment = new CognitiveDeployment(this, 'Default', {
      name: props.name,
      cognitiveAccountId: props.account.accountId,
      model: { format: props.model.format ?? 'OpenAI', name: props.model.name, version: props.model.version },
      sku: {
        name: sku,
        capacity: isProvisionedSku(sku)
          ? props.provisionedThroughputUnits
          : props.capacityThousandTokensPerMinute,
      },
      versionUpgradeOption: props.versionUpgradeOption ?? 'OnceCurrentVersionExpired',
      raiPolicyName: this.contentFilterName,
      dependsOn: dependsOn.length ? dependsOn : undefined,
    });
    this.info = {
      deploymentName: props.name,
      role: props.role,
      modelName: props.model.name,
      modelVersion: props.model.version,
      dimensions: effectiveDimensions(props.role, props.model.name, props.dimensions),
      skuName: sku,
    };
  }
}

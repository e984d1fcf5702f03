import type { ModelDeploymentInfo } from '../core/contracts';
import { type Problems, show } from '../core/errors';

/**
 * The rules of the GenAI gateway's inputs, as pure checks that add to a {@link Problems}. The constructs
 * call them on their props; the config validation (`lib/config/sections/gateway.ts`) calls the same
 * checks on the environment file, so a config error and a construct error read the same. Free of cdktf;
 * `checkTokenLimits`, which lets unresolved tokens pass and only the constructs call, is in
 * `inference-api.ts`.
 */

/**
 * API Management tiers (the part of `sku_name` before `_`). Every tier with every unit count up to
 * {@link APIM_MAX_UNITS} matches the `sku_name` pattern azurerm validates
 * (hashicorp/terraform-provider-azurerm v4.55.0 `internal/services/apimanagement/validate/api_management_sku.go`; recorded in `AZURERM_ARGUMENT_RULES`).
 */
export const APIM_SKUS = [
  'Developer',
  'Basic',
  'Standard',
  'Premium',
  'BasicV2',
  'StandardV2',
  'PremiumV2',
] as const;
/** An API Management tier. */
export type ApimSku = (typeof APIM_SKUS)[number];

/**
 * Most scale units per tier (per region). Developer has exactly one and no SLA.
 *
 * @see https://learn.microsoft.com/azure/api-management/api-management-features
 * @see https://learn.microsoft.com/azure/api-management/v2-service-tiers-overview
 */
export const APIM_MAX_UNITS: Readonly<Record<ApimSku, number>> = {
  Developer: 1,
  Basic: 2,
  Standard: 4,
  Premium: 12,
  BasicV2: 10,
  StandardV2: 10,
  PremiumV2: 30,
};

/**
 * How API Management joins a virtual network (the same modes the network construct plans subnets for):
 *
 * - `classic-injection`: Developer and Premium, injected in internal mode. The gateway has only a private
 *   address in the subnet; private endpoints are not supported for injected instances.
 * - `v2-integration`: Standard v2 (and Premium v2) outbound integration: the gateway reaches private model
 *   endpoints through the subnet; inbound traffic comes through a private endpoint.
 * - `v2-injection`: Premium v2 injected in internal mode, private inbound and outbound.
 *
 * @see https://learn.microsoft.com/azure/api-management/virtual-network-concepts
 */
export type GatewayNetworkMode = 'classic-injection' | 'v2-integration' | 'v2-injection';

/** Tiers that support each network mode. */
export const NETWORK_MODE_SKUS: Readonly<Record<GatewayNetworkMode, readonly ApimSku[]>> = {
  'classic-injection': ['Developer', 'Premium'],
  'v2-integration': ['StandardV2', 'PremiumV2'],
  'v2-injection': ['PremiumV2'],
};

/** Tiers that can reach private backends (the model accounts of a private environment). */
export const PRIVATE_BACKEND_SKUS: readonly ApimSku[] = ['Developer', 'Premium', 'StandardV2', 'PremiumV2'];

/** One variant of an experiment. */
export interface ExperimentVariant {
  /** Model deployment that serves the variant (a deployment of the model endpoints). */
  readonly deployment: string;
  /**
   * Prompt version the application uses for the variant. The gateway cannot change a prompt: it returns
   * the version in `x-llmops-prompt-version` and records it; applications pin the variant (see
   * {@link Experiment.pinHeader}) when the variants differ only by prompt.
   * @default - none
   */
  readonly promptVersion?: string;
  /** Share of unpinned traffic in percent (0-100); the weights of an experiment sum to 100. */
  readonly weight: number;
}

/**
 * An A/B experiment. Clients call the experiment's name as the deployment
 * (`/openai/deployments/<experiment>/chat/completions`); the gateway picks a variant by weight, or the
 * one named in the pin header, and routes to that variant's deployment.
 */
export interface Experiment {
  /** Variants by name. A weight of 0 takes no unpinned traffic but can still be pinned. */
  readonly variants: Readonly<Record<string, ExperimentVariant>>;
  /**
   * Request header that pins a variant by name.
   * @default 'x-llmops-variant'
   */
  readonly pinHeader?: string;
}

/** The header that pins a variant unless an experiment names another. */
export const DEFAULT_PIN_HEADER = 'x-llmops-variant';

/** Experiment and variant names: they appear in URLs, headers and metric dimensions. */
export const GATEWAY_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const NAME_RULE = '1-64 letters, digits, "_", "." and "-", starting with a letter or digit';
const HEADER_PATTERN = /^[A-Za-z][A-Za-z0-9-]{0,63}$/;

/** A deployment as the checks need it: its role. */
export type DeploymentRoles = Readonly<Record<string, Pick<ModelDeploymentInfo, 'role'>>>;

function declared(deployments: DeploymentRoles): string {
  return Object.keys(deployments).join(', ') || 'none';
}

/**
 * Checks a name of the gateway (an experiment, a variant, a deployment or a consumer) against
 * {@link GATEWAY_NAME_PATTERN}; `what` names the kind in the message.
 */
export function checkGatewayName(problems: Problems, value: string, path: string, what: string): void {
  problems.check(
    GATEWAY_NAME_PATTERN.test(value),
    path,
    `${what} name ${show(value)} breaks the rule: ${NAME_RULE}`,
  );
}

/**
 * The experiment rules both gateways share (API Management here, the AWS router in
 * `constructs/aws/gateway/validation.ts`): names, a valid pin header, at least one variant, integer weights
 * 0-100 that sum to 100, prompt versions that fit a header, and variants whose deployments are of one kind.
 * `deploymentKind` checks a variant's deployment, reports its own problem at `path`, and returns the
 * deployment's kind (its role) when there is one to compare.
 */
export function checkExperimentRules(
  experiments: Readonly<Record<string, Experiment>>,
  problems: Problems,
  path: string,
  deploymentKind: (deployment: string, path: string) => string | undefined,
): void {
  for (const [name, experiment] of Object.entries(experiments)) {
    const at = `${path}.${name}`;
    checkGatewayName(problems, name, at, 'experiment');
    const pinHeader = experiment.pinHeader ?? DEFAULT_PIN_HEADER;
    problems.check(
      HEADER_PATTERN.test(pinHeader),
      `${at}.pinHeader`,
      `${show(pinHeader)} is not a header name: letters, digits and "-", starting with a letter`,
    );
    const variants = Object.entries(experiment.variants);
    if (!problems.check(variants.length > 0, `${at}.variants`, 'declare at least one variant')) continue;
    const kinds = new Set<string>();
    for (const [variantName, variant] of variants) {
      const vat = `${at}.variants.${variantName}`;
      checkGatewayName(problems, variantName, vat, 'variant');
      problems.check(
        Number.isInteger(variant.weight) && variant.weight >= 0 && variant.weight <= 100,
        `${vat}.weight`,
        `${show(variant.weight)} is out of range: an integer percentage 0-100`,
      );
      const kind = deploymentKind(variant.deployment, `${vat}.deployment`);
      if (kind !== undefined) kinds.add(kind);
      if (variant.promptVersion !== undefined) {
        problems.check(
          GATEWAY_NAME_PATTERN.test(variant.promptVersion),
          `${vat}.promptVersion`,
          `${show(variant.promptVersion)} breaks the rule: ${NAME_RULE}`,
        );
      }
    }
    const sum = variants.reduce((total, [, v]) => total + v.weight, 0);
    problems.check(
      sum === 100,
      `${at}.variants`,
      `weights ${variants.map(([n, v]) => `${v.weight} (${n})`).join(' + ')} = ${sum}, must sum to 100`,
    );
    problems.check(
      kinds.size <= 1,
      `${at}.variants`,
      `variants mix deployment roles (${[...kinds].sort().join(', ')}): every variant of an experiment must serve the same API`,
    );
  }
}

/**
 * Checks experiments ({@link checkExperimentRules}) whose variants reference existing deployments of one
 * role.
 */
export function checkExperiments(
  experiments: Readonly<Record<string, Experiment>>,
  deployments: DeploymentRoles,
  problems: Problems,
  path = 'experiments',
): void {
  checkExperimentRules(experiments, problems, path, (deployment, at) => {
    const target = deployments[deployment];
    problems.check(
      target !== undefined,
      at,
      `${show(deployment)} is not a model deployment (declared: ${declared(deployments)})`,
    );
    return target?.role;
  });
}

/** Token limits of a product, applied per subscription. */
export interface TokenLimits {
  /** Tokens (prompt + completion) per minute per subscription; over it callers get 429. */
  readonly tokensPerMinute: number;
  /**
   * Tokens per subscription per {@link tokenQuotaPeriod}; over it callers get 403.
   * @default - no quota
   */
  readonly tokenQuota?: number;
  /** @default 'Monthly' */
  readonly tokenQuotaPeriod?: 'Hourly' | 'Daily' | 'Weekly' | 'Monthly' | 'Yearly';
}

/** Checks the share of prompts and completions logged (0-100) and the LLM log retention (4-730 days). */
export function checkLogging(
  logging: { readonly bodySampleRatePercent?: number; readonly retentionDays?: number },
  problems: Problems,
  path = 'logging',
): void {
  const at = (key: string) => (path ? `${path}.${key}` : key);
  const rate = logging.bodySampleRatePercent;
  if (rate !== undefined) {
    problems.check(
      rate >= 0 && rate <= 100,
      at('bodySampleRatePercent'),
      `${show(rate)} is out of range: 0-100 percent`,
    );
  }
  const days = logging.retentionDays;
  if (days !== undefined) {
    problems.check(
      Number.isInteger(days) && days >= 4 && days <= 730,
      at('retentionDays'),
      `${show(days)} is out of range: 4-730 days (Log Analytics table retention)`,
    );
  }
}

/** Checks the tier's scale units. */
export function checkSkuCapacity(
  sku: ApimSku,
  capacity: number,
  problems: Problems,
  path = 'capacity',
): void {
  const max = APIM_MAX_UNITS[sku];
  problems.check(
    Number.isInteger(capacity) && capacity >= 1 && capacity <= max,
    path,
    sku === 'Developer'
      ? `${show(capacity)} is not allowed: Developer has exactly 1 unit`
      : `${show(capacity)} is out of range: ${sku} allows 1-${max} units`,
  );
}

/** Checks that the tier supports the network mode, and that an injected gateway gets no private endpoint. */
export function checkNetworkMode(
  sku: ApimSku,
  mode: GatewayNetworkMode | undefined,
  privateEndpoint: boolean,
  problems: Problems,
  path = 'network',
): void {
  if (mode === undefined) return;
  const skus = NETWORK_MODE_SKUS[mode];
  problems.check(
    skus.includes(sku),
    `${path}.mode`,
    `${show(mode)} needs tier ${skus.join(' or ')}, got ${show(sku)}`,
  );
  problems.check(
    !(privateEndpoint && mode !== 'v2-integration'),
    'privateEndpoint',
    `an injected gateway (${mode}) is reached inside its network: private endpoints are not supported for injected instances`,
  );
}

/** Semantic caching of chat completions. */
export interface SemanticCacheSettings {
  /** Embedding deployment that vectorizes prompts for the cache lookup. */
  readonly embeddingsDeployment: string;
  /**
   * How close a prompt must be to a cached one (0-1; lower demands closer matches).
   * @default 0.05
   */
  readonly scoreThreshold?: number;
  /**
   * Seconds a cached completion is served.
   * @default 3600
   */
  readonly durationSeconds?: number;
}

/** Checks semantic cache settings against the deployments. */
export function checkSemanticCache(
  cache: SemanticCacheSettings,
  deployments: DeploymentRoles,
  problems: Problems,
  path = 'semanticCache',
): void {
  const target = deployments[cache.embeddingsDeployment];
  if (
    problems.check(
      target !== undefined,
      `${path}.embeddingsDeployment`,
      `${show(cache.embeddingsDeployment)} is not a model deployment (declared: ${declared(deployments)})`,
    )
  ) {
    problems.check(
      target!.role === 'embedding',
      `${path}.embeddingsDeployment`,
      `${show(cache.embeddingsDeployment)} is a ${target!.role} deployment: the cache needs an embedding deployment`,
    );
  }
  if (cache.scoreThreshold !== undefined) {
    problems.check(
      cache.scoreThreshold > 0 && cache.scoreThreshold <= 1,
      `${path}.scoreThreshold`,
      `${show(cache.scoreThreshold)} is out of range: (0, 1]`,
    );
  }
  if (cache.durationSeconds !== undefined) {
    problems.check(
      Number.isInteger(cache.durationSeconds) && cache.durationSeconds > 0,
      `${path}.durationSeconds`,
      `${show(cache.durationSeconds)} must be a positive integer`,
    );
  }
}

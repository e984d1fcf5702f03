import { UsageError } from '../cli/exit';
import type { LoadedConfig } from '../config/environment';
import { type EvaluationConfig, priceOf, type Threshold } from '../config/sections/evaluation';
import type { AppliedPrice } from './cost';

/** The bound one metric is gated on (`environments.<env>.evaluation.thresholds.<metric>`), defaults resolved. */
export type MetricThreshold = Threshold;

/** Which way a score must go: `min` for quality scores (higher is better), `max` for latency or cost. */
export type ThresholdDirection = Threshold['direction'];

/** Thresholds keyed by metric name (e.g. `groundedness`, `latencyP95Ms`). */
export type Thresholds = EvaluationConfig['thresholds'];

/** The part of an environment's evaluation settings the evaluation tools read. */
export type EvaluationSettings = Pick<EvaluationConfig, 'thresholds' | 'dataset' | 'evaluators'> &
  Partial<Pick<EvaluationConfig, 'pricing' | 'promotion'>>;

/** A model deployment as the gate sees it: what it serves and on which deployment type. */
export interface GateDeployment {
  readonly role: string;
  readonly model: string;
  /** The key its price is read under: the Azure deployment type, or `OnDemand` on Bedrock. */
  readonly pricingTier: string;
}

/** A gateway experiment as the gate sees it: variants by name, each a deployment and a traffic weight. */
export interface GateExperiment {
  readonly variants: Readonly<Record<string, { readonly deployment: string; readonly weight: number }>>;
  /** The header that pins a variant. */
  readonly pinHeader?: string;
}

/** One environment as the evaluation tools read it. */
export interface EvaluationEnvironment {
  /**
   * Where the environment runs: scores go to Application Insights (`azure`) or CloudWatch (`aws`).
   * @default 'azure'
   */
  readonly cloud?: 'azure' | 'aws';
  /** AWS settings of an AWS environment: the region scores are published in. */
  readonly aws?: { readonly region: string };
  readonly evaluation: EvaluationSettings;
  readonly models?: { readonly deployments: Readonly<Record<string, GateDeployment>> };
  readonly gateway?: { readonly experiments: Readonly<Record<string, GateExperiment>> };
}

/**
 * The part of the loaded environment config the evaluation tools read. A {@link LoadedConfig} is one; tests
 * pass smaller objects.
 */
export interface EvaluationConfigSource {
  /** The config file read, as given (relative to the working directory). */
  readonly file: string;
  /** Environments keyed by name. */
  readonly environments: Readonly<Record<string, EvaluationEnvironment>>;
}

/**
 * Loads the environment config (`loadConfig` from `lib/config/load.ts`). `file` defaults to `$LLMOPS_CONFIG`
 * or `config/environments.yaml`; a missing or invalid file throws a `ValidationError` (exit 2).
 */
export type ConfigLoader = (file?: string) => EvaluationConfigSource;

/**
 * Returns one environment's evaluation settings.
 *
 * @throws UsageError (exit 2) naming the environment and listing the known ones when it is not in the config.
 */
export function selectEvaluationConfig(
  config: EvaluationConfigSource,
  environment: string,
): EvaluationSettings {
  return selectEnvironment(config, environment).evaluation;
}

/**
 * Returns one environment as the evaluation tools read it.
 *
 * @throws UsageError (exit 2) naming the environment and listing the known ones when it is not in the config.
 */
export function selectEnvironment(
  config: EvaluationConfigSource,
  environment: string,
): EvaluationEnvironment {
  const entry = Object.hasOwn(config.environments, environment)
    ? config.environments[environment]
    : undefined;
  if (!entry) {
    const known = Object.keys(config.environments).sort();
    throw new UsageError(
      `--env: unknown environment ${JSON.stringify(environment)} in ${config.file} (known: ${known.join(', ') || 'none'})`,
    );
  }
  return entry;
}

/**
 * The price the gate charges a run of `deployment` at: its model and deployment type in
 * `evaluation.pricing`. Undefined when the environment has no price table or no price for it (then
 * `costPer1kAnswers` stays unmeasured and, when required, fails the gate as missing).
 *
 * @throws UsageError (exit 2) when `deployment` is not a deployment of the environment
 */
export function priceForDeployment(
  env: EvaluationEnvironment,
  deployment: string,
  flag = '--deployment',
): AppliedPrice | undefined {
  const deployments = env.models?.deployments ?? {};
  const d = Object.hasOwn(deployments, deployment) ? deployments[deployment] : undefined;
  if (!d) {
    throw new UsageError(
      `${flag}: ${JSON.stringify(deployment)} is not a model deployment of the environment (known: ${Object.keys(deployments).sort().join(', ') || 'none'})`,
    );
  }
  const pricing = env.evaluation.pricing;
  const price = priceOf(pricing, d);
  return pricing && price
    ? { label: `${d.model} ${d.pricingTier}`, price, currency: pricing.currency, takenOn: pricing.takenOn }
    : undefined;
}

/**
 * The price of a run recorded as `deployment` (and `variant`, when it is a variant of the gateway
 * experiment of that name: then its own deployment is priced), or undefined when the run cannot be priced.
 * Never throws: the score sender records what it is given.
 */
export function priceForRun(
  env: EvaluationEnvironment,
  deployment: string,
  variant?: string,
): AppliedPrice | undefined {
  const experiments = env.gateway?.experiments ?? {};
  const experiment = Object.hasOwn(experiments, deployment) ? experiments[deployment] : undefined;
  const pinned =
    experiment && variant !== undefined && Object.hasOwn(experiment.variants, variant)
      ? experiment.variants[variant]!.deployment
      : deployment;
  const deployments = env.models?.deployments ?? {};
  return Object.hasOwn(deployments, pinned) ? priceForDeployment(env, pinned) : undefined;
}

import { UsageError } from '../cli/exit';
import type { LoadedConfig } from '../config/environment';
import type { EvaluationConfig, Threshold } from '../config/sections/evaluation';

/** The bound one metric is gated on (`environments.<env>.evaluation.thresholds.<metric>`), defaults resolved. */
export type MetricThreshold = Threshold;

/** Which way a score must go: `min` for quality scores (higher is better), `max` for latency or cost. */
export type ThresholdDirection = Threshold['direction'];

/** Thresholds keyed by metric name (e.g. `groundedness`, `latencyP95Ms`). */
export type Thresholds = EvaluationConfig['thresholds'];

/** The part of an environment's evaluation settings the evaluation tools read. */
export type EvaluationSettings = Pick<EvaluationConfig, 'thresholds' | 'dataset' | 'evaluators'>;

/**
 * The part of the loaded environment config the evaluation tools read. A {@link LoadedConfig} is one; tests
 * pass smaller objects.
 */
export interface EvaluationConfigSource {
  /** The config file read, as given (relative to the working directory). */
  readonly file: string;
  /** Environments keyed by name. */
  readonly environments: Readonly<Record<string, { readonly evaluation: EvaluationSettings }>>;
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
  const entry = Object.hasOwn(config.environments, environment)
    ? config.environments[environment]
    : undefined;
  if (!entry) {
    const known = Object.keys(config.environments).sort();
    throw new UsageError(
      `--env: unknown environment ${JSON.stringify(environment)} in ${config.file} (known: ${known.join(', ') || 'none'})`,
    );
  }
  return entry.evaluation;
}

import { Token } from 'aws-cdk-lib';
import { type Problems, show } from '../../core/errors';
import { checkExperimentRules, checkGatewayName } from '../../gateway/validation';
import { LOG_RETENTION_DAYS } from '../logging/encrypted-log-group';

export { DEFAULT_PIN_HEADER, GATEWAY_NAME_PATTERN } from '../../gateway/validation';

/**
 * The rules of the AWS gateway's inputs, as pure checks that add to a {@link Problems}. The name and
 * experiment rules are the Azure gateway's (`constructs/gateway/validation.ts`, free of cdktf), so a config
 * error reads the same on both clouds.
 */

/** One variant of an experiment. */
export interface GatewayVariant {
  /** Deployment that serves the variant (a key of `deployments`). */
  readonly deployment: string;
  /**
   * Prompt version the application uses for the variant: returned in `x-llmops-prompt-version` and logged;
   * the gateway cannot change a prompt.
   * @default - none (`x-llmops-prompt-version: none`)
   */
  readonly promptVersion?: string;
  /** Share of unpinned traffic in percent (an integer 0-100); the weights of an experiment sum to 100. */
  readonly weight: number;
}

/**
 * An A/B experiment. Clients call the experiment's name as the deployment (`POST /model/<experiment>/converse`).
 * The first variant is the control: a variant picked by weight falls back to it on throttling or a 5xx.
 */
export interface GatewayExperiment {
  /** Variants by name, control first. A weight of 0 takes no unpinned traffic but can still be pinned. */
  readonly variants: Readonly<Record<string, GatewayVariant>>;
  /**
   * Request header that pins a variant by name; a pinned request never falls back.
   * @default 'x-llmops-variant'
   */
  readonly pinHeader?: string;
}

/** Checks deployment names and that at least one deployment is served. */
export function checkDeployments(
  deployments: readonly string[],
  problems: Problems,
  path = 'deployments',
): void {
  problems.check(deployments.length > 0, path, 'declare at least one deployment');
  for (const d of deployments) checkGatewayName(problems, d, `${path}.${d}`, 'deployment');
}

/**
 * Checks experiments (the Azure gateway's {@link checkExperimentRules}) whose variants reference declared
 * deployments.
 */
export function checkExperiments(
  experiments: Readonly<Record<string, GatewayExperiment>>,
  deployments: readonly string[],
  problems: Problems,
  path = 'experiments',
): void {
  const declared = deployments.join(', ') || 'none';
  checkExperimentRules(experiments, problems, path, (deployment, at) => {
    problems.check(
      deployments.includes(deployment),
      at,
      `${show(deployment)} is not a deployment of the gateway (declared: ${declared})`,
    );
    return undefined; // one gateway, one API: no kinds to compare
  });
}

/** Checks consumer names and their tokens per minute (positive integers). */
export function checkConsumers(
  consumers: Readonly<Record<string, { readonly tokensPerMinute: number }>>,
  problems: Problems,
  path = 'consumers',
): void {
  const entries = Object.entries(consumers);
  problems.check(
    entries.length > 0,
    path,
    'declare at least one consumer: only consumers can call the gateway, each under its own token limit',
  );
  for (const [consumerName, consumer] of entries) {
    checkGatewayName(problems, consumerName, `${path}.${consumerName}`, 'consumer');
    const tpm = consumer.tokensPerMinute;
    problems.check(
      Token.isUnresolved(tpm) || (Number.isInteger(tpm) && tpm > 0),
      `${path}.${consumerName}.tokensPerMinute`,
      `${show(tpm)} must be a positive integer`,
    );
  }
}

/** Checks the share of prompts and completions logged (0-100) and the log retention (a CloudWatch period). */
export function checkLogging(
  logging: { readonly bodySampleRatePercent?: number; readonly retentionDays?: number },
  problems: Problems,
  path = 'logging',
): void {
  const rate = logging.bodySampleRatePercent;
  if (rate !== undefined) {
    problems.check(
      rate >= 0 && rate <= 100,
      `${path}.bodySampleRatePercent`,
      `${show(rate)} is out of range: 0-100 percent`,
    );
  }
  const days = logging.retentionDays;
  if (days !== undefined) {
    problems.check(
      LOG_RETENTION_DAYS.includes(days),
      `${path}.retentionDays`,
      `${show(days)} is not a CloudWatch Logs retention period: one of ${LOG_RETENTION_DAYS.join(', ')}`,
    );
  }
}

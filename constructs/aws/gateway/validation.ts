import { Token } from 'aws-cdk-lib';
import { type Problems, show } from '../../core/errors';
import { LOG_RETENTION_DAYS } from '../logging/encrypted-log-group';

/**
 * The rules of the AWS gateway's inputs, as pure checks that add to a {@link Problems}. They read like the
 * Azure gateway's (`constructs/gateway/validation.ts`, which imports cdktf and so cannot be imported here),
 * so a config error reads the same on both clouds.
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

/** The header that pins a variant unless an experiment names another (as on Azure). */
export const DEFAULT_PIN_HEADER = 'x-llmops-variant';

/** Experiment, variant, deployment and consumer names: they appear in URLs, headers, keys and metrics. */
export const GATEWAY_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const NAME_RULE = '1-64 letters, digits, "_", "." and "-", starting with a letter or digit';
const HEADER_PATTERN = /^[A-Za-z][A-Za-z0-9-]{0,63}$/;

function name(problems: Problems, value: string, path: string, what: string): void {
  problems.check(
    GATEWAY_NAME_PATTERN.test(value),
    path,
    `${what} name ${show(value)} breaks the rule: ${NAME_RULE}`,
  );
}

/** Checks deployment names and that at least one deployment is served. */
export function checkDeployments(
  deployments: readonly string[],
  problems: Problems,
  path = 'deployments',
): void {
  problems.check(deployments.length > 0, path, 'declare at least one deployment');
  for (const d of deployments) name(problems, d, `${path}.${d}`, 'deployment');
}

/**
 * Checks experiments: names, a valid pin header, at least one variant, integer weights 0-100 that sum to
 * 100, variants that reference declared deployments, prompt versions that fit a header.
 */
export function checkExperiments(
  experiments: Readonly<Record<string, GatewayExperiment>>,
  deployments: readonly string[],
  problems: Problems,
  path = 'experiments',
): void {
  const declared = deployments.join(', ') || 'none';
  for (const [experimentName, experiment] of Object.entries(experiments)) {
    const at = `${path}.${experimentName}`;
    name(problems, experimentName, at, 'experiment');
    const pinHeader = experiment.pinHeader ?? DEFAULT_PIN_HEADER;
    problems.check(
      HEADER_PATTERN.test(pinHeader),
      `${at}.pinHeader`,
      `${show(pinHeader)} is not a header name: letters, digits and "-", starting with a letter`,
    );
    const variants = Object.entries(experiment.variants);
    if (!problems.check(variants.length > 0, `${at}.variants`, 'declare at least one variant')) continue;
    for (const [variantName, variant] of variants) {
      const vat = `${at}.variants.${variantName}`;
      name(problems, variantName, vat, 'variant');
      problems.check(
        Number.isInteger(variant.weight) && variant.weight >= 0 && variant.weight <= 100,
        `${vat}.weight`,
        `${show(variant.weight)} is out of range: an integer percentage 0-100`,
      );
      problems.check(
        deployments.includes(variant.deployment),
        `${vat}.deployment`,
        `${show(variant.deployment)} is not a deployment of the gateway (declared: ${declared})`,
      );
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
  }
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
    name(problems, consumerName, `${path}.${consumerName}`, 'consumer');
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

import { QUALITY_SOURCES, type QualitySource } from '../../constructs/monitoring/quality-contract';
import { CheckFailedError, ExitCode, parseFlags, UsageError } from '../cli/exit';
import { type ConfigLoader, priceForRun, selectEnvironment } from './config';
import { withDerivedMetrics } from './cost';
import { readScoresFile } from './scores';
import {
  buildQualityEnvelopes,
  defaultTokenProvider,
  describeRejections,
  parseConnectionString,
  postEnvelopes,
  type TokenProvider,
  type TrackResult,
} from './sender';

/** What the send-scores command needs from its surroundings; tests inject fakes. */
export interface SendScoresDeps {
  /** Loads the environment config, to check `--env` names a configured environment. */
  readonly loadConfig: ConfigLoader;
  /** The current time, read only when `--time` is not given. @default () => new Date() */
  readonly now?: () => Date;
  /** Bearer token source. @default defaultTokenProvider(env): $AZURE_MONITOR_TOKEN, else the Azure CLI */
  readonly getToken?: TokenProvider;
  /** Environment variables (`APPLICATIONINSIGHTS_CONNECTION_STRING`, `GITHUB_RUN_ID`). @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where the report goes. @default process.stdout */
  readonly stdout?: (text: string) => void;
}

/** Usage line printed with missing-flag errors. */
export const SEND_SCORES_USAGE =
  'usage: send-scores --env <environment> --scores <file> --deployment <name> --source ci|continuous ' +
  '[--variant <name>] [--run-id <id>] [--connection-string <cs>] [--time <ISO 8601>] [--config <file>] [--dry-run]';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses `--time`: an ISO 8601 timestamp with a zone, e.g. `2025-06-01T12:00:00Z`. */
export function parseTimeFlag(value: string): Date {
  const time = new Date(value);
  if (!ISO_TIME.test(value) || Number.isNaN(time.getTime())) {
    throw new UsageError(
      `--time: ${JSON.stringify(value)} is not an ISO 8601 timestamp with a zone, e.g. 2025-06-01T12:00:00Z`,
    );
  }
  return time;
}

/**
 * Sends evaluation scores to Application Insights as quality events (one per metric).
 *
 * Flags: `--env`, `--scores`, `--deployment`, `--source` (ci|continuous) are required; `--variant` defaults to
 * `none`, `--run-id` to `$GITHUB_RUN_ID`, `--connection-string` to `$APPLICATIONINSIGHTS_CONNECTION_STRING`,
 * `--time` to now. `--dry-run` prints the payload and sends nothing (no token needed).
 *
 * Exit codes: 0 every event accepted; 1 (thrown `CheckFailedError`) when the API accepted fewer events than
 * sent or the request failed; 2 (thrown `UsageError`/`ValidationError`) for bad input.
 */
export async function sendScoresMain(argv: readonly string[], deps: SendScoresDeps): Promise<ExitCode> {
  const env = deps.env ?? process.env;
  const stdout = deps.stdout ?? ((text: string) => process.stdout.write(text));
  const { values, switches } = parseFlags(argv, {
    values: [
      'env',
      'scores',
      'deployment',
      'variant',
      'source',
      'run-id',
      'connection-string',
      'time',
      'config',
    ],
    switches: ['dry-run'],
  });
  const runId = values['run-id'] ?? env.GITHUB_RUN_ID;
  const connectionString = values['connection-string'] ?? env.APPLICATIONINSIGHTS_CONNECTION_STRING;
  const missing = [
    ...(['env', 'scores', 'deployment', 'source'] as const)
      .filter((f) => values[f] === undefined)
      .map((f) => `--${f}`),
    ...(runId ? [] : ['--run-id (or GITHUB_RUN_ID)']),
    ...(connectionString ? [] : ['--connection-string (or APPLICATIONINSIGHTS_CONNECTION_STRING)']),
  ];
  if (missing.length > 0) throw new UsageError(`missing ${missing.join(', ')} (${SEND_SCORES_USAGE})`);
  const source = values.source!;
  if (!(QUALITY_SOURCES as readonly string[]).includes(source)) {
    throw new UsageError(`--source: ${JSON.stringify(source)} must be one of ${QUALITY_SOURCES.join(', ')}`);
  }
  const time = values.time !== undefined ? parseTimeFlag(values.time) : (deps.now ?? (() => new Date()))();

  const environment = values.env!;
  const envConfig = selectEnvironment(deps.loadConfig(values.config), environment);
  const target = parseConnectionString(connectionString!);
  // Cost per 1,000 answers is priced here too, so production cost (continuous evaluation) is alerted on.
  const scores = withDerivedMetrics(
    readScoresFile(values.scores!).scores,
    priceForRun(envConfig, values.deployment!, values.variant),
  );
  const context = {
    environment,
    deployment: values.deployment!,
    variant: values.variant ?? 'none',
    source: source as QualitySource,
    runId: runId!,
  };
  const envelopes = buildQualityEnvelopes(scores, context, {
    instrumentationKey: target.instrumentationKey,
    time,
  });
  const subject = `quality event(s) for ${context.environment}/${context.deployment}/${context.variant} (source ${context.source}, run ${context.runId})`;
  const what = `${envelopes.length} ${subject}`;

  if (switches['dry-run']) {
    stdout(`${JSON.stringify(envelopes, null, 2)}\n`);
    stdout(`dry run: would send ${what}\n`);
    return ExitCode.Success;
  }

  const getToken = deps.getToken ?? defaultTokenProvider(env);
  let result: TrackResult;
  try {
    result = await postEnvelopes({ target, envelopes, getToken });
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const cause =
      (error as Error).cause instanceof Error ? ` (${((error as Error).cause as Error).message})` : '';
    throw new CheckFailedError(`sending ${what} failed: ${(error as Error).message}${cause}`);
  }
  if (!result.allAccepted) {
    const lines = describeRejections(result, envelopes).map((line) => `  - ${line}`);
    throw new CheckFailedError(
      `Application Insights accepted ${result.itemsAccepted} of ${what} (HTTP ${result.httpStatus}):\n${lines.join('\n')}`,
    );
  }
  stdout(`sent ${what}: ${result.itemsAccepted} accepted\n`);
  return ExitCode.Success;
}

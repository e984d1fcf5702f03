import { NO_VARIANT, QUALITY_METRICS_NAMESPACE } from '../../constructs/aws/monitoring/quality-metrics';
import { QUALITY_SOURCES, type QualitySource } from '../../constructs/monitoring/quality-contract';
import { CheckFailedError, ExitCode, parseFlags, UsageError } from '../cli/exit';
import {
  batchQualityDatums,
  buildQualityDatums,
  type CloudWatchClientFactory,
  type CloudWatchLike,
  defaultCloudWatchClient,
  describePutFailure,
  PutMetricDataError,
  type PutResult,
  putQualityMetrics,
} from './cloudwatch-sender';
import { type ConfigLoader, type EvaluationEnvironment, priceForRun, selectEnvironment } from './config';
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
  /**
   * The current time: the time stamp when `--time` is not given; on AWS also the reference of CloudWatch's
   * time stamp window. @default () => new Date()
   */
  readonly now?: () => Date;
  /** Bearer token source. @default defaultTokenProvider(env): $AZURE_MONITOR_TOKEN, else the Azure CLI */
  readonly getToken?: TokenProvider;
  /** Environment variables (`APPLICATIONINSIGHTS_CONNECTION_STRING`, `GITHUB_RUN_ID`). @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where the report goes. @default process.stdout */
  readonly stdout?: (text: string) => void;
  /**
   * Makes the CloudWatch client of an AWS environment's region (`aws.region`).
   * @default defaultCloudWatchClient: the SDK's `CloudWatchClient`, credentials from its default chain
   */
  readonly cloudWatch?: CloudWatchClientFactory;
}

/** Usage line printed with missing-flag errors. */
export const SEND_SCORES_USAGE =
  'usage: send-scores --env <environment> --scores <file> --deployment <name> --source ci|continuous ' +
  '[--variant <name>] [--run-id <id>] [--connection-string <cs> (Azure)] [--time <ISO 8601>] [--config <file>] [--dry-run]';

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
 * Sends evaluation scores where the environment's alerts read them: for an Azure environment to Application
 * Insights as quality events (one per metric), for an AWS environment (`cloud: aws`) to CloudWatch as
 * metric data in {@link QUALITY_METRICS_NAMESPACE} (one datum per metric, `PutMetricData` in the
 * environment's `aws.region`).
 *
 * Flags: `--env`, `--scores`, `--deployment`, `--source` (ci|continuous) are required; `--variant` defaults to
 * `none`, `--run-id` to `$GITHUB_RUN_ID`, `--time` to now. Azure only: `--connection-string` (default
 * `$APPLICATIONINSIGHTS_CONNECTION_STRING`), and `--run-id` is required. On AWS the run id is optional and
 * only named in the report (a dimension per run would make every run its own metric, which no alarm reads).
 * `--dry-run` prints the payload and sends nothing (no token, no AWS credentials needed).
 *
 * Exit codes: 0 everything accepted; 1 (thrown `CheckFailedError`) when Application Insights accepted fewer
 * events than sent, CloudWatch refused a request, or the call failed; 2 (thrown `UsageError`/`ValidationError`)
 * for bad input, including no token or no AWS credentials.
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
  const environment = values.env;
  // The cloud decides which flags apply, so the environment is looked up first.
  const envConfig =
    environment === undefined ? undefined : selectEnvironment(deps.loadConfig(values.config), environment);
  const aws = envConfig?.cloud === 'aws';
  if (aws && values['connection-string'] !== undefined) {
    throw new UsageError(
      `--connection-string: ${JSON.stringify(environment)} is an AWS environment (cloud: aws): its scores go to CloudWatch, not Application Insights; drop the flag`,
    );
  }
  const runId = values['run-id'] ?? env.GITHUB_RUN_ID;
  const connectionString = aws
    ? undefined
    : (values['connection-string'] ?? env.APPLICATIONINSIGHTS_CONNECTION_STRING);
  const azureFlags = envConfig !== undefined && !aws;
  const missing = [
    ...(['env', 'scores', 'deployment', 'source'] as const)
      .filter((f) => values[f] === undefined)
      .map((f) => `--${f}`),
    ...(!azureFlags || runId ? [] : ['--run-id (or GITHUB_RUN_ID)']),
    ...(!azureFlags || connectionString
      ? []
      : ['--connection-string (or APPLICATIONINSIGHTS_CONNECTION_STRING)']),
  ];
  if (missing.length > 0) throw new UsageError(`missing ${missing.join(', ')} (${SEND_SCORES_USAGE})`);
  const source = values.source!;
  if (!(QUALITY_SOURCES as readonly string[]).includes(source)) {
    throw new UsageError(`--source: ${JSON.stringify(source)} must be one of ${QUALITY_SOURCES.join(', ')}`);
  }
  const clock = deps.now ?? (() => new Date());
  const time = values.time !== undefined ? parseTimeFlag(values.time) : clock();

  if (aws) {
    return sendToCloudWatch({
      environment: environment!,
      envConfig: envConfig!,
      values,
      source: source as QualitySource,
      runId,
      time,
      now: values.time !== undefined ? clock() : time,
      dryRun: switches['dry-run'] === true,
      stdout,
      cloudWatch: deps.cloudWatch ?? defaultCloudWatchClient,
    });
  }

  const target = parseConnectionString(connectionString!);
  // Cost per 1,000 answers is priced here too, so production cost (continuous evaluation) is alerted on.
  const scores = withDerivedMetrics(
    readScoresFile(values.scores!).scores,
    priceForRun(envConfig!, values.deployment!, values.variant),
  );
  const context = {
    environment: environment!,
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

/** The AWS half of {@link sendScoresMain}: flags checked, environment resolved. */
async function sendToCloudWatch(args: {
  readonly environment: string;
  readonly envConfig: EvaluationEnvironment;
  readonly values: Partial<Record<'scores' | 'deployment' | 'variant' | 'config', string>>;
  readonly source: QualitySource;
  readonly runId: string | undefined;
  readonly time: Date;
  readonly now: Date;
  readonly dryRun: boolean;
  readonly stdout: (text: string) => void;
  readonly cloudWatch: CloudWatchClientFactory;
}): Promise<ExitCode> {
  const { environment, envConfig, values, stdout } = args;
  const region = envConfig.aws?.region;
  if (region === undefined || region === '') {
    throw new UsageError(
      `--env: ${JSON.stringify(environment)} is an AWS environment without aws.region in the config: scores are published in that region`,
    );
  }
  const scores = withDerivedMetrics(
    readScoresFile(values.scores!).scores,
    priceForRun(envConfig, values.deployment!, values.variant),
  );
  const context = {
    environment,
    deployment: values.deployment!,
    variant: values.variant ?? NO_VARIANT,
    source: args.source,
  };
  const datums = buildQualityDatums(scores, context, { time: args.time, now: args.now });
  const requests = batchQualityDatums(datums, QUALITY_METRICS_NAMESPACE);
  const run = args.runId ? `, run ${args.runId}` : '';
  const what =
    `${datums.length} quality metric datum(s) for ${environment}/${context.deployment}/${context.variant} ` +
    `(source ${context.source}${run}) to CloudWatch ${QUALITY_METRICS_NAMESPACE} in ${region}`;
  const calls = `${requests.length} PutMetricData call(s)`;

  if (args.dryRun) {
    stdout(`${JSON.stringify(requests, null, 2)}\n`);
    stdout(`dry run: would send ${what} in ${calls}\n`);
    return ExitCode.Success;
  }

  let client: CloudWatchLike;
  try {
    client = await args.cloudWatch(region);
  } catch (error) {
    throw new CheckFailedError(`sending ${what} failed: no CloudWatch client: ${(error as Error).message}`);
  }
  let result: PutResult;
  try {
    result = await putQualityMetrics(client, requests);
  } catch (error) {
    if (!(error instanceof PutMetricDataError)) throw error;
    const reason = describePutFailure(error.error, QUALITY_METRICS_NAMESPACE);
    throw new CheckFailedError(
      `sending ${what} failed: PutMetricData call ${error.requestIndex + 1} of ${requests.length}: ${reason}\n` +
        `  published before the failure: ${error.accepted.datumsAccepted} of ${datums.length} datum(s)`,
    );
  }
  stdout(`sent ${what}: ${result.datumsAccepted} accepted in ${calls}\n`);
  return ExitCode.Success;
}

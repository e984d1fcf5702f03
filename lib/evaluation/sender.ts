import { execFile } from 'node:child_process';
import { Problems, show } from '../../constructs/core/errors';
import {
  QUALITY_EVENT_NAME,
  QUALITY_SOURCES,
  QualityFields,
  type QualitySource,
} from '../../constructs/monitoring/quality-contract';
import { UsageError } from '../cli/exit';

/** The global ingestion endpoint, used when a connection string has no `IngestionEndpoint`. */
export const DEFAULT_INGESTION_ENDPOINT = 'https://dc.services.visualstudio.com';

/** Path of the Application Insights ingestion (track) API, appended to the ingestion endpoint. */
export const TRACK_PATH = '/v2.1/track';

/**
 * Microsoft Entra ID token scope for Application Insights ingestion (audience `https://monitor.azure.com`).
 *
 * @see https://learn.microsoft.com/azure/azure-monitor/app/azure-ad-authentication
 */
export const MONITOR_TOKEN_SCOPE = 'https://monitor.azure.com/.default';

/** Environment variable read for a ready-made bearer token (e.g. from `azure/login` + `az account get-access-token`). */
export const TOKEN_ENV_VAR = 'AZURE_MONITOR_TOKEN';

/** Cloud role name stamped on every quality event (`AppRoleName` in the workspace). */
export const QUALITY_CLOUD_ROLE = 'llmops-evaluation';

/** Application Insights limits for custom event properties. */
const MAX_PROPERTY_VALUE_LENGTH = 8192;

/** The two parts of a connection string the sender uses. */
export interface AppInsightsTarget {
  /** The resource's instrumentation key (a GUID); goes into every envelope's `iKey`. */
  readonly instrumentationKey: string;
  /** Ingestion endpoint without a trailing slash, e.g. `https://westeurope-5.in.applicationinsights.azure.com`. */
  readonly ingestionEndpoint: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Reads `InstrumentationKey` and `IngestionEndpoint` from an Application Insights connection string
 * (`Key=Value` pairs separated by `;`, keys case-insensitive).
 *
 * The endpoint must be `https`; plain `http` is accepted only for loopback hosts (local test stubs), so a
 * bearer token never travels unencrypted.
 *
 * @throws ValidationError (exit 2) naming every problem; the connection string itself is never echoed
 * @see https://learn.microsoft.com/azure/azure-monitor/app/connection-strings
 */
export function parseConnectionString(connectionString: string): AppInsightsTarget {
  const problems = new Problems('connection string');
  const pairs = new Map<string, string>();
  for (const [index, part] of connectionString.split(';').entries()) {
    const trimmed = part.trim();
    if (trimmed === '') continue;
    const eq = trimmed.indexOf('=');
    if (eq <= 0) {
      problems.add('', `part ${index + 1} is not "Key=Value"`);
      continue;
    }
    pairs.set(trimmed.slice(0, eq).trim().toLowerCase(), trimmed.slice(eq + 1).trim());
  }
  const key = pairs.get('instrumentationkey');
  if (key === undefined) problems.add('InstrumentationKey', 'is missing');
  else problems.check(GUID.test(key), 'InstrumentationKey', 'must be a GUID');

  const rawEndpoint = pairs.get('ingestionendpoint') ?? DEFAULT_INGESTION_ENDPOINT;
  let endpoint = '';
  try {
    const url = new URL(rawEndpoint);
    const secure =
      url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
    problems.check(
      secure,
      'IngestionEndpoint',
      `${show(rawEndpoint)} must use https (http is allowed only for 127.0.0.1, localhost and [::1])`,
    );
    endpoint = `${url.origin}${url.pathname}`.replace(/\/+$/, '');
  } catch {
    problems.add('IngestionEndpoint', `${show(rawEndpoint)} is not a URL`);
  }
  problems.throwIfAny('Invalid Application Insights connection string');
  return { instrumentationKey: key!, ingestionEndpoint: endpoint };
}

/** Who and what a set of scores describes; becomes the properties of every quality event. */
export interface QualityRunContext {
  /** Environment name, e.g. `prod`. */
  readonly environment: string;
  /** Model deployment evaluated, e.g. `chat`. */
  readonly deployment: string;
  /** Gateway experiment variant evaluated; `none` when not behind an experiment. */
  readonly variant: string;
  /** Where the scores came from. */
  readonly source: QualitySource;
  /** Identifier of the evaluation run (CI run id or scheduled run id). */
  readonly runId: string;
}

/** One Application Insights custom event envelope (`EventData`), as the ingestion API takes it. */
export interface EventEnvelope {
  /** Telemetry type of the envelope: a custom event. */
  readonly name: 'Microsoft.ApplicationInsights.Event';
  /** ISO 8601 timestamp of the evaluation run. */
  readonly time: string;
  /** Instrumentation key of the target resource. */
  readonly iKey: string;
  /** Context tags: `ai.cloud.role` ({@link QUALITY_CLOUD_ROLE}) and `ai.operation.id` (the run id). */
  readonly tags: Readonly<Record<string, string>>;
  /** The event: name {@link QUALITY_EVENT_NAME}, the contract's properties, the score as measurement. */
  readonly data: {
    readonly baseType: 'EventData';
    readonly baseData: {
      readonly ver: 2;
      readonly name: string;
      readonly properties: Readonly<Record<string, string>>;
      readonly measurements: Readonly<Record<string, number>>;
    };
  };
}

/** Inputs of {@link buildQualityEnvelopes} besides the scores. */
export interface EnvelopeOptions {
  /** The resource's instrumentation key. */
  readonly instrumentationKey: string;
  /** When the evaluation ran. Passed in (never read from the clock here) so output is deterministic. */
  readonly time: Date;
}

/**
 * Builds one custom event per metric under the quality contract (`constructs/monitoring/quality-contract.ts`):
 * event name {@link QUALITY_EVENT_NAME}; properties metric, deployment, variant, environment, source and run
 * id under their {@link QualityFields} names; the score as the only measurement. Metrics are in name order.
 * Pure: no I/O, no clock.
 *
 * @throws ValidationError listing every empty or over-long property, unknown source, non-finite score or bad time
 * @see https://learn.microsoft.com/azure/azure-monitor/app/data-model-complete#event
 */
export function buildQualityEnvelopes(
  scores: Readonly<Record<string, number>>,
  context: QualityRunContext,
  options: EnvelopeOptions,
): EventEnvelope[] {
  const problems = new Problems();
  const fields: Array<[keyof QualityRunContext, string]> = [
    ['environment', context.environment],
    ['deployment', context.deployment],
    ['variant', context.variant],
    ['runId', context.runId],
  ];
  for (const [name, value] of fields) {
    problems.check(
      typeof value === 'string' && value.trim() !== '' && value.length <= MAX_PROPERTY_VALUE_LENGTH,
      name,
      `${show(value)} must be a non-empty string of at most ${MAX_PROPERTY_VALUE_LENGTH} characters`,
    );
  }
  problems.check(
    (QUALITY_SOURCES as readonly string[]).includes(context.source),
    'source',
    `${show(context.source)} must be one of ${QUALITY_SOURCES.join(', ')}`,
  );
  problems.check(!Number.isNaN(options.time.getTime()), 'time', 'is not a valid date');
  const metrics = Object.keys(scores).sort();
  problems.check(metrics.length > 0, 'scores', 'there is no score to send');
  for (const metric of metrics) {
    problems.check(
      Number.isFinite(scores[metric]),
      `scores.${metric}`,
      `${show(scores[metric])} is not a number`,
    );
    problems.check(
      metric.length > 0 && metric.length <= MAX_PROPERTY_VALUE_LENGTH,
      `scores.${metric}`,
      'metric name must be 1 to 8192 characters',
    );
  }
  problems.throwIfAny('Cannot build quality events');

  const time = options.time.toISOString();
  return metrics.map((metric) => ({
    name: 'Microsoft.ApplicationInsights.Event',
    time,
    iKey: options.instrumentationKey,
    tags: { 'ai.cloud.role': QUALITY_CLOUD_ROLE, 'ai.operation.id': context.runId },
    data: {
      baseType: 'EventData',
      baseData: {
        ver: 2,
        name: QUALITY_EVENT_NAME,
        properties: {
          [QualityFields.metric]: metric,
          [QualityFields.deployment]: context.deployment,
          [QualityFields.variant]: context.variant,
          [QualityFields.environment]: context.environment,
          [QualityFields.source]: context.source,
          [QualityFields.runId]: context.runId,
        },
        measurements: { [QualityFields.score]: scores[metric]! },
      },
    },
  }));
}

/** One item the ingestion API rejected. */
export interface TrackError {
  /** Index of the envelope in the posted array. */
  readonly index: number;
  /** Per-item HTTP-like status, e.g. 400 for an item the API could not read. */
  readonly statusCode: number;
  /** The API's explanation. */
  readonly message: string;
}

/** The ingestion API's answer. */
export interface TrackResult {
  /** HTTP status: 200 all accepted, 206 partly accepted, 4xx/5xx rejected. */
  readonly httpStatus: number;
  /** Items the API read from the request. */
  readonly itemsReceived: number;
  /** Items it stored. */
  readonly itemsAccepted: number;
  /** One entry per item it did not store. */
  readonly errors: readonly TrackError[];
  /** True only when the status is 200 and every envelope sent was received and accepted. */
  readonly allAccepted: boolean;
  /** The response body, cut to 500 characters, when it was not the expected JSON. */
  readonly rawBody?: string;
}

/** Returns a bearer token for {@link MONITOR_TOKEN_SCOPE}. */
export type TokenProvider = () => Promise<string>;

/** Inputs of {@link postEnvelopes}. */
export interface PostOptions {
  /** Where to send (from {@link parseConnectionString}). */
  readonly target: AppInsightsTarget;
  /** What to send (from {@link buildQualityEnvelopes}). */
  readonly envelopes: readonly EventEnvelope[];
  /** Source of the Microsoft Entra bearer token. */
  readonly getToken: TokenProvider;
  /** Request timeout. @default 30000 */
  readonly timeoutMs?: number;
}

function asTrackError(value: unknown): TrackError | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.index !== 'number') return undefined;
  return {
    index: v.index,
    statusCode: typeof v.statusCode === 'number' ? v.statusCode : 0,
    message: typeof v.message === 'string' ? v.message : '',
  };
}

/**
 * Reads the ingestion API's response body: `{ itemsReceived, itemsAccepted, errors: [{ index, statusCode, message }] }`.
 * A body that is not that JSON counts as nothing received, and is kept (cut) in `rawBody`.
 */
export function parseTrackResponse(httpStatus: number, body: string, sent: number): TrackResult {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  const j = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  const wellFormed = typeof j.itemsReceived === 'number' && typeof j.itemsAccepted === 'number';
  const itemsReceived = typeof j.itemsReceived === 'number' ? j.itemsReceived : 0;
  const itemsAccepted = typeof j.itemsAccepted === 'number' ? j.itemsAccepted : 0;
  const errors = Array.isArray(j.errors) ? j.errors.map(asTrackError).filter((e) => e !== undefined) : [];
  return {
    httpStatus,
    itemsReceived,
    itemsAccepted,
    errors,
    allAccepted: httpStatus === 200 && itemsReceived === sent && itemsAccepted === sent,
    ...(wellFormed ? {} : { rawBody: body.slice(0, 500) }),
  };
}

/**
 * Posts envelopes to `<IngestionEndpoint>/v2.1/track` as a JSON array, authenticated with a Microsoft Entra
 * bearer token (local authentication is disabled on our Application Insights). The caller's identity needs
 * the Monitoring Metrics Publisher role on the Application Insights resource.
 *
 * Returns the parsed answer whatever the status; the caller decides what a partial acceptance means.
 *
 * @throws Error when the request cannot be made (network, timeout) or the token provider fails
 * @see https://learn.microsoft.com/azure/azure-monitor/app/azure-ad-authentication
 */
export async function postEnvelopes(options: PostOptions): Promise<TrackResult> {
  const token = await options.getToken();
  const response = await fetch(`${options.target.ingestionEndpoint}${TRACK_PATH}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(options.envelopes),
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  return parseTrackResponse(response.status, await response.text(), options.envelopes.length);
}

/**
 * One line per rejected item, naming its metric, e.g. `groundedness: 400 <message from the API>`,
 * plus a hint for authentication failures.
 */
export function describeRejections(result: TrackResult, envelopes: readonly EventEnvelope[]): string[] {
  const lines = result.errors.map((e) => {
    const metric = envelopes[e.index]?.data.baseData.properties[QualityFields.metric] ?? `item ${e.index}`;
    return `${metric}: ${e.statusCode} ${e.message}`.trimEnd();
  });
  if (result.httpStatus === 401 || result.httpStatus === 403) {
    lines.push(
      `HTTP ${result.httpStatus}: the token was refused; the identity needs the "Monitoring Metrics Publisher" role on the Application Insights resource and a token for ${MONITOR_TOKEN_SCOPE}`,
    );
  } else if (lines.length === 0) {
    lines.push(`HTTP ${result.httpStatus}${result.rawBody ? `: ${result.rawBody}` : ''}`);
  }
  return lines;
}

/** Runs a command and returns its stdout; injectable so tests need no Azure CLI. */
export type CommandRunner = (file: string, args: readonly string[]) => Promise<string>;

const runCommand: CommandRunner = (file, args) =>
  new Promise((resolve, reject) => {
    execFile(file, [...args], { timeout: 60_000, maxBuffer: 1024 * 1024 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
  });

/**
 * A token provider that runs `az account get-access-token --resource https://monitor.azure.com`.
 *
 * @throws UsageError (exit 2) when the Azure CLI is missing, not signed in, or prints no token
 */
export function azureCliTokenProvider(run: CommandRunner = runCommand): TokenProvider {
  return async () => {
    const args = [
      'account',
      'get-access-token',
      '--resource',
      'https://monitor.azure.com',
      '--query',
      'accessToken',
      '--output',
      'tsv',
    ];
    let out: string;
    try {
      out = await run('az', args);
    } catch (error) {
      const reason =
        (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? 'the Azure CLI (az) is not installed'
          : 'az failed';
      throw new UsageError(
        `no token for Application Insights: set ${TOKEN_ENV_VAR}, or sign in with "az login" (${reason}: ${(error as Error).message.split('\n')[0]})`,
      );
    }
    const token = out.trim();
    if (token === '')
      throw new UsageError('no token for Application Insights: az printed an empty access token');
    return token;
  };
}

/**
 * The default token provider: `$AZURE_MONITOR_TOKEN` when set, otherwise the Azure CLI.
 */
export function defaultTokenProvider(
  env: Readonly<Record<string, string | undefined>> = process.env,
  run: CommandRunner = runCommand,
): TokenProvider {
  const fromEnv = env[TOKEN_ENV_VAR]?.trim();
  if (fromEnv) return async () => fromEnv;
  return azureCliTokenProvider(run);
}

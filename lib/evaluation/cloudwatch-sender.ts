import type { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  QUALITY_METRICS_NAMESPACE,
  qualityMetricDimensions,
} from '../../constructs/aws/monitoring/quality-metrics';
import { Problems, show } from '../../constructs/core/errors';
import { QUALITY_SOURCES, type QualitySource } from '../../constructs/monitoring/quality-contract';
import { UsageError } from '../cli/exit';

/**
 * Limits of one `PutMetricData` call and of its data, from the API reference (read 2026-12-02): at most
 * 1,000 metrics and 1 MB per request, values within -2^360 to 2^360 (no NaN or infinity), time stamps
 * from two weeks before to two hours after the current time; metric names 1-255 characters; dimension
 * values 1-1024 ASCII characters, no control character, at least one that is not white space.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDatum.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Dimension.html
 */
export const PUT_METRIC_DATA_LIMITS = {
  /** Metric data per request. */
  maxDatums: 1000,
  /** Request body size in bytes ("1 MB"; read as 1,000,000 bytes, the smaller reading). */
  maxBytes: 1_000_000,
  /** Largest absolute value: 2^360. */
  maxAbsValue: 2 ** 360,
  /** How far back a time stamp may go: two weeks. */
  maxAgeMs: 14 * 24 * 3600 * 1000,
  /** How far ahead a time stamp may go: two hours. */
  maxAheadMs: 2 * 3600 * 1000,
  /** Metric name length. */
  maxMetricNameLength: 255,
  /** Dimension value length. */
  maxDimensionValueLength: 1024,
} as const;

/**
 * Unit of every score datum. The alarms of `QualityDriftAlarms` name no unit, so they read the datums
 * whatever their unit; `None` says a score has none (a 1-5 score, a rate, milliseconds and currency share
 * the contract's one value field, as on Azure).
 */
export const QUALITY_METRIC_UNIT = 'None';

/** Standard resolution (60 s): the alarms average over hours, high resolution would only cost more. */
export const QUALITY_STORAGE_RESOLUTION = 60;

/** One CloudWatch dimension. */
export interface QualityDimension {
  readonly Name: string;
  readonly Value: string;
}

/** One score as a CloudWatch `MetricDatum` (the SDK's shape, the fields the sender sets). */
export interface QualityDatum {
  /** The evaluation metric name (`gen_ai.evaluation.name`). */
  readonly MetricName: string;
  /** `gen_ai.request.model`, `llmops.variant`, `llmops.environment`, `llmops.evaluation.source`. */
  readonly Dimensions: readonly QualityDimension[];
  /** When the evaluation ran. */
  readonly Timestamp: Date;
  /** The score. */
  readonly Value: number;
  readonly Unit: typeof QUALITY_METRIC_UNIT;
  readonly StorageResolution: typeof QUALITY_STORAGE_RESOLUTION;
}

/** Who and what a set of scores describes; becomes the dimensions of every datum. */
export interface QualityMetricContext {
  /** Environment name, e.g. `aws-dev`. */
  readonly environment: string;
  /** Model deployment evaluated, e.g. `chat`. */
  readonly deployment: string;
  /** Gateway experiment variant evaluated, or `none`. */
  readonly variant: string;
  /** `ci` or `continuous`. */
  readonly source: QualitySource;
}

/** Inputs of {@link buildQualityDatums} besides the scores. */
export interface DatumOptions {
  /** When the evaluation ran. */
  readonly time: Date;
  /** The current time, to check `time` is within what CloudWatch accepts. Passed in so output is deterministic. */
  readonly now: Date;
}

function checkDimensionValue(problems: Problems, path: string, value: string): void {
  problems.check(
    typeof value === 'string' &&
      value.length >= 1 &&
      value.length <= PUT_METRIC_DATA_LIMITS.maxDimensionValueLength &&
      /^[\x20-\x7e]+$/.test(value) &&
      value.trim() !== '',
    path,
    `${show(value)} is not a CloudWatch dimension value: 1-${PUT_METRIC_DATA_LIMITS.maxDimensionValueLength} printable ASCII characters, not only spaces`,
  );
}

/**
 * Builds one CloudWatch datum per metric under the AWS side of the quality contract
 * (`constructs/aws/monitoring/quality-metrics.ts`): metric name = evaluation name, value = score, the four
 * dimensions of {@link qualityMetricDimensions} (the series `QualityDriftAlarms` reads), unit `None`,
 * standard resolution. Metrics in name order. The run id is not a dimension: CloudWatch would make every
 * run its own metric, which no alarm reads. Pure: no I/O, no clock.
 *
 * @throws ValidationError (exit 2) listing every value CloudWatch would refuse
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDatum.html
 */
export function buildQualityDatums(
  scores: Readonly<Record<string, number>>,
  context: QualityMetricContext,
  options: DatumOptions,
): QualityDatum[] {
  const problems = new Problems();
  checkDimensionValue(problems, 'environment', context.environment);
  checkDimensionValue(problems, 'deployment', context.deployment);
  checkDimensionValue(problems, 'variant', context.variant);
  problems.check(
    (QUALITY_SOURCES as readonly string[]).includes(context.source),
    'source',
    `${show(context.source)} must be one of ${QUALITY_SOURCES.join(', ')}`,
  );
  const time = options.time.getTime();
  if (Number.isNaN(time)) {
    problems.add('time', 'is not a valid date');
  } else {
    const now = options.now.getTime();
    problems.check(
      time >= now - PUT_METRIC_DATA_LIMITS.maxAgeMs && time <= now + PUT_METRIC_DATA_LIMITS.maxAheadMs,
      'time',
      `${options.time.toISOString()} is outside what CloudWatch accepts: from two weeks before to two hours after now (${options.now.toISOString()})`,
    );
  }
  const metrics = Object.keys(scores).sort();
  problems.check(metrics.length > 0, 'scores', 'there is no score to send');
  for (const metric of metrics) {
    const value = scores[metric]!;
    problems.check(
      Number.isFinite(value) && Math.abs(value) <= PUT_METRIC_DATA_LIMITS.maxAbsValue,
      `scores.${metric}`,
      `${show(value)} is not a number CloudWatch accepts (finite, from -2^360 to 2^360)`,
    );
    problems.check(
      metric.length >= 1 && metric.length <= PUT_METRIC_DATA_LIMITS.maxMetricNameLength,
      `scores.${metric}`,
      `metric name must be 1 to ${PUT_METRIC_DATA_LIMITS.maxMetricNameLength} characters (CloudWatch MetricName)`,
    );
  }
  problems.throwIfAny('Cannot build CloudWatch quality metrics');

  const dimensions = Object.entries(
    qualityMetricDimensions({
      deployment: context.deployment,
      variant: context.variant,
      environment: context.environment,
      source: context.source,
    }),
  ).map(([Name, Value]) => ({ Name, Value }));
  return metrics.map((metric) => ({
    MetricName: metric,
    Dimensions: dimensions,
    Timestamp: new Date(time),
    Value: scores[metric]!,
    Unit: QUALITY_METRIC_UNIT,
    StorageResolution: QUALITY_STORAGE_RESOLUTION,
  }));
}

/** The input of one `PutMetricData` call. */
export interface QualityMetricRequest {
  readonly Namespace: string;
  readonly MetricData: readonly QualityDatum[];
}

/** Size of a request's body, as JSON (CloudWatch's awsJson1_0 protocol; time stamps as ISO strings, longer than the epoch numbers sent). */
export function requestBytes(request: QualityMetricRequest): number {
  return Buffer.byteLength(JSON.stringify(request), 'utf8');
}

/**
 * Splits datums into `PutMetricData` requests of at most {@link PUT_METRIC_DATA_LIMITS} `maxDatums` datums
 * and `maxBytes` bytes each, keeping their order.
 */
export function batchQualityDatums(
  datums: readonly QualityDatum[],
  namespace: string = QUALITY_METRICS_NAMESPACE,
  limits: { readonly maxDatums: number; readonly maxBytes: number } = PUT_METRIC_DATA_LIMITS,
): QualityMetricRequest[] {
  const requests: QualityMetricRequest[] = [];
  const empty = requestBytes({ Namespace: namespace, MetricData: [] });
  let current: QualityDatum[] = [];
  let bytes = empty;
  for (const datum of datums) {
    const size = Buffer.byteLength(JSON.stringify(datum), 'utf8');
    // +1: the comma before every item but the first
    if (current.length > 0 && (current.length >= limits.maxDatums || bytes + 1 + size > limits.maxBytes)) {
      requests.push({ Namespace: namespace, MetricData: current });
      current = [];
      bytes = empty;
    }
    bytes += (current.length > 0 ? 1 : 0) + size;
    current.push(datum);
  }
  if (current.length > 0) requests.push({ Namespace: namespace, MetricData: current });
  return requests;
}

/** The part of the SDK's `CloudWatchClient` the sender uses; tests pass a fake. */
export interface CloudWatchLike {
  send(command: PutMetricDataCommand): Promise<unknown>;
}

/** Makes the CloudWatch client for a region. */
export type CloudWatchClientFactory = (region: string) => CloudWatchLike | Promise<CloudWatchLike>;

/**
 * The real client: `CloudWatchClient` of `@aws-sdk/client-cloudwatch` in `region`, credentials from the
 * SDK's default chain (in GitHub Actions the role `aws-actions/configure-aws-credentials` assumed with
 * OIDC; locally `AWS_PROFILE`, SSO, environment variables). The SDK is loaded only when an AWS environment
 * sends.
 *
 * @see https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/setting-credentials-node.html
 */
export const defaultCloudWatchClient: CloudWatchClientFactory = async (region) => {
  const { CloudWatchClient } = await import('@aws-sdk/client-cloudwatch');
  return new CloudWatchClient({ region });
};

/** How far {@link putQualityMetrics} got. */
export interface PutResult {
  /** Requests CloudWatch accepted. */
  readonly requestsAccepted: number;
  /** Datums in those requests. */
  readonly datumsAccepted: number;
}

/** A failed `PutMetricData` call, with how far the sender got before it. */
export class PutMetricDataError extends Error {
  constructor(
    /** The SDK's (or the network's) error. */
    public readonly error: unknown,
    /** Index of the request that failed. */
    public readonly requestIndex: number,
    /** What was accepted before. */
    public readonly accepted: PutResult,
  ) {
    super(error instanceof Error ? error.message : String(error));
    this.name = 'PutMetricDataError';
  }
}

/**
 * Sends the requests in order, one `PutMetricData` call each; CloudWatch stores a request whole or not at
 * all. Stops at the first failure.
 *
 * @throws PutMetricDataError naming the failed request and what was accepted before it
 */
export async function putQualityMetrics(
  client: CloudWatchLike,
  requests: readonly QualityMetricRequest[],
): Promise<PutResult> {
  const { PutMetricDataCommand } = await import('@aws-sdk/client-cloudwatch');
  let requestsAccepted = 0;
  let datumsAccepted = 0;
  for (const [index, request] of requests.entries()) {
    try {
      await client.send(
        new PutMetricDataCommand({
          Namespace: request.Namespace,
          MetricData: request.MetricData.map((d) => ({ ...d, Dimensions: [...d.Dimensions] })),
        }),
      );
    } catch (error) {
      throw new PutMetricDataError(error, index, { requestsAccepted, datumsAccepted });
    }
    requestsAccepted++;
    datumsAccepted += request.MetricData.length;
  }
  return { requestsAccepted, datumsAccepted };
}

/** Error names the SDK's default credential chain throws when it finds no credentials. */
const NO_CREDENTIALS = new Set(['CredentialsProviderError']);

/** Error names of an IAM refusal. */
const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']);

/**
 * Why a `PutMetricData` call failed, in one line: the service's error name, HTTP status and message, and
 * for an IAM refusal the permission the caller needs.
 *
 * @throws UsageError (exit 2) when the SDK found no credentials (as on Azure, where no token is bad input)
 */
export function describePutFailure(error: unknown, namespace: string): string {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown;
    message?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const message = typeof e.message === 'string' ? e.message : String(error);
  if (NO_CREDENTIALS.has(name)) {
    throw new UsageError(
      `no AWS credentials for CloudWatch: ${message} (in GitHub Actions, assume the verify role with aws-actions/configure-aws-credentials; locally, set AWS_PROFILE or sign in with "aws sso login")`,
    );
  }
  const status =
    typeof e.$metadata?.httpStatusCode === 'number' ? ` (HTTP ${e.$metadata.httpStatusCode})` : '';
  const hint = ACCESS_DENIED.has(name)
    ? `; the caller needs cloudwatch:PutMetricData with the condition cloudwatch:namespace = ${namespace} (the verify role of bootstrap-<env> has it)`
    : '';
  return `${name}${status}: ${message}${hint}`;
}

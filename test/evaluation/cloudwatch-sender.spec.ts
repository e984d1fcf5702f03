import {
  CloudWatchServiceException,
  InvalidParameterValueException,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { ValidationError } from '../../constructs/core/errors';
import { UsageError } from '../../lib/cli/exit';
import {
  batchQualityDatums,
  buildQualityDatums,
  type CloudWatchLike,
  defaultCloudWatchClient,
  describePutFailure,
  PUT_METRIC_DATA_LIMITS,
  PutMetricDataError,
  putQualityMetrics,
  type QualityMetricContext,
  requestBytes,
} from '../../lib/evaluation/cloudwatch-sender';

const TIME = new Date('2025-06-01T12:00:00Z');
const NOW = new Date('2025-06-01T12:30:00Z');
const CONTEXT: QualityMetricContext = {
  environment: 'aws-dev',
  deployment: 'chat',
  variant: 'control',
  source: 'continuous',
};

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  throw new Error('expected a ValidationError');
}

/** A fake CloudWatch client: records every command; `fail(i)` decides what call i throws. */
function fakeClient(fail: (call: number) => unknown = () => undefined) {
  const commands: PutMetricDataCommand[] = [];
  const client: CloudWatchLike = {
    send: async (command) => {
      commands.push(command);
      const error = fail(commands.length - 1);
      if (error !== undefined) throw error;
      return { $metadata: { httpStatusCode: 200 } };
    },
  };
  return { client, commands };
}

describe('buildQualityDatums', () => {
  test('one datum per metric, in name order, with the four contract dimensions, unit None, standard resolution', () => {
    const datums = buildQualityDatums({ groundedness: 4.5, coherence: 4.1 }, CONTEXT, {
      time: TIME,
      now: NOW,
    });
    expect(datums).toEqual([
      {
        MetricName: 'coherence',
        Dimensions: [
          { Name: 'gen_ai.request.model', Value: 'chat' },
          { Name: 'llmops.variant', Value: 'control' },
          { Name: 'llmops.environment', Value: 'aws-dev' },
          { Name: 'llmops.evaluation.source', Value: 'continuous' },
        ],
        Timestamp: TIME,
        Value: 4.1,
        Unit: 'None',
        StorageResolution: 60,
      },
      expect.objectContaining({ MetricName: 'groundedness', Value: 4.5 }),
    ]);
  });

  test('accepts time stamps at the edges of the window: two weeks back, two hours ahead', () => {
    const twoWeeksBack = new Date(NOW.getTime() - PUT_METRIC_DATA_LIMITS.maxAgeMs);
    const twoHoursAhead = new Date(NOW.getTime() + 2 * 3600 * 1000);
    for (const time of [twoWeeksBack, twoHoursAhead]) {
      expect(buildQualityDatums({ groundedness: 4 }, CONTEXT, { time, now: NOW })[0]!.Timestamp).toEqual(
        time,
      );
    }
  });

  test('refuses time stamps CloudWatch would refuse, naming the window', () => {
    const late = new Date(NOW.getTime() + 2 * 3600 * 1000 + 1000);
    expect(
      problemsOf(() => buildQualityDatums({ groundedness: 4 }, CONTEXT, { time: late, now: NOW })),
    ).toEqual([
      'time: 2025-06-01T14:30:01.000Z is outside what CloudWatch accepts: from two weeks before to two hours after now (2025-06-01T12:30:00.000Z)',
    ]);
    const old = new Date('2025-05-18T12:29:59Z');
    expect(
      problemsOf(() => buildQualityDatums({ groundedness: 4 }, CONTEXT, { time: old, now: NOW })),
    ).toEqual([
      'time: 2025-05-18T12:29:59.000Z is outside what CloudWatch accepts: from two weeks before to two hours after now (2025-06-01T12:30:00.000Z)',
    ]);
  });

  test('lists every value CloudWatch would refuse at once', () => {
    const problems = problemsOf(() =>
      buildQualityDatums(
        { ['x'.repeat(256)]: 1, big: 2 ** 361, nan: Number.NaN },
        { environment: 'aws-dev', deployment: 'chät', variant: ' ', source: 'nightly' as never },
        { time: TIME, now: NOW },
      ),
    );
    expect(problems).toEqual([
      'deployment: "chät" is not a CloudWatch dimension value: 1-1024 printable ASCII characters, not only spaces',
      'variant: " " is not a CloudWatch dimension value: 1-1024 printable ASCII characters, not only spaces',
      'source: "nightly" must be one of ci, continuous',
      `scores.big: ${2 ** 361} is not a number CloudWatch accepts (finite, from -2^360 to 2^360)`,
      'scores.nan: NaN is not a number CloudWatch accepts (finite, from -2^360 to 2^360)',
      `scores.${'x'.repeat(256)}: metric name must be 1 to 255 characters (CloudWatch MetricName)`,
    ]);
  });

  test('refuses an empty score set', () => {
    expect(problemsOf(() => buildQualityDatums({}, CONTEXT, { time: TIME, now: NOW }))).toEqual([
      'scores: there is no score to send',
    ]);
  });
});

describe('batchQualityDatums', () => {
  const manyScores = (n: number) =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`m${String(i).padStart(4, '0')}`, i]));

  test('at most 1,000 datums per PutMetricData request, order kept', () => {
    const datums = buildQualityDatums(manyScores(2501), CONTEXT, { time: TIME, now: NOW });
    const requests = batchQualityDatums(datums);
    expect(requests.map((r) => r.MetricData.length)).toEqual([1000, 1000, 501]);
    expect(requests.every((r) => r.Namespace === 'LLMOps/Quality')).toBe(true);
    expect(requests.flatMap((r) => r.MetricData)).toEqual(datums);
  });

  test('at most 1 MB per request: long dimension values split earlier than 1,000 datums', () => {
    // GIVEN a deployment name of the longest dimension value CloudWatch takes (1024 characters)
    const long = { ...CONTEXT, deployment: 'd'.repeat(1024) };
    const datums = buildQualityDatums(manyScores(1000), long, { time: TIME, now: NOW });
    // WHEN batched
    const requests = batchQualityDatums(datums);
    // THEN every request stays within 1,000,000 bytes, and filling one more datum would have crossed it
    expect(requests.length).toBeGreaterThan(1);
    for (const [i, r] of requests.entries()) {
      expect(requestBytes(r)).toBeLessThanOrEqual(PUT_METRIC_DATA_LIMITS.maxBytes);
      const next = requests[i + 1]?.MetricData[0];
      if (next) {
        expect(requestBytes({ ...r, MetricData: [...r.MetricData, next] })).toBeGreaterThan(
          PUT_METRIC_DATA_LIMITS.maxBytes,
        );
      }
    }
    expect(requests.flatMap((r) => r.MetricData)).toEqual(datums);
  });
});

describe('putQualityMetrics', () => {
  test('sends one PutMetricDataCommand per request, in order, with the request as its input', async () => {
    const datums = buildQualityDatums({ groundedness: 4.5, relevance: 4.2 }, CONTEXT, {
      time: TIME,
      now: NOW,
    });
    const requests = batchQualityDatums(datums, 'LLMOps/Quality', { maxDatums: 1, maxBytes: 1_000_000 });
    const { client, commands } = fakeClient();
    await expect(putQualityMetrics(client, requests)).resolves.toEqual({
      requestsAccepted: 2,
      datumsAccepted: 2,
    });
    expect(commands).toHaveLength(2);
    expect(commands[0]).toBeInstanceOf(PutMetricDataCommand);
    expect(commands.map((c) => c.input)).toEqual(requests);
  });

  test('stops at the first refused request and says what was accepted before it', async () => {
    const datums = buildQualityDatums({ a: 1, b: 2, c: 3 }, CONTEXT, { time: TIME, now: NOW });
    const requests = batchQualityDatums(datums, 'LLMOps/Quality', { maxDatums: 1, maxBytes: 1_000_000 });
    const refusal = new InvalidParameterValueException({
      message: 'The value 2 for parameter MetricData.member.1.Value is invalid.',
      $metadata: { httpStatusCode: 400 },
    });
    const { client, commands } = fakeClient((call) => (call === 1 ? refusal : undefined));
    const failure = await putQualityMetrics(client, requests).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PutMetricDataError);
    expect((failure as PutMetricDataError).requestIndex).toBe(1);
    expect((failure as PutMetricDataError).accepted).toEqual({ requestsAccepted: 1, datumsAccepted: 1 });
    expect((failure as PutMetricDataError).error).toBe(refusal);
    expect(commands).toHaveLength(2);
  });
});

describe('describePutFailure', () => {
  test('names the service error, its HTTP status and message', () => {
    const error = new InvalidParameterValueException({
      message: 'The parameter MetricData.member.1.Timestamp must specify a time within the past two weeks.',
      $metadata: { httpStatusCode: 400 },
    });
    expect(describePutFailure(error, 'LLMOps/Quality')).toBe(
      'InvalidParameterValueException (HTTP 400): The parameter MetricData.member.1.Timestamp must specify a time within the past two weeks.',
    );
  });

  test('an IAM refusal names the permission and its namespace condition', () => {
    const error = new CloudWatchServiceException({
      name: 'AccessDeniedException',
      $fault: 'client',
      message:
        'User: arn:aws:sts::123456789012:assumed-role/llmops-aws-dev-verify/gh is not authorized to perform: cloudwatch:PutMetricData',
      $metadata: { httpStatusCode: 403 },
    });
    expect(describePutFailure(error, 'LLMOps/Quality')).toBe(
      'AccessDeniedException (HTTP 403): User: arn:aws:sts::123456789012:assumed-role/llmops-aws-dev-verify/gh is not authorized to perform: cloudwatch:PutMetricData; ' +
        'the caller needs cloudwatch:PutMetricData with the condition cloudwatch:namespace = LLMOps/Quality (the verify role of bootstrap-<env> has it)',
    );
  });

  test('a network failure has no HTTP status', () => {
    const error = Object.assign(new Error('getaddrinfo ENOTFOUND monitoring.us-east-1.amazonaws.com'), {
      name: 'Error',
    });
    expect(describePutFailure(error, 'LLMOps/Quality')).toBe(
      'Error: getaddrinfo ENOTFOUND monitoring.us-east-1.amazonaws.com',
    );
  });

  test('no credentials in the default chain is bad input (exit 2), with where credentials come from', () => {
    // The SDK's default chain ends with CredentialsProviderError("Could not load credentials from any providers")
    const error = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    expect(() => describePutFailure(error, 'LLMOps/Quality')).toThrow(
      new UsageError(
        'no AWS credentials for CloudWatch: Could not load credentials from any providers (in GitHub Actions, assume the verify role with aws-actions/configure-aws-credentials; locally, set AWS_PROFILE or sign in with "aws sso login")',
      ),
    );
  });
});

describe('defaultCloudWatchClient', () => {
  test('is the SDK client of the given region (nothing is sent)', async () => {
    const client = (await defaultCloudWatchClient('eu-west-1')) as unknown as {
      config: { region: () => Promise<string> };
      destroy: () => void;
    };
    await expect(client.config.region()).resolves.toBe('eu-west-1');
    client.destroy();
  });
});

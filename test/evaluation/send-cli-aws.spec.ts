import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidParameterValueException, type PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { QualityDriftAlarms } from '../../constructs/aws/monitoring';
import { ExitCode, reportError } from '../../lib/cli/exit';
import { loadConfig } from '../../lib/config/load';
import type { CloudWatchLike, QualityMetricRequest } from '../../lib/evaluation/cloudwatch-sender';
import { sendScoresMain } from '../../lib/evaluation/send-cli';
import { awsStack, templateOf } from '../helpers/aws';

const FIXTURES = 'test/fixtures/evaluation';
/** The shipped config: aws-dev is `cloud: aws` in us-east-1, its chat deployment Claude Sonnet 4.5 on demand. */
const CONFIG = loadConfig('config/environments.yaml');
const NOW = new Date('2025-06-01T12:30:00Z');

interface Run {
  code: ExitCode;
  stdout: string;
  stderr: string;
  regions: string[];
  commands: PutMetricDataCommand[];
  tokenRequests: number;
}

/** Runs the command against the shipped config with a fake CloudWatch client; `fail(i)` is what call i throws. */
async function run(
  argv: string[],
  options: { env?: Record<string, string>; fail?: (call: number) => unknown } = {},
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const regions: string[] = [];
  const commands: PutMetricDataCommand[] = [];
  let tokenRequests = 0;
  const client: CloudWatchLike = {
    send: async (command) => {
      commands.push(command);
      const error = options.fail?.(commands.length - 1);
      if (error !== undefined) throw error;
      return {};
    },
  };
  let code: ExitCode;
  try {
    code = await sendScoresMain(argv, {
      loadConfig: () => CONFIG,
      env: options.env ?? {},
      stdout: (t) => (stdout += t),
      getToken: async () => {
        tokenRequests++;
        return 'unused';
      },
      cloudWatch: (region) => {
        regions.push(region);
        return client;
      },
      now: () => NOW,
    });
  } catch (error) {
    code = reportError(error, (t) => (stderr += t));
  }
  return { code, stdout, stderr, regions, commands, tokenRequests };
}

const BASE = [
  ...['--env', 'aws-dev', '--scores', `${FIXTURES}/safety-sdk-output.json`, '--deployment', 'chat'],
  ...['--source', 'continuous', '--run-id', 'run-42', '--time', '2025-06-01T12:00:00Z'],
];

function printedRequests(stdout: string): QualityMetricRequest[] {
  return JSON.parse(stdout.slice(0, stdout.lastIndexOf('\ndry run:'))) as QualityMetricRequest[];
}

describe('send-scores for an AWS environment (shipped config, aws-dev)', () => {
  test('publishes one datum per metric to CloudWatch LLMOps/Quality in aws.region, cost priced from the Bedrock price', async () => {
    const r = await run(BASE);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(ExitCode.Success);
    expect(r.regions).toEqual(['us-east-1']);
    expect(r.tokenRequests).toBe(0);
    expect(r.commands).toHaveLength(1);
    const input = r.commands[0]!.input;
    expect(input.Namespace).toBe('LLMOps/Quality');
    const names = input.MetricData!.map((d) => d.MetricName);
    expect(names).toHaveLength(18);
    expect(names).toEqual([...names].sort());
    const value = (metric: string) => input.MetricData!.find((d) => d.MetricName === metric)?.Value;
    // 1000 x (1500 x 3 + 300 x 15) / 1,000,000 = 9 USD: anthropic.claude-sonnet-4-5-20250929-v1:0 OnDemand
    expect(value('costPer1kAnswers')).toBe(9);
    expect(value('tokensPerAnswer')).toBe(1800);
    expect(value('indirect_attack_defect_rate')).toBe(0);
    for (const d of input.MetricData!) {
      expect(d.Timestamp).toEqual(new Date('2025-06-01T12:00:00Z'));
      expect(d.Dimensions).toEqual([
        { Name: 'gen_ai.request.model', Value: 'chat' },
        { Name: 'llmops.variant', Value: 'none' },
        { Name: 'llmops.environment', Value: 'aws-dev' },
        { Name: 'llmops.evaluation.source', Value: 'continuous' },
      ]);
    }
    expect(r.stdout).toBe(
      'sent 18 quality metric datum(s) for aws-dev/chat/none (source continuous, run run-42) to CloudWatch LLMOps/Quality in us-east-1: 18 accepted in 1 PutMetricData call(s)\n',
    );
  });

  test('ignores APPLICATIONINSIGHTS_CONNECTION_STRING and needs no run id', async () => {
    const args = BASE.filter((_, i) => i !== BASE.indexOf('--run-id') && i !== BASE.indexOf('--run-id') + 1);
    const r = await run(args, { env: { APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=x' } });
    expect(r.code).toBe(ExitCode.Success);
    expect(r.stdout).toBe(
      'sent 18 quality metric datum(s) for aws-dev/chat/none (source continuous) to CloudWatch LLMOps/Quality in us-east-1: 18 accepted in 1 PutMetricData call(s)\n',
    );
  });

  test('--dry-run prints the PutMetricData requests and creates no client (no credentials needed)', async () => {
    const r = await run([...BASE, '--variant', 'candidate', '--dry-run']);
    expect(r.code).toBe(ExitCode.Success);
    expect(r.regions).toEqual([]);
    expect(r.commands).toHaveLength(0);
    const requests = printedRequests(r.stdout);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.Namespace).toBe('LLMOps/Quality');
    expect(requests[0]!.MetricData[0]).toEqual({
      MetricName: 'coherence',
      Dimensions: [
        { Name: 'gen_ai.request.model', Value: 'chat' },
        { Name: 'llmops.variant', Value: 'candidate' },
        { Name: 'llmops.environment', Value: 'aws-dev' },
        { Name: 'llmops.evaluation.source', Value: 'continuous' },
      ],
      Timestamp: '2025-06-01T12:00:00.000Z',
      Value: 4.6,
      Unit: 'None',
      StorageResolution: 60,
    });
    expect(r.stdout).toContain(
      'dry run: would send 18 quality metric datum(s) for aws-dev/chat/candidate (source continuous, run run-42) to CloudWatch LLMOps/Quality in us-east-1 in 1 PutMetricData call(s)\n',
    );
  });

  test('more than 1,000 metrics go in several calls', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'send-aws-'));
    const file = join(dir, 'many.json');
    writeFileSync(
      file,
      JSON.stringify(Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`m${i}`, i]))),
    );
    const args = [...BASE];
    args[args.indexOf('--scores') + 1] = file;
    const r = await run(args);
    expect(r.code).toBe(ExitCode.Success);
    expect(r.commands.map((c) => c.input.MetricData!.length)).toEqual([1000, 1]);
  });

  test('exits 1 when CloudWatch refuses a call, saying why and what was published before', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'send-aws-'));
    const file = join(dir, 'many.json');
    writeFileSync(
      file,
      JSON.stringify(Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`m${i}`, i]))),
    );
    const args = [...BASE];
    args[args.indexOf('--scores') + 1] = file;
    const refusal = new InvalidParameterValueException({
      message: 'The value for parameter MetricData.member.1.Dimensions is invalid.',
      $metadata: { httpStatusCode: 400 },
    });
    const r = await run(args, { fail: (call) => (call === 1 ? refusal : undefined) });
    expect(r.code).toBe(ExitCode.CheckFailed);
    expect(r.stderr).toBe(
      'sending 1001 quality metric datum(s) for aws-dev/chat/none (source continuous, run run-42) to CloudWatch LLMOps/Quality in us-east-1 failed: ' +
        'PutMetricData call 2 of 2: InvalidParameterValueException (HTTP 400): The value for parameter MetricData.member.1.Dimensions is invalid.\n' +
        '  published before the failure: 1000 of 1001 datum(s)\n',
    );
  });

  test('exits 1 when the call cannot be made', async () => {
    const r = await run(BASE, { fail: () => new Error('connect ETIMEDOUT 52.94.0.1:443') });
    expect(r.code).toBe(ExitCode.CheckFailed);
    expect(r.stderr).toMatch(
      /failed: PutMetricData call 1 of 1: Error: connect ETIMEDOUT 52\.94\.0\.1:443\n/,
    );
  });

  test('exits 2 without AWS credentials', async () => {
    const noCredentials = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    const r = await run(BASE, { fail: () => noCredentials });
    expect(r.code).toBe(ExitCode.BadInput);
    expect(r.stderr).toMatch(
      /^error: no AWS credentials for CloudWatch: Could not load credentials from any providers \(/,
    );
  });

  test('exits 2 for --connection-string, which only Azure environments take', async () => {
    const r = await run([...BASE, '--connection-string', 'InstrumentationKey=x']);
    expect(r.code).toBe(ExitCode.BadInput);
    expect(r.stderr).toBe(
      'error: --connection-string: "aws-dev" is an AWS environment (cloud: aws): its scores go to CloudWatch, not Application Insights; drop the flag\n',
    );
    expect(r.regions).toEqual([]);
  });

  test('exits 2 for missing flags, without the Azure-only ones', async () => {
    const r = await run(['--env', 'aws-dev']);
    expect(r.code).toBe(ExitCode.BadInput);
    expect(r.stderr).toMatch(/^error: missing --scores, --deployment, --source \(usage: /);
  });

  test('exits 2 for a time stamp CloudWatch would refuse', async () => {
    const args = [...BASE];
    args[args.indexOf('--time') + 1] = '2025-05-01T00:00:00Z';
    const r = await run(args);
    expect(r.code).toBe(ExitCode.BadInput);
    expect(r.stderr).toBe(
      'error: Cannot build CloudWatch quality metrics:\n' +
        '  - time: 2025-05-01T00:00:00.000Z is outside what CloudWatch accepts: from two weeks before to two hours after now (2025-06-01T12:30:00.000Z)\n',
    );
    expect(r.regions).toEqual([]);
  });

  test('an Azure environment of the same config still goes to Application Insights', async () => {
    const r = await run([
      ...[
        '--env',
        'dev',
        '--scores',
        `${FIXTURES}/plain-scores.json`,
        '--deployment',
        'chat',
        '--source',
        'ci',
      ],
      ...['--run-id', 'r1', '--time', '2025-06-01T12:00:00Z', '--dry-run'],
      ...['--connection-string', 'InstrumentationKey=00000000-1111-2222-3333-444444444444'],
    ]);
    expect(r.code).toBe(ExitCode.Success);
    expect(r.regions).toEqual([]);
    expect(r.stdout).toContain(
      'dry run: would send 6 quality event(s) for dev/chat/none (source ci, run r1)',
    );
  });
});

describe('what scores:send publishes is what QualityDriftAlarms reads', () => {
  /** Every metric an alarm's queries read (`MetricStat.Metric`), with its statistic and unit. */
  function alarmMetrics(
    environment: string,
    thresholds: Record<string, { value: number; direction: 'min' | 'max' }>,
  ) {
    const stack = awsStack();
    new QualityDriftAlarms(stack, 'Quality', {
      topic: new sns.Topic(stack, 'Topic'),
      thresholds,
      targets: [{ deployment: 'chat' }, { deployment: 'chat', variant: 'candidate' }],
      environment,
    });
    const alarms = Object.values(templateOf(stack).findResources('AWS::CloudWatch::Alarm'));
    return alarms.flatMap((alarm) =>
      (alarm.Properties.Metrics as Array<{ MetricStat?: Record<string, unknown> }>)
        .filter((m) => m.MetricStat !== undefined)
        .map((m) => m.MetricStat as { Metric: Record<string, unknown>; Stat: string; Unit?: string }),
    );
  }

  const key = (namespace: unknown, name: unknown, dimensions: unknown) =>
    JSON.stringify([
      namespace,
      name,
      [...(dimensions as Array<{ Name: string; Value: string }>)].sort((a, b) =>
        a.Name.localeCompare(b.Name),
      ),
    ]);

  test("every series the alarms of aws-dev's thresholds read is a series the continuous sender writes, with no unit filter", async () => {
    // GIVEN the alarms built from the shipped aws-dev thresholds, for chat outside and inside an experiment
    const thresholds = Object.fromEntries(
      Object.entries(CONFIG.environments['aws-dev']!.evaluation.thresholds).map(([m, t]) => [
        m,
        { value: t.value, direction: t.direction },
      ]),
    );
    const read = alarmMetrics('aws-dev', thresholds);
    expect(read.length).toBeGreaterThan(0);
    // AND what continuous evaluation sends for both targets
    const sent = new Set<string>();
    for (const variant of [[], ['--variant', 'candidate']]) {
      const r = await run([...BASE, ...variant, '--dry-run']);
      expect(r.code).toBe(ExitCode.Success);
      for (const request of printedRequests(r.stdout)) {
        for (const d of request.MetricData) sent.add(key(request.Namespace, d.MetricName, d.Dimensions));
      }
    }
    // THEN every alarm query names a series that was sent: same namespace, metric name and dimension set
    const unmatched = read
      .map((s) => key(s.Metric.Namespace, s.Metric.MetricName, s.Metric.Dimensions))
      .filter((k) => !sent.has(k));
    expect(unmatched).toEqual([]);
    // AND every threshold metric of both targets is alarmed on and sent
    const readKeys = new Set(
      read.map((s) => key(s.Metric.Namespace, s.Metric.MetricName, s.Metric.Dimensions)),
    );
    expect(readKeys.size).toBe(Object.keys(thresholds).length * 2);
    // AND the alarms read Average and SampleCount of raw values (one per datum) and filter on no unit,
    // so the datums' unit None is read
    expect(new Set(read.map((s) => s.Stat))).toEqual(new Set(['Average', 'SampleCount']));
    expect(read.filter((s) => s.Unit !== undefined)).toEqual([]);
  });

  test('scores of CI runs are not what the alarms read (only continuous evaluation counts)', async () => {
    const read = alarmMetrics('aws-dev', { groundedness: { value: 4, direction: 'min' } });
    const args = [...BASE, '--dry-run'];
    args[args.indexOf('--source') + 1] = 'ci';
    const r = await run(args);
    const sent = printedRequests(r.stdout).flatMap((q) =>
      q.MetricData.map((d) => key(q.Namespace, d.MetricName, d.Dimensions)),
    );
    const readKeys = read.map((s) => key(s.Metric.Namespace, s.Metric.MetricName, s.Metric.Dimensions));
    expect(readKeys.filter((k) => sent.includes(k))).toEqual([]);
    // while the same run sent as continuous is read
    const continuous = await run([...BASE, '--dry-run']);
    const sentContinuous = printedRequests(continuous.stdout).flatMap((q) =>
      q.MetricData.map((d) => key(q.Namespace, d.MetricName, d.Dimensions)),
    );
    expect(readKeys.filter((k) => sentContinuous.includes(k))).not.toEqual([]);
  });
});

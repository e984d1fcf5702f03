import { ExitCode, reportError } from '../../lib/cli/exit';
import type { EvaluationConfigSource } from '../../lib/evaluation/config';
import { sendScoresMain } from '../../lib/evaluation/send-cli';
import type { EventEnvelope } from '../../lib/evaluation/sender';
import { acceptAll, type IngestionStub, type StubReply, startIngestionStub } from './ingestion-stub';

const FIXTURES = 'test/fixtures/evaluation';
const IKEY = '00000000-1111-2222-3333-444444444444';

const CONFIG: EvaluationConfigSource = {
  file: 'config/test-environments.yaml',
  environments: {
    dev: { evaluation: { dataset: 'evaluation/data/qa.jsonl', evaluators: [], thresholds: {} } },
    prod: { evaluation: { dataset: 'evaluation/data/qa.jsonl', evaluators: [], thresholds: {} } },
  },
};

interface Run {
  code: ExitCode;
  stdout: string;
  stderr: string;
  tokenRequests: number;
}

let stub: IngestionStub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

async function withStub(reply: StubReply = acceptAll): Promise<IngestionStub> {
  stub = await startIngestionStub(reply);
  return stub;
}

async function run(argv: string[], env: Record<string, string> = {}, now?: Date): Promise<Run> {
  let stdout = '';
  let stderr = '';
  let tokenRequests = 0;
  let code: ExitCode;
  try {
    code = await sendScoresMain(argv, {
      loadConfig: () => CONFIG,
      env,
      stdout: (t) => (stdout += t),
      getToken: async () => {
        tokenRequests++;
        return 'fake-entra-token';
      },
      now: () => now ?? new Date('2030-01-01T00:00:00Z'),
    });
  } catch (error) {
    code = reportError(error, (t) => (stderr += t));
  }
  return { code, stdout, stderr, tokenRequests };
}

function baseArgs(endpoint: string): string[] {
  return [
    '--env',
    'dev',
    '--scores',
    `${FIXTURES}/sdk-output.json`,
    '--deployment',
    'chat',
    '--source',
    'ci',
    '--run-id',
    'run-42',
    '--connection-string',
    `InstrumentationKey=${IKEY};IngestionEndpoint=${endpoint}/`,
    '--time',
    '2025-06-01T12:00:00Z',
  ];
}

function sentEnvelopes(s: IngestionStub): EventEnvelope[] {
  return s.requests.flatMap((r) => JSON.parse(r.body) as EventEnvelope[]);
}

describe('send-scores command', () => {
  test('sends one event per metric and exits 0 when all are accepted', async () => {
    // GIVEN an ingestion stub that accepts everything
    const s = await withStub();
    // WHEN the SDK output is sent
    const r = await run(baseArgs(s.endpoint));
    // THEN one request carries one event per metric, with the given time, iKey and context
    expect(r.code).toBe(ExitCode.Success);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      'sent 11 quality event(s) for dev/chat/none (source ci, run run-42): 11 accepted\n',
    );
    expect(s.requests).toHaveLength(1);
    expect(s.requests[0]!.headers.authorization).toBe('Bearer fake-entra-token');
    const envelopes = sentEnvelopes(s);
    expect(envelopes.map((e) => e.data.baseData.properties['gen_ai.evaluation.name'])).toEqual([
      'coherence',
      'coherence_pass_rate',
      'fluency',
      'fluency_pass_rate',
      'groundedness',
      'groundedness_pass_rate',
      'latencyP95Ms',
      'relevance',
      'relevance_pass_rate',
      'similarity',
      'similarity_pass_rate',
    ]);
    for (const e of envelopes) {
      expect(e.time).toBe('2025-06-01T12:00:00.000Z');
      expect(e.iKey).toBe(IKEY);
      expect(e.data.baseData.properties).toMatchObject({
        'gen_ai.request.model': 'chat',
        'llmops.variant': 'none',
        'llmops.environment': 'dev',
        'llmops.evaluation.source': 'ci',
        'llmops.evaluation.run_id': 'run-42',
      });
    }
    expect(envelopes[4]!.data.baseData.measurements).toEqual({
      'gen_ai.evaluation.score.value': 4.333333333333333,
    });
  });

  test('exits 1 when the API accepts only part of the batch, naming the rejected metrics', async () => {
    const s = await withStub((request) => {
      const count = (JSON.parse(request.body) as unknown[]).length;
      return {
        status: 206,
        body: {
          itemsReceived: count,
          itemsAccepted: count - 1,
          errors: [{ index: 0, statusCode: 400, message: 'Invalid property' }],
        },
      };
    });
    const r = await run([...baseArgs(s.endpoint), '--variant', 'treatment']);
    expect(r.code).toBe(ExitCode.CheckFailed);
    expect(r.stderr).toBe(
      'Application Insights accepted 10 of 11 quality event(s) for dev/chat/treatment (source ci, run run-42) (HTTP 206):\n' +
        '  - coherence: 400 Invalid property\n',
    );
  });

  test('exits 1 when the API rejects the request', async () => {
    const s = await withStub(() => ({ status: 500, body: 'Internal Server Error' }));
    const r = await run(baseArgs(s.endpoint));
    expect(r.code).toBe(ExitCode.CheckFailed);
    expect(r.stderr).toContain('accepted 0 of 11');
    expect(r.stderr).toContain('  - HTTP 500: Internal Server Error');
  });

  test('exits 1 when the endpoint cannot be reached', async () => {
    const s = await withStub();
    const endpoint = s.endpoint;
    await s.close();
    stub = undefined;
    const r = await run(baseArgs(endpoint));
    expect(r.code).toBe(ExitCode.CheckFailed);
    expect(r.stderr).toMatch(/^sending 11 quality event\(s\) for dev\/chat\/none .* failed: /);
  });

  test('--dry-run prints the payload and sends nothing', async () => {
    const s = await withStub();
    const r = await run([...baseArgs(s.endpoint), '--dry-run']);
    expect(r.code).toBe(ExitCode.Success);
    expect(s.requests).toHaveLength(0);
    expect(r.tokenRequests).toBe(0);
    const printed = r.stdout.slice(0, r.stdout.lastIndexOf(']') + 1);
    expect(JSON.parse(printed)).toHaveLength(11);
    expect(r.stdout).toContain('dry run: would send 11 quality event(s)');
  });

  test('takes the connection string and run id from the environment, and the time from the clock', async () => {
    const s = await withStub();
    const args = ['--env', 'prod', '--scores', `${FIXTURES}/plain-scores.json`, '--deployment', 'chat'];
    const r = await run(
      [...args, '--source', 'continuous'],
      {
        APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=${IKEY};IngestionEndpoint=${s.endpoint}`,
        GITHUB_RUN_ID: '777',
      },
      new Date('2025-07-04T08:30:00Z'),
    );
    expect(r.code).toBe(ExitCode.Success);
    const envelopes = sentEnvelopes(s);
    expect(envelopes).toHaveLength(6);
    expect(envelopes[0]!.time).toBe('2025-07-04T08:30:00.000Z');
    expect(envelopes[0]!.data.baseData.properties).toMatchObject({
      'llmops.environment': 'prod',
      'llmops.evaluation.source': 'continuous',
      'llmops.evaluation.run_id': '777',
    });
  });

  test('exits 2 when flags are missing, naming each', async () => {
    const r = await run(['--env', 'dev']);
    expect(r.code).toBe(ExitCode.BadInput);
    expect(r.stderr).toMatch(
      /^error: missing --scores, --deployment, --source, --run-id \(or GITHUB_RUN_ID\), --connection-string \(or APPLICATIONINSIGHTS_CONNECTION_STRING\) \(usage: /,
    );
  });

  test('exits 2 for an unknown source', async () => {
    const args = baseArgs('http://127.0.0.1:9');
    args[args.indexOf('--source') + 1] = 'nightly';
    const r = await run(args);
    expect(r.code).toBe(ExitCode.BadInput);
    expect(r.stderr).toBe('error: --source: "nightly" must be one of ci, continuous\n');
  });

  test('exits 2 for a --time without a zone', async () => {
    const args = baseArgs('http://127.0.0.1:9');
    args[args.indexOf('--time') + 1] = '2025-06-01 12:00';
    const r = await run(args);
    expect(r.code).toBe(ExitCode.BadInput);
    expect(r.stderr).toContain('--time: "2025-06-01 12:00" is not an ISO 8601 timestamp with a zone');
  });

  test('exits 2 for an unknown environment', async () => {
    const args = baseArgs('http://127.0.0.1:9');
    args[args.indexOf('--env') + 1] = 'qa';
    const r = await run(args);
    expect(r.code).toBe(ExitCode.BadInput);
    expect(r.stderr).toBe(
      'error: --env: unknown environment "qa" in config/test-environments.yaml (known: dev, prod)\n',
    );
  });

  test('exits 2 for an invalid connection string', async () => {
    const args = baseArgs('http://127.0.0.1:9');
    args[args.indexOf('--connection-string') + 1] = 'InstrumentationKey=not-a-guid';
    const r = await run(args);
    expect(r.code).toBe(ExitCode.BadInput);
    expect(r.stderr).toContain('InstrumentationKey: must be a GUID');
    expect(r.tokenRequests).toBe(0);
  });

  test('exits 2 for an unreadable scores file', async () => {
    const args = baseArgs('http://127.0.0.1:9');
    args[args.indexOf('--scores') + 1] = 'nope.json';
    const r = await run(args);
    expect(r.code).toBe(ExitCode.BadInput);
    expect(r.stderr).toBe('error: --scores: cannot read "nope.json": no such file\n');
  });
});

describe('scores:send prices the run like the gate', () => {
  test('a variant of a gateway experiment is priced as its own deployment: costPer1kAnswers is sent', async () => {
    // GIVEN staging with a price table and the experiment chat (candidate = gpt-4.1 at 2/8 USD per 1M tokens)
    const priced: EvaluationConfigSource = {
      file: 'config/test-environments.yaml',
      environments: {
        staging: {
          evaluation: {
            dataset: 'evaluation/data/qa.jsonl',
            evaluators: [],
            thresholds: {},
            pricing: {
              takenOn: '2026-12-02',
              currency: 'USD',
              models: {
                'gpt-4.1': { GlobalStandard: { inputPerMillionTokens: 2, outputPerMillionTokens: 8 } },
              },
            },
          },
          models: {
            deployments: { 'chat-next': { role: 'chat', model: 'gpt-4.1', pricingTier: 'GlobalStandard' } },
          },
          gateway: {
            experiments: {
              chat: {
                variants: {
                  control: { deployment: 'chat', weight: 90 },
                  candidate: { deployment: 'chat-next', weight: 10 },
                },
              },
            },
          },
        },
      },
    };
    let stdout = '';
    const code = await sendScoresMain(
      [
        ...['--env', 'staging', '--scores', `${FIXTURES}/safety-sdk-output.json`, '--deployment', 'chat'],
        ...['--variant', 'candidate', '--source', 'continuous', '--run-id', 'r1', '--dry-run'],
        ...['--connection-string', `InstrumentationKey=${IKEY};IngestionEndpoint=https://example.invalid/`],
        ...['--time', '2025-06-01T12:00:00Z'],
      ],
      { loadConfig: () => priced, env: {}, stdout: (t) => (stdout += t) },
    );
    expect(code).toBe(ExitCode.Success);
    const envelopes = JSON.parse(stdout.slice(0, stdout.lastIndexOf(']') + 1)) as EventEnvelope[];
    const value = (metric: string) =>
      envelopes.find((e) => e.data.baseData.properties['gen_ai.evaluation.name'] === metric)?.data.baseData
        .measurements['gen_ai.evaluation.score.value'];
    // THEN 1000 x (1500 x 2 + 300 x 8) / 1,000,000 = 5.4, and the safety and latency metrics go too
    expect(value('costPer1kAnswers')).toBe(5.4);
    expect(value('tokensPerAnswer')).toBe(1800);
    expect(value('indirect_attack_defect_rate')).toBe(0);
    expect(value('latencyP95Ms')).toBe(3100);
  });
});

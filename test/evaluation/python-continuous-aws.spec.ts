import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * evaluation/continuous.py --from aws-gateway, run with the machine's python3 and without botocore or
 * azure-ai-evaluation: a fake CloudWatch Logs client (FilterLogEvents pages, recording the requests) and
 * fake evaluators stand in for the SDKs, so the tests check what is read, what is left out, how answers are
 * grouped by deployment and variant, and what is written.
 */
function python(code: string): unknown {
  const r = spawnSync('python3', ['-c', `import sys, json; sys.path.insert(0, 'evaluation')\n${code}`], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

/** A router request record, as constructs/aws/gateway/router/handler.js logs it (bodies logged). */
function request(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'request',
    requestId: 'r-1',
    consumer: 'app',
    experiment: 'none',
    variant: 'none',
    deployment: 'chat',
    promptVersion: 'none',
    pinned: false,
    fallback: false,
    inputTokens: 800,
    outputTokens: 20,
    totalTokens: 820,
    stopReason: 'end_turn',
    latencyMs: 640,
    prompt: {
      system: [{ text: 'Answer only from this context.' }, { text: 'Retention is 30 days.' }],
      messages: [
        { role: 'user', content: [{ text: 'Hi' }] },
        { role: 'assistant', content: [{ text: 'Hello.' }] },
        { role: 'user', content: [{ text: 'How long are logs kept?' }] },
      ],
    },
    completion: { message: { role: 'assistant', content: [{ text: 'Thirty ' }, { text: 'days.' }] } },
    ...fields,
  };
}

/** A Python expression of the JSON value `value` (JSON's true/false/null are not Python). */
const py = (value: unknown) => `json.loads(${JSON.stringify(JSON.stringify(value))})`;

const event = (record: unknown) => ({
  message: typeof record === 'string' ? record : JSON.stringify(record),
});

describe('continuous.py --from aws-gateway: reading the router log group', () => {
  test('pages through FilterLogEvents with the request pattern and keeps the request records with bodies', () => {
    const pages = [
      {
        events: [
          event(request({ requestId: 'a' })),
          event('START RequestId: x Version: $LATEST'), // not JSON
          event({ type: 'throttled', requestId: 'b' }),
          event(request({ requestId: 'c', prompt: undefined, completion: undefined })), // bodies not sampled
        ],
        nextToken: 't1',
      },
      { events: [], nextToken: 't2' }, // an empty page that still has more
      { events: [event(request({ requestId: 'd' }))] },
    ];
    const out = python(`
import continuous
pages = ${py(pages)}
calls = []
def filter_log_events(**request):
    calls.append(request)
    return pages[len(calls) - 1]
records = continuous.read_router_records(filter_log_events, "gw-router", 1000, 2000,
                                         continuous.router_filter_pattern(None), cap=100)
print(json.dumps({"ids": [r["requestId"] for r in records], "calls": calls}))
`) as { ids: string[]; calls: Record<string, unknown>[] };
    expect(out.ids).toEqual(['a', 'd']);
    expect(out.calls).toEqual([
      { logGroupName: 'gw-router', startTime: 1000, endTime: 2000, filterPattern: '{ $.type = "request" }' },
      {
        logGroupName: 'gw-router',
        startTime: 1000,
        endTime: 2000,
        filterPattern: '{ $.type = "request" }',
        nextToken: 't1',
      },
      {
        logGroupName: 'gw-router',
        startTime: 1000,
        endTime: 2000,
        filterPattern: '{ $.type = "request" }',
        nextToken: 't2',
      },
    ]);
  });

  test('stops at the cap of records and narrows the pattern to one deployment', () => {
    const out = python(`
import continuous
calls = []
def filter_log_events(**request):
    calls.append(request)
    return {"events": [{"message": json.dumps(${py(request())})}] * 3, "nextToken": "more"}
records = continuous.read_router_records(filter_log_events, "g", 0, 1, "p", cap=5)
print(json.dumps({"records": len(records), "pages": len(calls),
                  "pattern": continuous.router_filter_pattern("chat-mini")}))
`);
    expect(out).toEqual({
      records: 6,
      pages: 2,
      pattern: '{ ($.type = "request") && ($.deployment = "chat-mini") }',
    });
  });
});

describe('continuous.py --from aws-gateway: rows and groups', () => {
  test('a record becomes a row: last user message, system blocks as context, completion text, tokens and latency', () => {
    const out = python(`
import continuous
print(json.dumps(continuous.router_row(${py(request())})))
`);
    expect(out).toEqual({
      query: 'How long are logs kept?',
      context: 'Answer only from this context.\nRetention is 30 days.',
      response: 'Thirty \ndays.',
      latency_ms: 640,
      prompt_tokens: 800,
      completion_tokens: 20,
    });
  });

  test('groups by served deployment and variant, leaving out the evaluation consumer, unanswerable and unsafe records', () => {
    const records = [
      request({ requestId: '1' }),
      request({ requestId: '2', consumer: 'evaluation' }),
      request({ requestId: '3', experiment: 'chat', variant: 'control', deployment: 'chat' }),
      request({ requestId: '4', experiment: 'chat', variant: 'candidate', deployment: 'chat-mini' }),
      request({ requestId: '5', experiment: 'chat', variant: 'candidate', deployment: 'chat-mini' }),
      request({ requestId: '6', completion: { message: { content: [{ toolUse: {} }] } } }), // no text answer
      request({ requestId: '7', deployment: 'a b' }),
    ];
    const out = python(`
import continuous, random
groups = continuous.group_router_records(${py(records)}, ["evaluation"])
sampled = continuous.sample_groups(groups, 1, random.Random(7))
print(json.dumps({"groups": {"@".join(k): len(v) for k, v in groups.items()},
                  "sampled": {"@".join(k): len(v) for k, v in sampled.items()},
                  "file": continuous.scores_file_name("chat-mini", "candidate")}))
`);
    expect(out).toEqual({
      groups: { 'chat@control': 1, 'chat@none': 1, 'chat-mini@candidate': 2 },
      sampled: { 'chat-mini@candidate': 1, 'chat@control': 1, 'chat@none': 1 },
      file: 'chat-mini@candidate.json',
    });
  });
});

/** Fake SDKs: a botocore Session whose logs client serves `pages`, and evaluators that record their judge. */
function fakeSdks(pages: unknown[]): string {
  return `
import os, types
for name in ("AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_EVAL_DEPLOYMENT", "AZURE_AI_PROJECT", "AWS_REGION", "AWS_DEFAULT_REGION"):
    os.environ.pop(name, None)
os.environ.update({"EVAL_JUDGE_BASE_URL": "https://bedrock-runtime.us-east-1.amazonaws.com/openai/v1",
                   "EVAL_JUDGE_MODEL": "openai.gpt-oss-20b-1:0", "EVAL_JUDGE_API_KEY": "k-secret"})
pages = ${py(pages)}
clients, requests_seen, made, judged = [], [], [], []
class Client:
    def filter_log_events(self, **request):
        requests_seen.append(request)
        return pages[len(requests_seen) - 1]
class Session:
    def create_client(self, service, region_name):
        clients.append([service, region_name])
        return Client()
for name in ("botocore", "botocore.session"):
    sys.modules[name] = types.ModuleType(name)
sys.modules["botocore.session"].Session = Session
sys.modules["azure.identity"] = None  # no Microsoft Entra ID on AWS
def evaluator(name):
    class Fake:
        def __init__(self, model_config, **kwargs):
            made.append({"name": name, "model_config": dict(model_config), "kwargs": sorted(kwargs)})
    return Fake
ev = types.ModuleType("azure.ai.evaluation")
for cls in ("Coherence", "Fluency", "Groundedness", "HateUnfairness", "IndirectAttack", "ProtectedMaterial",
            "Relevance", "SelfHarm", "Sexual", "Similarity", "Violence"):
    setattr(ev, cls + "Evaluator", evaluator(cls))
ev.OpenAIModelConfiguration = lambda **kw: dict(kw)
def evaluate(data, evaluators, evaluator_config):
    rows = [json.loads(l) for l in open(data, encoding="utf-8")]
    judged.append({"file": os.path.basename(data), "queries": [r["query"] for r in rows],
                   "mapping": evaluator_config["groundedness"]["column_mapping"]})
    return {"metrics": {"groundedness.groundedness": 4.0}, "rows": [], "studio_url": None}
ev.evaluate = evaluate
for name in ("azure", "azure.ai"):
    sys.modules[name] = types.ModuleType(name)
sys.modules["azure.ai.evaluation"] = ev
import continuous
`;
}

describe('continuous.py --from aws-gateway: the whole run with fake SDKs', () => {
  test('reads the log group in the region, judges each deployment/variant with the OpenAI-compatible judge, writes one file each', () => {
    const dir = mkdtempSync(join(tmpdir(), 'continuous-aws-'));
    try {
      const pages = [
        {
          events: [
            event(request({ requestId: '1' })),
            event(request({ requestId: '2', consumer: 'evaluation' })),
            event(
              request({
                requestId: '3',
                experiment: 'chat',
                variant: 'candidate',
                deployment: 'chat-mini',
                inputTokens: 400,
                latencyMs: 100,
              }),
            ),
          ],
        },
      ];
      const out = python(`${fakeSdks(pages)}
code = continuous.main(["--from", "aws-gateway", "--log-group", "llmops-aws-prod-GatewayRouterLogs", "--region", "eu-central-1",
                        "--lookback-hours", "6", "--judge-key-env", "EVAL_JUDGE_API_KEY", "--output-dir", ${JSON.stringify(dir)}])
r = requests_seen[0]
print(json.dumps({"code": code, "clients": clients, "window": r["endTime"] - r["startTime"], "group": r["logGroupName"],
                  "pattern": r["filterPattern"], "made": made, "judged": judged}))
`) as {
        code: number;
        clients: string[][];
        window: number;
        group: string;
        pattern: string;
        made: unknown[];
        judged: { file: string; queries: string[]; mapping: Record<string, string> }[];
      };
      expect(out.code).toBe(0);
      expect(out.clients).toEqual([['logs', 'eu-central-1']]);
      expect(out.window).toBe(6 * 3600 * 1000);
      expect(out.group).toBe('llmops-aws-prod-GatewayRouterLogs');
      expect(out.pattern).toBe('{ $.type = "request" }');
      // THEN the quality evaluators (the AWS default) get the OpenAI-compatible judge and no credential
      const judge = {
        type: 'openai',
        base_url: 'https://bedrock-runtime.us-east-1.amazonaws.com/openai/v1',
        model: 'openai.gpt-oss-20b-1:0',
        api_key: 'k-secret',
      };
      expect(out.made).toEqual(
        ['Groundedness', 'Relevance', 'Coherence', 'Fluency'].map((name) => ({
          name,
          model_config: judge,
          kwargs: [],
        })),
      );
      // AND each group is judged on its own answers, from the data (no target), the evaluation consumer's left out
      expect(out.judged).toEqual([
        {
          file: 'chat@none.jsonl',
          queries: ['How long are logs kept?'],
          mapping: { query: '${data.query}', context: '${data.context}', response: '${data.response}' },
        },
        {
          file: 'chat-mini@candidate.jsonl',
          queries: ['How long are logs kept?'],
          mapping: { query: '${data.query}', context: '${data.context}', response: '${data.response}' },
        },
      ]);
      expect(readdirSync(dir).sort()).toEqual(['chat-mini@candidate.json', 'chat@none.json']);
      expect(JSON.parse(readFileSync(join(dir, 'chat-mini@candidate.json'), 'utf8')).metrics).toEqual({
        'groundedness.groundedness': 4,
        itemsEvaluated: 1,
        latencyP50Ms: 100,
        latencyP95Ms: 100,
        promptTokensPerAnswer: 400,
        completionTokensPerAnswer: 20,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('nothing answerable in the window exits 1 and says why', () => {
    const pages = [{ events: [event(request({ consumer: 'evaluation' }))] }];
    const r = spawnSync(
      'python3',
      [
        '-c',
        `import sys, json; sys.path.insert(0, 'evaluation')\n${fakeSdks(pages)}
sys.exit(continuous.main(["--from", "aws-gateway", "--log-group", "g", "--region", "us-east-1", "--output-dir", "/tmp/unused-continuous"]))`,
      ],
      { encoding: 'utf8' },
    );
    expect({ status: r.status, stderr: r.stderr }).toEqual({
      status: 1,
      stderr:
        'error: no answered request with a logged prompt and completion in the last 24 h of g ' +
        '(is gateway.logging.logBodies on, and the traffic from a consumer other than the excluded ones?)\n',
    });
  });
});

describe('continuous.py: bad input exits 2 before any SDK is loaded', () => {
  /** Runs the script with only PATH set; botocore, azure and requests are blocked. */
  function run(args: string[], env: Record<string, string> = {}) {
    const blocker =
      'import sys; [sys.modules.__setitem__(m, None) for m in ("botocore", "azure", "requests")]; ' +
      "sys.argv = ['evaluation/continuous.py'] + sys.argv[1:]; sys.path.insert(0, 'evaluation'); " +
      "import runpy; runpy.run_path('evaluation/continuous.py', run_name='__main__')";
    const r = spawnSync('python3', ['-c', blocker, ...args], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    return { status: r.status, stderr: r.stderr };
  }
  const AWS = ['--from', 'aws-gateway', '--log-group', 'g', '--output-dir', '/tmp/unused-continuous'];
  const JUDGE = [
    '--judge-base-url',
    'https://bedrock-runtime.us-east-1.amazonaws.com/openai/v1',
    '--judge-model',
    'm',
  ];

  test.each([
    [
      'a content-safety evaluator on AWS',
      [...AWS, ...JUDGE, '--region', 'us-east-1', '--evaluators', 'groundedness,violence'],
      {},
      "error: --evaluators: violence need an Azure AI project's safety service; --from aws-gateway takes the quality evaluators (groundedness,relevance,coherence,fluency)\n",
    ],
    [
      'similarity on AWS',
      [...AWS, ...JUDGE, '--region', 'us-east-1', '--evaluators', 'similarity'],
      {},
      'error: --evaluators: similarity needs a ground truth, which production traffic does not have\n',
    ],
    [
      'no log group',
      ['--from', 'aws-gateway', '--output-dir', '/tmp/x', ...JUDGE, '--region', 'us-east-1'],
      {},
      'error: --from aws-gateway needs --log-group (stack output RouterLogGroupName)\n',
    ],
    [
      'a workspace on AWS',
      [...AWS, ...JUDGE, '--region', 'us-east-1', '--workspace-id', 'w'],
      {},
      'error: --from aws-gateway reads --log-group and writes --output-dir (not --workspace-id, --output)\n',
    ],
    [
      'no region',
      [...AWS, ...JUDGE],
      {},
      'error: --region: reading the log group needs the AWS region (or AWS_REGION, AWS_DEFAULT_REGION)\n',
    ],
    [
      'no judge',
      AWS,
      { AWS_REGION: 'us-east-1' },
      'error: give --judge-endpoint and --judge-deployment (or AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_EVAL_DEPLOYMENT), or --judge-base-url and --judge-model (or EVAL_JUDGE_BASE_URL, EVAL_JUDGE_MODEL)\n',
    ],
    [
      'an unsafe deployment filter',
      [...AWS, ...JUDGE, '--region', 'us-east-1', '--deployment', 'chat" || $.x = "1'],
      {},
      `error: --deployment 'chat" || $.x = "1': letters, digits, '.', '_' and '-' only\n`,
    ],
    [
      'Azure without a workspace',
      ['--deployment', 'chat', '--output', '/tmp/x.json'],
      {},
      'error: --from gateway needs --workspace-id, --deployment and --output\n',
    ],
  ])('%s', (_name, args, env, stderr) => {
    expect(run(args, env)).toEqual({ status: 2, stderr });
  });
});

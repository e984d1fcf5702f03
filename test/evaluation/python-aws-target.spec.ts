import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The AWS side of evaluation/run_evaluation.py, run with the machine's python3 and without botocore or
 * azure-ai-evaluation: the botocore modules are fakes put in `sys.modules` (recording what they were given),
 * and `requests.post` is replaced by a fake, so the test checks the Converse body, the SigV4 signing call
 * (service execute-api, the region, the exact bytes sent) and the reading of the gateway's answer.
 */
function python(code: string): unknown {
  const r = spawnSync('python3', ['-c', `import sys, json; sys.path.insert(0, 'evaluation')\n${code}`], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(r.stderr);
  // the result is the last line (the script itself prints its progress before)
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

/** Fake botocore modules: SigV4Auth records its arguments and adds an Authorization header. */
const FAKE_BOTOCORE = `
import types
calls = []
class FakeRequest:
    def __init__(self, method, url, data, headers):
        self.method, self.url, self.data, self.headers = method, url, data, dict(headers)
class FakeSigV4Auth:
    def __init__(self, credentials, service, region):
        self.args = (credentials, service, region)
    def add_auth(self, request):
        credentials, service, region = self.args
        calls.append({"access_key": credentials.access_key, "service": service, "region": region,
                      "method": request.method, "url": request.url, "data": request.data.decode("utf-8")})
        request.headers["Authorization"] = f"AWS4-HMAC-SHA256 Credential={credentials.access_key}/{region}/{service}"
        request.headers["X-Amz-Security-Token"] = credentials.token
class Frozen:
    def __init__(self, access_key, token):
        self.access_key, self.secret_key, self.token = access_key, "secret", token
class Refreshable:
    def __init__(self):
        self.served = 0
    def get_frozen_credentials(self):
        self.served += 1
        return Frozen(f"AKIA{self.served}", f"token-{self.served}")
chain = Refreshable()
class FakeSession:
    def get_credentials(self):
        return chain
for name in ("botocore", "botocore.auth", "botocore.awsrequest", "botocore.session"):
    sys.modules[name] = types.ModuleType(name)
sys.modules["botocore.auth"].SigV4Auth = FakeSigV4Auth
sys.modules["botocore.awsrequest"].AWSRequest = FakeRequest
sys.modules["botocore.session"].Session = FakeSession
`;

const URL = 'https://abc123.execute-api.us-east-1.amazonaws.com/v1/model/chat/converse';

describe('evaluation scripts: the AWS gateway target (Bedrock Converse, SigV4)', () => {
  test('asks the Converse route with a signed Converse body and reads the answer and token usage', () => {
    const out = python(`${FAKE_BOTOCORE}
import _common as c
posted = []
class Reply:
    def raise_for_status(self):
        pass
    def json(self):
        # the router's 200 body (constructs/aws/gateway/router/handler.js)
        return {"output": {"message": {"role": "assistant", "content": [{"text": "Thirty "}, {"text": "days."}]}},
                "stopReason": "end_turn", "usage": {"inputTokens": 812, "outputTokens": 9, "totalTokens": 821},
                "metrics": {"latencyMs": 640}}
def post(url, data, headers, timeout):
    posted.append({"url": url, "data": data.decode("utf-8"), "headers": headers, "timeout": timeout})
    return Reply()
target = c.converse_target(${JSON.stringify(URL)}, {"x-llmops-variant": "candidate"}, "us-east-1", post=post)
first = target(query="How long are logs kept?", context="Retention is 30 days.")
second = target(query="Again?", context="")
latency = first.pop("latency_ms")
second.pop("latency_ms")
print(json.dumps({"first": first, "second": second, "latencyIsNumber": isinstance(latency, float),
                  "posted": posted, "calls": calls}))
`) as {
      first: unknown;
      second: unknown;
      latencyIsNumber: boolean;
      posted: { url: string; data: string; headers: Record<string, string>; timeout: number }[];
      calls: {
        access_key: string;
        service: string;
        region: string;
        method: string;
        url: string;
        data: string;
      }[];
    };
    expect(out.first).toEqual({ response: 'Thirty days.', prompt_tokens: 812, completion_tokens: 9 });
    expect(out.second).toEqual(out.first);
    expect(out.latencyIsNumber).toBe(true);
    // THEN the body is a Converse request: the context as the system block, the query as the user message
    expect(JSON.parse(out.posted[0]!.data)).toEqual({
      system: [{ text: 'Answer only from this context.\n\nRetention is 30 days.' }],
      messages: [{ role: 'user', content: [{ text: 'How long are logs kept?' }] }],
    });
    // AND it is signed for execute-api in the region, over the very bytes that are sent
    expect(out.calls).toEqual([
      {
        access_key: 'AKIA1',
        service: 'execute-api',
        region: 'us-east-1',
        method: 'POST',
        url: URL,
        data: out.posted[0]!.data,
      },
      {
        access_key: 'AKIA2',
        service: 'execute-api',
        region: 'us-east-1',
        method: 'POST',
        url: URL,
        data: out.posted[1]!.data,
      },
    ]);
    // AND the signed headers are the ones sent, with the variant pin header and no api-key
    expect(out.posted[0]).toEqual({
      url: URL,
      data: out.posted[0]!.data,
      timeout: 60,
      headers: {
        'x-llmops-variant': 'candidate',
        'Content-Type': 'application/json',
        Authorization: 'AWS4-HMAC-SHA256 Credential=AKIA1/us-east-1/execute-api',
        'X-Amz-Security-Token': 'token-1',
      },
    });
    // (credentials are frozen per request, so a refreshed session is picked up: AKIA2 on the second call)
    expect(out.posted[1]!.headers.Authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIA2/us-east-1/execute-api',
    );
  });

  test('a gateway error is raised by the target (a pinned variant never falls back); a body that is not Converse is refused', () => {
    const out = python(`${FAKE_BOTOCORE}
import _common as c
class Refused:
    def raise_for_status(self):
        raise RuntimeError("400 Client Error: UnknownVariant")
target = c.converse_target("https://x.example/v1/model/chat/converse", {}, "eu-central-1", post=lambda *a, **k: Refused())
errors = []
try:
    target(query="q", context="c")
except RuntimeError as e:
    errors.append(str(e))
for body in ({"choices": [{"message": {"content": "openai shape"}}]}, {"output": {"message": {"content": "text"}}}):
    try:
        c.converse_answer(body)
    except ValueError as e:
        errors.append(str(e))
print(json.dumps({"errors": errors,
                  "noUsage": c.converse_answer({"output": {"message": {"content": [{"text": "a"}, {"image": {}}]}}})}))
`);
    expect(out).toEqual({
      errors: [
        '400 Client Error: UnknownVariant',
        'not a Converse response (no output.message.content): {"choices": [{"message": {"content": "openai shape"}}]}',
        'not a Converse response (no output.message.content): {"output": {"message": {"content": "text"}}}',
      ],
      noUsage: { response: 'a', stop_reason: null, prompt_tokens: null, completion_tokens: null },
    });
  });

  test('the judge is Azure OpenAI or an OpenAI-compatible endpoint with a key from the environment, never both', () => {
    const out = python(`
import _common as c
sys.modules["botocore"] = None  # the judge needs no AWS SDK
results, errors = [], []
for args in (
    ("https://aoai.openai.azure.com", "gpt-4o-mini", None, None, None),
    (None, None, "https://bedrock-runtime.us-east-1.amazonaws.com/openai/v1", "openai.gpt-oss-20b-1:0", None),
    (None, None, "https://judge.example/v1", "m", "MY_JUDGE_KEY"),
):
    results.append(c.resolve_judge(*args))
for args in (
    ("https://aoai.openai.azure.com", "gpt-4o-mini", "https://judge.example/v1", "m", None),
    (None, None, "https://judge.example/v1", None, None),
    (None, None, "http://judge.example/v1", "m", None),
    (None, None, None, None, None),
):
    try:
        c.resolve_judge(*args)
    except c.BadInput as e:
        errors.append(str(e))
judge = results[1]
config = c.openai_judge_config(judge, {"EVAL_JUDGE_API_KEY": "k-123"})
try:
    c.openai_judge_config(judge, {})
except c.BadInput as e:
    errors.append(str(e))
print(json.dumps({"results": results, "config": config, "errors": errors}))
`);
    expect(out).toEqual({
      results: [
        { kind: 'azure', endpoint: 'https://aoai.openai.azure.com', deployment: 'gpt-4o-mini' },
        {
          kind: 'openai',
          base_url: 'https://bedrock-runtime.us-east-1.amazonaws.com/openai/v1',
          model: 'openai.gpt-oss-20b-1:0',
          key_env: 'EVAL_JUDGE_API_KEY',
        },
        { kind: 'openai', base_url: 'https://judge.example/v1', model: 'm', key_env: 'MY_JUDGE_KEY' },
      ],
      // the fields of azure-ai-evaluation's OpenAIModelConfiguration
      config: {
        type: 'openai',
        base_url: 'https://bedrock-runtime.us-east-1.amazonaws.com/openai/v1',
        model: 'openai.gpt-oss-20b-1:0',
        api_key: 'k-123',
      },
      errors: [
        'give one judge: --judge-endpoint/--judge-deployment (Azure OpenAI) or --judge-base-url/--judge-model (OpenAI-compatible), not both',
        'an OpenAI-compatible judge needs --judge-base-url and --judge-model (or EVAL_JUDGE_BASE_URL, EVAL_JUDGE_MODEL)',
        "--judge-base-url: 'http://judge.example/v1' is not an https:// URL",
        'give --judge-endpoint and --judge-deployment (or AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_EVAL_DEPLOYMENT), or --judge-base-url and --judge-model (or EVAL_JUDGE_BASE_URL, EVAL_JUDGE_MODEL)',
        '--judge-key-env: EVAL_JUDGE_API_KEY is not set (the API key of the judge at https://bedrock-runtime.us-east-1.amazonaws.com/openai/v1)',
      ],
    });
  });
});

describe('run_evaluation.py on AWS: the whole run with fake SDKs', () => {
  test('asks the gateway per row, judges with the OpenAI-compatible config and no Azure credential, writes the token metrics', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aws-eval-'));
    try {
      const out = python(`${FAKE_BOTOCORE}
import os, types
for name in ("AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_EVAL_DEPLOYMENT", "AZURE_AI_PROJECT"):
    os.environ.pop(name, None)  # whatever the machine running the tests has set
os.environ.update({"AWS_REGION": "us-east-1", "EVAL_TARGET_URL": ${JSON.stringify(URL)},
                   "EVAL_JUDGE_BASE_URL": "https://bedrock-runtime.us-east-1.amazonaws.com/openai/v1",
                   "EVAL_JUDGE_MODEL": "openai.gpt-oss-20b-1:0", "EVAL_JUDGE_API_KEY": "k-secret"})
made, posted = [], []
class Reply:
    def __init__(self, n):
        self.n = n
    def raise_for_status(self):
        pass
    def json(self):
        return {"output": {"message": {"content": [{"text": f"answer {self.n}"}]}}, "usage": {"inputTokens": 100 * self.n, "outputTokens": 10}}
requests = types.ModuleType("requests")
requests.post = lambda url, data, headers, timeout: posted.append(headers) or Reply(len(posted))
sys.modules["requests"] = requests
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
def evaluate(data, target, evaluators, evaluator_config):
    rows = [json.loads(l) for l in open(data, encoding="utf-8")]
    out = []
    for r in rows:
        o = target(query=r["query"], context=r["context"])
        out.append({"outputs.response": o["response"], "outputs.latency_ms": 5.0,
                    "outputs.prompt_tokens": o["prompt_tokens"], "outputs.completion_tokens": o["completion_tokens"]})
    return {"metrics": {"groundedness.groundedness": 4.0}, "rows": out, "studio_url": None}
ev.evaluate = evaluate
for name in ("azure", "azure.ai"):
    sys.modules[name] = types.ModuleType(name)
sys.modules["azure.ai.evaluation"] = ev
import run_evaluation
code = run_evaluation.main(["--dataset", "evaluation/data/qa.jsonl", "--evaluators", "groundedness,fluency",
    "--target-kind", "bedrock-converse", "--batch-size", "2", "--output", ${JSON.stringify(join(dir, 'scores.json'))}])
scores = json.load(open(${JSON.stringify(join(dir, 'scores.json'))}))
rows = sum(1 for l in open("evaluation/data/qa.jsonl") if l.strip())
print(json.dumps({"code": code, "made": made, "metrics": scores["metrics"], "rows": rows, "posts": len(posted),
                  "signed": [c["service"] + "/" + c["region"] for c in calls][:1],
                  "auth": sorted(posted[0])}))
`) as {
        code: number;
        made: unknown[];
        metrics: Record<string, number>;
        rows: number;
        posts: number;
        signed: string[];
        auth: string[];
      };
      expect(out.code).toBe(0);
      // THEN each quality evaluator gets the OpenAI-compatible judge, with its key, and no credential
      const judge = {
        type: 'openai',
        base_url: 'https://bedrock-runtime.us-east-1.amazonaws.com/openai/v1',
        model: 'openai.gpt-oss-20b-1:0',
        api_key: 'k-secret',
      };
      expect(out.made.slice(0, 2)).toEqual([
        { name: 'Groundedness', model_config: judge, kwargs: [] },
        { name: 'Fluency', model_config: judge, kwargs: [] },
      ]);
      // AND every row was asked once through the signed Converse route
      expect(out.posts).toBe(out.rows);
      expect(out.signed).toEqual(['execute-api/us-east-1']);
      expect(out.auth).toEqual(['Authorization', 'Content-Type', 'X-Amz-Security-Token']);
      // AND the scores carry the gateway's token usage per answer (rows 1..n: 100 x n prompt tokens)
      expect(out.metrics).toEqual({
        'groundedness.groundedness': 4,
        itemsEvaluated: out.rows,
        latencyP50Ms: 5,
        latencyP95Ms: 5,
        promptTokensPerAnswer: (100 * (out.rows + 1)) / 2,
        completionTokensPerAnswer: 10,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('run_evaluation.py on AWS: bad input exits 2 before any SDK is loaded', () => {
  /** Runs the script with only PATH set (no AWS_REGION, no judge variables); botocore and azure are blocked. */
  function run(args: string[], env: Record<string, string> = {}) {
    const blocker =
      'import sys; [sys.modules.__setitem__(m, None) for m in ("botocore", "azure", "requests")]; ' +
      "sys.argv = ['evaluation/run_evaluation.py'] + sys.argv[1:]; sys.path.insert(0, 'evaluation'); " +
      "import runpy; runpy.run_path('evaluation/run_evaluation.py', run_name='__main__')";
    const r = spawnSync('python3', ['-c', blocker, ...args], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    return { status: r.status, stderr: r.stderr };
  }
  const BASE = [
    '--dataset',
    'evaluation/data/qa.jsonl',
    '--output',
    '/tmp/unused-scores.json',
    '--evaluators',
    'groundedness',
  ];
  const CONVERSE = ['--target-kind', 'bedrock-converse', '--target-url', URL];
  const JUDGE = [
    '--judge-base-url',
    'https://bedrock-runtime.us-east-1.amazonaws.com/openai/v1',
    '--judge-model',
    'm',
  ];

  test.each([
    [
      'no region',
      [...BASE, ...CONVERSE, ...JUDGE],
      {},
      'error: --region: the bedrock-converse target needs the AWS region (or AWS_REGION, AWS_DEFAULT_REGION)\n',
    ],
    [
      'a gateway key on the SigV4 route',
      [...BASE, ...CONVERSE, ...JUDGE, '--region', 'us-east-1', '--gateway-key-env', 'EVAL_GATEWAY_KEY'],
      {},
      'error: --gateway-key-env: the bedrock-converse target is signed with SigV4, it takes no key\n',
    ],
    [
      'two judges (one from the environment)',
      [...BASE, ...CONVERSE, ...JUDGE],
      { AWS_REGION: 'us-east-1', AZURE_OPENAI_ENDPOINT: 'https://aoai.openai.azure.com' },
      'error: give one judge: --judge-endpoint/--judge-deployment (Azure OpenAI) or --judge-base-url/--judge-model (OpenAI-compatible), not both\n',
    ],
  ])('%s', (_name, args, env, stderr) => {
    expect(run(args, env)).toEqual({ status: 2, stderr });
  });

  test('an unknown target kind is refused by the parser, naming the kinds', () => {
    const r = run([...BASE, '--target-kind', 'invoke-model', '--target-url', URL, ...JUDGE]);
    expect(r.status).toBe(2);
    // (newer Pythons print the choices without quotes)
    expect(r.stderr).toMatch(
      /argument --target-kind: invalid choice: 'invoke-model' \(choose from '?chat-completions'?, '?bedrock-converse'?\)/,
    );
  });
});

import { createHandler, type ProxyResponse } from '../../../constructs/aws/gateway/router/handler';
import {
  admitInput,
  consumerOf,
  pickWeighted,
  principalKey,
  type RouterConfig,
  resolveRoute,
  shouldFallBack,
  shouldLogBodies,
  tokenWindow,
} from '../../../constructs/aws/gateway/router/logic';

const CONTROL_PROFILE = 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/control';
const CANDIDATE_PROFILE = 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/candidate';
const APP_ROLE = 'arn:aws:iam::111122223333:role/apps/app-role';
const APP_SESSION = 'arn:aws:sts::111122223333:assumed-role/app-role/session-1';

const CONFIG: RouterConfig = {
  tableName: 'counters',
  metricsNamespace: 'llmops',
  deployments: { chat: { modelId: CONTROL_PROFILE }, 'chat-v2': { modelId: CANDIDATE_PROFILE } },
  experiments: {
    chat: {
      pinHeader: 'x-llmops-variant',
      control: 'control',
      variants: [
        { name: 'control', deployment: 'chat', weight: 90 },
        { name: 'candidate', deployment: 'chat-v2', promptVersion: 'v7', weight: 10 },
        { name: 'shadow', deployment: 'chat-v2', weight: 0 },
      ],
    },
  },
  consumers: [{ name: 'app', principalArn: APP_ROLE, tokensPerMinute: 100 }],
  guardrail: { identifier: 'arn:aws:bedrock:us-east-1:111122223333:guardrail/g1', version: '3' },
  logging: { logBodies: true, bodySampleRatePercent: 100 },
};

/** `random()` returning the given values in turn. */
function fixedRandom(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

/** An AWS SDK v3 service error as the clients throw it. */
function sdkError(name: string, status: number): Error {
  return Object.assign(new Error(`${name} from the model`), { name, $metadata: { httpStatusCode: status } });
}

describe('router logic', () => {
  test('pickWeighted: a roll per percent point gives each variant exactly its weight; weight 0 is never picked', () => {
    const counts: Record<string, number> = {};
    for (let i = 0; i < 100; i++) {
      const picked = pickWeighted(CONFIG.experiments.chat!.variants, () => i / 100 + 0.001);
      counts[picked.name] = (counts[picked.name] ?? 0) + 1;
    }
    expect(counts).toEqual({ control: 90, candidate: 10 });
  });

  test('pickWeighted: the roll bands follow declaration order (0-89 control, 90-99 candidate)', () => {
    const variants = CONFIG.experiments.chat!.variants;
    expect(pickWeighted(variants, () => 0).name).toBe('control');
    expect(pickWeighted(variants, () => 0.8999).name).toBe('control');
    expect(pickWeighted(variants, () => 0.9).name).toBe('candidate');
    expect(pickWeighted(variants, () => 0.9999).name).toBe('candidate');
  });

  test('resolveRoute: a pin header (any case) selects its variant whatever its weight, and marks it pinned', () => {
    expect(resolveRoute(CONFIG, 'chat', { 'X-LLMOps-Variant': 'shadow' }, () => 0)).toEqual({
      experiment: 'chat',
      variant: 'shadow',
      deployment: 'chat-v2',
      promptVersion: 'none',
      pinned: true,
    });
  });

  test('resolveRoute: an unknown pinned variant is a 400 listing the variants, never a fallback', () => {
    expect(resolveRoute(CONFIG, 'chat', { 'x-llmops-variant': 'nope' }, () => 0)).toEqual({
      error: {
        status: 400,
        code: 'UnknownVariant',
        message:
          'variant "nope" (header x-llmops-variant) is not a variant of experiment "chat": control, candidate, shadow',
      },
    });
  });

  test('resolveRoute: a plain deployment has no experiment; an unknown name is a 404 listing what is served', () => {
    expect(resolveRoute(CONFIG, 'chat-v2', {}, () => 0)).toEqual({
      experiment: 'none',
      variant: 'none',
      deployment: 'chat-v2',
      promptVersion: 'none',
      pinned: false,
    });
    expect(resolveRoute(CONFIG, 'gpt', null, () => 0)).toEqual({
      error: {
        status: 404,
        code: 'DeploymentNotFound',
        message: '"gpt" is not served here; the gateway serves: chat, chat-v2',
      },
    });
  });

  test('shouldFallBack: only a weighted, non-control variant on 429 or 5xx', () => {
    const weighted = {
      experiment: 'chat',
      variant: 'candidate',
      deployment: 'chat-v2',
      promptVersion: 'v7',
      pinned: false,
    };
    expect(shouldFallBack(CONFIG, weighted, sdkError('ThrottlingException', 429))).toBe(true);
    expect(shouldFallBack(CONFIG, weighted, sdkError('ServiceUnavailableException', 503))).toBe(true);
    expect(shouldFallBack(CONFIG, weighted, sdkError('InternalServerException', 500))).toBe(true);
    expect(shouldFallBack(CONFIG, weighted, sdkError('ValidationException', 400))).toBe(false);
    expect(shouldFallBack(CONFIG, weighted, sdkError('AccessDeniedException', 403))).toBe(false);
    expect(shouldFallBack(CONFIG, { ...weighted, pinned: true }, sdkError('ThrottlingException', 429))).toBe(
      false,
    );
    expect(
      shouldFallBack(
        CONFIG,
        { ...weighted, variant: 'control', deployment: 'chat' },
        sdkError('ThrottlingException', 429),
      ),
    ).toBe(false);
    expect(
      shouldFallBack(
        CONFIG,
        { experiment: 'none', variant: 'none', deployment: 'chat', promptVersion: 'none', pinned: false },
        sdkError('ThrottlingException', 429),
      ),
    ).toBe(false);
  });

  test('tokenWindow: one key per consumer and minute, TTL two minutes after its start, Retry-After to the next minute', () => {
    const at = Date.UTC(2026, 11, 2, 14, 0, 45, 250);
    const start = Date.UTC(2026, 11, 2, 14, 0, 0) / 1000;
    expect(tokenWindow('app', at)).toEqual({
      key: `app#${start}`,
      start,
      expiresAt: start + 120,
      retryAfterSeconds: 15,
    });
    expect(tokenWindow('app', start * 1000).retryAfterSeconds).toBe(60);
    expect(tokenWindow('app', start * 1000 + 59_999).retryAfterSeconds).toBe(1);
    expect(tokenWindow('app', start * 1000 + 60_000).key).toBe(`app#${start + 60}`);
  });

  test('admitInput: one conditional UpdateItem that creates the counter with its TTL and fails at the limit', () => {
    expect(admitInput('counters', tokenWindow('app', 60_000), 100)).toEqual({
      TableName: 'counters',
      Key: { pk: { S: 'app#60' } },
      UpdateExpression: 'ADD tokens :zero SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
      ConditionExpression: 'attribute_not_exists(tokens) OR tokens < :limit',
      ExpressionAttributeValues: { ':zero': { N: '0' }, ':limit': { N: '100' }, ':expiresAt': { N: '180' } },
      ReturnValues: 'ALL_NEW',
    });
  });

  test('principalKey and consumerOf: a role session matches its role, whatever the role path', () => {
    expect(principalKey(APP_SESSION)).toBe('111122223333:role/app-role');
    expect(principalKey(APP_ROLE)).toBe('111122223333:role/app-role');
    expect(principalKey('arn:aws:iam::111122223333:user/ops/alice')).toBe('111122223333:user/alice');
    expect(consumerOf(CONFIG, APP_SESSION)?.name).toBe('app');
    expect(consumerOf(CONFIG, 'arn:aws:sts::999988887777:assumed-role/app-role/s')).toBeUndefined();
    expect(consumerOf(CONFIG, undefined)).toBeUndefined();
  });

  test('shouldLogBodies: the privacy switch wins, then the sample rate', () => {
    expect(shouldLogBodies({ logBodies: false, bodySampleRatePercent: 100 }, () => 0)).toBe(false);
    expect(shouldLogBodies({ logBodies: true, bodySampleRatePercent: 10 }, () => 0.099)).toBe(true);
    expect(shouldLogBodies({ logBodies: true, bodySampleRatePercent: 10 }, () => 0.1)).toBe(false);
    expect(shouldLogBodies({ logBodies: true, bodySampleRatePercent: 0 }, () => 0)).toBe(false);
  });
});

/** A DynamoDB stand-in that evaluates the two UpdateItem shapes the router sends. */
function fakeTable() {
  const items = new Map<string, { tokens: number; expiresAt: number }>();
  // biome-ignore lint/suspicious/noExplicitAny: UpdateItem input as plain JSON
  const updateItem = jest.fn(async (input: any) => {
    const key = input.Key.pk.S as string;
    const values = input.ExpressionAttributeValues;
    const item = items.get(key);
    if (input.ConditionExpression && item && item.tokens >= Number(values[':limit'].N)) {
      throw Object.assign(new Error('The conditional request failed'), {
        name: 'ConditionalCheckFailedException',
      });
    }
    const add = Number((values[':zero'] ?? values[':tokens']).N);
    const next = {
      tokens: (item?.tokens ?? 0) + add,
      expiresAt: item?.expiresAt ?? Number(values[':expiresAt'].N),
    };
    items.set(key, next);
    return { Attributes: { tokens: { N: String(next.tokens) } } };
  });
  return { items, updateItem };
}

function event(headers: Record<string, string> = {}, target = 'chat', caller = APP_SESSION) {
  return {
    requestContext: { requestId: 'req-1', identity: { userArn: caller } },
    pathParameters: { deployment: target },
    headers,
    body: JSON.stringify({
      modelId: 'caller-choice',
      messages: [{ role: 'user', content: [{ text: 'Hello' }] }],
    }),
  };
}

function answer(totalTokens: number) {
  return {
    output: { message: { role: 'assistant', content: [{ text: 'Hi' }] } },
    stopReason: 'end_turn',
    usage: { inputTokens: totalTokens - 5, outputTokens: 5, totalTokens },
    metrics: { latencyMs: 10 },
  };
}

function harness(options: {
  converse: jest.Mock;
  random?: () => number;
  config?: RouterConfig;
  nowMs?: number;
}) {
  const table = fakeTable();
  const lines: string[] = [];
  let now = options.nowMs ?? Date.UTC(2026, 11, 2, 14, 0, 45);
  const handler = createHandler({
    config: options.config ?? CONFIG,
    converse: options.converse,
    updateItem: table.updateItem,
    random: options.random ?? (() => 0),
    now: () => now,
    write: (line) => lines.push(line),
  });
  return {
    handler,
    table,
    records: () => lines.map((l) => JSON.parse(l)),
    setNow: (ms: number) => {
      now = ms;
    },
  };
}

function errorCode(response: ProxyResponse): string {
  return JSON.parse(response.body).error.code;
}

describe('router request flow', () => {
  test('GIVEN a weighted roll for the control THEN Converse gets its profile, the guardrail and the request, never the caller modelId', async () => {
    const converse = jest.fn(async () => answer(20));
    const { handler, records } = harness({ converse, random: fixedRandom(0.5, 0.5) });
    const response = await handler(event());
    expect(response.statusCode).toBe(200);
    expect(converse).toHaveBeenCalledWith({
      modelId: CONTROL_PROFILE,
      messages: [{ role: 'user', content: [{ text: 'Hello' }] }],
      guardrailConfig: { guardrailIdentifier: CONFIG.guardrail!.identifier, guardrailVersion: '3' },
    });
    expect(response.headers).toEqual({
      'content-type': 'application/json',
      'x-llmops-experiment': 'chat',
      'x-llmops-variant': 'control',
      'x-llmops-deployment': 'chat',
      'x-llmops-prompt-version': 'none',
      'x-llmops-fallback': 'false',
      'x-llmops-remaining-tokens': '80',
    });
    const [request, metrics] = records();
    expect(request).toMatchObject({
      type: 'request',
      consumer: 'app',
      experiment: 'chat',
      variant: 'control',
      deployment: 'chat',
      pinned: false,
      fallback: false,
      totalTokens: 20,
      prompt: { messages: [{ role: 'user', content: [{ text: 'Hello' }] }] },
    });
    expect(metrics).toMatchObject({
      _aws: {
        CloudWatchMetrics: [{ Namespace: 'llmops', Dimensions: [['Deployment', 'Experiment', 'Variant']] }],
      },
      Deployment: 'chat',
      Experiment: 'chat',
      Variant: 'control',
      'Total Tokens': 20,
      'Prompt Tokens': 15,
      'Completion Tokens': 5,
      Fallbacks: 0,
    });
  });

  test('GIVEN the weighted candidate is throttled THEN the control answers once, with x-llmops-fallback true', async () => {
    const converse = jest
      .fn()
      .mockRejectedValueOnce(sdkError('ThrottlingException', 429))
      .mockResolvedValueOnce(answer(30));
    const { handler, records } = harness({ converse, random: () => 0.95 });
    const response = await handler(event());
    expect(response.statusCode).toBe(200);
    expect(converse.mock.calls.map(([input]) => input.modelId)).toEqual([CANDIDATE_PROFILE, CONTROL_PROFILE]);
    expect(response.headers).toMatchObject({
      'x-llmops-variant': 'control',
      'x-llmops-deployment': 'chat',
      'x-llmops-fallback': 'true',
    });
    expect(records().find((r) => r._aws)).toMatchObject({ Variant: 'control', Fallbacks: 1 });
  });

  test('GIVEN the weighted candidate fails with a 5xx THEN it falls back too', async () => {
    const converse = jest
      .fn()
      .mockRejectedValueOnce(sdkError('ServiceUnavailableException', 503))
      .mockResolvedValueOnce(answer(30));
    const { handler } = harness({ converse, random: () => 0.95 });
    expect((await handler(event())).headers['x-llmops-fallback']).toBe('true');
  });

  test('GIVEN the candidate is pinned and throttled THEN its own 429 comes back: a pinned request never falls back', async () => {
    const converse = jest.fn().mockRejectedValue(sdkError('ThrottlingException', 429));
    const { handler } = harness({ converse });
    const response = await handler(event({ 'x-llmops-variant': 'candidate' }));
    expect(response.statusCode).toBe(429);
    expect(errorCode(response)).toBe('ThrottlingException');
    expect(converse).toHaveBeenCalledTimes(1);
    expect(response.headers).toMatchObject({
      'x-llmops-variant': 'candidate',
      'x-llmops-deployment': 'chat-v2',
      'x-llmops-prompt-version': 'v7',
      'x-llmops-fallback': 'false',
    });
  });

  test('GIVEN the weighted candidate gets a 400 THEN it is returned without fallback', async () => {
    const converse = jest.fn().mockRejectedValue(sdkError('ValidationException', 400));
    const { handler } = harness({ converse, random: () => 0.95 });
    const response = await handler(event());
    expect(response.statusCode).toBe(400);
    expect(converse).toHaveBeenCalledTimes(1);
  });

  test('GIVEN a consumer of 100 tokens per minute THEN requests run until the window is spent, then 429 with Retry-After, then the next minute admits', async () => {
    const converse = jest
      .fn()
      .mockResolvedValueOnce(answer(80))
      .mockResolvedValueOnce(answer(30))
      .mockResolvedValue(answer(10));
    const minute = Date.UTC(2026, 11, 2, 14, 0, 0);
    const { handler, table, setNow } = harness({ converse, nowMs: minute + 45_000 });

    const first = await handler(event());
    expect(first.headers['x-llmops-remaining-tokens']).toBe('20');
    const second = await handler(event());
    expect(second.statusCode).toBe(200);
    expect(second.headers['x-llmops-remaining-tokens']).toBe('0');

    const third = await handler(event());
    expect(third.statusCode).toBe(429);
    expect(errorCode(third)).toBe('TokenLimitExceeded');
    expect(third.headers['retry-after']).toBe('15');
    expect(converse).toHaveBeenCalledTimes(2);
    expect(table.items.get(`app#${minute / 1000}`)).toEqual({ tokens: 110, expiresAt: minute / 1000 + 120 });

    setNow(minute + 60_000);
    const nextMinute = await handler(event());
    expect(nextMinute.statusCode).toBe(200);
    expect(nextMinute.headers['x-llmops-remaining-tokens']).toBe('90');
  });

  test('GIVEN a caller that is not a consumer THEN 403 before anything is counted or called', async () => {
    const converse = jest.fn();
    const { handler, table } = harness({ converse });
    const response = await handler(event({}, 'chat', 'arn:aws:sts::111122223333:assumed-role/other/s'));
    expect(response.statusCode).toBe(403);
    expect(errorCode(response)).toBe('ConsumerNotAllowed');
    expect(converse).not.toHaveBeenCalled();
    expect(table.updateItem).not.toHaveBeenCalled();
  });

  test('GIVEN logBodies false THEN the request record has usage but no prompt or completion', async () => {
    const converse = jest.fn(async () => answer(20));
    const { handler, records } = harness({
      converse,
      config: { ...CONFIG, logging: { logBodies: false, bodySampleRatePercent: 100 } },
    });
    await handler(event());
    const request = records().find((r) => r.type === 'request');
    expect(request.totalTokens).toBe(20);
    expect(request).not.toHaveProperty('prompt');
    expect(request).not.toHaveProperty('completion');
  });

  test('GIVEN a body without messages THEN 400 InvalidRequest', async () => {
    const { handler } = harness({ converse: jest.fn() });
    const response = await handler({ ...event(), body: '{"prompt":"hi"}' });
    expect(response.statusCode).toBe(400);
    expect(errorCode(response)).toBe('InvalidRequest');
  });
});

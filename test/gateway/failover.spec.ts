/**
 * Walks the synthesized gateway through its failure paths: the API policy's backend section (its text,
 * the C# conditions run as JavaScript) against the synthesized pools and circuit breakers, with a small
 * model of API Management's pool routing:
 * - a pool sends to its available member of lowest priority number (the first listed on a tie);
 * - a member with a circuit breaker rule trips after `count` responses in its status ranges and stays
 *   out for the rest of the walk (a walk is shorter than any trip duration);
 * - a pool with no available member answers 503 itself; its reason phrase names the pool and says it
 *   "is temporarily unavailable" (the phrases Microsoft's own retry samples test for);
 * - `retry` runs its children once, then again while its condition holds, at most `count` more times.
 */
import { APIM_BACKEND_TYPE } from '../../constructs/gateway/model-backends';
import { POLICY_VARIABLES } from '../../constructs/gateway/policies';
import { onlyResource, resourcesOf, type SynthJson, synthStack } from '../helpers/synth';
import { buildGateway, EXPERIMENT } from './fixtures';
import { child, findAll, findOne, type Node, parseXml } from './xml';

interface Response {
  readonly status: number;
  readonly reason: string;
}

interface Breaker {
  readonly count: number;
  readonly ranges: readonly { min: number; max: number }[];
  readonly errorReasons: readonly string[];
}

/** `forward-request` raising an error instead of returning a response (its `LastError`). */
interface Fault {
  readonly source: 'forward-request';
  readonly reason: string;
}

interface Topology {
  /** Members (backend names) by pool name, in priority order, with their priority. */
  readonly pools: Record<string, { name: string; priority: number }[]>;
  /** Circuit breaker by backend name; absent: the backend never trips. */
  readonly breakers: Record<string, Breaker>;
}

function topology(json: SynthJson): Topology {
  const backends = resourcesOf(json, 'azurerm_api_management_backend');
  const nameByRef = Object.fromEntries(
    Object.entries(backends).map(([id, b]) => [
      `\${azurerm_api_management_backend.${id}.id}`,
      String(b.name),
    ]),
  );
  const breakers: Record<string, Breaker> = {};
  for (const b of Object.values(backends)) {
    const rule = b.circuit_breaker_rule as
      | {
          failure_condition: {
            count: number;
            status_code_range: { min: number; max: number }[];
            error_reasons?: string[];
          };
        }
      | undefined;
    if (rule) {
      breakers[String(b.name)] = {
        count: rule.failure_condition.count,
        ranges: rule.failure_condition.status_code_range,
        errorReasons: rule.failure_condition.error_reasons ?? [],
      };
    }
  }
  const pools: Topology['pools'] = {};
  for (const r of Object.values(resourcesOf(json, 'azapi_resource')).filter(
    (x) => x.type === APIM_BACKEND_TYPE,
  )) {
    const services = (r.body as { properties: { pool: { services: { id: string; priority: number }[] } } })
      .properties.pool.services;
    pools[String(r.name)] = services
      .map((s) => ({ name: nameByRef[s.id]!, priority: s.priority }))
      .sort((a, b) => a.priority - b.priority);
  }
  return { pools, breakers };
}

type Vars = Record<string, string | number>;

type Evaluate = (
  response: Response | null,
  vars: Vars,
  lastError?: Fault,
  headers?: Record<string, string>,
) => unknown;

/**
 * A C# expression of the policy (`@(...)`) as a JavaScript function of the response, the variables and
 * the last error.
 */
function expression(text: string): Evaluate {
  expect(text.startsWith('@(') && text.endsWith(')')).toBe(true);
  const js = text
    .slice(2, -1)
    .replace(
      /\((?:string|int)\)context\.Variables\["([^"]+)"\]/g,
      (_, name: string) => `vars[${JSON.stringify(name)}]`,
    )
    .replace(
      /context\.Request\.Headers\.GetValueOrDefault\(("[^"]+"), ""\)/g,
      (_, name: string) => `(headers[${name}] ?? "")`,
    )
    .replace(/context\.Response/g, 'response')
    .replace(/context\.LastError/g, 'lastError')
    .replace(/\.Source/g, '.source')
    .replace(/\.Reason/g, '.reason')
    .replace(/\.StatusCode/g, '.status')
    .replace(/\.StatusReason/g, '.reason')
    .replace(/\.Contains\(/g, '.includes(');
  // Nothing of C# is left: what runs is the generated expression, not a copy of it.
  expect(js).not.toMatch(/context\.|\((string|int)\)|Contains|StatusCode/);
  return new Function('response', 'vars', 'lastError', 'headers', `return ${js};`) as Evaluate;
}

/** A C# condition of the policy as a JavaScript predicate. */
function condition(
  text: string,
): (response: Response | null, vars: Vars, lastError?: Fault, headers?: Record<string, string>) => boolean {
  const f = expression(text);
  return (r, v, e, h) => f(r, v, e, h ?? {}) === true;
}

interface Walk {
  readonly response: Response;
  /** Backends the request reached, in order (pool answers are not listed). */
  readonly sent: string[];
  readonly vars: Vars;
}

/**
 * Sends one request through the backend section. `answer` is what each model backend answers on each
 * call (a fault: no response); `vars` are the variables the inbound section set. A fault leaves the
 * backend section for `on-error`, whose `return-response` is what the caller gets.
 */
function walk(
  policy: Node,
  topo: Topology,
  vars: Vars,
  answer: (backend: string) => Response | Fault,
  tripped: Set<string> = new Set(),
  headers: Record<string, string> = {},
): Walk {
  const failures: Record<string, number> = {};
  const sent: string[] = [];
  const v: Vars = { ...vars };
  let response: Response | null = null;
  const send = (): Response => {
    const pool = String(v[POLICY_VARIABLES.backend]);
    const members = topo.pools[pool]!;
    const member = members.find((m) => !tripped.has(m.name));
    if (!member) return { status: 503, reason: `Backend pool ${pool} is temporarily unavailable` };
    sent.push(member.name);
    const r = answer(member.name);
    const breaker = topo.breakers[member.name];
    const counts =
      'status' in r
        ? breaker?.ranges.some((range) => r.status >= range.min && r.status <= range.max)
        : breaker?.errorReasons.includes(r.reason);
    if (counts) {
      failures[member.name] = (failures[member.name] ?? 0) + 1;
      if (failures[member.name]! >= breaker!.count) tripped.add(member.name);
    }
    if (!('status' in r)) throw r;
    return r;
  };
  const setVariable = (s: Node) => {
    const value = s.attributes.value!;
    v[s.attributes.name!] = value.startsWith('@(')
      ? (expression(value)(response, v, undefined, headers) as string | number)
      : value;
  };
  const run = (statements: readonly Node[]) => {
    for (const statement of statements) {
      if (statement.name === 'set-variable') setVariable(statement);
      else if (statement.name === 'forward-request') response = send();
      else if (statement.name === 'choose') {
        const when = statement.children.find((w) =>
          condition(w.attributes.condition!)(response, v, undefined, headers),
        );
        run(when?.children.filter((c) => c.name === 'set-variable') ?? []);
      } else if (statement.name === 'retry') {
        const retryWhile = condition(statement.attributes.condition!);
        run(statement.children);
        for (
          let i = 0;
          i < Number(statement.attributes.count) && retryWhile(response, v, undefined, headers);
          i++
        ) {
          run(statement.children);
        }
      } else throw new Error(`the walk does not model <${statement.name}>`);
    }
  };
  try {
    run(child(policy, 'backend').children);
  } catch (fault) {
    if (!(fault as Fault).source) throw fault;
    const handler = findAll(child(policy, 'on-error'), 'when').find((w) =>
      condition(w.attributes.condition!)(response, v, fault as Fault),
    );
    const status = handler && findOne(handler, 'set-status');
    if (!status) throw new Error(`on-error does not answer ${JSON.stringify(fault)}`);
    return {
      response: { status: Number(status.attributes.code), reason: status.attributes.reason! },
      sent,
      vars: v,
    };
  }
  return { response: response!, sent, vars: v };
}

const OK: Response = { status: 200, reason: 'OK' };
const THROTTLED: Response = { status: 429, reason: 'Too Many Requests' };
const FAILING: Response = { status: 500, reason: 'Internal Server Error' };
const DOWN: Response = { status: 503, reason: 'Service Unavailable' };

describe('the gateway through its failure paths (primary swedencentral, failover francecentral)', () => {
  // GIVEN a gateway with one failover region and the chat experiment (candidate chat-v2)
  const json = synthStack(
    buildGateway({ experiments: { chat: EXPERIMENT } }, { secondaryLocations: ['francecentral'] }).stack,
  );
  const policy = parseXml(onlyResource(json, 'azurerm_api_management_api_policy').xml_content as string);
  const topo = topology(json);
  /** Variables the inbound section sets for a call of `deployment` outside any experiment. */
  const direct = (deployment: string) => ({
    [POLICY_VARIABLES.backend]: `pool-${deployment}`,
    [POLICY_VARIABLES.experiment]: 'none',
    [POLICY_VARIABLES.variant]: 'none',
    [POLICY_VARIABLES.targetDeployment]: deployment,
    [POLICY_VARIABLES.fallback]: 'false',
  });

  test('the pools and breakers the walk runs on', () => {
    expect(topo.pools['pool-embedding']).toEqual([
      { name: 'embedding-primary', priority: 1 },
      { name: 'embedding-francecentral', priority: 2 },
    ]);
    expect(Object.keys(topo.breakers).sort()).toEqual([
      'chat-primary',
      'chat-v2-francecentral',
      'chat-v2-primary',
      'embedding-primary',
    ]);
  });

  test('primary 429: the primary trips and the retry reaches the failover region', () => {
    const w = walk(policy, topo, direct('embedding'), (b) => (b === 'embedding-primary' ? THROTTLED : OK));
    expect(w.sent).toEqual(['embedding-primary', 'embedding-francecentral']);
    expect(w.response).toEqual(OK);
  });

  test('primary 5xx: the same, and the next request goes straight to the failover region', () => {
    const tripped = new Set<string>();
    const answer = (b: string) => (b === 'embedding-primary' ? FAILING : OK);
    const first = walk(policy, topo, direct('embedding'), answer, tripped);
    expect(first.sent).toEqual(['embedding-primary', 'embedding-francecentral']);
    expect(first.response).toEqual(OK);
    const next = walk(policy, topo, direct('embedding'), answer, tripped);
    expect(next.sent).toEqual(['embedding-francecentral']);
  });

  test("all members down: the caller gets the last member's own error, never a gateway-made 503, and the retries stop", () => {
    const w = walk(policy, topo, direct('chat'), () => DOWN);
    // the last member never trips, so the pool never answers "unavailable" itself
    expect(w.response).toEqual(DOWN);
    // each member was asked once: the never-tripping last member is not asked again while retries last
    expect(w.sent).toEqual(['chat-primary', 'chat-francecentral']);
    expect(Number(child(child(policy, 'backend'), 'retry').attributes.count)).toBeGreaterThan(w.sent.length);
    // AND a 429 everywhere reaches the caller as the model's 429 (its Retry-After with it)
    expect(walk(policy, topo, direct('embedding'), () => THROTTLED).response).toEqual(THROTTLED);
  });

  test("the candidate's open pool falls back to the control, once, and says so", () => {
    // GIVEN a request the experiment sent to the candidate, whose deployment fails in both regions
    const vars = {
      ...direct('chat-v2'),
      [POLICY_VARIABLES.experiment]: 'chat',
      [POLICY_VARIABLES.variant]: 'candidate',
      [POLICY_VARIABLES.promptVersion]: 'v7',
    };
    const w = walk(policy, topo, vars, (b) => (b.startsWith('chat-v2-') ? FAILING : OK));
    // THEN both candidate members trip, the pool opens, and the control serves the request
    expect(w.sent).toEqual(['chat-v2-primary', 'chat-v2-francecentral', 'chat-primary']);
    expect(w.response).toEqual(OK);
    expect(w.vars).toMatchObject({
      [POLICY_VARIABLES.fallback]: 'true',
      [POLICY_VARIABLES.variant]: 'control',
      [POLICY_VARIABLES.targetDeployment]: 'chat',
      [POLICY_VARIABLES.promptVersion]: 'none',
      [POLICY_VARIABLES.backend]: 'pool-chat',
    });
  });

  test("a request that pinned the candidate never gets the control's answer: it gets the candidate's own failure", () => {
    // GIVEN the evaluation gate pinning the candidate (x-llmops-variant: candidate), the candidate failing
    const vars = {
      ...direct('chat-v2'),
      [POLICY_VARIABLES.experiment]: 'chat',
      [POLICY_VARIABLES.variant]: 'candidate',
    };
    const pinned = { 'x-llmops-variant': 'candidate' };
    const w = walk(policy, topo, vars, (b) => (b.startsWith('chat-v2-') ? FAILING : OK), new Set(), pinned);
    // THEN no member of the control's pool was asked, and no fallback is reported
    expect(w.sent.filter((b) => !b.startsWith('chat-v2-'))).toEqual([]);
    expect(w.response.status).toBeGreaterThanOrEqual(500);
    expect(w.vars[POLICY_VARIABLES.fallback]).toBe('false');
    expect(w.vars[POLICY_VARIABLES.variant]).toBe('candidate');
  });

  test('a failing control after a fallback still fails over to its own failover region', () => {
    const vars = {
      ...direct('chat-v2'),
      [POLICY_VARIABLES.experiment]: 'chat',
      [POLICY_VARIABLES.variant]: 'candidate',
    };
    const answer = (b: string) =>
      b.startsWith('chat-v2-') ? FAILING : b === 'chat-primary' ? THROTTLED : OK;
    const w = walk(policy, topo, vars, answer);
    expect(w.sent).toEqual([
      'chat-v2-primary',
      'chat-v2-francecentral',
      'chat-primary',
      'chat-francecentral',
    ]);
    expect(w.response).toEqual(OK);
  });

  test('an unreachable member: the caller gets a 502, the member trips and the next request goes to the failover region', () => {
    const tripped = new Set<string>();
    const unreachable: Fault = { source: 'forward-request', reason: 'BackendConnectionFailure' };
    const answer = (b: string) => (b === 'embedding-primary' ? unreachable : OK);
    const first = walk(policy, topo, direct('embedding'), answer, tripped);
    expect(first.response).toEqual({ status: 502, reason: 'Bad Gateway' });
    expect(first.sent).toEqual(['embedding-primary']);
    expect(walk(policy, topo, direct('embedding'), answer, tripped).sent).toEqual([
      'embedding-francecentral',
    ]);
  });

  test('a member that does not answer within the timeout: the caller gets a 504, the member trips, the next request fails over', () => {
    const tripped = new Set<string>();
    const timedOut: Fault = { source: 'forward-request', reason: 'Timeout' };
    const answer = (b: string) => (b === 'chat-primary' ? timedOut : OK);
    const w = walk(policy, topo, direct('chat'), answer, tripped);
    expect(w.response).toEqual({ status: 504, reason: 'Gateway Timeout' });
    expect(walk(policy, topo, direct('chat'), answer, tripped).sent).toEqual(['chat-francecentral']);
    expect(
      child(child(policy, 'backend'), 'retry').children.find((c) => c.name === 'forward-request')!.attributes
        .timeout,
    ).toBe('120');
  });

  test("a pool's own 503 is never retried on the same pool", () => {
    // GIVEN the candidate's deployment called directly (no experiment to fall back in), its pool open
    const tripped = new Set(['chat-v2-primary', 'chat-v2-francecentral']);
    const w = walk(policy, topo, direct('chat-v2'), () => OK, tripped);
    // THEN the caller gets the pool's 503 at once: nothing was sent, nothing looped
    expect(w.sent).toEqual([]);
    expect(w.response.status).toBe(503);
  });
});

describe('a pool of three regions', () => {
  // GIVEN two failover regions and no experiment
  const json = synthStack(buildGateway({}, { secondaryLocations: ['francecentral', 'uksouth'] }).stack);
  const policy = parseXml(onlyResource(json, 'azurerm_api_management_api_policy').xml_content as string);
  const topo = topology(json);
  const vars = {
    [POLICY_VARIABLES.backend]: 'pool-chat',
    [POLICY_VARIABLES.experiment]: 'none',
    [POLICY_VARIABLES.variant]: 'none',
    [POLICY_VARIABLES.targetDeployment]: 'chat',
    [POLICY_VARIABLES.fallback]: 'false',
  };

  test("every member is asked once when all are throttled, and the caller gets the last one's 429", () => {
    const w = walk(policy, topo, vars, () => THROTTLED);
    expect(w.sent).toEqual(['chat-primary', 'chat-francecentral', 'chat-uksouth']);
    expect(w.response).toEqual(THROTTLED);
  });

  test('the first healthy region serves', () => {
    const w = walk(policy, topo, vars, (b) => (b === 'chat-uksouth' ? OK : FAILING));
    expect(w.sent).toEqual(['chat-primary', 'chat-francecentral', 'chat-uksouth']);
    expect(w.response).toEqual(OK);
  });
});

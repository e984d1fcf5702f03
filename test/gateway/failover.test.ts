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
import { child, type Node, parseXml } from './xml';

interface Response {
  readonly status: number;
  readonly reason: string;
}

interface Breaker {
  readonly count: number;
  readonly ranges: readonly { min: number; max: number }[];
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
      | { failure_condition: { count: number; status_code_range: { min: number; max: number }[] } }
      | undefined;
    if (rule) {
      breakers[String(b.name)] = {
        count: rule.failure_condition.count,
        ranges: rule.failure_condition.status_code_range,
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

/** A C# condition of the policy (`@(...)`) as a JavaScript function of the response and variables. */
function condition(expression: string): (response: Response | null, vars: Record<string, string>) => boolean {
  expect(expression.startsWith('@(') && expression.endsWith(')')).toBe(true);
  const js = expression
    .slice(2, -1)
    .replace(
      /\(string\)context\.Variables\["([^"]+)"\]/g,
      (_, name: string) => `vars[${JSON.stringify(name)}]`,
    )
    .replace(/context\.Response/g, 'response')
    .replace(/\.StatusCode/g, '.status')
    .replace(/\.StatusReason/g, '.reason')
    .replace(/\.Contains\(/g, '.includes(');
  // Nothing of C# is left: what runs is the generated condition, not a copy of it.
  expect(js).not.toMatch(/context\.|\(string\)|Contains|StatusCode/);
  return new Function('response', 'vars', `return ${js};`) as (
    r: Response | null,
    v: Record<string, string>,
  ) => boolean;
}

interface Walk {
  readonly response: Response;
  /** Backends the request reached, in order (pool answers are not listed). */
  readonly sent: string[];
  readonly vars: Record<string, string>;
}

/**
 * Sends one request through the backend section. `answer` is what each model backend answers on each
 * call; `vars` are the variables the inbound section set.
 */
function walk(
  policy: Node,
  topo: Topology,
  vars: Record<string, string>,
  answer: (backend: string) => Response,
  tripped: Set<string> = new Set(),
): Walk {
  const retry = child(child(policy, 'backend'), 'retry');
  const retryWhile = condition(retry.attributes.condition!);
  const failures: Record<string, number> = {};
  const sent: string[] = [];
  const v = { ...vars };
  let response: Response | null = null;
  const send = (): Response => {
    const members = topo.pools[v[POLICY_VARIABLES.backend]!]!;
    const member = members.find((m) => !tripped.has(m.name));
    if (!member) {
      return {
        status: 503,
        reason: `Backend pool ${v[POLICY_VARIABLES.backend]} is temporarily unavailable`,
      };
    }
    sent.push(member.name);
    const r = answer(member.name);
    const breaker = topo.breakers[member.name];
    if (breaker?.ranges.some((range) => r.status >= range.min && r.status <= range.max)) {
      failures[member.name] = (failures[member.name] ?? 0) + 1;
      if (failures[member.name]! >= breaker.count) tripped.add(member.name);
    }
    return r;
  };
  const runChildren = () => {
    for (const statement of retry.children) {
      if (statement.name === 'choose') {
        const when = statement.children.find((w) => condition(w.attributes.condition!)(response, v));
        for (const s of when?.children ?? []) {
          if (s.name === 'set-variable') v[s.attributes.name!] = s.attributes.value!;
        }
      } else if (statement.name === 'forward-request') {
        response = send();
      } else {
        throw new Error(`the walk does not model <${statement.name}>`);
      }
    }
  };
  runChildren();
  for (let i = 0; i < Number(retry.attributes.count) && retryWhile(response, v); i++) runChildren();
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
    expect(w.sent[0]).toBe('chat-primary');
    expect(new Set(w.sent.slice(1))).toEqual(new Set(['chat-francecentral']));
    expect(w.sent.length).toBe(Number(child(child(policy, 'backend'), 'retry').attributes.count) + 1);
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

  test("a pool's own 503 is never retried on the same pool", () => {
    // GIVEN the candidate's deployment called directly (no experiment to fall back in), its pool open
    const tripped = new Set(['chat-v2-primary', 'chat-v2-francecentral']);
    const w = walk(policy, topo, direct('chat-v2'), () => OK, tripped);
    // THEN the caller gets the pool's 503 at once: nothing was sent, nothing looped
    expect(w.sent).toEqual([]);
    expect(w.response.status).toBe(503);
  });
});

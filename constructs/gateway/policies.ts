import { compareStrings } from '../core/json';
import { csharpString as cs, el, renderXml, type XmlChild, type XmlElement } from './policy-xml';
import {
  DEFAULT_PIN_HEADER,
  type Experiment,
  type SemanticCacheSettings,
  type TokenLimits,
} from './validation';

/**
 * The gateway's API Management policies, generated from typed inputs: deterministic, indented XML.
 *
 * Request flow of the inference API (API scope):
 * 0. the token limit of the caller's product, per subscription ({@link tokenLimitStatement}); a
 *    subscription that belongs to no product (scoped to the API or to all APIs) gets 403, so no key
 *    bypasses the limits;
 * 1. the called deployment (`/deployments/{deployment-id}/...`) selects a route: an experiment of that
 *    name, or a model deployment; anything else gets 404;
 * 2. for an experiment, a pinned variant (pin header) or a weighted random pick names the variant, which
 *    names the deployment to call and its prompt version; an unknown pinned variant gets 400. The
 *    weights come from the experiment's named value ({@link weightsNamedValue});
 * 3. the request goes to that deployment's backend pool (regional failover behind circuit breakers); each
 *    backend's URL names its deployment, so the `/deployments/{deployment-id}` segment is removed from the
 *    path; the caller's subscription key is removed (header and query parameter) and the gateway's
 *    managed identity authenticates instead;
 * 3a. the backend section retries a 429 or 5xx on the pool's next member and, for an experiment variant
 *    other than the control, sends the request to the control when the variant's pool is open
 *    ({@link backendSection});
 * 4. token metrics are emitted with API, subscription, deployment, experiment and variant as dimensions;
 * 5. responses carry `x-llmops-experiment`, `x-llmops-variant`, `x-llmops-deployment` and
 *    `x-llmops-prompt-version`, and a trace records the same plus the weights in effect.
 *
 * @see https://learn.microsoft.com/azure/api-management/api-management-policies
 */

/** Context variables the API policy sets (readable by operation policies and in traces). */
export const POLICY_VARIABLES = {
  /** The deployment the client called (the `deployment-id` path parameter). */
  calledDeployment: 'llmops-deployment',
  /** The experiment, or `none`. */
  experiment: 'llmops-experiment',
  /** The variant, or `none`. */
  variant: 'llmops-variant',
  /** `variant=weight;...` of the experiment in effect (from its named value), or `none`. */
  weights: 'llmops-weights',
  /** The deployment the request is sent to. */
  targetDeployment: 'llmops-target-deployment',
  /** The variant's prompt version, or `none`. */
  promptVersion: 'llmops-prompt-version',
  /** The backend (pool) id the request is sent to. */
  backend: 'llmops-backend',
  /** `true` when a variant's open pool sent the request to its experiment's control; else `false`. */
  fallback: 'llmops-fallback',
  /**
   * Sends the request still has on its current pool (an int, see `sendBudgets`), set when the backend
   * section starts and again when a variant falls back to its control, so no member is asked twice.
   */
  sendsLeft: 'llmops-sends-left',
} as const;

/** Response headers that tell the caller what served the request. */
export const RESPONSE_HEADERS = {
  experiment: 'x-llmops-experiment',
  variant: 'x-llmops-variant',
  deployment: 'x-llmops-deployment',
  promptVersion: 'x-llmops-prompt-version',
  /** `true` when the variant's pool was open and the control served the request. */
  fallback: 'x-llmops-fallback',
} as const;

/** Headers with the caller's remaining tokens (set by the token limit). */
export const TOKEN_LIMIT_HEADERS = {
  remainingTokens: 'x-llmops-remaining-tokens',
  remainingQuotaTokens: 'x-llmops-remaining-quota-tokens',
} as const;

/** The token the gateway's managed identity requests for the model accounts. */
export const COGNITIVE_SERVICES_RESOURCE = 'https://cognitiveservices.azure.com';

/** `none`: the value of a variable that does not apply (no experiment, no prompt version). */
export const NONE = 'none';

/**
 * The APIM subscription key's names on the inference API (`subscription_key_parameter_names`): the
 * policy removes both before calling a model, so no caller credential leaves the gateway.
 */
export const SUBSCRIPTION_KEY_NAMES = { header: 'api-key', query: 'subscription-key' } as const;

/**
 * API Management's default subscription key header: not the one this API reads, but a client that sends
 * its key there out of habit must not have it forwarded to the model either.
 * @see https://learn.microsoft.com/azure/api-management/api-management-subscriptions#use-a-subscription-key
 */
export const DEFAULT_SUBSCRIPTION_KEY_HEADER = 'Ocp-Apim-Subscription-Key';

/**
 * A policy expression that is true when API Management itself answered 503 because a backend pool has
 * no available member (every member's circuit breaker is open) or a single backend is tripped: the
 * reason phrase then names the pool ("Backend pool ...") or says the backend "is temporarily
 * unavailable". Sending the request to the same pool again cannot succeed, so the retry never loops on it.
 *
 * @see https://learn.microsoft.com/azure/api-management/backends#circuit-breaker
 */
export const POOL_UNAVAILABLE =
  'context.Response.StatusCode == 503 && context.Response.StatusReason != null && (context.Response.StatusReason.Contains("Backend pool") || context.Response.StatusReason.Contains("is temporarily unavailable"))';

/** Inputs of {@link inferenceApiPolicy}. */
export interface InferenceApiPolicyInput {
  /** Backend (pool) id per model deployment: the deployments clients may call, and where each is served. */
  readonly backends: Readonly<Record<string, string>>;
  /**
   * Experiments by name (validated: weights sum to 100, variants name deployments in `backends`). Each
   * needs its named value ({@link weightsNamedValue}) holding {@link weightsLabel}.
   */
  readonly experiments: Readonly<Record<string, Experiment>>;
  /** Custom metric namespace of the token metrics, e.g. `llmops`. */
  readonly metricNamespace: string;
  /**
   * Times a request that got 429 or 5xx (other than the pool's own "no available backend" 503) is sent
   * again to its pool, whose circuit breaker has by then taken the failing member out, so the retry
   * reaches the next member; for an experiment variant whose pool is open, one of these sends goes to
   * the experiment's control. 0 sends each request once.
   */
  readonly retryCount: number;
  /**
   * Sends a request gets on each backend pool id (the values of `backends`), retries included: one per
   * member, so a last member that keeps failing is not asked again while `retryCount` lasts (plus one to
   * find the pool open where every member can trip). 1 for a pool not listed.
   */
  readonly sendBudgets: Readonly<Record<string, number>>;
  /**
   * Seconds `forward-request` waits for a model's response headers before it raises a timeout error.
   * Microsoft: values over 240 "may not be honored". A non-streaming completion sends its headers only
   * when it is complete, so this bounds the longest completion the gateway serves.
   * @see https://learn.microsoft.com/azure/api-management/forward-request-policy
   */
  readonly timeoutSeconds: number;
  /**
   * Token limits per subscription, by product id, enforced at API scope: a subscription is counted
   * under its product's limits, and a subscription without a product is refused (403).
   */
  readonly products: Readonly<Record<string, TokenLimits>>;
}

/**
 * The control of an experiment: its first variant. Rollback moves the weights to it, and a variant whose
 * pool is open falls back to it.
 */
export function controlVariant(experiment: Experiment): string {
  return Object.keys(experiment.variants)[0] ?? '';
}

const variable = (name: string) => `(string)context.Variables[${cs(name)}]`;
const variableOrNone = (name: string) =>
  `context.Variables.GetValueOrDefault<string>(${cs(name)}, ${cs(NONE)})`;
const setVariable = (name: string, value: string) => el('set-variable', { name, value });
const setHeader = (name: string, expression: string) =>
  el('set-header', { name, 'exists-action': 'override' }, el('value', {}, `@(${expression})`));

function jsonError(status: number, reason: string, code: string, message: string): XmlElement {
  return el(
    'return-response',
    {},
    el('set-status', { code: status, reason }),
    el(
      'set-header',
      { name: 'Content-Type', 'exists-action': 'override' },
      el('value', {}, 'application/json'),
    ),
    el('set-body', {}, JSON.stringify({ error: { code, message } })),
  );
}

/** `control=90;candidate=10`: the weights of an experiment, as logged. */
export function weightsLabel(experiment: Experiment): string {
  return Object.entries(experiment.variants)
    .map(([name, v]) => `${name}=${v.weight}`)
    .join(';');
}

/**
 * Name of the named value that holds an experiment's weights (`llmops-weights-<experiment>`). The API
 * policy reads the weights from it at run time, so rolling back changes this one short value, not the
 * policy: `npm run plan:diff` shows `value: "control=90;candidate=10" -> "control=100;candidate=0"`.
 */
export function weightsNamedValue(experiment: string): string {
  return `${WEIGHTS_NAMED_VALUE_PREFIX}${experiment}`;
}

/** Prefix of the named values holding experiment weights (for tools that read synthesized output). */
export const WEIGHTS_NAMED_VALUE_PREFIX = 'llmops-weights-';

/**
 * Reads a weights label back: `control=90;candidate=10` -> `{ control: 90, candidate: 10 }`, in order.
 * Returns undefined for text that is not a weights label.
 */
export function parseWeightsLabel(label: string): Record<string, number> | undefined {
  const out: Record<string, number> = {};
  for (const entry of label.split(';')) {
    const m = /^([^=;]+)=(\d{1,3})$/.exec(entry);
    if (!m) return undefined;
    out[m[1]!] = Number(m[2]);
  }
  return out;
}

/**
 * The C# expression that picks a variant: the pinned one when the header is set (unknown names were
 * rejected before), else a roll of 0-99 against the cumulative weights read from
 * {@link POLICY_VARIABLES.weights} (`control=90;candidate=10`). Variants of weight 0 are reachable only
 * by pinning.
 */
export function variantPickExpression(experiment: Experiment): string {
  const pinHeader = experiment.pinHeader ?? DEFAULT_PIN_HEADER;
  const first = Object.keys(experiment.variants)[0] ?? '';
  const statements = [
    `var pinned = context.Request.Headers.GetValueOrDefault(${cs(pinHeader)}, "");`,
    'if (pinned != "") { return pinned; }',
    'var roll = new Random().Next(100);',
    'var upper = 0;',
    `foreach (var entry in (${variable(POLICY_VARIABLES.weights)}).Split(';')) {`,
    "var pair = entry.Split('=');",
    'upper += int.Parse(pair[1]);',
    'if (roll < upper) { return pair[0]; }',
    '}',
    `return ${cs(first)};`,
  ];
  return `@{ ${statements.join(' ')} }`;
}

function isCalled(deployment: string): string {
  return `@(${variable(POLICY_VARIABLES.calledDeployment)} == ${cs(deployment)})`;
}

function experimentRoute(
  name: string,
  experiment: Experiment,
  backends: Readonly<Record<string, string>>,
): XmlElement {
  const pinHeader = experiment.pinHeader ?? DEFAULT_PIN_HEADER;
  const names = Object.keys(experiment.variants);
  const unknownPin = `@{ var pinned = context.Request.Headers.GetValueOrDefault(${cs(pinHeader)}, ""); return pinned != "" && ${names
    .map((n) => `pinned != ${cs(n)}`)
    .join(' && ')}; }`;
  return el(
    'when',
    { condition: isCalled(name) },
    setVariable(POLICY_VARIABLES.experiment, name),
    setVariable(POLICY_VARIABLES.weights, `{{${weightsNamedValue(name)}}}`),
    el(
      'choose',
      {},
      el(
        'when',
        { condition: unknownPin },
        jsonError(
          400,
          'Unknown variant',
          'UnknownVariant',
          `${pinHeader} must name a variant of experiment ${name}: ${names.join(', ')}`,
        ),
      ),
    ),
    setVariable(POLICY_VARIABLES.variant, variantPickExpression(experiment)),
    el(
      'choose',
      {},
      Object.entries(experiment.variants).map(([variantName, v]) =>
        el(
          'when',
          { condition: `@(${variable(POLICY_VARIABLES.variant)} == ${cs(variantName)})` },
          setVariable(POLICY_VARIABLES.targetDeployment, v.deployment),
          v.promptVersion !== undefined && setVariable(POLICY_VARIABLES.promptVersion, v.promptVersion),
          setVariable(POLICY_VARIABLES.backend, backends[v.deployment]!),
        ),
      ),
    ),
  );
}

/**
 * The policy of the inference API: token limits per subscription, routing, experiments, managed identity
 * authentication, token metrics, retries on the pools' next members with fallback to the control, and
 * the response headers and trace that record the variant. Experiments whose name equals a deployment
 * take over that deployment's route.
 */
export function inferenceApiPolicy(input: InferenceApiPolicyInput): string {
  const experimentNames = new Set(Object.keys(input.experiments));
  const routes: XmlChild[] = [
    ...Object.entries(input.experiments).map(([name, e]) => experimentRoute(name, e, input.backends)),
    ...Object.entries(input.backends)
      .filter(([deployment]) => !experimentNames.has(deployment))
      .map(([deployment, backendId]) =>
        el('when', { condition: isCalled(deployment) }, setVariable(POLICY_VARIABLES.backend, backendId)),
      ),
  ];
  const callable = [
    ...experimentNames,
    ...Object.keys(input.backends).filter((d) => !experimentNames.has(d)),
  ];
  const outboundHeaders = [
    setHeader(RESPONSE_HEADERS.experiment, variableOrNone(POLICY_VARIABLES.experiment)),
    setHeader(RESPONSE_HEADERS.variant, variableOrNone(POLICY_VARIABLES.variant)),
    setHeader(RESPONSE_HEADERS.deployment, variableOrNone(POLICY_VARIABLES.targetDeployment)),
    setHeader(RESPONSE_HEADERS.promptVersion, variableOrNone(POLICY_VARIABLES.promptVersion)),
    setHeader(
      RESPONSE_HEADERS.fallback,
      `context.Variables.GetValueOrDefault<string>(${cs(POLICY_VARIABLES.fallback)}, "false")`,
    ),
  ];
  const policy = el(
    'policies',
    {},
    el(
      'inbound',
      {},
      el('base'),
      tokenLimitStatement(input.products),
      // The subscription key must not travel to the model endpoints (header and query parameter).
      el('set-header', { name: SUBSCRIPTION_KEY_NAMES.header, 'exists-action': 'delete' }),
      el('set-header', { name: DEFAULT_SUBSCRIPTION_KEY_HEADER, 'exists-action': 'delete' }),
      setVariable(POLICY_VARIABLES.calledDeployment, '@(context.Request.MatchedParameters["deployment-id"])'),
      setVariable(POLICY_VARIABLES.experiment, NONE),
      setVariable(POLICY_VARIABLES.variant, NONE),
      setVariable(POLICY_VARIABLES.weights, NONE),
      setVariable(POLICY_VARIABLES.promptVersion, NONE),
      setVariable(POLICY_VARIABLES.fallback, 'false'),
      setVariable(POLICY_VARIABLES.targetDeployment, `@(${variable(POLICY_VARIABLES.calledDeployment)})`),
      el(
        'choose',
        {},
        routes,
        el(
          'otherwise',
          {},
          jsonError(
            404,
            'Deployment not found',
            'DeploymentNotFound',
            `the gateway serves these deployments: ${callable.join(', ')}`,
          ),
        ),
      ),
      el('set-backend-service', { 'backend-id': `@(${variable(POLICY_VARIABLES.backend)})` }),
      // Each backend's URL ends in /openai/deployments/<deployment>: the path keeps only the operation.
      el('rewrite-uri', {
        template: `@(context.Operation.UrlTemplate.Replace(${cs(DEPLOYMENT_SEGMENT)}, ""))`,
        'copy-unmatched-params': true,
      }),
      el('set-query-parameter', { name: SUBSCRIPTION_KEY_NAMES.query, 'exists-action': 'delete' }),
      el('authentication-managed-identity', { resource: COGNITIVE_SERVICES_RESOURCE }),
      el(
        'azure-openai-emit-token-metric',
        { namespace: input.metricNamespace },
        el('dimension', { name: 'API ID' }),
        el('dimension', { name: 'Subscription ID' }),
        el('dimension', { name: 'Deployment', value: `@(${variable(POLICY_VARIABLES.targetDeployment)})` }),
        el('dimension', { name: 'Experiment', value: `@(${variable(POLICY_VARIABLES.experiment)})` }),
        el('dimension', { name: 'Variant', value: `@(${variable(POLICY_VARIABLES.variant)})` }),
      ),
    ),
    el('backend', {}, backendSection(input)),
    el(
      'outbound',
      {},
      el('base'),
      outboundHeaders,
      el(
        'trace',
        { source: 'llmops-gateway', severity: 'information' },
        el('message', {}, 'llm-request'),
        ...(
          [
            ['experiment', POLICY_VARIABLES.experiment],
            ['variant', POLICY_VARIABLES.variant],
            ['weights', POLICY_VARIABLES.weights],
            ['deployment', POLICY_VARIABLES.targetDeployment],
            ['promptVersion', POLICY_VARIABLES.promptVersion],
            ['fallback', POLICY_VARIABLES.fallback],
          ] as const
        ).map(([name, v]) => el('metadata', { name, value: `@(${variableOrNone(v)})` })),
      ),
    ),
    el('on-error', {}, el('base'), outboundHeaders, backendErrorResponse()),
  );
  return `${renderXml(policy)}\n`;
}

/** The path segment that names the deployment in the operations' URL templates. */
export const DEPLOYMENT_SEGMENT = '/deployments/{deployment-id}';

/**
 * The C# condition under which a request that got a response falls back from its variant to its
 * experiment's control: the variant's pool is open ({@link POOL_UNAVAILABLE}), the variant is not the
 * control, and the caller did not pin it (pin header): a pinned request asked for that variant, and the
 * evaluation gate pins the candidate, so the control's answer must never be scored as the candidate's.
 * Undefined without experiments.
 */
export function fallbackCondition(experiments: Readonly<Record<string, Experiment>>): string | undefined {
  const clauses = Object.entries(experiments)
    .filter(([, e]) => Object.keys(e.variants).length > 1)
    .map(([name, e]) => `(${fallbackClause(name, e)})`);
  if (clauses.length === 0) return undefined;
  return `context.Response != null && ${POOL_UNAVAILABLE} && (${clauses.join(' || ')})`;
}

/** The C# condition that a request of experiment `name` may fall back: an unpinned non-control variant. */
function fallbackClause(name: string, experiment: Experiment): string {
  const pinHeader = experiment.pinHeader ?? DEFAULT_PIN_HEADER;
  return `${variable(POLICY_VARIABLES.experiment)} == ${cs(name)} && ${variable(POLICY_VARIABLES.variant)} != ${cs(controlVariant(experiment))} && context.Request.Headers.GetValueOrDefault(${cs(pinHeader)}, "") == ""`;
}

/** The C# int held in {@link POLICY_VARIABLES.sendsLeft}. */
const SENDS_LEFT = `(int)context.Variables[${cs(POLICY_VARIABLES.sendsLeft)}]`;

/** The send budget of a pool `sendBudgets` does not list: the request is sent once. */
const UNLISTED_POOL_SENDS = 1;

/** A C# expression: the send budget of the pool in {@link POLICY_VARIABLES.backend} (see {@link UNLISTED_POOL_SENDS}). */
function sendBudgetExpression(sendBudgets: Readonly<Record<string, number>>): string {
  return Object.entries(sendBudgets)
    .sort(([a], [b]) => compareStrings(a, b))
    .reduceRight(
      (otherwise, [id, size]) =>
        `${variable(POLICY_VARIABLES.backend)} == ${cs(id)} ? ${size} : (${otherwise})`,
      String(UNLISTED_POOL_SENDS),
    );
}

/**
 * The backend section: `forward-request` with a bounded `timeout`; with `retryCount` above 0, inside a
 * `retry` (request body buffered so it can be sent again):
 * - a 429, or a 5xx that is not the pool's own "no available backend" 503, is sent again to the pool,
 *   whose circuit breaker has taken the failing member out: the retry reaches the next member;
 * - each request has a budget of sends on its pool ({@link InferenceApiPolicyInput.sendBudgets},
 *   {@link POLICY_VARIABLES.sendsLeft}), so a last member that keeps failing is not asked again: its own
 *   error goes back to the caller;
 * - the pool's own 503 is never retried on the same pool (it would loop until the count is spent),
 *   except that an experiment variant's open pool sends the request, once, to the experiment's control
 *   (variables, backend and `x-llmops-fallback: true` say so), with a fresh budget for the control's pool.
 *
 * A connection failure or a timeout is not a response: `forward-request` raises an error, API Management
 * leaves the `retry` for `on-error` (where `forward-request` is not allowed), and {@link backendErrorResponse}
 * answers. The member's breaker counts `BackendConnectionFailure` ({@link ModelBackends}), so the next
 * requests go to the next member.
 *
 * @see https://learn.microsoft.com/azure/api-management/retry-policy
 * @see https://learn.microsoft.com/azure/api-management/forward-request-policy
 */
export function backendSection(
  input: Pick<
    InferenceApiPolicyInput,
    'experiments' | 'backends' | 'retryCount' | 'sendBudgets' | 'timeoutSeconds'
  >,
): XmlChild {
  if (input.retryCount === 0) return el('forward-request', { timeout: input.timeoutSeconds });
  const fallback = fallbackCondition(input.experiments);
  const memberFailed = `${SENDS_LEFT} > 0 && (context.Response.StatusCode == 429 || (context.Response.StatusCode >= 500 && !(${POOL_UNAVAILABLE})))`;
  const condition =
    fallback === undefined
      ? `@(context.Response != null && (${memberFailed}))`
      : `@((context.Response != null && (${memberFailed})) || (${fallback}))`;
  const fallbacks = Object.entries(input.experiments)
    .filter(([, e]) => Object.keys(e.variants).length > 1)
    .map(([name, e]) => {
      const control = controlVariant(e);
      const v = e.variants[control]!;
      const backend = input.backends[v.deployment]!;
      return el(
        'when',
        {
          condition: `@(context.Response != null && ${POOL_UNAVAILABLE} && ${fallbackClause(name, e)})`,
        },
        setVariable(POLICY_VARIABLES.fallback, 'true'),
        setVariable(POLICY_VARIABLES.variant, control),
        setVariable(POLICY_VARIABLES.targetDeployment, v.deployment),
        setVariable(POLICY_VARIABLES.promptVersion, v.promptVersion ?? NONE),
        setVariable(POLICY_VARIABLES.backend, backend),
        setVariable(POLICY_VARIABLES.sendsLeft, `@(${input.sendBudgets[backend] ?? UNLISTED_POOL_SENDS})`),
        el('set-backend-service', { 'backend-id': `@(${variable(POLICY_VARIABLES.backend)})` }),
      );
    });
  return [
    setVariable(POLICY_VARIABLES.sendsLeft, `@(${sendBudgetExpression(input.sendBudgets)})`),
    el(
      'retry',
      { condition, count: input.retryCount, interval: 0, 'first-fast-retry': true },
      fallbacks.length > 0 && el('choose', {}, fallbacks),
      el('forward-request', { timeout: input.timeoutSeconds, 'buffer-request-body': true }),
      setVariable(POLICY_VARIABLES.sendsLeft, `@(${SENDS_LEFT} - 1)`),
    ),
  ];
}

/** The `LastError.Reason` API Management gives a backend it could not connect to. */
export const BACKEND_CONNECTION_FAILURE = 'BackendConnectionFailure';

/**
 * The `LastError.Reason` of a `forward-request` whose `timeout` elapsed (the reason gateway logs record
 * as `LastErrorReason`). Not listed on a Learn page: if API Management names it otherwise, a hanging
 * member answers 504 without tripping, and callers still get the 504 after the timeout.
 */
export const BACKEND_TIMEOUT = 'Timeout';

/**
 * What the caller gets when `forward-request` raised an error instead of returning a response: 502 for a
 * connection failure ({@link BACKEND_CONNECTION_FAILURE}), 504 otherwise (the `timeout` elapsed), as JSON
 * that says to retry; any other error keeps API Management's own answer.
 *
 * @see https://learn.microsoft.com/azure/api-management/api-management-error-handling-policies
 */
export function backendErrorResponse(): XmlElement {
  const fromForwardRequest = 'context.LastError != null && context.LastError.Source == "forward-request"';
  return el(
    'choose',
    {},
    el(
      'when',
      {
        condition: `@(${fromForwardRequest} && context.LastError.Reason == ${cs(BACKEND_CONNECTION_FAILURE)})`,
      },
      jsonError(
        502,
        'Bad Gateway',
        'BackendUnreachable',
        'the model backend could not be reached; retry the request',
      ),
    ),
    el(
      'when',
      { condition: `@(${fromForwardRequest})` },
      jsonError(
        504,
        'Gateway Timeout',
        'BackendTimeout',
        'the model backend did not answer in time; retry the request',
      ),
    ),
  );
}

/** A policy document with `<base />` in every section, plus the given statements. */
function scoped(inbound: XmlChild[], outbound: XmlChild[] = []): string {
  const policy = el(
    'policies',
    {},
    el('inbound', {}, el('base'), inbound),
    el('backend', {}, el('base')),
    el('outbound', {}, el('base'), outbound),
    el('on-error', {}, el('base')),
  );
  return `${renderXml(policy)}\n`;
}

/**
 * The token limit at API scope: per product, an `azure-openai-token-limit` per subscription (counter
 * key: the subscription id; tokens per minute, 429 with Retry-After when exceeded; an optional quota per
 * period, 403), chosen by the caller's product. A subscription without a product (one scoped to the API
 * or to all APIs) gets 403 `ProductSubscriptionRequired`: every call is counted under some limit.
 *
 * @see https://learn.microsoft.com/azure/api-management/azure-openai-token-limit-policy
 * @see https://learn.microsoft.com/azure/api-management/api-management-subscriptions#scope-of-subscriptions
 */
export function tokenLimitStatement(
  products: Readonly<Record<string, TokenLimits>>,
  estimatePromptTokens = false,
): XmlElement {
  const ids = Object.keys(products);
  return el(
    'choose',
    {},
    Object.entries(products).map(([productId, limits]) => {
      const quota = limits.tokenQuota;
      return el(
        'when',
        { condition: `@(context.Product != null && context.Product.Id == ${cs(productId)})` },
        el('azure-openai-token-limit', {
          'counter-key': '@(context.Subscription.Id)',
          'tokens-per-minute': limits.tokensPerMinute,
          'token-quota': quota,
          'token-quota-period': quota === undefined ? undefined : (limits.tokenQuotaPeriod ?? 'Monthly'),
          'estimate-prompt-tokens': estimatePromptTokens,
          'remaining-tokens-header-name': TOKEN_LIMIT_HEADERS.remainingTokens,
          'remaining-quota-tokens-header-name':
            quota === undefined ? undefined : TOKEN_LIMIT_HEADERS.remainingQuotaTokens,
        }),
      );
    }),
    el(
      'otherwise',
      {},
      jsonError(
        403,
        'Product subscription required',
        'ProductSubscriptionRequired',
        `call with the key of a subscription to a product (${ids.join(', ')}): keys scoped to the API or to all APIs carry no token limit`,
      ),
    ),
  );
}

/**
 * The chat completions operation policy with semantic caching: a lookup after the API policy has picked
 * the variant, partitioned by subscription, experiment, variant and deployment (so variants and callers
 * never share answers), and a store of the completion.
 *
 * @see https://learn.microsoft.com/azure/api-management/azure-openai-semantic-cache-lookup-policy
 */
export function semanticCachePolicy(cache: SemanticCacheSettings, embeddingsBackendId: string): string {
  const partition = [
    'context.Subscription.Id',
    variable(POLICY_VARIABLES.experiment),
    variable(POLICY_VARIABLES.variant),
    variable(POLICY_VARIABLES.targetDeployment),
  ].join(' + "|" + ');
  return scoped(
    [
      el(
        'azure-openai-semantic-cache-lookup',
        {
          'score-threshold': cache.scoreThreshold ?? 0.05,
          'embeddings-backend-id': embeddingsBackendId,
          'embeddings-backend-auth': 'system-assigned',
        },
        el('vary-by', {}, `@(${partition})`),
      ),
    ],
    [el('azure-openai-semantic-cache-store', { duration: cache.durationSeconds ?? 3600 })],
  );
}

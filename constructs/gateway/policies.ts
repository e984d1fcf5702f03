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
 * Request flow of the inference API (API scope), after the product policy (token limits) has run:
 * 1. the called deployment (`/deployments/{deployment-id}/...`) selects a route: an experiment of that
 *    name, or a model deployment; anything else gets 404;
 * 2. for an experiment, a pinned variant (pin header) or a weighted random pick names the variant, which
 *    names the deployment to call and its prompt version; an unknown pinned variant gets 400. The
 *    weights come from the experiment's named value ({@link weightsNamedValue});
 * 3. the request goes to that deployment's backend pool (regional failover behind circuit breakers), with
 *    the deployment segment of the path rewritten, authenticated with the gateway's managed identity;
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
} as const;

/** Response headers that tell the caller what served the request. */
export const RESPONSE_HEADERS = {
  experiment: 'x-llmops-experiment',
  variant: 'x-llmops-variant',
  deployment: 'x-llmops-deployment',
  promptVersion: 'x-llmops-prompt-version',
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
   * Times a request that got 429 or 5xx is sent again to its pool, where the circuit breaker has taken
   * the failing region out (Retry-After honoured). 0 sends each request once.
   */
  readonly retryCount: number;
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
 * The policy of the inference API: routing, experiments, managed identity authentication, token metrics,
 * retries through the pools' circuit breakers, and the response headers and trace that record the
 * variant. Experiments whose name equals a deployment take over that deployment's route.
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
  ];
  const retry =
    input.retryCount > 0
      ? el(
          'retry',
          {
            condition: '@(context.Response.StatusCode == 429 || context.Response.StatusCode >= 500)',
            count: input.retryCount,
            interval: 0,
            'first-fast-retry': true,
          },
          el('forward-request', { 'buffer-request-body': true }),
        )
      : el('base');
  const policy = el(
    'policies',
    {},
    el(
      'inbound',
      {},
      el('base'),
      // The subscription key must not travel to the model endpoints.
      el('set-header', { name: 'api-key', 'exists-action': 'delete' }),
      setVariable(POLICY_VARIABLES.calledDeployment, '@(context.Request.MatchedParameters["deployment-id"])'),
      setVariable(POLICY_VARIABLES.experiment, NONE),
      setVariable(POLICY_VARIABLES.variant, NONE),
      setVariable(POLICY_VARIABLES.weights, NONE),
      setVariable(POLICY_VARIABLES.promptVersion, NONE),
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
      el('rewrite-uri', {
        template: `@(context.Operation.UrlTemplate.Replace("{deployment-id}", ${variable(POLICY_VARIABLES.targetDeployment)}))`,
        'copy-unmatched-params': true,
      }),
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
    el('backend', {}, retry),
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
          ] as const
        ).map(([name, v]) => el('metadata', { name, value: `@(${variableOrNone(v)})` })),
      ),
    ),
    el('on-error', {}, el('base'), outboundHeaders),
  );
  return `${renderXml(policy)}\n`;
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
 * The product policy: `azure-openai-token-limit` per subscription (counter key: the subscription id),
 * tokens per minute (429 with Retry-After when exceeded) and an optional quota per period (403).
 *
 * @see https://learn.microsoft.com/azure/api-management/azure-openai-token-limit-policy
 */
export function tokenLimitPolicy(limits: TokenLimits, estimatePromptTokens = false): string {
  const quota = limits.tokenQuota;
  return scoped([
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
  ]);
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

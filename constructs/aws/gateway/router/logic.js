'use strict';
/**
 * Pure routing rules of the gateway router: no AWS SDK, no clock, no randomness of its own (the caller
 * passes `random()` and `nowMs`), so tests run every rule directly. Types: `logic.d.ts`.
 */

/** Length of one token-limit window. */
const WINDOW_SECONDS = 60;
/** A window's counter lives this long after the window starts (DynamoDB TTL deletes it later). */
const COUNTER_TTL_SECONDS = 2 * WINDOW_SECONDS;

/** Lower-cased header lookup: API Gateway passes headers as the client sent them. */
function headerValue(headers, name) {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/**
 * Rolls 0-99 with `random()` (0 <= x < 1) against the cumulative weights, in declaration order, and
 * returns the variant whose band holds the roll. A variant of weight 0 has an empty band.
 */
function pickWeighted(variants, random) {
  const roll = Math.floor(random() * 100);
  let upper = 0;
  for (const variant of variants) {
    upper += variant.weight;
    if (roll < upper) return variant;
  }
  // Weights are validated to sum to 100, so this is only reached by a config that bypassed validation.
  return variants[0];
}

function error(status, code, message) {
  return { error: { status, code, message } };
}

/**
 * Decides what serves a request for `target` (the deployment or experiment name in the path):
 * `{ experiment, variant, deployment, promptVersion, pinned }`, or `{ error }` for an unknown target (404)
 * or an unknown pinned variant (400, never a silent fallback).
 */
function resolveRoute(config, target, headers, random) {
  const experiment = config.experiments[target];
  if (experiment) {
    const pin = headerValue(headers, experiment.pinHeader);
    if (pin !== undefined && pin !== '') {
      const pinned = experiment.variants.find((v) => v.name === pin);
      if (!pinned) {
        const names = experiment.variants.map((v) => v.name).join(', ');
        return error(
          400,
          'UnknownVariant',
          `variant ${JSON.stringify(pin)} (header ${experiment.pinHeader}) is not a variant of experiment ${JSON.stringify(target)}: ${names}`,
        );
      }
      return route(target, pinned, true);
    }
    return route(target, pickWeighted(experiment.variants, random), false);
  }
  if (config.deployments[target]) {
    return { experiment: 'none', variant: 'none', deployment: target, promptVersion: 'none', pinned: false };
  }
  const served = [...new Set([...Object.keys(config.experiments), ...Object.keys(config.deployments)])]
    .sort()
    .join(', ');
  return error(
    404,
    'DeploymentNotFound',
    `${JSON.stringify(target)} is not served here; the gateway serves: ${served}`,
  );
}

function route(experiment, variant, pinned) {
  return {
    experiment,
    variant: variant.name,
    deployment: variant.deployment,
    promptVersion: variant.promptVersion ?? 'none',
    pinned,
  };
}

/** The HTTP status of an AWS SDK v3 error (`$metadata.httpStatusCode`), or 502 when there is none. */
function errorStatus(err) {
  const status = err?.$metadata?.httpStatusCode;
  return Number.isInteger(status) ? status : 502;
}

/** Error names Bedrock Runtime uses for throttling and server faults (Converse API reference, "Errors"). */
const RETRYABLE_NAMES = new Set([
  'ThrottlingException',
  'ServiceUnavailableException',
  'InternalServerException',
  'ModelNotReadyException',
]);

/** Throttling (429) or a server fault (5xx): what the control variant can answer instead. */
function isThrottleOrServerError(err) {
  const status = err?.$metadata?.httpStatusCode;
  if (status === 429 || (Number.isInteger(status) && status >= 500)) return true;
  return RETRYABLE_NAMES.has(err?.name);
}

/**
 * Whether a failed request goes once to the experiment's control: only for an experiment variant that was
 * picked by weight (a pinned request never falls back), that is not the control itself, and only on
 * throttling or a server fault.
 */
function shouldFallBack(config, resolved, err) {
  if (resolved.experiment === 'none' || resolved.pinned) return false;
  const experiment = config.experiments[resolved.experiment];
  if (!experiment || resolved.variant === experiment.control) return false;
  return isThrottleOrServerError(err);
}

/** The route of an experiment's control variant (marked as a fallback). */
function controlRoute(config, resolved) {
  const experiment = config.experiments[resolved.experiment];
  const control = experiment.variants.find((v) => v.name === experiment.control);
  return { ...route(resolved.experiment, control, false), fallback: true };
}

/**
 * The token window of `consumer` at `nowMs`: the counter key (`<consumer>#<window start, epoch seconds>`),
 * when the counter expires (TTL attribute, epoch seconds) and the seconds until the next window
 * (`Retry-After`, at least 1).
 */
function tokenWindow(consumer, nowMs) {
  const nowSeconds = nowMs / 1000;
  const start = Math.floor(nowSeconds / WINDOW_SECONDS) * WINDOW_SECONDS;
  return {
    key: `${consumer}#${start}`,
    start,
    expiresAt: start + COUNTER_TTL_SECONDS,
    retryAfterSeconds: Math.max(1, Math.ceil(start + WINDOW_SECONDS - nowSeconds)),
  };
}

/**
 * The DynamoDB UpdateItem input that admits a request: it adds 0 to the window's counter (creating it with
 * its TTL) only while the counter is below the limit, so the check is one atomic call; a full window
 * fails with ConditionalCheckFailedException.
 */
function admitInput(tableName, window, limit) {
  return {
    TableName: tableName,
    Key: { pk: { S: window.key } },
    UpdateExpression: 'ADD tokens :zero SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
    ConditionExpression: 'attribute_not_exists(tokens) OR tokens < :limit',
    ExpressionAttributeValues: {
      ':zero': { N: '0' },
      ':limit': { N: String(limit) },
      ':expiresAt': { N: String(window.expiresAt) },
    },
    ReturnValues: 'ALL_NEW',
  };
}

/** The UpdateItem input that counts a served request's tokens in its window (atomic ADD). */
function countInput(tableName, window, tokens) {
  return {
    TableName: tableName,
    Key: { pk: { S: window.key } },
    UpdateExpression: 'ADD tokens :tokens SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
    ExpressionAttributeValues: {
      ':tokens': { N: String(tokens) },
      ':expiresAt': { N: String(window.expiresAt) },
    },
    ReturnValues: 'UPDATED_NEW',
  };
}

/**
 * A stable key for an IAM principal: `<account>:role/<name>` for a role and for a session of it (the
 * assumed-role ARN API Gateway reports drops the role's path), `<account>:user/<name>` for a user.
 */
function principalKey(arn) {
  if (typeof arn !== 'string') return undefined;
  const match = /^arn:[^:]+:(iam|sts)::(\d{12}):(.+)$/.exec(arn);
  if (!match) return arn;
  const [, service, account, resource] = match;
  const parts = resource.split('/');
  if (service === 'sts' && parts[0] === 'assumed-role') return `${account}:role/${parts[1]}`;
  if (service === 'iam' && (parts[0] === 'role' || parts[0] === 'user')) {
    return `${account}:${parts[0]}/${parts[parts.length - 1]}`;
  }
  return arn;
}

/** The consumer whose principal made the call (`requestContext.identity.userArn`), or undefined. */
function consumerOf(config, callerArn) {
  const key = principalKey(callerArn);
  if (key === undefined) return undefined;
  return config.consumers.find((c) => principalKey(c.principalArn) === key);
}

/** Whether this request's prompt and completion are logged (privacy switch, then the sample rate). */
function shouldLogBodies(logging, random) {
  return logging.logBodies && random() * 100 < logging.bodySampleRatePercent;
}

/** Request fields passed on to Converse; everything else (a caller's own modelId, guardrail) is dropped. */
const CONVERSE_FIELDS = [
  'messages',
  'system',
  'inferenceConfig',
  'toolConfig',
  'additionalModelRequestFields',
];

/** The Converse input for `deployment`: its inference profile ARN and the gateway's guardrail. */
function converseInput(config, deployment, body) {
  const input = { modelId: config.deployments[deployment].modelId };
  for (const field of CONVERSE_FIELDS) {
    if (body[field] !== undefined) input[field] = body[field];
  }
  if (config.guardrail) {
    input.guardrailConfig = {
      guardrailIdentifier: config.guardrail.identifier,
      guardrailVersion: config.guardrail.version,
    };
  }
  return input;
}

/** Response headers that say what served the request. */
function routeHeaders(resolved) {
  return {
    'x-llmops-experiment': resolved.experiment,
    'x-llmops-variant': resolved.variant,
    'x-llmops-deployment': resolved.deployment,
    'x-llmops-prompt-version': resolved.promptVersion,
    'x-llmops-fallback': resolved.fallback ? 'true' : 'false',
  };
}

/** Metric names and dimensions (the same names as the Azure gateway's custom metrics, namespace llmops). */
const METRIC_DIMENSIONS = ['Deployment', 'Experiment', 'Variant'];

/** A CloudWatch embedded metric format record of one served request's token usage. */
function metricsRecord(namespace, resolved, usage, timestampMs) {
  return {
    _aws: {
      Timestamp: timestampMs,
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [METRIC_DIMENSIONS],
          Metrics: [
            { Name: 'Total Tokens', Unit: 'Count' },
            { Name: 'Prompt Tokens', Unit: 'Count' },
            { Name: 'Completion Tokens', Unit: 'Count' },
            { Name: 'Fallbacks', Unit: 'Count' },
          ],
        },
      ],
    },
    Deployment: resolved.deployment,
    Experiment: resolved.experiment,
    Variant: resolved.variant,
    'Total Tokens': usage.totalTokens ?? 0,
    'Prompt Tokens': usage.inputTokens ?? 0,
    'Completion Tokens': usage.outputTokens ?? 0,
    Fallbacks: resolved.fallback ? 1 : 0,
  };
}

module.exports = {
  WINDOW_SECONDS,
  COUNTER_TTL_SECONDS,
  headerValue,
  pickWeighted,
  resolveRoute,
  errorStatus,
  isThrottleOrServerError,
  shouldFallBack,
  controlRoute,
  tokenWindow,
  admitInput,
  countInput,
  principalKey,
  consumerOf,
  shouldLogBodies,
  converseInput,
  routeHeaders,
  metricsRecord,
};

'use strict';
/**
 * The router's request flow (API Gateway REST proxy event in, proxy response out), with every effect
 * injected: `converse(input)` and `updateItem(input)` send the AWS SDK commands, `random()` and `now()`
 * replace Math.random and Date.now, `write(line)` writes one log line. `index.js` wires the real ones;
 * tests pass fakes. Types: `handler.d.ts`.
 */
const logic = require('./logic');

function json(status, body, headers) {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

function failure(status, code, message, headers) {
  return json(status, { error: { code, message } }, headers);
}

function createHandler({ config, converse, updateItem, random, now, write }) {
  const log = (record) => write(JSON.stringify(record));

  return async function handler(event) {
    const started = now();
    const requestId = event.requestContext?.requestId;
    const callerArn = event.requestContext?.identity?.userArn;
    const consumer = logic.consumerOf(config, callerArn);
    if (!consumer) {
      log({ type: 'refused', requestId, callerArn, reason: 'ConsumerNotAllowed' });
      return failure(403, 'ConsumerNotAllowed', 'the caller is not a consumer of this gateway');
    }

    const target = event.pathParameters?.deployment ?? '';
    const resolved = logic.resolveRoute(config, target, event.headers, random);
    if (resolved.error) {
      return failure(resolved.error.status, resolved.error.code, resolved.error.message);
    }

    let body;
    try {
      body = JSON.parse(event.body ?? '');
    } catch {
      body = undefined;
    }
    if (!body || !Array.isArray(body.messages)) {
      return failure(
        400,
        'InvalidRequest',
        'the body must be a JSON Converse request with a "messages" array',
      );
    }

    const window = logic.tokenWindow(consumer.name, started);
    try {
      await updateItem(logic.admitInput(config.tableName, window, consumer.tokensPerMinute));
    } catch (err) {
      if (err?.name !== 'ConditionalCheckFailedException') throw err;
      log({ type: 'throttled', requestId, consumer: consumer.name, window: window.start });
      return failure(
        429,
        'TokenLimitExceeded',
        `consumer ${consumer.name} used its ${consumer.tokensPerMinute} tokens of this minute`,
        { 'retry-after': String(window.retryAfterSeconds), 'x-llmops-remaining-tokens': '0' },
      );
    }

    let served = { ...resolved, fallback: false };
    let output;
    try {
      output = await converse(logic.converseInput(config, served.deployment, body));
    } catch (err) {
      if (!logic.shouldFallBack(config, served, err)) {
        return modelFailure(served, err);
      }
      log({
        type: 'fallback',
        requestId,
        experiment: served.experiment,
        from: served.variant,
        error: err?.name,
      });
      served = logic.controlRoute(config, served);
      try {
        output = await converse(logic.converseInput(config, served.deployment, body));
      } catch (controlErr) {
        return modelFailure(served, controlErr);
      }
    }

    const usage = output.usage ?? {};
    const headers = logic.routeHeaders(served);
    try {
      const counted = await updateItem(logic.countInput(config.tableName, window, usage.totalTokens ?? 0));
      const used = Number(counted?.Attributes?.tokens?.N ?? 0);
      headers['x-llmops-remaining-tokens'] = String(Math.max(0, consumer.tokensPerMinute - used));
    } catch (err) {
      // The model has answered and its tokens are spent: answer, and record that they went uncounted.
      log({
        type: 'count-failed',
        requestId,
        consumer: consumer.name,
        tokens: usage.totalTokens,
        error: err?.name,
      });
    }

    const record = {
      type: 'request',
      requestId,
      consumer: consumer.name,
      experiment: served.experiment,
      variant: served.variant,
      deployment: served.deployment,
      promptVersion: served.promptVersion,
      pinned: served.pinned,
      fallback: served.fallback,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      totalTokens: usage.totalTokens,
      stopReason: output.stopReason,
      latencyMs: now() - started,
    };
    if (logic.shouldLogBodies(config.logging, random)) {
      record.prompt = { system: body.system, messages: body.messages };
      record.completion = output.output;
    }
    log(record);
    log(logic.metricsRecord(config.metricsNamespace, served, usage, started));

    return json(
      200,
      { output: output.output, stopReason: output.stopReason, usage: output.usage, metrics: output.metrics },
      headers,
    );

    function modelFailure(route, err) {
      const status = logic.errorStatus(err);
      log({
        type: 'model-error',
        requestId,
        consumer: consumer.name,
        experiment: route.experiment,
        variant: route.variant,
        deployment: route.deployment,
        pinned: route.pinned,
        fallback: route.fallback,
        status,
        error: err?.name,
      });
      return failure(
        status,
        err?.name ?? 'ModelError',
        err?.message ?? 'the model call failed',
        logic.routeHeaders(route),
      );
    }
  };
}

module.exports = { createHandler };

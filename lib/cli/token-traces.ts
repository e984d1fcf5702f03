/**
 * cdktf records where each token was created: the constructors of `Lazy`, `Intrinsic`,
 * `TerraformDynamicExpression`, `TerraformDynamicBlock` and `ComplexComputedList` call `captureStackTrace`
 * (cdktf 0.21.0, lib/tokens/private/stack-trace.js), which raises `Error.stackTraceLimit` to
 * `Number.MAX_SAFE_INTEGER`, captures into a plain object and reads its `stack` at once, so V8 collects
 * and formats every frame of every token's creation. The text is read only when a token fails to resolve
 * (lib/tokens/resolvable.js, lib/tokens/private/intrinsic.js: "Object creation stack"). An environment
 * synthesizes thousands of tokens: capturing them was 0.14 s of the 1.7 s Azure app, and under jest, whose
 * stacks are deeper, 60% of an environment's synth (a prod stack: 0.5 s, 0.19 s without it).
 */

/** The module of cdktf that captures the stacks (no `exports` map in cdktf 0.21.0, so the path resolves). */
const STACK_TRACE_MODULE = 'cdktf/lib/tokens/private/stack-trace';

/**
 * Makes cdktf's tokens record an empty creation stack, as they do when the capture finds none. Its callers
 * look `captureStackTrace` up on the module's exports at each call (`(0, stack_trace_1.captureStackTrace)()`),
 * so replacing the export reaches them all; nothing else changes (a real error's stack is untouched, and a
 * token that fails to resolve is still reported with its path and value, without the creation stack).
 * Called once per process by the Azure entries (bin/main.ts, bin/synth.ts) and by jest's setup; a test
 * fails if a cdktf upgrade moves the function (test/cli/token-traces.spec.ts).
 */
export function skipTokenCreationTraces(): void {
  const stackTrace = require(STACK_TRACE_MODULE) as { captureStackTrace: (below?: unknown) => string[] };
  if (typeof stackTrace.captureStackTrace !== 'function')
    throw new Error(
      `${STACK_TRACE_MODULE} has no captureStackTrace: cdktf changed, see lib/cli/token-traces.ts`,
    );
  stackTrace.captureStackTrace = () => [];
}

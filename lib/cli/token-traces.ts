/**
 * cdktf records where each token was created: the constructors of `Lazy`, `Intrinsic`,
 * `TerraformDynamicExpression` and `ComplexComputedList` call `captureStackTrace`
 * (cdktf 0.21.0, lib/tokens/private/stack-trace.js), which raises `Error.stackTraceLimit` to
 * `Number.MAX_SAFE_INTEGER`, captures into a plain object `{ stack: "" }` and reads its `stack` at once, so
 * V8 formats every frame of every token's creation. The text is read only when a token fails to resolve
 * (lib/tokens/resolvable.js, lib/tokens/private/intrinsic.js: "Object creation stack"). An environment
 * synthesizes thousands of tokens: the formatting was 0.14 s of the 1.7 s Azure app, and under jest, whose
 * stacks are deeper, 60% of an environment's synth (a prod stack: 0.5 s, 0.19 s without it).
 */

/**
 * Formats stacks as Node does (`<name>: <message>` and one `    at <frame>` line per frame, Node's default
 * without source maps) for errors, and as nothing for the plain objects cdktf captures into, so its
 * tokens' creation stacks are empty and the trace of a real error is unchanged. Installed once per
 * process by the Azure entries (bin/main.ts, bin/synth.ts) and by jest's setup; a token that fails to
 * resolve is still reported with its path and value, without the creation stack.
 */
export function skipTokenCreationTraces(): void {
  Error.prepareStackTrace = (target: unknown, frames: NodeJS.CallSite[]) =>
    target instanceof Error ? formatLikeNode(target, frames) : '';
}

function formatLikeNode(error: Error, frames: readonly NodeJS.CallSite[]): string {
  let header: string;
  try {
    header = Error.prototype.toString.call(error);
  } catch {
    header = '<error>';
  }
  return frames.length === 0 ? header : `${header}\n    at ${frames.join('\n    at ')}`;
}

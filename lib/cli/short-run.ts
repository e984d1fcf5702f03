import { setFlagsFromString } from 'node:v8';
import { useCodeCache } from './code-cache';

/**
 * V8's interrupt budget, in bytes of bytecode run before a function is considered for TurboFan: 16 times
 * V8's default (67,584 in Node 20's V8 11.3, `node --v8-options`). A synth is a process of about a second
 * that runs most of its code a few times: at the default, TurboFan compiles hundreds of functions on the
 * two cores the Azure and AWS halves share, and the process ends before the optimized code pays that back.
 * Measured in rounds against the default, on the 2-core machine: warm `npm run synth` 1.49 to 1.17 s (CPU
 * 2.6 to 2.0 s), synth of 30 generated environments 3.6 to 3.1 s. `--no-opt` (no TurboFan at all) was as
 * fast for the default config but 7% slower for 30 environments, and 4 or 64 times the default were slower
 * than 16 (BENCHMARKS.md).
 */
export const INTERRUPT_BUDGET = 16 * 67_584;

/**
 * Starts a command that synthesizes: V8 optimizes only the functions that stay hot
 * ({@link INTERRUPT_BUDGET}), and modules compile from their cached code (lib/cli/code-cache.ts). Call it
 * first in the entry (bin/synth.ts, bin/aws.ts, bin/main.ts), before the modules it is for are loaded: the
 * code cache is made under the flags set here, and its folder is that of these flags.
 *
 * The budget is set here, not on the command line, and that costs less: Node's own modules carry code
 * cached under V8's default flags, which V8 refuses under other flags. Set here, only the built-in modules
 * loaded afterwards compile from source (about 25 in the AWS process, 40 in the Azure one, the gains
 * above are net of that); on the command line, all of them would. It changes how fast a synth runs, never
 * what it writes.
 */
export function startShortRun(): void {
  setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
  useCodeCache();
}

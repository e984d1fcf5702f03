/**
 * Staged output: a synth writes into a staging directory beside its output and swaps it in only when
 * everything succeeded, so a failed run leaves the previous output untouched. Free of cdktf and
 * aws-cdk-lib, so `bin/synth.ts` stages before it loads either.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The staging directory of `outdir`: `.cdktf.out.staging-<pid>` beside it. */
export function stagingDirFor(outdir: string): string {
  return join(dirname(outdir), `.${basename(outdir)}.staging-${process.pid}`);
}

/**
 * Replaces `outdir` with the finished `staging` directory; when the rename fails the previous `outdir` is
 * put back, so a reader sees either the old output or the new one, never a mix.
 */
export function swapIn(staging: string, outdir: string): void {
  const previous = join(dirname(outdir), `.${basename(outdir)}.previous-${process.pid}`);
  const hadPrevious = existsSync(outdir);
  if (hadPrevious) renameSync(outdir, previous);
  try {
    renameSync(staging, outdir);
  } catch (error) {
    if (hadPrevious) renameSync(previous, outdir); // put the previous output back
    throw error;
  }
  rmSync(previous, { recursive: true, force: true });
}

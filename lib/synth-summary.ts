import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type App, TerraformStack } from 'cdktf';
import { ValidationError } from '../constructs/core/errors';
import { compareStrings } from '../constructs/core/json';
import { PolicyReport } from '../constructs/policy';
import { CheckFailedError } from './cli/exit';

/** What `npm run synth` prints for one stack. */
export interface StackSummary {
  readonly stack: string;
  /** Resource count by Terraform type, sorted by type. */
  readonly resources: readonly { readonly type: string; readonly count: number }[];
  readonly total: number;
  readonly policyErrors: number;
  readonly policyWarnings: number;
  readonly suppressed: readonly { readonly ruleId: string; readonly path: string; readonly reason: string }[];
}

/** Reads each synthesized stack back and pairs it with its policy report. */
export function collectSummaries(app: App, outdir: string): StackSummary[] {
  const stacks = app.node.findAll().filter((c): c is TerraformStack => c instanceof TerraformStack);
  return stacks
    .map((stack) => {
      const name = stack.node.id;
      const json = JSON.parse(readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8')) as {
        resource?: Record<string, Record<string, unknown>>;
      };
      const resources = Object.entries(json.resource ?? {})
        .map(([type, byName]) => ({ type, count: Object.keys(byName).length }))
        .sort((a, b) => compareStrings(a.type, b.type));
      const findings = PolicyReport.tryOf(stack)?.findings ?? [];
      return {
        stack: name,
        resources,
        total: resources.reduce((n, r) => n + r.count, 0),
        policyErrors: findings.filter((f) => f.severity === 'error' && !f.suppressedBecause).length,
        policyWarnings: findings.filter((f) => f.severity === 'warning' && !f.suppressedBecause).length,
        suppressed: findings
          .filter((f) => f.suppressedBecause !== undefined)
          .map((f) => ({ ruleId: f.ruleId, path: f.path, reason: f.suppressedBecause! })),
      };
    })
    .sort((a, b) => compareStrings(a.stack, b.stack));
}

/**
 * The table printed after synth.
 *
 * @param layout where a stack's file is: `cdktf` (`<outdir>/stacks/<stack>/cdk.tf.json`) or `cdk` (an
 * aws-cdk-lib cloud assembly: `<outdir>/<stack>.template.json`)
 */
export function renderSummary(
  summaries: readonly StackSummary[],
  outdir: string,
  layout: 'cdktf' | 'cdk' = 'cdktf',
): string {
  const lines: string[] = [];
  for (const s of summaries) {
    const policy =
      s.policyErrors === 0
        ? `policy: pass (${s.suppressed.length} suppressed${s.policyWarnings ? `, ${s.policyWarnings} warnings` : ''})`
        : `policy: ${s.policyErrors} errors`;
    const file =
      layout === 'cdktf' ? `${outdir}/stacks/${s.stack}/cdk.tf.json` : `${outdir}/${s.stack}.template.json`;
    lines.push(`${s.stack}  ${s.total} resources  ${policy}  -> ${file}`);
    const width = Math.max(...s.resources.map((r) => r.type.length), 0);
    for (const r of s.resources) lines.push(`  ${r.type.padEnd(width)}  ${String(r.count).padStart(3)}`);
    for (const x of s.suppressed) lines.push(`  suppressed ${x.ruleId} at ${x.path}: ${x.reason}`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Runs `app.synth()`, which runs every stack's validations (the policy rules among them), and turns a
 * failure into a {@link CheckFailedError} (exit 1) that lists each unsuppressed finding with its construct
 * path, without a stack trace. A {@link ValidationError} (invalid props met while aspects run) passes
 * through unchanged.
 *
 * @param note a sentence added after "synth failed;", e.g. what happened to the previous output
 */
export function synthOrFail(app: App, note?: string): void {
  try {
    app.synth();
  } catch (error) {
    // Invalid props found while aspects run are still bad input (exit 2).
    if (error instanceof ValidationError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new CheckFailedError(`synth failed${note ? `; ${note}` : ''}\n${message}`);
  }
}

/**
 * Synthesizes into a staging directory next to `outdir` (`.cdktf.out.staging-<pid>`) and swaps it in only
 * when every stack synthesized and passed validation, so a failed run leaves the previous `outdir` exactly
 * as it was. `build` creates the app writing to the directory it is given.
 *
 * @returns the summary of every stack, read from the new `outdir`
 * @throws CheckFailedError when synth or a validation (policy rule) fails; errors thrown while building the
 * app (invalid construct props: `ValidationError`) pass through unchanged
 */
export function stagedSynth(build: (outdir: string) => App, outdir: string): StackSummary[] {
  const staging = stagingDirFor(outdir);
  rmSync(staging, { recursive: true, force: true });
  try {
    const app = build(staging);
    synthOrFail(app, `${outdir} was left as it was.`);
    const summaries = collectSummaries(app, staging);
    swapIn(staging, outdir);
    return summaries;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

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

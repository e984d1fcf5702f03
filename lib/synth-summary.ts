import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type App, TerraformStack } from 'cdktf';
import { compareStrings } from '../constructs/core/json';
import { PolicyReport } from '../constructs/policy';
import { checkedSynth, type StackSummary, stackSummary } from './stack-summary';
import { stagingDirFor, swapIn } from './staging';

export type { StackSummary } from './stack-summary';

/** Reads each synthesized stack back and pairs it with its policy report. */
export function collectSummaries(app: App, outdir: string): StackSummary[] {
  const stacks = app.node.findAll().filter((c): c is TerraformStack => c instanceof TerraformStack);
  return stacks
    .map((stack) => {
      const name = stack.node.id;
      const json = JSON.parse(readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8')) as {
        resource?: Record<string, Record<string, unknown>>;
      };
      const counts = Object.entries(json.resource ?? {}).map(
        ([type, byName]) => [type, Object.keys(byName).length] as const,
      );
      const findings = (PolicyReport.tryOf(stack)?.findings ?? []).map((f) => ({
        ...f,
        reason: f.suppressedBecause,
      }));
      return stackSummary(name, counts, findings);
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
 * failure into a `CheckFailedError` (exit 1) that lists each unsuppressed finding with its construct
 * path, without a stack trace. A `ValidationError` (invalid props met while aspects run) passes
 * through unchanged.
 *
 * @param note a sentence added after "synth failed;", e.g. what happened to the previous output
 */
export function synthOrFail(app: App, note?: string): void {
  checkedSynth(() => app.synth(), 'synth failed', note);
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

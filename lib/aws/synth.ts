import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from 'aws-cdk-lib';
import type { AwsPolicyFinding } from '../../constructs/aws/policy/aws-policy';
import { compareStrings } from '../../constructs/core/json';
import { checkedSynth, type StackSummary, stackSummary } from '../stack-summary';

/**
 * Runs `app.synth()`, which runs the validation plugins (cdk-nag's AwsSolutions pack and the project's
 * own rules), and turns a failure into a {@link CheckFailedError} (exit 1) carrying the plugins' report. A
 * {@link ValidationError} (invalid construct props) passes through unchanged (exit 2).
 */
export function synthAwsOrFail(app: App, note?: string): void {
  checkedSynth(
    () => {
      app.synth();
      withoutMetadataTraces(app.outdir);
    },
    'AWS synth failed',
    note,
  );
}

/**
 * Removes the `trace` of every metadata entry in the assembly's `<stack>.metadata.json` files. aws-cdk-lib
 * records a stack trace with each `Validations.acknowledge` whatever the stack-trace switches say
 * (`recordAcknowledgment` in core/lib/validation/validations.js passes `stackTraceOverride`), and a trace
 * names this machine's paths: the output must be the same on every machine. The CLI reads only each
 * entry's type and data.
 */
export function withoutMetadataTraces(outdir: string): void {
  for (const file of readdirSync(outdir).filter((f) => f.endsWith('.metadata.json'))) {
    const path = join(outdir, file);
    const metadata = JSON.parse(readFileSync(path, 'utf8')) as Record<string, { trace?: unknown }[]>;
    let changed = false;
    for (const entries of Object.values(metadata)) {
      for (const entry of entries) {
        if ('trace' in entry) {
          delete entry.trace;
          changed = true;
        }
      }
    }
    if (changed) writeFileSync(path, `${JSON.stringify(metadata, undefined, 2)}\n`);
  }
}

/**
 * The summary of every stack in a cloud assembly: resources by CloudFormation type, and the policy
 * findings (cdk-nag and the own rules) whose construct path is in the stack: unacknowledged errors and
 * warnings counted, acknowledged ones listed with their reason.
 */
export function collectAwsSummaries(
  outdir: string,
  findings: readonly AwsPolicyFinding[] = [],
): StackSummary[] {
  return readdirSync(outdir)
    .filter((file) => file.endsWith('.template.json'))
    .map((file) => {
      const template = JSON.parse(readFileSync(join(outdir, file), 'utf8')) as {
        Resources?: Record<string, { Type: string }>;
      };
      const counts = new Map<string, number>();
      for (const { Type } of Object.values(template.Resources ?? {}))
        counts.set(Type, (counts.get(Type) ?? 0) + 1);
      const stack = file.slice(0, -'.template.json'.length);
      const own = findings
        .filter((f) => f.path === stack || f.path.startsWith(`${stack}/`))
        .map((f) => ({ ...f, reason: f.acknowledgedBecause }));
      return stackSummary(stack, counts, own);
    })
    .sort((a, b) => compareStrings(a.stack, b.stack));
}

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from 'aws-cdk-lib';
import { ValidationError } from '../../constructs/core/errors';
import { compareStrings } from '../../constructs/core/json';
import { CheckFailedError } from '../cli/exit';
import type { StackSummary } from '../synth-summary';

/**
 * Runs `app.synth()`, which runs the validation plugins (cdk-nag's AwsSolutions pack and the project's
 * own rules), and turns a failure into a {@link CheckFailedError} (exit 1) carrying the plugins' report. A
 * {@link ValidationError} (invalid construct props) passes through unchanged (exit 2).
 */
export function synthAwsOrFail(app: App, note?: string): void {
  try {
    app.synth();
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new CheckFailedError(`AWS synth failed${note ? `; ${note}` : ''}\n${message}`);
  }
}

/** The summary of every stack in a cloud assembly: resources by CloudFormation type. */
export function collectAwsSummaries(outdir: string): StackSummary[] {
  return readdirSync(outdir)
    .filter((file) => file.endsWith('.template.json'))
    .map((file) => {
      const template = JSON.parse(readFileSync(join(outdir, file), 'utf8')) as {
        Resources?: Record<string, { Type: string }>;
      };
      const counts = new Map<string, number>();
      for (const { Type } of Object.values(template.Resources ?? {}))
        counts.set(Type, (counts.get(Type) ?? 0) + 1);
      const resources = [...counts]
        .map(([type, count]) => ({ type, count }))
        .sort((a, b) => compareStrings(a.type, b.type));
      return {
        stack: file.slice(0, -'.template.json'.length),
        resources,
        total: resources.reduce((n, r) => n + r.count, 0),
        policyErrors: 0,
        policyWarnings: 0,
        suppressed: [],
      };
    })
    .sort((a, b) => compareStrings(a.stack, b.stack));
}

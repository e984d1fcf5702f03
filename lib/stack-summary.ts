/**
 * What `npm run synth` reports per stack, for both renderings (cdktf and aws-cdk-lib), and how a failed
 * synth becomes an exit code. Free of cdktf and aws-cdk-lib, so each cloud's synth loads only its own.
 */
import { ValidationError } from '../constructs/core/errors';
import { compareStrings } from '../constructs/core/json';
import { CheckFailedError } from './cli/exit';

/** What `npm run synth` prints for one stack. */
export interface StackSummary {
  readonly stack: string;
  /** Resource count by Terraform or CloudFormation type, sorted by type. */
  readonly resources: readonly { readonly type: string; readonly count: number }[];
  readonly total: number;
  readonly policyErrors: number;
  readonly policyWarnings: number;
  readonly suppressed: readonly { readonly ruleId: string; readonly path: string; readonly reason: string }[];
}

/** A policy finding as the summary counts it; `reason` is set when a suppression or acknowledgement covers it. */
export interface SummaryFinding {
  readonly ruleId: string;
  readonly path: string;
  readonly severity: string;
  readonly reason?: string;
}

/**
 * The summary of one stack: its resources counted by type (`counts`), its unsuppressed errors and
 * warnings counted, and the suppressed findings listed with their reason.
 */
export function stackSummary(
  stack: string,
  counts: Iterable<readonly [string, number]>,
  findings: readonly SummaryFinding[],
): StackSummary {
  const resources = [...counts]
    .map(([type, count]) => ({ type, count }))
    .sort((a, b) => compareStrings(a.type, b.type));
  const open = findings.filter((f) => f.reason === undefined);
  return {
    stack,
    resources,
    total: resources.reduce((n, r) => n + r.count, 0),
    policyErrors: open.filter((f) => f.severity === 'error').length,
    policyWarnings: open.filter((f) => f.severity === 'warning').length,
    suppressed: findings
      .filter((f) => f.reason !== undefined)
      .map((f) => ({ ruleId: f.ruleId, path: f.path, reason: f.reason! })),
  };
}

/**
 * Runs a synth, which runs every validation (the policy rules among them), and turns a failure into a
 * {@link CheckFailedError} (exit 1) whose message starts with `failure` and carries the validations'
 * report, without a stack trace. A {@link ValidationError} (invalid props met while aspects run) passes
 * through unchanged (exit 2).
 *
 * @param note a sentence added after the failure, e.g. what happened to the previous output
 */
export function checkedSynth(synth: () => void, failure: string, note?: string): void {
  try {
    synth();
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new CheckFailedError(`${failure}${note ? `; ${note}` : ''}\n${message}`);
  }
}

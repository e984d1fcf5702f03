import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { Problems } from '../../../core/errors';

/** Shortest acknowledgement reason accepted, as for the Azure policy's `suppressPolicy`. */
export const MIN_REASON_LENGTH = 10;

/**
 * An exception to one rule for one construct and everything below it, with the reason it is acceptable.
 * The reason is printed with every synth (`AwsPolicy.findings`, `AwsPolicy.summary()`).
 */
export interface AwsAcknowledgement {
  /**
   * A rule id as reported: an AwsSolutions rule (`AwsSolutions-S1`), one finding of it
   * (`AwsSolutions-IAM5[Action::s3:*]`; the bare id covers all its findings), or an own rule
   * (`LLMOPS-AWS-RETAIN`).
   */
  readonly ruleId: string;
  /** Construct path, e.g. `aws-dev/Rag/Collection`; `''` is the whole app. */
  readonly path: string;
  /** Why the exception is acceptable (at least 10 characters). */
  readonly reason: string;
}

/** An acknowledgement as the policy applies it, wherever it was written. */
export interface ResolvedAcknowledgement extends AwsAcknowledgement {
  /** `props` for `AwsPolicy.apply`'s list, `construct` for `Validations.of(construct).acknowledge(...)`. */
  readonly source: 'props' | 'construct';
}

/** The rule id of an acknowledged id, without the plugin namespace CDK adds (`Annotation::`, `AwsSolutions::`). */
export function ruleIdOf(acknowledgedId: string): string {
  const bracket = acknowledgedId.indexOf('[');
  const head = bracket < 0 ? acknowledgedId : acknowledgedId.slice(0, bracket);
  const separator = head.indexOf('::');
  return separator < 0 ? acknowledgedId : acknowledgedId.slice(separator + 2);
}

/** Whether an id belongs to the policy: an AwsSolutions rule or one of the project's own. */
export function isPolicyRuleId(ruleId: string): boolean {
  return ruleId.startsWith('AwsSolutions-') || ruleId.startsWith('LLMOPS-AWS-');
}

/** Whether `ack` covers a finding of `ruleId` at construct `path`. */
export function covers(ack: AwsAcknowledgement, ruleId: string, path: string): boolean {
  const sameRule = ruleId === ack.ruleId || ruleId.startsWith(`${ack.ruleId}[`);
  const below = ack.path === '' || path === ack.path || path.startsWith(`${ack.path}/`);
  return sameRule && below;
}

/**
 * Checks the acknowledgements given to `AwsPolicy.apply`: each names a known rule and a path and carries a
 * written reason. Throws a `ValidationError` listing every problem.
 */
export function validateAcknowledgements(
  acknowledgements: readonly AwsAcknowledgement[],
  ownRuleIds: readonly string[],
): void {
  const problems = new Problems('props.acknowledgements');
  acknowledgements.forEach((ack, i) => {
    const ruleId = ack.ruleId.replace(/\[.*$/, '');
    problems.check(
      ruleId.startsWith('AwsSolutions-') || ownRuleIds.includes(ruleId),
      `${i}.ruleId`,
      `${JSON.stringify(ack.ruleId)} is not an AwsSolutions rule (AwsSolutions-...) or one of ${ownRuleIds.join(', ')}`,
    );
    problems.check(
      typeof ack.reason === 'string' && ack.reason.trim().length >= MIN_REASON_LENGTH,
      `${i}.reason`,
      `acknowledging ${ack.ruleId} at ${JSON.stringify(ack.path)} needs a written reason (at least ${MIN_REASON_LENGTH} characters), got ${JSON.stringify(ack.reason ?? '')}`,
    );
  });
  problems.throwIfAny('Invalid AwsPolicy');
}

/**
 * The acknowledgements written on constructs with CDK's own `Validations.of(construct).acknowledge()`
 * (construct metadata `aws:cdk:acknowledged-rules`) that name a policy rule, reason as written.
 */
export function constructAcknowledgements(root: IConstruct): ResolvedAcknowledgement[] {
  const found: ResolvedAcknowledgement[] = [];
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) {
        const ruleId = ruleIdOf(id);
        if (!isPolicyRuleId(ruleId)) continue;
        found.push({
          ruleId,
          path: construct.node.path,
          reason: typeof reason === 'string' ? reason : '',
          source: 'construct',
        });
      }
    }
  }
  return found;
}

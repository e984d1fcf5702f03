import type { StackTemplate, TemplateResource } from './private/template';

/** Errors fail synth; warnings are reported. */
export type AwsPolicySeverity = 'error' | 'warning';

/**
 * One of the project's own rules over synthesized CloudFormation templates (what cdk-nag's AwsSolutions
 * pack does not check). One rule per file in `rules/`; registered in `AWS_POLICY_RULES` (`rules/index.ts`).
 */
export interface AwsPolicyRule {
  /** Stable id used in findings and acknowledgements: `LLMOPS-AWS-<AREA>-<WHAT>`. */
  readonly id: string;
  readonly severity: AwsPolicySeverity;
  /** One sentence: what the rule demands. */
  readonly description: string;
  /** Whether the rule checks resources of this CloudFormation type (`AWS::S3::Bucket`). */
  appliesTo(type: string): boolean;
  /**
   * What is wrong with `resource` (one message per problem, each saying what to fix), or none when it
   * complies. `template` holds the other resources of its stack (policies, versions, bucket policies).
   */
  check(resource: TemplateResource, template: StackTemplate): readonly string[];
}

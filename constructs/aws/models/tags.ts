import { type CfnTag, Token } from 'aws-cdk-lib';
import type { Problem } from '../../core/errors';

/**
 * Tag rules shared by the Bedrock resources (`Tag` of the `AWS::Bedrock::ApplicationInferenceProfile` and
 * `AWS::Bedrock::Guardrail` schemas): keys 1-128, values 0-256 characters of `[a-zA-Z0-9\s._:/=+@-]`; the
 * `aws:` prefix is reserved for AWS.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-bedrock-applicationinferenceprofile-tag.html
 * @see https://docs.aws.amazon.com/tag-editor/latest/userguide/best-practices-and-strats.html
 */
const TAG_TEXT = /^[a-zA-Z0-9\s._:/=+@-]*$/;

/** Every problem of `tags`, at `<path>.<key>`. */
export function tagsProblems(tags: Readonly<Record<string, string>>, path: string): Problem[] {
  const problems: Problem[] = [];
  for (const [key, value] of Object.entries(tags)) {
    const at = `${path}.${key}`;
    if (!Token.isUnresolved(key)) {
      if (key.length < 1 || key.length > 128 || !TAG_TEXT.test(key)) {
        problems.push({
          path: at,
          message: `${JSON.stringify(key)} is not a valid tag key: 1-128 letters, digits, spaces and _ . : / = + - @`,
        });
      } else if (key.toLowerCase().startsWith('aws:')) {
        problems.push({
          path: at,
          message: `${JSON.stringify(key)} is reserved: tag keys starting with "aws:" are AWS's`,
        });
      }
    }
    if (
      !Token.isUnresolved(value) &&
      (typeof value !== 'string' || value.length > 256 || !TAG_TEXT.test(value))
    ) {
      problems.push({
        path: at,
        message: `${JSON.stringify(value)} is not a valid tag value: 0-256 letters, digits, spaces and _ . : / = + - @`,
      });
    }
  }
  return problems;
}

/** `tags` as CloudFormation tags, sorted by key (deterministic output); `undefined` when there are none. */
export function toCfnTags(tags: Readonly<Record<string, string>> | undefined): CfnTag[] | undefined {
  const entries = Object.entries(tags ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length ? entries.map(([key, value]) => ({ key, value })) : undefined;
}

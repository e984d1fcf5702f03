import { code } from '../format';
import { compareStrings, flatten, formatPath } from '../json';
import type { ResourceState, RuleResult } from './types';

/**
 * CloudFormation properties that point a resource at its customer-managed KMS key (log groups, SNS topics,
 * SQS queues, S3 encryption rules, Bedrock knowledge bases and guardrails). Removing one falls back to an
 * AWS-owned or AWS-managed key, or to no encryption.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-logs-loggroup.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-s3-bucket-serversideencryptionbydefault.html
 */
export const KMS_KEY_PROPERTIES: ReadonlySet<string> = new Set([
  'KmsKeyId',
  'KMSMasterKeyID',
  'KmsMasterKeyId',
  'KmsKeyArn',
  'KmsKeyID',
]);

/** The printed paths of every KMS key property in a body (`Properties.KmsKeyId`), at any depth. */
function keyReferences(body: ResourceState['body']): Set<string> {
  const found = new Set<string>();
  for (const { segments } of flatten(body).values()) {
    const at = segments.findIndex((s) => typeof s === 'string' && KMS_KEY_PROPERTIES.has(s));
    if (at >= 0) found.add(formatPath(segments.slice(0, at + 1)));
  }
  return found;
}

/**
 * Customer-managed encryption removed: a KMS key property (see {@link KMS_KEY_PROPERTIES}) present in base
 * is gone in head, on a resource that exists on both sides. Blocking. (S3 `SSEAlgorithm`, DynamoDB
 * `SSEEnabled` and KMS key rotation are settings of {@link SECURITY_RULES}.)
 */
export function encryptionRemovals(before: ResourceState, after: ResourceState): RuleResult[] {
  const now = keyReferences(after.body);
  return [...keyReferences(before.body)]
    .filter((path) => !now.has(path))
    .sort(compareStrings)
    .map((path) => ({
      kind: 'encryption',
      blocking: true,
      message: `customer-managed KMS key removed: ${code(path)}`,
    }));
}

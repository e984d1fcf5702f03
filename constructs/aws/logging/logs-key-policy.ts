import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

/**
 * The ARN CloudWatch Logs puts in the KMS encryption context of a log group (`kms:EncryptionContext:aws:logs:arn`):
 * `arn:<partition>:logs:<region>:<account>:log-group:<name>`, without the `:*` suffix that the log group's
 * `Arn` attribute carries.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export function logGroupArnOf(scope: Construct, logGroupName: string): string {
  const stack = Stack.of(scope);
  return `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:${logGroupName}`;
}

/**
 * The key-policy statement that lets CloudWatch Logs in the stack's region use `key` for the log group
 * `logGroupName` only (condition on `kms:EncryptionContext:aws:logs:arn`). Actions and condition follow
 * "Encrypt log data in CloudWatch Logs using AWS Key Management Service", step 2 (set permissions on the key):
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 *
 * Returns whether the statement was added: an imported key's policy cannot be changed from here, and its
 * owner must add the statement.
 *
 * @param logGroupName the log group, or `*` for every log group of the account in the region (a key shared
 * by log groups whose names CloudFormation generates)
 * @param sid the statement id, if the policy should carry one
 */
export function allowCloudWatchLogsToUseKey(
  scope: Construct,
  key: kms.IKey,
  logGroupName: string,
  sid?: string,
): boolean {
  const stack = Stack.of(scope);
  return key.addToResourcePolicy(
    new iam.PolicyStatement({
      ...(sid ? { sid } : {}),
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      // A key policy's Resource is always "*": it means the key itself.
      resources: ['*'],
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': logGroupArnOf(scope, logGroupName) } },
    }),
  ).statementAdded;
}

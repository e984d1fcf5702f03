import { Stack, Token } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as xray from 'aws-cdk-lib/aws-xray';
import { Construct } from 'constructs';
import { Problems, show } from '../../core/errors';
import { allowCloudWatchLogsToUseKey } from './logs-key-policy';

/** The log group X-Ray writes spans to once Transaction Search is on (created by X-Ray, not by this stack). */
export const SPANS_LOG_GROUP_NAME = 'aws/spans';
/** The log group Application Signals writes to; the same resource policy covers it. */
export const APPLICATION_SIGNALS_LOG_GROUP_NAME = '/aws/application-signals/data';

/** Props of {@link TransactionSearch}. */
export interface TransactionSearchProps {
  /**
   * The percentage of spans X-Ray indexes as trace summaries, 0-100. All spans land in `aws/spans` regardless.
   *
   * @default 1 - the share AWS indexes at no charge ("Enable transaction search")
   */
  readonly indexingPercentage?: number;
  /**
   * A customer-managed key for the `aws/spans` log group, applied only when X-Ray creates that log group. The key
   * policy gains a statement for CloudWatch Logs scoped to `aws/spans` (when the key is defined in this app).
   * Adding, changing or removing it later replaces the resource, which fails while Transaction Search is on.
   *
   * @default - `aws/spans` uses CloudWatch Logs' default encryption
   */
  readonly spansEncryptionKey?: kms.IKey;
  /**
   * The name of the CloudWatch Logs resource policy (at most 10 per account and region).
   *
   * @default 'TransactionSearchXRayAccess'
   */
  readonly resourcePolicyName?: string;
}

/**
 * X-Ray Transaction Search: every span is ingested into CloudWatch Logs (`aws/spans`), a percentage indexed as
 * trace summaries. `AWS::XRay::TransactionSearchConfig` plus the CloudWatch Logs resource policy that lets
 * `xray.amazonaws.com` put events into `aws/spans` and `/aws/application-signals/data` (conditions on
 * `aws:SourceAccount` and `aws:SourceArn`), created first.
 *
 * **An account singleton.** Transaction Search is one setting per account and region: put it in the bootstrap
 * stack behind a config switch, once per account and region. It must be off before CloudFormation enables it.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Enable-TransactionSearch.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Transaction-Search-Cloudformation.html
 */
export class TransactionSearch extends Construct {
  /** The `AWS::XRay::TransactionSearchConfig` resource. */
  public readonly config: xray.CfnTransactionSearchConfig;
  /** The `AWS::Logs::ResourcePolicy` that lets X-Ray write spans. */
  public readonly resourcePolicy: logs.CfnResourcePolicy;
  /** The indexing percentage. */
  public readonly indexingPercentage: number;

  constructor(scope: Construct, id: string, props: TransactionSearchProps = {}) {
    super(scope, id);
    const indexingPercentage = props.indexingPercentage ?? 1;
    const policyName = props.resourcePolicyName ?? 'TransactionSearchXRayAccess';

    const problems = new Problems('props');
    problems.check(
      Number.isFinite(indexingPercentage) && indexingPercentage >= 0 && indexingPercentage <= 100,
      'indexingPercentage',
      `${show(indexingPercentage)} must be a percentage from 0 to 100`,
    );
    if (!Token.isUnresolved(policyName)) {
      // PutResourcePolicy policyName: 1-256 characters.
      problems.check(
        policyName.length >= 1 && policyName.length <= 256,
        'resourcePolicyName',
        `${show(policyName)} must be 1-256 characters`,
      );
    }
    problems.throwIfAny(`Invalid TransactionSearch "${id}"`);

    const stack = Stack.of(this);
    const logGroupArn = (name: string) =>
      `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:${name}:*`;
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-logs-resourcepolicy.html
    this.resourcePolicy = new logs.CfnResourcePolicy(this, 'ResourcePolicy', {
      policyName,
      policyDocument: stack.toJsonString({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'TransactionSearchXRayAccess',
            Effect: 'Allow',
            Principal: { Service: 'xray.amazonaws.com' },
            Action: 'logs:PutLogEvents',
            Resource: [logGroupArn(SPANS_LOG_GROUP_NAME), logGroupArn(APPLICATION_SIGNALS_LOG_GROUP_NAME)],
            Condition: {
              ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:xray:${stack.region}:${stack.account}:*` },
              StringEquals: { 'aws:SourceAccount': stack.account },
            },
          },
        ],
      }),
    });

    if (props.spansEncryptionKey)
      allowCloudWatchLogsToUseKey(this, props.spansEncryptionKey, SPANS_LOG_GROUP_NAME);

    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-xray-transactionsearchconfig.html
    this.config = new xray.CfnTransactionSearchConfig(this, 'Config', {
      indexingPercentage,
      cloudWatchLogsConfiguration: props.spansEncryptionKey
        ? { spansLogGroupKmsKeyId: props.spansEncryptionKey.keyArn }
        : undefined,
    });
    this.config.addResourceDependency(this.resourcePolicy);
    if (props.spansEncryptionKey) this.config.node.addDependency(props.spansEncryptionKey);
    this.indexingPercentage = indexingPercentage;
  }
}

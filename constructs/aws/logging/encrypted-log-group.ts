import { RemovalPolicy, Token } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { Problems, show } from '../../core/errors';
import { allowCloudWatchLogsToUseKey, logGroupArnOf } from './logs-key-policy';

/**
 * The retention periods (days) CloudWatch Logs accepts, read from aws-cdk-lib's `RetentionDays` enum (which
 * mirrors `RetentionInDays` of `AWS::Logs::LogGroup`), without its "never expire" member.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-logs-loggroup.html#cfn-logs-loggroup-retentionindays
 */
export const LOG_RETENTION_DAYS: readonly number[] = Object.values(logs.RetentionDays)
  .filter((value): value is number => typeof value === 'number' && value !== logs.RetentionDays.INFINITE)
  .sort((a, b) => a - b);

/**
 * Log group names: 1-512 characters from `a-z A-Z 0-9 . - _ / #`.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
 */
const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;

/** Props of {@link EncryptedLogGroup}. */
export interface EncryptedLogGroupProps {
  /**
   * The log group's name. Required: the key policy names the log group (its ARN is the KMS encryption context),
   * and a changed name replaces the log group, which loses its events.
   */
  readonly logGroupName: string;
  /**
   * How long CloudWatch Logs keeps events, in days: one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400,
   * 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 ({@link LOG_RETENTION_DAYS}).
   *
   * @default 30 - the development profile's `logging.retentionDays`
   */
  readonly retentionDays?: number;
  /**
   * A customer-managed KMS key to encrypt the log group with, e.g. one key shared by several log groups. Each
   * group adds its own key-policy statement for CloudWatch Logs (only when the key is defined in this app: an
   * imported key's policy must already allow it).
   *
   * @default - a new symmetric key with yearly automatic rotation, retained like the log group
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * What happens to the log group (and the key this construct creates) when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN - the events and the key that decrypts them are kept
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A CloudWatch Logs log group encrypted with a customer-managed KMS key (rotation on), with a retention period
 * and `RETAIN` removal by default.
 *
 * The key policy lets `logs.<region>.amazonaws.com` use the key only for this log group (condition on
 * `kms:EncryptionContext:aws:logs:arn`), as "Encrypt log data in CloudWatch Logs using AWS Key Management
 * Service" describes. Writers and readers need no KMS permission: CloudWatch Logs encrypts and decrypts.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export class EncryptedLogGroup extends Construct {
  /** The log group (`AWS::Logs::LogGroup`). */
  public readonly logGroup: logs.LogGroup;
  /** The key that encrypts the log group: the one passed in, or the one created here. */
  public readonly encryptionKey: kms.IKey;
  /** The log group's name. */
  public readonly logGroupName: string;
  /** `arn:<partition>:logs:<region>:<account>:log-group:<name>` (no `:*` suffix): the KMS encryption context. */
  public readonly logGroupArn: string;
  /** The retention in days. */
  public readonly retentionDays: number;

  constructor(scope: Construct, id: string, props: EncryptedLogGroupProps) {
    super(scope, id);
    const retentionDays = props.retentionDays ?? 30;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    const problems = new Problems('props');
    if (!Token.isUnresolved(props.logGroupName)) {
      problems.check(
        LOG_GROUP_NAME.test(props.logGroupName),
        'logGroupName',
        `${show(props.logGroupName)} is not a log group name: 1-512 characters from a-z, A-Z, 0-9, ".", "-", "_", "/", "#"`,
      );
    }
    problems.check(
      LOG_RETENTION_DAYS.includes(retentionDays),
      'retentionDays',
      `${show(retentionDays)} is not a retention CloudWatch Logs accepts: one of ${LOG_RETENTION_DAYS.join(', ')}`,
    );
    problems.throwIfAny(`Invalid EncryptedLogGroup "${id}"`);

    this.encryptionKey =
      props.encryptionKey ??
      new kms.Key(this, 'Key', {
        description: `Encrypts the CloudWatch Logs log group ${props.logGroupName}`,
        enableKeyRotation: true,
        removalPolicy,
      });
    allowCloudWatchLogsToUseKey(this, this.encryptionKey, props.logGroupName);

    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-logs-loggroup.html
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: props.logGroupName,
      retention: retentionDays as logs.RetentionDays,
      encryptionKey: this.encryptionKey,
      removalPolicy,
    });

    this.logGroupName = props.logGroupName;
    this.logGroupArn = logGroupArnOf(this, props.logGroupName);
    this.retentionDays = retentionDays;
  }

  /**
   * Lets `grantee` create log streams and put events (`logs:CreateLogStream`, `logs:PutLogEvents` on this log
   * group). No KMS permission is needed: CloudWatch Logs encrypts with its own key grant.
   */
  public grantWrite(grantee: iam.IGrantable): iam.Grant {
    return this.logGroup.grants.write(grantee);
  }

  /**
   * Lets `grantee` read and filter events (`logs:FilterLogEvents`, `logs:GetLogEvents`,
   * `logs:GetLogGroupFields`, `logs:DescribeLogGroups`, `logs:DescribeLogStreams` on this log group).
   */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.logGroup.grants.read(grantee);
  }
}

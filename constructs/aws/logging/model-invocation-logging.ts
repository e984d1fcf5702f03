import { Annotations, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  AwsCustomResource,
  AwsCustomResourcePolicy,
  type AwsSdkCall,
  PhysicalResourceId,
} from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { Problems, show } from '../../core/errors';
import { EncryptedLogGroup } from './encrypted-log-group';

/**
 * The log stream Bedrock writes to in the CloudWatch Logs destination; the delivery role may write only there.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html
 */
export const BEDROCK_INVOCATION_LOG_STREAM = 'aws/bedrock/modelinvocations';

/** Props of {@link ModelInvocationLogging}. */
/**
 * The id under which aws-cdk-lib creates the one provider Lambda of every `AwsCustomResource` in a stack
 * (`AwsCustomResource.PROVIDER_FUNCTION_UUID` without dashes, prefixed `AWS`).
 */
const AWS_CUSTOM_RESOURCE_PROVIDER_ID = `AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`;

export interface ModelInvocationLoggingProps {
  /**
   * The CloudWatch Logs destination. Bedrock writes through a role it assumes ({@link ModelInvocationLogging.role}).
   */
  readonly logGroup: EncryptedLogGroup;
  /**
   * The KMS key that encrypts the S3 destination (SSE-KMS with an S3 Bucket Key). Its key policy gains a statement
   * that lets `bedrock.amazonaws.com` call `kms:GenerateDataKey` for this account and region, when the key is
   * defined in this app (an imported key's owner must add it).
   *
   * @default - the log group's key: one key protects every copy of the prompts and responses
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * The S3 key prefix of the invocation logs (`<prefix>/AWSLogs/<account>/BedrockModelInvocationLogs/...`).
   *
   * @default 'model-invocations'
   */
  readonly keyPrefix?: string;
  /**
   * The S3 key prefix of bodies too large for CloudWatch Logs (over 100 KB, or binary image data), referenced
   * from the CloudWatch log events.
   *
   * @default 'model-invocations-large-data'
   */
  readonly largeDataKeyPrefix?: string;
  /**
   * Days after which S3 deletes invocation log objects (and noncurrent versions). Only logs under this
   * construct's bucket expire; the log group keeps its own retention.
   *
   * @default - objects never expire (nothing lost); incomplete multipart uploads are always aborted after 7 days
   */
  readonly expirationDays?: number;
  /**
   * Where S3 writes the bucket's server access logs.
   *
   * @default - no server access logs
   */
  readonly serverAccessLogsBucket?: s3.IBucket;
  /** @default true - prompts and completions are logged */
  readonly textDataDeliveryEnabled?: boolean;
  /** @default true */
  readonly imageDataDeliveryEnabled?: boolean;
  /** @default true */
  readonly embeddingDataDeliveryEnabled?: boolean;
  /** @default true */
  readonly videoDataDeliveryEnabled?: boolean;
  /**
   * What happens to the S3 bucket and the provider's log group when they leave the stack. The logging
   * configuration itself is always deleted with the construct (`DeleteModelInvocationLoggingConfiguration`).
   *
   * @default RemovalPolicy.RETAIN - logged prompts and responses are kept
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Bedrock model invocation logging for the stack's account and region, to an encrypted CloudWatch Logs log group
 * and an encrypted S3 bucket.
 *
 * **An account singleton.** Bedrock keeps one logging configuration per account and region, and CloudFormation has
 * no resource for it: an `AwsCustomResource` calls `PutModelInvocationLoggingConfiguration` on create and update
 * and `DeleteModelInvocationLoggingConfiguration` on delete. Two stacks with this construct in one account and
 * region overwrite each other, and deleting either switches logging off for both. Put it in the bootstrap stack
 * (`bootstrap-<env>`) behind a config switch (e.g. `aws.account.manageSingletons`), once per account and region.
 *
 * Creates: the S3 bucket (SSE-KMS, versioned, public access blocked, TLS 1.2+ only, bucket owner enforced,
 * `RETAIN`) with the bucket policy Bedrock needs, the IAM role Bedrock assumes to write to CloudWatch Logs, a
 * key-policy statement for Bedrock on the bucket key, and the custom resource. The custom resource's Lambda role
 * may call only the two Bedrock actions (which have no resource-level permissions, so `Resource: "*"`) and pass
 * only the delivery role, to Bedrock.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_PutModelInvocationLoggingConfiguration.html
 */
export class ModelInvocationLogging extends Construct {
  /** The S3 destination. */
  public readonly bucket: s3.Bucket;
  /** The role Bedrock assumes to write to the log group. */
  public readonly role: iam.Role;
  /** The CloudWatch Logs destination (as passed in). */
  public readonly logGroup: EncryptedLogGroup;
  /** The key that encrypts the bucket. */
  public readonly encryptionKey: kms.IKey;
  /** The custom resource that holds the account's logging configuration. */
  public readonly configuration: AwsCustomResource;
  /**
   * The log group of the custom resource's provider Lambda (each SDK call it makes and the answer):
   * `<logGroup name>-provider`, encrypted with the log group's key and kept as long. Undefined when another
   * `AwsCustomResource` of the stack created the provider first (one Lambda per stack, configured by its
   * first user): then it logs where that one said, and a warning says so.
   */
  public readonly providerLogGroup?: EncryptedLogGroup;

  constructor(scope: Construct, id: string, props: ModelInvocationLoggingProps) {
    super(scope, id);
    const keyPrefix = props.keyPrefix ?? 'model-invocations';
    const largeDataKeyPrefix = props.largeDataKeyPrefix ?? 'model-invocations-large-data';

    const problems = new Problems('props');
    checkKeyPrefix(problems, 'keyPrefix', keyPrefix);
    checkKeyPrefix(problems, 'largeDataKeyPrefix', largeDataKeyPrefix);
    if (props.expirationDays !== undefined) {
      problems.check(
        Number.isInteger(props.expirationDays) && props.expirationDays >= 1,
        'expirationDays',
        `${show(props.expirationDays)} must be a whole number of days, at least 1`,
      );
    }
    const stack = Stack.of(this);
    // "Only destinations from the same account and Region are supported" (Bedrock, model invocation logging).
    const logStack = Stack.of(props.logGroup);
    for (const [what, here, there] of [
      ['region', stack.region, logStack.region],
      ['account', stack.account, logStack.account],
    ] as const) {
      if (Token.isUnresolved(here) || Token.isUnresolved(there)) continue;
      problems.check(
        here === there,
        'logGroup',
        `log group ${show(props.logGroup.logGroupName)} is in ${what} ${show(there)}; Bedrock delivers only to destinations in its own ${what} ${show(here)}`,
      );
    }
    problems.throwIfAny(`Invalid ModelInvocationLogging "${id}"`);

    this.logGroup = props.logGroup;
    this.encryptionKey = props.encryptionKey ?? props.logGroup.encryptionKey;

    // Every grant to Bedrock carries the confused-deputy conditions of the Bedrock page: this account, and a
    // Bedrock ARN in this region and account.
    const fromBedrockHere = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:bedrock:${stack.region}:${stack.account}:*` },
    };
    const bedrock = new iam.ServicePrincipal('bedrock.amazonaws.com');

    // "If you use SSE-KMS": Bedrock needs kms:GenerateDataKey on the bucket's key (Bedrock page, S3 destination).
    this.encryptionKey.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [bedrock],
        actions: ['kms:GenerateDataKey'],
        resources: ['*'],
        conditions: fromBedrockHere,
      }),
    );

    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3-bucket.html
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.encryptionKey,
      bucketKeyEnabled: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      lifecycleRules: [
        {
          id: 'AbortIncompleteUploads',
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
        ...(props.expirationDays === undefined
          ? []
          : [
              {
                id: 'Expire',
                expiration: Duration.days(props.expirationDays),
                noncurrentVersionExpiration: Duration.days(props.expirationDays),
              },
            ]),
      ],
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    // Bedrock page, "Set up an Amazon S3 destination": s3:PutObject under <prefix>/AWSLogs/<account>/
    // BedrockModelInvocationLogs/ only.
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AmazonBedrockLogsWrite',
        principals: [bedrock],
        actions: ['s3:PutObject'],
        resources: [keyPrefix, largeDataKeyPrefix].map((prefix) =>
          this.bucket.arnForObjects(`${prefix}/AWSLogs/${stack.account}/BedrockModelInvocationLogs/*`),
        ),
        conditions: fromBedrockHere,
      }),
    );

    // Bedrock page, "Set up a CloudWatch Logs destination": a role Bedrock assumes (same conditions) that may
    // create and write the one log stream Bedrock uses.
    this.role = new iam.Role(this, 'DeliveryRole', {
      assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com', { conditions: fromBedrockHere }),
      description: 'Bedrock model invocation logging writes to CloudWatch Logs',
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [`${props.logGroup.logGroupArn}:log-stream:${BEDROCK_INVOCATION_LOG_STREAM}`],
      }),
    );

    // Request shape: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_PutModelInvocationLoggingConfiguration.html
    // (SDK v3 client @aws-sdk/client-bedrock, service "bedrock").
    const put: AwsSdkCall = {
      service: 'bedrock',
      action: 'PutModelInvocationLoggingConfiguration',
      parameters: {
        loggingConfig: {
          cloudWatchConfig: {
            logGroupName: props.logGroup.logGroupName,
            roleArn: this.role.roleArn,
            largeDataDeliveryS3Config: { bucketName: this.bucket.bucketName, keyPrefix: largeDataKeyPrefix },
          },
          s3Config: { bucketName: this.bucket.bucketName, keyPrefix },
          textDataDeliveryEnabled: props.textDataDeliveryEnabled ?? true,
          imageDataDeliveryEnabled: props.imageDataDeliveryEnabled ?? true,
          embeddingDataDeliveryEnabled: props.embeddingDataDeliveryEnabled ?? true,
          videoDataDeliveryEnabled: props.videoDataDeliveryEnabled ?? true,
        },
      },
      // Constant: a changed physical ID would make CloudFormation delete the "old" configuration after an update,
      // which is the same account-wide setting.
      physicalResourceId: PhysicalResourceId.of('BedrockModelInvocationLogging'),
    };
    // Without a log group of its own, Lambda would create `/aws/lambda/<function>` unencrypted and kept
    // forever. The provider is one Lambda per stack (AwsCustomResource.PROVIDER_FUNCTION_UUID), created by the
    // stack's first AwsCustomResource with that one's log group: if it exists already, ours would be ignored.
    if (stack.node.tryFindChild(AWS_CUSTOM_RESOURCE_PROVIDER_ID)) {
      Annotations.of(this).addWarningV2(
        'llmops:provider-log-group',
        "another AwsCustomResource of the stack created the provider Lambda first: it logs to that one's log group (or an unencrypted /aws/lambda group kept forever), not to <log group>-provider",
      );
    } else {
      this.providerLogGroup = new EncryptedLogGroup(this, 'ProviderLogs', {
        logGroupName: `${props.logGroup.logGroupName}-provider`,
        retentionDays: props.logGroup.retentionDays,
        encryptionKey: props.logGroup.encryptionKey,
        removalPolicy: props.removalPolicy,
      });
    }
    this.configuration = new AwsCustomResource(this, 'Configuration', {
      logGroup: this.providerLogGroup?.logGroup,
      resourceType: 'Custom::BedrockModelInvocationLogging',
      onCreate: put,
      onUpdate: put,
      onDelete: { service: 'bedrock', action: 'DeleteModelInvocationLoggingConfiguration' },
      // The Lambda runtime's bundled SDK: no download from npm while deploying.
      installLatestAwsSdk: false,
      policy: AwsCustomResourcePolicy.fromStatements([
        // These actions have no resource types ("Actions, resources, and condition keys for Amazon Bedrock"), so
        // the only valid Resource is "*":
        // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonbedrock.html
        new iam.PolicyStatement({
          actions: [
            'bedrock:PutModelInvocationLoggingConfiguration',
            'bedrock:DeleteModelInvocationLoggingConfiguration',
          ],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          actions: ['iam:PassRole'],
          resources: [this.role.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'bedrock.amazonaws.com' } },
        }),
      ]),
    });
    // cdk-nag AwsSolutions-IAM5 flags Resource "*", the only valid resource of these actions (above).
    Validations.of(this.configuration).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'bedrock:Put/DeleteModelInvocationLoggingConfiguration have no resource types (Service Authorization Reference for Amazon Bedrock), so their only valid Resource is "*"',
    });
    // The provider Lambda aws-cdk-lib creates for every AwsCustomResource of the stack carries
    // AWSLambdaBasicExecutionRole (its own CloudWatch Logs), which cdk-nag AwsSolutions-IAM4 flags.
    const provider = Stack.of(this).node.tryFindChild(AWS_CUSTOM_RESOURCE_PROVIDER_ID);
    if (provider) {
      Validations.of(provider).acknowledge({
        id: 'AwsSolutions::AwsSolutions-IAM4',
        reason:
          "aws-cdk-lib's AwsCustomResource provider Lambda writes its own logs with AWSLambdaBasicExecutionRole; it holds no other permission than the custom resource policy",
      });
    }
    // Bedrock checks the destinations when the configuration is put: the bucket policy, the role's policy and the
    // log group must exist first (the key policy is part of the key, which the bucket already depends on).
    this.configuration.node.addDependency(this.bucket, this.role, props.logGroup);
  }

  /**
   * Lets `grantee` read the logged prompts and responses: S3 read on the bucket (with `kms:Decrypt` on its key)
   * and read on the log group.
   */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.bucket.grantRead(grantee).combine(this.logGroup.grantRead(grantee));
  }
}

/** S3Config keyPrefix: at most 1024 characters; no leading or trailing "/" (Bedrock adds the separator). */
function checkKeyPrefix(problems: Problems, path: string, prefix: string): void {
  if (Token.isUnresolved(prefix)) return;
  problems.check(
    prefix.length >= 1 && prefix.length <= 1024 && !prefix.startsWith('/') && !prefix.endsWith('/'),
    path,
    `${show(prefix)} is not a key prefix: 1-1024 characters, no leading or trailing "/"`,
  );
}

import { type CfnElement, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import {
  EncryptedLogGroup,
  ModelInvocationLogging,
  type ModelInvocationLoggingProps,
} from '../../../constructs/aws/logging';
import { awsStack, templateOf } from '../../helpers/aws';
import { exactly } from '../../helpers/errors';
import { parseJoinedJson } from './cfn-json';

const LOG_GROUP = '/llmops/bedrock/model-invocations';

function setup(props: Partial<ModelInvocationLoggingProps> = {}) {
  const stack = awsStack();
  const logGroup = new EncryptedLogGroup(stack, 'InvocationLogs', {
    logGroupName: LOG_GROUP,
    retentionDays: 90,
  });
  const logging = new ModelInvocationLogging(stack, 'ModelLogging', { logGroup, ...props });
  return { stack, logGroup, logging };
}

function build(props: Partial<ModelInvocationLoggingProps> = {}) {
  const built = setup(props);
  return { ...built, template: templateOf(built.stack) };
}

const logicalId = (stack: Stack, c: Construct) => stack.getLogicalId(c.node.defaultChild as CfnElement);

/** aws:SourceAccount / aws:SourceArn as the Bedrock "Model invocation logging" page asks for. */
const FROM_BEDROCK_HERE = {
  StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
  ArnLike: {
    'aws:SourceArn': {
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:us-east-1:', { Ref: 'AWS::AccountId' }, ':*'],
      ],
    },
  },
};

function customResource(template: Template) {
  const found = Object.values(template.findResources('Custom::BedrockModelInvocationLogging'));
  expect(found).toHaveLength(1);
  return found[0] as { Properties: Record<string, unknown>; DependsOn: string[] };
}

describe('ModelInvocationLogging', () => {
  test('the bucket: SSE-KMS with the log group key, versioned, public access blocked, retained', () => {
    const { stack, logGroup, template } = build();
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResource('AWS::S3::Bucket', {
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              BucketKeyEnabled: true,
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: { 'Fn::GetAtt': [logicalId(stack, logGroup.encryptionKey), 'Arn'] },
              },
            },
          ],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LifecycleConfiguration: {
          Rules: [
            {
              Id: 'AbortIncompleteUploads',
              Status: 'Enabled',
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
            },
          ],
        },
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('the bucket policy: TLS only, and Bedrock may put objects under the two log prefixes only', () => {
    const { stack, logging, template } = build();
    const bucketArn = { 'Fn::GetAtt': [logicalId(stack, logging.bucket), 'Arn'] };
    const objects = (prefix: string) => ({
      'Fn::Join': [
        '',
        [bucketArn, `/${prefix}/AWSLogs/`, { Ref: 'AWS::AccountId' }, '/BedrockModelInvocationLogs/*'],
      ],
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            Resource: [bucketArn, { 'Fn::Join': ['', [bucketArn, '/*']] }],
          },
          {
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
            Resource: [bucketArn, { 'Fn::Join': ['', [bucketArn, '/*']] }],
          },
          {
            Sid: 'AmazonBedrockLogsWrite',
            Effect: 'Allow',
            Principal: { Service: 'bedrock.amazonaws.com' },
            Action: 's3:PutObject',
            Resource: [objects('model-invocations'), objects('model-invocations-large-data')],
            Condition: FROM_BEDROCK_HERE,
          },
        ],
      },
    });
  });

  test('the key policy lets Bedrock generate data keys, from this account and region only', () => {
    const { template } = build();
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Principal: { Service: 'bedrock.amazonaws.com' },
            Action: 'kms:GenerateDataKey',
            Resource: '*',
            Condition: FROM_BEDROCK_HERE,
          },
        ]),
      },
    });
  });

  test('the delivery role: trusted by Bedrock with both conditions, writes the one Bedrock log stream only', () => {
    const { stack, logging, template } = build();
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'bedrock.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: FROM_BEDROCK_HERE,
          },
        ],
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalId(stack, logging.role) }],
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':logs:us-east-1:',
                  { Ref: 'AWS::AccountId' },
                  `:log-group:${LOG_GROUP}:log-stream:aws/bedrock/modelinvocations`,
                ],
              ],
            },
          },
        ],
      },
    });
  });

  test('the custom resource puts the configuration on create and update and deletes it on delete', () => {
    const { stack, logging, template } = build();
    const resource = customResource(template);
    const bucket = `<Ref:${logicalId(stack, logging.bucket)}>`;
    const put = {
      service: 'bedrock',
      action: 'PutModelInvocationLoggingConfiguration',
      parameters: {
        loggingConfig: {
          cloudWatchConfig: {
            logGroupName: LOG_GROUP,
            roleArn: `<${logicalId(stack, logging.role)}.Arn>`,
            largeDataDeliveryS3Config: { bucketName: bucket, keyPrefix: 'model-invocations-large-data' },
          },
          s3Config: { bucketName: bucket, keyPrefix: 'model-invocations' },
          textDataDeliveryEnabled: true,
          imageDataDeliveryEnabled: true,
          embeddingDataDeliveryEnabled: true,
          videoDataDeliveryEnabled: true,
        },
      },
      physicalResourceId: { id: 'BedrockModelInvocationLogging' },
    };
    expect(parseJoinedJson(resource.Properties.Create)).toEqual(put);
    expect(parseJoinedJson(resource.Properties.Update)).toEqual(put);
    expect(parseJoinedJson(resource.Properties.Delete)).toEqual({
      service: 'bedrock',
      action: 'DeleteModelInvocationLoggingConfiguration',
    });
    expect(resource.Properties.InstallLatestAwsSdk).toBe(false);
  });

  test('the custom resource waits for the bucket policy, the delivery role policy and the log group', () => {
    const { stack, logging, logGroup, template } = build();
    const policy = logging.bucket.policy;
    const rolePolicy = logging.role.node.tryFindChild('DefaultPolicy') as Construct;
    expect(customResource(template).DependsOn).toEqual(
      expect.arrayContaining([
        logicalId(stack, policy as Construct),
        logicalId(stack, rolePolicy),
        logicalId(stack, logGroup.logGroup),
      ]),
    );
  });

  test('the provider Lambda logs to a log group of its own, encrypted with the log group key and kept as long', () => {
    const { stack, logging, logGroup, template } = build({ removalPolicy: RemovalPolicy.DESTROY });
    const providerGroup = logicalId(stack, logging.providerLogGroup!.logGroup);
    expect(template.toJSON().Resources[providerGroup]).toEqual({
      Type: 'AWS::Logs::LogGroup',
      Properties: {
        LogGroupName: `${LOG_GROUP}-provider`,
        RetentionInDays: 90,
        KmsKeyId: { 'Fn::GetAtt': [logicalId(stack, logGroup.encryptionKey as kms.Key), 'Arn'] },
      },
      UpdateReplacePolicy: 'Delete',
      DeletionPolicy: 'Delete',
    });
    const providers = Object.values(
      template.findResources('AWS::Lambda::Function', {
        Properties: { LoggingConfig: { LogGroup: { Ref: providerGroup } } },
      }),
    );
    expect(providers).toHaveLength(1);
    // AND CloudWatch Logs may use the key for the provider's log group too: the key policy's statements for
    // logs.<region>.amazonaws.com name both log groups in their encryption-context condition
    const keyPolicy = JSON.stringify(
      template.toJSON().Resources[logicalId(stack, logGroup.encryptionKey as kms.Key)].Properties.KeyPolicy,
    );
    expect(keyPolicy).toContain('"Service":"logs.us-east-1.amazonaws.com"');
    expect(keyPolicy).toContain(`:log-group:${LOG_GROUP}"`);
    expect(keyPolicy).toContain(`:log-group:${LOG_GROUP}-provider"`);
  });

  test('after another AwsCustomResource made the provider, no provider log group, and a warning says why', () => {
    const stack = awsStack();
    new AwsCustomResource(stack, 'First', {
      onCreate: {
        service: 'sts',
        action: 'GetCallerIdentity',
        physicalResourceId: PhysicalResourceId.of('x'),
      },
      policy: AwsCustomResourcePolicy.fromSdkCalls({ resources: AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
    });
    const logGroup = new EncryptedLogGroup(stack, 'InvocationLogs', { logGroupName: LOG_GROUP });
    const logging = new ModelInvocationLogging(stack, 'ModelLogging', { logGroup });
    expect(logging.providerLogGroup).toBeUndefined();
    Annotations.fromStack(stack).hasWarning(
      '/Test/ModelLogging',
      Match.stringLikeRegexp('another AwsCustomResource of the stack created the provider Lambda first'),
    );
  });

  test("the custom resource's policy: the two Bedrock actions on * (no resource types) and PassRole on the delivery role", () => {
    const { stack, logging, template } = build();
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { PolicyName: Match.stringLikeRegexp('CustomResourcePolicy') },
    });
    expect(Object.values(policies).map((p) => p.Properties.PolicyDocument.Statement)).toEqual([
      [
        {
          Effect: 'Allow',
          Action: [
            'bedrock:PutModelInvocationLoggingConfiguration',
            'bedrock:DeleteModelInvocationLoggingConfiguration',
          ],
          Resource: '*',
        },
        {
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: { 'Fn::GetAtt': [logicalId(stack, logging.role), 'Arn'] },
          Condition: { StringEquals: { 'iam:PassedToService': 'bedrock.amazonaws.com' } },
        },
      ],
    ]);
  });

  test('no Allow statement anywhere grants every action', () => {
    const { template } = build();
    const documents = [
      ...Object.values(template.findResources('AWS::IAM::Policy')).map((r) => r.Properties.PolicyDocument),
      ...Object.values(template.findResources('AWS::IAM::Role')).map(
        (r) => r.Properties.AssumeRolePolicyDocument,
      ),
      ...Object.values(template.findResources('AWS::S3::BucketPolicy')).map(
        (r) => r.Properties.PolicyDocument,
      ),
      ...Object.values(template.findResources('AWS::KMS::Key')).map((r) => r.Properties.KeyPolicy),
    ];
    const statements = documents.flatMap(
      (d) => d.Statement as { Effect: string; Action: string | string[] }[],
    );
    expect(statements.length).toBeGreaterThan(8);
    const everyAction = statements.filter((s) => s.Effect === 'Allow' && [s.Action].flat().includes('*'));
    expect(everyAction).toEqual([]);
  });

  test('all props: own key, prefixes, delivery flags, expiry, access logs, DESTROY', () => {
    // GIVEN
    const stack = awsStack();
    const logGroup = new EncryptedLogGroup(stack, 'InvocationLogs', { logGroupName: LOG_GROUP });
    const bucketKey = new kms.Key(stack, 'BucketKey', { enableKeyRotation: true });
    const accessLogs = new s3.Bucket(stack, 'AccessLogs');
    // WHEN
    const logging = new ModelInvocationLogging(stack, 'ModelLogging', {
      logGroup,
      encryptionKey: bucketKey,
      keyPrefix: 'prompts',
      largeDataKeyPrefix: 'prompts-large',
      textDataDeliveryEnabled: true,
      imageDataDeliveryEnabled: false,
      embeddingDataDeliveryEnabled: false,
      videoDataDeliveryEnabled: false,
      expirationDays: 400,
      serverAccessLogsBucket: accessLogs,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // THEN
    const template = templateOf(stack);
    expect(logging.encryptionKey).toBe(bucketKey);
    template.hasResource('AWS::S3::Bucket', {
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            Match.objectLike({
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: { 'Fn::GetAtt': [logicalId(stack, bucketKey), 'Arn'] },
              },
            }),
          ],
        },
        LoggingConfiguration: { DestinationBucketName: { Ref: logicalId(stack, accessLogs) } },
        LifecycleConfiguration: {
          Rules: [
            {
              Id: 'AbortIncompleteUploads',
              Status: 'Enabled',
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
            },
            {
              Id: 'Expire',
              Status: 'Enabled',
              ExpirationInDays: 400,
              NoncurrentVersionExpiration: { NoncurrentDays: 400 },
            },
          ],
        },
      },
      DeletionPolicy: 'Delete',
    });
    // The Bedrock statement goes on the bucket key; the log group key keeps only the CloudWatch Logs one.
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'bedrock.amazonaws.com' } })]),
      },
    });
    const logKeyPolicy = template.findResources('AWS::KMS::Key')[logicalId(stack, logGroup.encryptionKey)];
    expect(JSON.stringify(logKeyPolicy)).not.toContain('bedrock.amazonaws.com');
    const put = parseJoinedJson(customResource(template).Properties.Create) as {
      parameters: { loggingConfig: Record<string, unknown> };
    };
    expect(put.parameters.loggingConfig).toMatchObject({
      cloudWatchConfig: { largeDataDeliveryS3Config: { keyPrefix: 'prompts-large' } },
      s3Config: { keyPrefix: 'prompts' },
      textDataDeliveryEnabled: true,
      imageDataDeliveryEnabled: false,
      embeddingDataDeliveryEnabled: false,
      videoDataDeliveryEnabled: false,
    });
  });

  test('grantRead: the bucket with kms:Decrypt and kms:DescribeKey on its key, and the log group', () => {
    const { stack, logging, logGroup } = setup();
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    logging.grantRead(reader);
    const template = templateOf(stack);
    const [policy] = Object.values(
      template.findResources('AWS::IAM::Policy', {
        Properties: { Roles: [{ Ref: logicalId(stack, reader) }] },
      }),
    );
    const statements = policy?.Properties.PolicyDocument.Statement as {
      Action: string[];
      Resource: unknown;
    }[];
    expect(statements.map((s) => s.Action)).toEqual([
      ['s3:GetObject*', 's3:GetBucket*', 's3:List*'],
      ['kms:Decrypt', 'kms:DescribeKey'],
      [
        'logs:FilterLogEvents',
        'logs:GetLogEvents',
        'logs:GetLogGroupFields',
        'logs:DescribeLogGroups',
        'logs:DescribeLogStreams',
      ],
    ]);
    expect(statements[1]?.Resource).toEqual({
      'Fn::GetAtt': [logicalId(stack, logGroup.encryptionKey), 'Arn'],
    });
  });

  test('fails when the log group is in another region', () => {
    // GIVEN
    const stack = awsStack();
    const other = new Stack(stack.node.scope as Construct, 'Other', { env: { region: 'eu-west-1' } });
    const logGroup = new EncryptedLogGroup(other, 'InvocationLogs', { logGroupName: LOG_GROUP });
    // WHEN / THEN
    expect(() => new ModelInvocationLogging(stack, 'ModelLogging', { logGroup })).toThrow(
      exactly(
        'Invalid ModelInvocationLogging "ModelLogging":\n' +
          `  - props.logGroup: log group "${LOG_GROUP}" is in region "eu-west-1"; Bedrock delivers only to destinations in its own region "us-east-1"`,
      ),
    );
  });

  test('fails with every problem at once', () => {
    expect(() => setup({ keyPrefix: '/logs/', largeDataKeyPrefix: '', expirationDays: 0.5 })).toThrow(
      exactly(
        'Invalid ModelInvocationLogging "ModelLogging":\n' +
          '  - props.keyPrefix: "/logs/" is not a key prefix: 1-1024 characters, no leading or trailing "/"\n' +
          '  - props.largeDataKeyPrefix: "" is not a key prefix: 1-1024 characters, no leading or trailing "/"\n' +
          '  - props.expirationDays: 0.5 must be a whole number of days, at least 1',
      ),
    );
  });
});

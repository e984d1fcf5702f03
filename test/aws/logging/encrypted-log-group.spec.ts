import { type CfnElement, RemovalPolicy } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { EncryptedLogGroup, type EncryptedLogGroupProps } from '../../../constructs/aws/logging';
import { awsStack, templateOf } from '../../helpers/aws';
import { exactly } from '../../helpers/errors';

const NAME = '/llmops/dev/app';

function build(props: Partial<EncryptedLogGroupProps> = {}) {
  const stack = awsStack();
  const group = new EncryptedLogGroup(stack, 'App', { logGroupName: NAME, ...props });
  return { stack, group, template: templateOf(stack) };
}

/** The key-policy statement CloudWatch Logs needs for `name` (CloudWatch Logs "Encrypt log data using AWS KMS"). */
function logsStatement(name: string) {
  return {
    Effect: 'Allow',
    Principal: { Service: 'logs.us-east-1.amazonaws.com' },
    Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    Resource: '*',
    Condition: {
      ArnLike: {
        'kms:EncryptionContext:aws:logs:arn': {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':logs:us-east-1:',
              { Ref: 'AWS::AccountId' },
              `:log-group:${name}`,
            ],
          ],
        },
      },
    },
  };
}

describe('EncryptedLogGroup', () => {
  test('defaults: 30 days, its own rotating key, both retained', () => {
    // GIVEN / WHEN
    const { template } = build();
    // THEN
    template.resourceCountIs('AWS::KMS::Key', 1);
    const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0] as string;
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: NAME, RetentionInDays: 30, KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResource('AWS::KMS::Key', {
      Properties: {
        EnableKeyRotation: true,
        KeyPolicy: { Statement: Match.arrayWith([logsStatement(NAME)]) },
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('retention from props', () => {
    const { template, group } = build({ retentionDays: 90 });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    expect(group.retentionDays).toBe(90);
  });

  test('one shared key: no key of its own, one CloudWatch Logs statement per log group', () => {
    // GIVEN
    const stack = awsStack();
    const key = new kms.Key(stack, 'Shared', { enableKeyRotation: true });
    // WHEN
    const a = new EncryptedLogGroup(stack, 'A', { logGroupName: '/llmops/a', encryptionKey: key });
    new EncryptedLogGroup(stack, 'B', { logGroupName: '/llmops/b', encryptionKey: key });
    // THEN
    const template = templateOf(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.resourceCountIs('AWS::Logs::LogGroup', 2);
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([logsStatement('/llmops/a'), logsStatement('/llmops/b')]) },
    });
    const keyId = stack.getLogicalId(key.node.defaultChild as kms.CfnKey);
    template.allResourcesProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    expect(a.encryptionKey).toBe(key);
  });

  test('removalPolicy DESTROY opts out for the log group and its key', () => {
    const { template } = build({ removalPolicy: RemovalPolicy.DESTROY });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete' });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
  });

  test('grantWrite and grantRead: exact log actions on this log group, no KMS', () => {
    // GIVEN
    const stack = awsStack();
    const group = new EncryptedLogGroup(stack, 'App', { logGroupName: NAME });
    const writer = new iam.Role(stack, 'Writer', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    const reader = new iam.Role(stack, 'Reader', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    // WHEN
    group.grantWrite(writer);
    group.grantRead(reader);
    // THEN
    const template = templateOf(stack);
    const logicalId = (c: Construct) => stack.getLogicalId(c.node.defaultChild as CfnElement);
    const logGroupArn = { 'Fn::GetAtt': [logicalId(group.logGroup), 'Arn'] };
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalId(writer) }],
      PolicyDocument: {
        Statement: [
          { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: logGroupArn },
        ],
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalId(reader) }],
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: [
              'logs:FilterLogEvents',
              'logs:GetLogEvents',
              'logs:GetLogGroupFields',
              'logs:DescribeLogGroups',
              'logs:DescribeLogStreams',
            ],
            // the log group with and without the ":*" suffix of its Arn attribute
            Resource: [
              {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':logs:us-east-1:',
                    { Ref: 'AWS::AccountId' },
                    ':log-group:',
                    { Ref: logicalId(group.logGroup) },
                  ],
                ],
              },
              logGroupArn,
            ],
          },
        ],
      },
    });
  });

  test('fails when the retention is not one CloudWatch Logs accepts', () => {
    expect(() => build({ retentionDays: 45 })).toThrow(
      exactly(
        'Invalid EncryptedLogGroup "App":\n' +
          '  - props.retentionDays: 45 is not a retention CloudWatch Logs accepts: one of 1, 3, 5, 7, 14, 30, 60, 90, ' +
          '120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653',
      ),
    );
  });

  test('fails with every problem at once', () => {
    expect(() => build({ logGroupName: 'bad name!', retentionDays: 0 })).toThrow(
      exactly(
        'Invalid EncryptedLogGroup "App":\n' +
          '  - props.logGroupName: "bad name!" is not a log group name: 1-512 characters from a-z, A-Z, 0-9, ".", "-", "_", "/", "#"\n' +
          '  - props.retentionDays: 0 is not a retention CloudWatch Logs accepts: one of 1, 3, 5, 7, 14, 30, 60, 90, ' +
          '120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653',
      ),
    );
  });
});

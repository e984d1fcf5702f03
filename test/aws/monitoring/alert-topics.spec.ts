import { RemovalPolicy } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AlertTopics } from '../../../constructs/aws/monitoring';
import { awsStack, templateOf } from '../../helpers/aws';
import { exactly } from '../../helpers/errors';

const partition = { Ref: 'AWS::Partition' };
const account = { Ref: 'AWS::AccountId' };
const alarmArns = {
  'Fn::Join': ['', ['arn:', partition, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', account, ':alarm:*']],
};
const budgetArns = { 'Fn::Join': ['', ['arn:', partition, ':budgets::', account, ':*']] };

describe('AlertTopics', () => {
  test('defaults: one KMS-encrypted, TLS-only topic per action group that CloudWatch and Budgets of this account may publish to', () => {
    // GIVEN / WHEN
    const stack = awsStack();
    const topics = new AlertTopics(stack, 'Alerts', {
      actionGroups: {
        oncall: { emails: ['oncall@example.com'] },
        platform: { emails: ['platform@example.com'] },
      },
    });
    const template = templateOf(stack);

    // THEN one key, rotation on, retained, usable by the two publishing services
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        EnableKeyRotation: true,
        KeyPolicy: Match.objectLike({
          Statement: Match.arrayWith([
            {
              Sid: 'AllowAlarmPublishersToUseTheKey',
              Effect: 'Allow',
              Principal: { Service: ['cloudwatch.amazonaws.com', 'budgets.amazonaws.com'] },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
              Resource: '*',
            },
          ]),
        }),
      }),
    });
    template.resourceCountIs('AWS::SNS::Topic', 2);
    template.hasResourceProperties('AWS::SNS::Topic', {
      DisplayName: 'oncall',
      KmsMasterKeyId: { 'Fn::GetAtt': [stack.getLogicalId(topics.key.node.defaultChild as never), 'Arn'] },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
      TopicArn: { Ref: stack.getLogicalId(topics.topics.oncall!.node.defaultChild as never) },
    });
    const topicRef = { Ref: stack.getLogicalId(topics.topics.oncall!.node.defaultChild as never) };
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [topicRef],
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AllowPublishThroughSSLOnly',
            Effect: 'Deny',
            Principal: '*',
            Action: 'sns:Publish',
            Resource: topicRef,
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
          {
            Sid: 'AllowCloudWatchAlarmsOfThisAccount',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: topicRef,
            Condition: {
              ArnLike: { 'aws:SourceArn': alarmArns },
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            },
          },
          {
            Sid: 'AllowBudgetsOfThisAccount',
            Effect: 'Allow',
            Principal: { Service: 'budgets.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: topicRef,
            Condition: {
              ArnLike: { 'aws:SourceArn': budgetArns },
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            },
          },
        ],
      },
    });
  });

  test('all props: names, webhooks, no Budgets publisher, key removal policy', () => {
    const stack = awsStack();
    new AlertTopics(stack, 'Alerts', {
      actionGroups: { oncall: { webhooks: ['https://hooks.example.com/x'], displayName: 'LLMOps on-call' } },
      nameSuffix: 'llmops-aws-dev',
      budgetsCanPublish: false,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const template = templateOf(stack);
    template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'oncall-llmops-aws-dev',
      DisplayName: 'LLMOps on-call',
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'https',
      Endpoint: 'https://hooks.example.com/x',
    });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
    const policy = JSON.stringify(templateOf(stack).findResources('AWS::SNS::TopicPolicy'));
    const key = JSON.stringify(templateOf(stack).findResources('AWS::KMS::Key'));
    expect(policy).not.toContain('budgets.amazonaws.com');
    expect(key).not.toContain('budgets.amazonaws.com');
    expect(key).toContain('cloudwatch.amazonaws.com');
  });

  test('grantPublish gives sns:Publish on the topic and the key use it needs', () => {
    const stack = awsStack();
    const topics = new AlertTopics(stack, 'Alerts', {
      actionGroups: { oncall: { emails: ['a@example.com'] } },
    });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const grant = topics.grantPublish('oncall', role);
    expect(grant.success).toBe(true);
    templateOf(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sns:Publish',
            Resource: { Ref: stack.getLogicalId(topics.topics.oncall!.node.defaultChild as never) },
          },
          {
            Effect: 'Allow',
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: { 'Fn::GetAtt': [stack.getLogicalId(topics.key.node.defaultChild as never), 'Arn'] },
          },
        ],
      },
    });
  });

  test('topic() names the known groups when asked for an unknown one', () => {
    const stack = awsStack();
    const topics = new AlertTopics(stack, 'Alerts', {
      actionGroups: { oncall: { emails: ['a@example.com'] } },
    });
    expect(() => topics.topic('ops')).toThrow(
      exactly('AlertTopics "Test/Alerts" has no action group "ops" (known: oncall)'),
    );
  });

  test('fails when groups, subscribers, names or the suffix are invalid, listing every problem', () => {
    const stack = awsStack();
    expect(
      () =>
        new AlertTopics(stack, 'Alerts', {
          actionGroups: {
            Oncall: { emails: ['oncall@example.com'] },
            empty: {},
            bad: {
              emails: ['not-an-address', 'a@example.com', 'A@example.com'],
              webhooks: ['http://insecure.example.com'],
              displayName: '',
            },
          },
          nameSuffix: 'has space',
        }),
    ).toThrow(
      exactly(
        [
          'Invalid AlertTopics "Test/Alerts":',
          `  - props.nameSuffix: "has space" must be letters, digits, '_' and '-', starting with a letter or digit`,
          '  - props.actionGroups.Oncall: "Oncall" must be 1-24 lowercase letters, digits and hyphens, starting with a letter',
          '  - props.actionGroups.empty: has no subscribers: give at least one email address or webhook, or alerts routed here notify nobody',
          '  - props.actionGroups.bad.emails[0]: "not-an-address" is not an email address',
          '  - props.actionGroups.bad.emails[2]: "A@example.com" is listed twice',
          '  - props.actionGroups.bad.webhooks[0]: "http://insecure.example.com" is not an https:// URL',
          '  - props.actionGroups.bad.displayName: "" has 0 characters: must be 1 to 100',
        ].join('\n'),
      ),
    );
  });

  test('fails when there is no action group', () => {
    expect(() => new AlertTopics(awsStack(), 'Alerts', { actionGroups: {} })).toThrow(
      exactly(
        'Invalid AlertTopics "Test/Alerts":\n  - props.actionGroups: {} has no action groups: give at least one, or alarms have nowhere to go',
      ),
    );
  });
});

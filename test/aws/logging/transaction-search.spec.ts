import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { TransactionSearch, type TransactionSearchProps } from '../../../constructs/aws/logging';
import { awsStack, templateOf } from '../../helpers/aws';
import { exactly } from '../../helpers/errors';
import { parseJoinedJson } from './cfn-json';

function build(props: TransactionSearchProps = {}) {
  const stack = awsStack();
  const search = new TransactionSearch(stack, 'Search', props);
  return { stack, search, template: templateOf(stack) };
}

describe('TransactionSearch', () => {
  test('defaults: 1% indexed, after a resource policy that lets X-Ray write spans from this account only', () => {
    // GIVEN / WHEN
    const { stack, search, template } = build();
    // THEN
    const policyId = stack.getLogicalId(search.resourcePolicy);
    template.hasResource('AWS::XRay::TransactionSearchConfig', {
      Properties: { IndexingPercentage: 1, CloudWatchLogsConfiguration: Match.absent() },
      DependsOn: [policyId],
    });
    const policy = template.findResources('AWS::Logs::ResourcePolicy')[policyId];
    expect(policy?.Properties.PolicyName).toBe('TransactionSearchXRayAccess');
    expect(parseJoinedJson(policy?.Properties.PolicyDocument)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'TransactionSearchXRayAccess',
          Effect: 'Allow',
          Principal: { Service: 'xray.amazonaws.com' },
          Action: 'logs:PutLogEvents',
          Resource: [
            'arn:<AWS::Partition>:logs:us-east-1:<AWS::AccountId>:log-group:aws/spans:*',
            'arn:<AWS::Partition>:logs:us-east-1:<AWS::AccountId>:log-group:/aws/application-signals/data:*',
          ],
          Condition: {
            ArnLike: { 'aws:SourceArn': 'arn:<AWS::Partition>:xray:us-east-1:<AWS::AccountId>:*' },
            StringEquals: { 'aws:SourceAccount': '<AWS::AccountId>' },
          },
        },
      ],
    });
  });

  test('all props: indexing percentage, spans key (with its CloudWatch Logs statement), policy name', () => {
    // GIVEN
    const stack = awsStack();
    const key = new kms.Key(stack, 'SpansKey', { enableKeyRotation: true });
    // WHEN
    new TransactionSearch(stack, 'Search', {
      indexingPercentage: 10,
      spansEncryptionKey: key,
      resourcePolicyName: 'Spans',
    });
    // THEN
    const template = templateOf(stack);
    const keyId = stack.getLogicalId(key.node.defaultChild as CfnElement);
    template.hasResourceProperties('AWS::XRay::TransactionSearchConfig', {
      IndexingPercentage: 10,
      CloudWatchLogsConfiguration: { SpansLogGroupKmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
    });
    template.hasResourceProperties('AWS::Logs::ResourcePolicy', { PolicyName: 'Spans' });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'logs.us-east-1.amazonaws.com' },
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
                      ':log-group:aws/spans',
                    ],
                  ],
                },
              },
            },
          }),
        ]),
      },
    });
  });

  test('fails with every problem at once', () => {
    expect(() => build({ indexingPercentage: 101, resourcePolicyName: '' })).toThrow(
      exactly(
        'Invalid TransactionSearch "Search":\n' +
          '  - props.indexingPercentage: 101 must be a percentage from 0 to 100\n' +
          '  - props.resourcePolicyName: "" must be 1-256 characters',
      ),
    );
  });
});

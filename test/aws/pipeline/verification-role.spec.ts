import { Match } from 'aws-cdk-lib/assertions';
import { GitHubOidcProvider, VerificationRole } from '../../../constructs/aws/pipeline';
import { awsStack, templateOf } from '../../helpers/aws';
import { exactly } from '../../helpers/errors';
import { bootstrapRoleArn, githubTrust } from './expected';

/** Actions that only read: CloudFormation Describe/Get/List, and assuming a role (checked to be the lookup role). */
const READ_ONLY = /^(sts:AssumeRole|cloudformation:(Describe|Get|List)[A-Za-z]+)$/;

describe('VerificationRole', () => {
  test('trusts its own environment, may assume only the lookup role, sessions of 1 hour', () => {
    // GIVEN
    const stack = awsStack();
    const provider = new GitHubOidcProvider(stack, 'GitHub');
    // WHEN
    new VerificationRole(stack, 'Verify', {
      oidcProvider: provider,
      githubRepository: 'contoso/llmops-platform',
      githubEnvironment: 'aws-dev-plan',
    });
    // THEN
    const template = templateOf(stack);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.exact(
        githubTrust(
          { Ref: stack.getLogicalId(provider.oidcProvider.node.defaultChild as never) },
          'repo:contoso/llmops-platform:environment:aws-dev-plan',
        ),
      ),
      MaxSessionDuration: 3600,
      Policies: Match.exact([
        {
          PolicyName: 'CdkDiff',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'AssumeCdkLookupRole',
                Effect: 'Allow',
                Action: 'sts:AssumeRole',
                Resource: bootstrapRoleArn('lookup'),
              },
            ],
          },
        },
      ]),
    });
  });

  test('readable stacks: CloudFormation read actions on those stacks only, and no write action anywhere', () => {
    // GIVEN
    const stack = awsStack();
    const provider = GitHubOidcProvider.fromOidcProviderArn(
      stack,
      'GitHub',
      'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
    );
    // WHEN
    new VerificationRole(stack, 'Verify', {
      oidcProvider: provider,
      githubRepository: 'contoso/llmops-platform',
      githubEnvironment: 'aws-dev-plan',
      readableStackNames: ['aws-dev'],
      bootstrapQualifier: 'llmops',
    });
    // THEN
    const roles = templateOf(stack).findResources('AWS::IAM::Role');
    const statements = Object.values(roles).flatMap((r) =>
      r.Properties.Policies.flatMap(
        (p: { PolicyDocument: { Statement: unknown[] } }) => p.PolicyDocument.Statement,
      ),
    );
    expect(statements).toEqual([
      {
        Sid: 'AssumeCdkLookupRole',
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Resource: bootstrapRoleArn('lookup', 'llmops'),
      },
      {
        Sid: 'ReadStacks',
        Effect: 'Allow',
        Action: [
          'cloudformation:DescribeStacks',
          'cloudformation:GetTemplate',
          'cloudformation:ListStackResources',
        ],
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':cloudformation:us-east-1:',
              { Ref: 'AWS::AccountId' },
              ':stack/aws-dev/*',
            ],
          ],
        },
      },
    ]);
    const actions = statements.flatMap((s) => [(s as { Action: string | string[] }).Action].flat());
    expect(actions.filter((a) => !READ_ONLY.test(a))).toEqual([]);
  });

  test('fails when a readable stack name is not a CloudFormation stack name', () => {
    const stack = awsStack();
    const provider = new GitHubOidcProvider(stack, 'GitHub');
    expect(
      () =>
        new VerificationRole(stack, 'Verify', {
          oidcProvider: provider,
          githubRepository: 'contoso/llmops-platform',
          githubEnvironment: 'aws-dev-plan',
          readableStackNames: ['aws-dev', 'aws_dev*'],
        }),
    ).toThrow(
      exactly(
        'Invalid VerificationRole "Test/Verify":\n' +
          '  - props.readableStackNames[1]: "aws_dev*" is not a CloudFormation stack name: a letter, then up to 127 letters, digits and "-"',
      ),
    );
  });
});

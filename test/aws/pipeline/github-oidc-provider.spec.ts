import { RemovalPolicy } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { DeploymentRole, GitHubOidcProvider } from '../../../constructs/aws/pipeline';
import { awsStack, templateOf } from '../../helpers/aws';
import { exactly } from '../../helpers/errors';
import { githubTrust } from './expected';

describe('GitHubOidcProvider', () => {
  test('creates the GitHub provider with the STS audience, no thumbprint, no custom resource, retained', () => {
    // GIVEN
    const stack = awsStack();
    // WHEN
    new GitHubOidcProvider(stack, 'GitHub', { tags: { team: 'llmops' } });
    // THEN
    const template = templateOf(stack);
    expect(Object.values(template.toJSON().Resources)).toEqual([
      {
        Type: 'AWS::IAM::OIDCProvider',
        Properties: {
          Url: 'https://token.actions.githubusercontent.com',
          ClientIdList: ['sts.amazonaws.com'],
          Tags: [{ Key: 'team', Value: 'llmops' }],
        },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      },
    ]);
  });

  test('removalPolicy opts out of retention', () => {
    const stack = awsStack();
    new GitHubOidcProvider(stack, 'GitHub', { removalPolicy: RemovalPolicy.DESTROY });
    templateOf(stack).hasResource('AWS::IAM::OIDCProvider', { DeletionPolicy: 'Delete' });
  });

  test('fromOidcProviderArn creates no provider and the roles trust the imported ARN', () => {
    // GIVEN
    const stack = awsStack();
    const arn = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
    // WHEN
    const provider = GitHubOidcProvider.fromOidcProviderArn(stack, 'GitHub', arn);
    new DeploymentRole(stack, 'Deploy', {
      oidcProvider: provider,
      githubRepository: 'contoso/llmops-platform',
      githubEnvironment: 'aws-dev',
    });
    // THEN
    const template = templateOf(stack);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
    expect(provider.oidcProviderArn).toBe(arn);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.exact(
        githubTrust(arn, 'repo:contoso/llmops-platform:environment:aws-dev'),
      ),
    });
  });

  test('fails when the imported ARN is not the GitHub provider of an account', () => {
    const stack = awsStack();
    expect(() =>
      GitHubOidcProvider.fromOidcProviderArn(
        stack,
        'GitHub',
        'arn:aws:iam::123456789012:oidc-provider/gitlab.com',
      ),
    ).toThrow(
      exactly(
        'Invalid GitHubOidcProvider.fromOidcProviderArn "GitHub":\n' +
          '  - oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/gitlab.com" is not the ARN of the GitHub OIDC provider: arn:<partition>:iam::<12-digit account>:oidc-provider/token.actions.githubusercontent.com',
      ),
    );
  });
});

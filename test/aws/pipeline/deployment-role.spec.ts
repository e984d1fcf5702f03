import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DeploymentRole, GitHubOidcProvider } from '../../../constructs/aws/pipeline';
import { awsStack, templateOf } from '../../helpers/aws';
import { exactly } from '../../helpers/errors';
import { bootstrapRoleArn, githubTrust } from './expected';

function setup(account?: string) {
  const stack = awsStack(account ? { env: { account, region: 'us-east-1' } } : {});
  const provider = new GitHubOidcProvider(stack, 'GitHub');
  const providerId = stack.getLogicalId(provider.oidcProvider.node.defaultChild as never);
  return { stack, provider, providerRef: { Ref: providerId } };
}

describe('DeploymentRole', () => {
  test('defaults: trusts one repository and environment exactly, may only assume the CDK bootstrap roles', () => {
    // GIVEN
    const { stack, provider, providerRef } = setup();
    // WHEN
    const role = new DeploymentRole(stack, 'Deploy', {
      oidcProvider: provider,
      githubRepository: 'contoso/llmops-platform',
      githubEnvironment: 'aws-dev',
    });
    // THEN
    const template = templateOf(stack);
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.exact(
        githubTrust(providerRef, 'repo:contoso/llmops-platform:environment:aws-dev'),
      ),
      MaxSessionDuration: 3600,
      Policies: Match.exact([
        {
          PolicyName: 'CdkDeploy',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'AssumeCdkBootstrapRoles',
                Effect: 'Allow',
                Action: 'sts:AssumeRole',
                Resource: [
                  bootstrapRoleArn('deploy'),
                  bootstrapRoleArn('file-publishing'),
                  bootstrapRoleArn('lookup'),
                ],
              },
            ],
          },
        },
      ]),
    });
    expect(role.subject).toBe('repo:contoso/llmops-platform:environment:aws-dev');
    expect(stack.resolve(role.roleArn)).toEqual({
      'Fn::GetAtt': [stack.getLogicalId(role.role.node.defaultChild as never), 'Arn'],
    });
  });

  test('all props: qualifier, image publishing, score metrics in one namespace, name, session, tags', () => {
    // GIVEN
    const { stack, provider } = setup();
    // WHEN
    new DeploymentRole(stack, 'Deploy', {
      oidcProvider: provider,
      githubRepository: 'contoso/llmops-platform',
      githubEnvironment: 'aws-prod',
      roleName: 'llmops-aws-prod-deploy',
      bootstrapQualifier: 'llmops',
      containerAssetsEnabled: true,
      metricsNamespace: 'LLMOps/Evaluation',
      maxSessionDuration: Duration.hours(2),
      tags: { environment: 'aws-prod' },
    });
    // THEN
    templateOf(stack).hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'llmops-aws-prod-deploy',
      MaxSessionDuration: 7200,
      Tags: [{ Key: 'environment', Value: 'aws-prod' }],
      Policies: Match.exact([
        {
          PolicyName: 'CdkDeploy',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'AssumeCdkBootstrapRoles',
                Effect: 'Allow',
                Action: 'sts:AssumeRole',
                Resource: [
                  bootstrapRoleArn('deploy', 'llmops'),
                  bootstrapRoleArn('file-publishing', 'llmops'),
                  bootstrapRoleArn('image-publishing', 'llmops'),
                  bootstrapRoleArn('lookup', 'llmops'),
                ],
              },
              {
                Sid: 'PutScoreMetrics',
                Effect: 'Allow',
                Action: 'cloudwatch:PutMetricData',
                Resource: '*',
                Condition: { StringEquals: { 'cloudwatch:namespace': 'LLMOps/Evaluation' } },
              },
            ],
          },
        },
      ]),
    });
  });

  test('fails with every problem at once', () => {
    const { stack, provider } = setup();
    expect(
      () =>
        new DeploymentRole(stack, 'Deploy', {
          oidcProvider: provider,
          githubRepository: 'contoso/*',
          githubEnvironment: 'prod env',
          roleName: 'deploy/role',
          bootstrapQualifier: 'much-too-long',
          metricsNamespace: 'AWS/Bedrock',
          maxSessionDuration: Duration.hours(13),
        }),
    ).toThrow(
      exactly(
        'Invalid DeploymentRole "Test/Deploy":\n' +
          '  - props.githubRepository: "contoso/*" contains a wildcard: the trust policy matches one repository exactly\n' +
          '  - props.githubEnvironment: "prod env" is not a GitHub environment name: 1-255 letters, digits, ".", "_" and "-"\n' +
          '  - props.roleName: "deploy/role" is not an IAM role name: 1-64 letters, digits and "+=,.@_-"\n' +
          '  - props.bootstrapQualifier: "much-too-long" is not a CDK bootstrap qualifier: 1-10 letters, digits, "_" and "-"\n' +
          '  - props.maxSessionDuration: 13 hours is outside 1-12 hours, the session durations IAM allows a role\n' +
          '  - props.metricsNamespace: "AWS/Bedrock" starts with "AWS/", which is reserved for AWS services',
      ),
    );
  });

  test('fails when the repository is not <owner>/<repo> and the namespace is not a CloudWatch namespace', () => {
    const { stack, provider } = setup();
    expect(
      () =>
        new DeploymentRole(stack, 'Deploy', {
          oidcProvider: provider,
          githubRepository: 'llmops-platform',
          githubEnvironment: 'aws-dev*',
          metricsNamespace: ':scores',
        }),
    ).toThrow(
      exactly(
        'Invalid DeploymentRole "Test/Deploy":\n' +
          '  - props.githubRepository: "llmops-platform" is not <owner>/<repo>\n' +
          '  - props.githubEnvironment: "aws-dev*" contains a wildcard: the trust policy matches one environment exactly\n' +
          '  - props.metricsNamespace: ":scores" is not a CloudWatch namespace: 1-255 printable ASCII characters, not starting with ":", no wildcard',
      ),
    );
  });

  test('fails when the imported provider is in another account than the stack', () => {
    const stack = awsStack({ env: { account: '111111111111', region: 'us-east-1' } });
    const provider = GitHubOidcProvider.fromOidcProviderArn(
      stack,
      'GitHub',
      'arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com',
    );
    expect(
      () =>
        new DeploymentRole(stack, 'Deploy', {
          oidcProvider: provider,
          githubRepository: 'contoso/llmops-platform',
          githubEnvironment: 'aws-dev',
        }),
    ).toThrow(
      exactly(
        'Invalid DeploymentRole "Test/Deploy":\n' +
          '  - props.oidcProvider: "arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com" is in account 222222222222, the role in account 111111111111: a role trusts only an OIDC provider of its own account',
      ),
    );
  });

  test('passes cdk-nag AwsSolutions: the namespace-scoped PutMetricData statement is acknowledged with its reason', () => {
    // GIVEN
    const app = new App();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const stack = new Stack(app, 'Bootstrap', { env: { region: 'us-east-1' } });
    // WHEN
    new DeploymentRole(stack, 'Deploy', {
      oidcProvider: new GitHubOidcProvider(stack, 'GitHub'),
      githubRepository: 'contoso/llmops-platform',
      githubEnvironment: 'aws-dev',
      metricsNamespace: 'LLMOps/Evaluation',
    });
    // THEN
    expect(() => app.synth()).not.toThrow();
  });
});

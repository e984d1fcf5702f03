import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ApiGatewayCloudWatchRole } from '../../../constructs/aws/gateway/api-gateway-account';
import { AccessLogsBucket } from '../../../constructs/aws/logging/access-logs-bucket';
import { EncryptedLogGroup } from '../../../constructs/aws/logging/encrypted-log-group';
import { ModelInvocationLogging } from '../../../constructs/aws/logging/model-invocation-logging';
import { TransactionSearch } from '../../../constructs/aws/logging/transaction-search';
import { QUALITY_METRICS_NAMESPACE } from '../../../constructs/aws/monitoring/quality-metrics';
import { DeploymentRole } from '../../../constructs/aws/pipeline/deployment-role';
import { EvaluationRole } from '../../../constructs/aws/pipeline/evaluation-role';
import {
  GitHubOidcProvider,
  type IGitHubOidcProvider,
} from '../../../constructs/aws/pipeline/github-oidc-provider';
import { VerificationRole } from '../../../constructs/aws/pipeline/verification-role';
import type { EnvironmentConfig } from '../../config/environment';
import { removalPolicyOf } from '../capabilities/protection';
import { awsName } from '../names';
import { acknowledgeRetainOptOut, awsStackProps, tagStack } from './common';

/** The pipeline roles of an AWS environment, by what their GitHub environment does. */
export type PipelineRoleKind = 'deploy' | 'plan' | 'verify';

/** The name of a pipeline role: fixed, so workflows and the environment stack can name it. */
export function pipelineRoleName(env: EnvironmentConfig, kind: PipelineRoleKind): string {
  return awsName(env, kind);
}

/**
 * `bootstrap-<env>` on AWS, deployed once by an administrator (`npx cdk deploy bootstrap-<env>`) before the
 * pipeline can deploy `<env>`:
 * - the GitHub OIDC provider (created when this environment manages the account singletons, else
 *   imported by `aws.account.githubOidcProviderArn`);
 * - the pipeline roles, each trusted by one GitHub environment of the repository: deploy (`cdk deploy`,
 *   rollback), plan (read-only, `cdk diff` in pull requests) and verify (evaluation: scores to CloudWatch,
 *   calls through the gateway);
 * - with `aws.account.manageSingletons`, the account-and-region singletons: Bedrock model invocation
 *   logging, X-Ray transaction search and API Gateway's CloudWatch role.
 */
export class AwsBootstrapStack extends Stack {
  constructor(
    scope: Construct,
    readonly config: EnvironmentConfig,
  ) {
    super(
      scope,
      `bootstrap-${config.name}`,
      awsStackProps(
        config,
        `llmops-platform bootstrap of ${config.name}: GitHub OIDC trust, pipeline roles, account singletons`,
      ),
    );
    tagStack(this, config);
    acknowledgeRetainOptOut(this, config);
    const env = config;
    const aws = env.aws!;
    const removalPolicy = removalPolicyOf(env);
    const oidcProvider: IGitHubOidcProvider = aws.githubOidcProviderArn
      ? GitHubOidcProvider.fromOidcProviderArn(this, 'GitHubOidc', aws.githubOidcProviderArn)
      : new GitHubOidcProvider(this, 'GitHubOidc', { removalPolicy, tags: env.tags });
    const repository = env.pipeline.repository ?? '';
    const common = { oidcProvider, githubRepository: repository, tags: env.tags };
    const deploy = new DeploymentRole(this, 'DeployRole', {
      ...common,
      githubEnvironment: env.pipeline.githubEnvironment,
      roleName: pipelineRoleName(env, 'deploy'),
    });
    const plan = new VerificationRole(this, 'PlanRole', {
      ...common,
      githubEnvironment: env.pipeline.planEnvironment,
      roleName: pipelineRoleName(env, 'plan'),
    });
    const verify = new EvaluationRole(this, 'VerifyRole', {
      ...common,
      githubEnvironment: env.pipeline.verifyEnvironment,
      roleName: pipelineRoleName(env, 'verify'),
      metricsNamespace: QUALITY_METRICS_NAMESPACE,
      readableStackNames: [env.name],
    });
    if (aws.manageSingletons) {
      const logGroup = new EncryptedLogGroup(this, 'InvocationLogs', {
        logGroupName: `/llmops/${awsName(env)}/bedrock-invocations`,
        retentionDays: env.logging.retentionDays,
        removalPolicy,
      });
      const accessLogs = new AccessLogsBucket(this, 'AccessLogs', {
        retentionDays: env.logging.retentionDays,
        removalPolicy,
      });
      new ModelInvocationLogging(this, 'InvocationLogging', {
        logGroup,
        // Prompts and answers in S3 are kept as long as the logs (logging.retentionDays), not forever.
        expirationDays: env.logging.retentionDays,
        serverAccessLogsBucket: accessLogs.bucket,
        removalPolicy,
      });
      new TransactionSearch(this, 'TransactionSearch');
      new ApiGatewayCloudWatchRole(this, 'ApiGatewayLogging', { removalPolicy });
    }
    new CfnOutput(this, 'DeployRoleArn', { value: deploy.roleArn });
    new CfnOutput(this, 'PlanRoleArn', { value: plan.roleArn });
    new CfnOutput(this, 'VerifyRoleArn', { value: verify.roleArn });
  }
}

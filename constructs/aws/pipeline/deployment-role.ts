import { Duration, Token, Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct, IConstruct } from 'constructs';
import {
  type CdkBootstrapRole,
  cdkBootstrapRoleArn,
  GitHubOidcRole,
  type GitHubOidcRoleProps,
} from './github-oidc-role';

/** Properties of {@link DeploymentRole}. */
export interface DeploymentRoleProps extends GitHubOidcRoleProps {
  /**
   * Longest session of the role, 1-12 hours: how long `cdk deploy` may run on one GitHub token (the
   * workflow asks for it with `role-duration-seconds`). The CDK bootstrap roles it assumes in turn are
   * refreshed from this session (role chaining caps each chained session at 1 hour).
   * @default Duration.hours(1)
   */
  readonly maxSessionDuration?: Duration;
  /**
   * Let the role assume the bootstrap image-publishing role, which pushes Docker image assets to the
   * bootstrap ECR repository. The constructs of this project have no image assets (no Docker bundling).
   * @default false
   */
  readonly containerAssetsEnabled?: boolean;
  /**
   * CloudWatch namespace the role may publish metrics to (`cloudwatch:PutMetricData` with a
   * `cloudwatch:namespace` condition), for the evaluation scores the deploy job sends after its gate.
   * @default - no metric publishing
   */
  readonly metricsNamespace?: string;
}

/** Seconds of the longest session IAM allows a role (12 hours). */
const MAX_SESSION_SECONDS = 12 * 3600;

/**
 * Why `namespace` cannot be a custom CloudWatch namespace, or undefined when it can: 1-255 printable
 * ASCII characters, not starting with `:` nor `AWS/` (reserved for AWS services), no wildcard.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
 */
export function checkMetricsNamespace(namespace: string): string | undefined {
  if (Token.isUnresolved(namespace)) return undefined;
  const shown = JSON.stringify(namespace);
  if (!/^[\x20-\x7e]{1,255}$/.test(namespace) || namespace.startsWith(':') || /[*?]/.test(namespace)) {
    return `${shown} is not a CloudWatch namespace: 1-255 printable ASCII characters, not starting with ":", no wildcard`;
  }
  return namespace.startsWith('AWS/')
    ? `${shown} starts with "AWS/", which is reserved for AWS services`
    : undefined;
}

/**
 * `cloudwatch:PutMetricData` in one namespace. PutMetricData has no resource type, so the statement's
 * resource is `*` and the `cloudwatch:namespace` condition is its only scope.
 *
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html
 */
export function putMetricDataStatement(namespace: string): PolicyStatement {
  return new PolicyStatement({
    sid: 'PutScoreMetrics',
    effect: Effect.ALLOW,
    actions: ['cloudwatch:PutMetricData'],
    resources: ['*'],
    conditions: { StringEquals: { 'cloudwatch:namespace': namespace } },
  });
}

/** Acknowledges cdk-nag's AwsSolutions-IAM5 on the `*` resource of {@link putMetricDataStatement}. */
export function acknowledgePutMetricData(role: IConstruct, namespace: string): void {
  Validations.of(role).acknowledge({
    id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
    reason: `cloudwatch:PutMetricData supports no resource type; the statement is limited to namespace ${namespace} by the cloudwatch:namespace condition`,
  });
}

/**
 * The role GitHub Actions deploys an environment with (`cdk deploy`, and the rollback, which deploys an
 * earlier commit). It holds no permission on the environment's resources: it may only assume the roles
 * `cdk bootstrap` created in this account and region, which the CDK CLI uses for each step
 * (`deploy`: change sets; `file-publishing`: assets to the staging bucket; `lookup`: reading the deployed
 * template and context; `image-publishing` only with `containerAssetsEnabled`), plus, with
 * `metricsNamespace`, `cloudwatch:PutMetricData` in that one namespace.
 *
 * What CloudFormation may change is therefore decided by the bootstrap's execution policy
 * (`cdk bootstrap --cloudformation-execution-policies`), set by an administrator; this role cannot change
 * its own permissions (it lives in the bootstrap stack, which an administrator deploys).
 *
 * @see https://docs.aws.amazon.com/cdk/v2/guide/bootstrapping-env.html
 * @see https://docs.aws.amazon.com/cdk/v2/guide/customize-permissions-boundaries.html
 */
export class DeploymentRole extends GitHubOidcRole {
  constructor(scope: Construct, id: string, props: DeploymentRoleProps) {
    const maxSessionDuration = props.maxSessionDuration ?? Duration.hours(1);
    const bootstrapRoles: CdkBootstrapRole[] = props.containerAssetsEnabled
      ? ['deploy', 'file-publishing', 'image-publishing', 'lookup']
      : ['deploy', 'file-publishing', 'lookup'];
    super(scope, id, props, {
      kind: 'DeploymentRole',
      description: `GitHub Actions deploys with cdk (repo:${props.githubRepository}:environment:${props.githubEnvironment})`,
      maxSessionDuration,
      policyName: 'CdkDeploy',
      validate: (problems) => {
        if (!Token.isUnresolved(maxSessionDuration.toSeconds())) {
          const seconds = maxSessionDuration.toSeconds();
          problems.check(
            seconds >= 3600 && seconds <= MAX_SESSION_SECONDS,
            'maxSessionDuration',
            `${maxSessionDuration.toHumanString()} is outside 1-12 hours, the session durations IAM allows a role`,
          );
        }
        if (props.metricsNamespace !== undefined) {
          const namespaceProblem = checkMetricsNamespace(props.metricsNamespace);
          if (namespaceProblem) problems.add('metricsNamespace', namespaceProblem);
        }
      },
      statements: (scope, qualifier) => [
        new PolicyStatement({
          sid: 'AssumeCdkBootstrapRoles',
          effect: Effect.ALLOW,
          actions: ['sts:AssumeRole'],
          resources: bootstrapRoles.map((kind) => cdkBootstrapRoleArn(scope, qualifier, kind)),
        }),
        ...(props.metricsNamespace === undefined ? [] : [putMetricDataStatement(props.metricsNamespace)]),
      ],
    });
    if (props.metricsNamespace !== undefined) acknowledgePutMetricData(this.role, props.metricsNamespace);
  }
}

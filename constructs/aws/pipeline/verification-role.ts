import { ArnFormat, Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct, IConstruct } from 'constructs';
import type { Problems } from '../../core/errors';
import { cdkBootstrapRoleArn, GitHubOidcRole, type GitHubOidcRoleProps } from './github-oidc-role';

/** Properties of {@link VerificationRole}. */
export interface VerificationRoleProps extends GitHubOidcRoleProps {
  /**
   * Stacks whose template, outputs and resources the role may read directly
   * (`cloudformation:DescribeStacks`, `GetTemplate`, `ListStackResources`), e.g. to read an endpoint
   * from the stack outputs without assuming the lookup role.
   * @default - none: `cdk diff` reads through the lookup role
   */
  readonly readableStackNames?: readonly string[];
}

/**
 * The read-only CloudFormation actions of the verification role on its readable stacks.
 *
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudformation.html
 */
export const STACK_READ_ACTIONS = [
  'cloudformation:DescribeStacks',
  'cloudformation:GetTemplate',
  'cloudformation:ListStackResources',
] as const;

/**
 * Why `name` cannot be a CloudFormation stack name, or undefined when it can: a letter, then up to 127
 * letters, digits and hyphens.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html
 */
export function checkStackName(name: string): string | undefined {
  if (Token.isUnresolved(name)) return undefined;
  return /^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(name)
    ? undefined
    : `${JSON.stringify(name)} is not a CloudFormation stack name: a letter, then up to 127 letters, digits and "-"`;
}

/** Adds a problem for each of `stackNames` that cannot name a stack (at `readableStackNames[i]`). */
export function checkStackNames(stackNames: readonly string[], problems: Problems): void {
  stackNames.forEach((name, index) => {
    const problem = checkStackName(name);
    if (problem) problems.add(`readableStackNames[${index}]`, problem);
  });
}

/**
 * The statement that lets a role run `actions` on the stacks `stackNames` of its account and region, or
 * none when there are none. A stack ARN ends in the id CloudFormation generates
 * (`arn:<partition>:cloudformation:<region>:<account>:stack/<name>/<id>`), so each names `<name>/*`.
 */
export function stackStatements(
  scope: Construct,
  sid: string,
  actions: readonly string[],
  stackNames: readonly string[],
): PolicyStatement[] {
  if (stackNames.length === 0) return [];
  return [
    new PolicyStatement({
      sid,
      effect: Effect.ALLOW,
      actions: [...actions],
      resources: stackNames.map((name) =>
        Stack.of(scope).formatArn({
          service: 'cloudformation',
          resource: 'stack',
          resourceName: `${name}/*`,
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        }),
      ),
    }),
  ];
}

/**
 * Acknowledges cdk-nag's AwsSolutions-IAM5 on the stack ARNs of `readableStackNames`: a stack ARN ends in
 * the id CloudFormation generates when it creates the stack (`stack/<name>/<id>`), so the statement names
 * the stack and matches its id with `*`.
 */
export function acknowledgeStackArns(role: IConstruct): void {
  Validations.of(role).acknowledge({
    id: 'AwsSolutions::AwsSolutions-IAM5',
    reason:
      'stack ARNs end in an id CloudFormation generates (stack/<name>/<id>): the resource names the stack and matches its id',
  });
}

/**
 * The role of the pipeline jobs that look at an environment without changing it: `cdk diff` on pull
 * requests. It may assume only the CDK bootstrap lookup role of this account and region, which is what
 * `cdk diff --method=template` uses to read the deployed template (the lookup role has `ReadOnlyAccess`
 * without `kms:Decrypt`), and read the stacks in `readableStackNames`. Sessions last at most 1 hour.
 *
 * The default `cdk diff` (`--method=auto`) creates a change set with the deploy role; with this role it
 * cannot, so the workflow runs `cdk diff --method=template`.
 *
 * @see https://docs.aws.amazon.com/cdk/v2/guide/ref-cli-cmd-diff.html
 */
export class VerificationRole extends GitHubOidcRole {
  constructor(scope: Construct, id: string, props: VerificationRoleProps) {
    const stackNames = props.readableStackNames ?? [];
    super(scope, id, props, {
      kind: 'VerificationRole',
      description: `GitHub Actions reads with cdk diff (repo:${props.githubRepository}:environment:${props.githubEnvironment})`,
      maxSessionDuration: Duration.hours(1),
      policyName: 'CdkDiff',
      validate: (problems) => checkStackNames(stackNames, problems),
      statements: (scope, qualifier) => [
        new PolicyStatement({
          sid: 'AssumeCdkLookupRole',
          effect: Effect.ALLOW,
          actions: ['sts:AssumeRole'],
          resources: [cdkBootstrapRoleArn(scope, qualifier, 'lookup')],
        }),
        ...stackStatements(scope, 'ReadStacks', STACK_READ_ACTIONS, stackNames),
      ],
    });
    if (stackNames.length > 0) acknowledgeStackArns(this.role);
  }
}

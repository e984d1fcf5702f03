import { ArnFormat, type Duration, Stack, Tags, Token } from 'aws-cdk-lib';
import {
  type IGrantable,
  type IPrincipal,
  OpenIdConnectPrincipal,
  PolicyDocument,
  type PolicyStatement,
  Role,
} from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { Problems } from '../../core/errors';
import {
  AWS_STS_AUDIENCE,
  checkBootstrapQualifier,
  checkGitHubEnvironmentName,
  checkGitHubRepository,
  checkRoleName,
  DEFAULT_BOOTSTRAP_QUALIFIER,
  GITHUB_OIDC_HOST,
  githubEnvironmentSubject,
  oidcProviderAccount,
} from './github';
import type { IGitHubOidcProvider } from './github-oidc-provider';

/** Properties shared by the pipeline roles ({@link DeploymentRole}, {@link VerificationRole}). */
export interface GitHubOidcRoleProps {
  /** The account's GitHub OIDC provider: a {@link GitHubOidcProvider} or `GitHubOidcProvider.fromOidcProviderArn`. */
  readonly oidcProvider: IGitHubOidcProvider;
  /** `<owner>/<repo>` on GitHub: the only repository whose jobs may assume the role. */
  readonly githubRepository: string;
  /** GitHub environment whose jobs may assume the role (subject `repo:<owner>/<repo>:environment:<env>`). */
  readonly githubEnvironment: string;
  /**
   * Role name (1-64 letters, digits and `+=,.@_-`). Forces replacement, which changes the ARN the GitHub
   * environment holds.
   * @default - a name CloudFormation generates (read the ARN from the stack output)
   */
  readonly roleName?: string;
  /**
   * Qualifier the account and region were bootstrapped with (`cdk bootstrap --qualifier`): it is part of
   * the names of the CDK bootstrap roles the pipeline role may assume.
   * @default 'hnb659fds' - the default of `cdk bootstrap` and of `DefaultStackSynthesizer`
   */
  readonly bootstrapQualifier?: string;
  /**
   * Tags on the role.
   * @default - none (stack tags still apply)
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The CDK bootstrap roles a pipeline role may assume. */
export type CdkBootstrapRole = 'deploy' | 'file-publishing' | 'image-publishing' | 'lookup';

/**
 * ARN of a role `cdk bootstrap` creates in the stack's account and region:
 * `arn:<partition>:iam::<account>:role/cdk-<qualifier>-<kind>-role-<account>-<region>`.
 *
 * @see https://docs.aws.amazon.com/cdk/v2/guide/bootstrapping-env.html (template: aws-cdk lib/api/bootstrap/bootstrap-template.yaml, `RoleName`)
 */
export function cdkBootstrapRoleArn(scope: Construct, qualifier: string, kind: CdkBootstrapRole): string {
  const stack = Stack.of(scope);
  return stack.formatArn({
    service: 'iam',
    region: '',
    resource: 'role',
    resourceName: `cdk-${qualifier}-${kind}-role-${stack.account}-${stack.region}`,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/** What a subclass of {@link GitHubOidcRole} decides. */
export interface GitHubOidcRoleOptions {
  /** Class name, for the validation message. */
  readonly kind: string;
  /** Role description. */
  readonly description: string;
  readonly maxSessionDuration: Duration;
  /** Name of the role's inline policy. */
  readonly policyName: string;
  /** Validates the subclass's own props. */
  readonly validate: (problems: Problems) => void;
  /** The statements of the inline policy; `qualifier` is the bootstrap qualifier. */
  readonly statements: (scope: Construct, qualifier: string) => PolicyStatement[];
}

/**
 * An IAM role that GitHub Actions jobs of one GitHub environment assume with OIDC
 * (`sts:AssumeRoleWithWebIdentity`, no secret): the trust policy names the account's GitHub OIDC provider
 * and requires, with `StringEquals`, the audience `sts.amazonaws.com` and the exact subject
 * `repo:<owner>/<repo>:environment:<env>`. Subclasses decide the permissions.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub
 */
export abstract class GitHubOidcRole extends Construct implements IGrantable {
  /** The IAM role. */
  public readonly role: Role;
  /** The exact subject trusted: `repo:<owner>/<repo>:environment:<env>`. */
  public readonly subject: string;
  public readonly grantPrincipal: IPrincipal;

  protected constructor(
    scope: Construct,
    id: string,
    props: GitHubOidcRoleProps,
    options: GitHubOidcRoleOptions,
  ) {
    super(scope, id);
    const qualifier = props.bootstrapQualifier ?? DEFAULT_BOOTSTRAP_QUALIFIER;
    const problems = new Problems('props');
    const repositoryProblem = checkGitHubRepository(props.githubRepository);
    if (repositoryProblem) problems.add('githubRepository', repositoryProblem);
    const environmentProblem = checkGitHubEnvironmentName(props.githubEnvironment);
    if (environmentProblem) problems.add('githubEnvironment', environmentProblem);
    if (props.roleName !== undefined) {
      const nameProblem = checkRoleName(props.roleName);
      if (nameProblem) problems.add('roleName', nameProblem);
    }
    const qualifierProblem = checkBootstrapQualifier(qualifier);
    if (qualifierProblem) problems.add('bootstrapQualifier', qualifierProblem);
    const providerAccount = oidcProviderAccount(props.oidcProvider.oidcProviderArn);
    const account = Stack.of(this).account;
    if (providerAccount !== undefined && !Token.isUnresolved(account) && providerAccount !== account) {
      problems.add(
        'oidcProvider',
        `${JSON.stringify(props.oidcProvider.oidcProviderArn)} is in account ${providerAccount}, the role in account ${account}: a role trusts only an OIDC provider of its own account`,
      );
    }
    options.validate(problems);
    problems.throwIfAny(`Invalid ${options.kind} "${this.node.path}"`);

    this.subject = githubEnvironmentSubject(props.githubRepository, props.githubEnvironment);
    // Condition keys of the GitHub provider: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif
    this.role = new Role(this, 'Default', {
      roleName: props.roleName,
      description: options.description,
      maxSessionDuration: options.maxSessionDuration,
      assumedBy: new OpenIdConnectPrincipal(props.oidcProvider.oidcProvider, {
        StringEquals: {
          [`${GITHUB_OIDC_HOST}:aud`]: AWS_STS_AUDIENCE,
          [`${GITHUB_OIDC_HOST}:sub`]: this.subject,
        },
      }),
      inlinePolicies: {
        [options.policyName]: new PolicyDocument({ statements: options.statements(this, qualifier) }),
      },
    });
    this.grantPrincipal = this.role;
    for (const [key, value] of Object.entries(props.tags ?? {})) Tags.of(this).add(key, value);
  }

  /** ARN of the role: the `role-to-assume` of `aws-actions/configure-aws-credentials` in the GitHub environment. */
  get roleArn(): string {
    return this.role.roleArn;
  }

  /** Name of the role. */
  get roleName(): string {
    return this.role.roleName;
  }
}

/**
 * GitHub Actions OIDC facts for AWS and the checks of the names that go into a trust policy. Free of
 * construct imports (only `Token`), so the config loader can use them cheaply.
 */
import { Token } from 'aws-cdk-lib';
import { GITHUB_OIDC_HOST, githubEnvironmentProblem, githubRepositoryProblem } from '../../core/github';

export { GITHUB_OIDC_HOST, GITHUB_OIDC_ISSUER, githubEnvironmentSubject } from '../../core/github';

/**
 * Audience of the token `aws-actions/configure-aws-credentials` requests, and the one client id the
 * provider accepts.
 *
 * @see https://github.com/aws-actions/configure-aws-credentials#oidc
 */
export const AWS_STS_AUDIENCE = 'sts.amazonaws.com';

/** The roles' trust policies compare the subject with `StringEquals`. */
const COMPARED_BY = 'the trust policy matches';

/** Why `repository` cannot go into a subject (`<owner>/<repo>`, no wildcard), or undefined when it can. */
export function checkGitHubRepository(repository: string): string | undefined {
  if (Token.isUnresolved(repository)) return undefined;
  return githubRepositoryProblem(repository, COMPARED_BY, '<owner>/<repo>');
}

/**
 * Why `environment` cannot name a GitHub environment in a subject, or undefined when it can: 1-255
 * letters, digits, `.`, `_` and `-` (a subset of what GitHub accepts that needs no quoting in a subject or
 * a workflow), no wildcard.
 */
export function checkGitHubEnvironmentName(environment: string): string | undefined {
  if (Token.isUnresolved(environment)) return undefined;
  return githubEnvironmentProblem(environment, COMPARED_BY);
}

/**
 * ARN of an IAM OIDC provider for GitHub Actions: any partition, a 12-digit account, the issuer host.
 *
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html#awsidentityandaccessmanagementiam-resources-for-iam-policies
 */
const GITHUB_PROVIDER_ARN =
  /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-[a-z]|aws-eusc):iam::(\d{12}):oidc-provider\/token\.actions\.githubusercontent\.com$/;

/** Why `arn` is not the ARN of a GitHub OIDC provider, or undefined when it is (tokens pass). */
export function checkGitHubOidcProviderArn(arn: string): string | undefined {
  if (Token.isUnresolved(arn)) return undefined;
  return GITHUB_PROVIDER_ARN.test(arn)
    ? undefined
    : `${JSON.stringify(arn)} is not the ARN of the GitHub OIDC provider: arn:<partition>:iam::<12-digit account>:oidc-provider/${GITHUB_OIDC_HOST}`;
}

/** The account of a GitHub OIDC provider ARN, or undefined for a token or an invalid ARN. */
export function oidcProviderAccount(arn: string): string | undefined {
  if (Token.isUnresolved(arn)) return undefined;
  return GITHUB_PROVIDER_ARN.exec(arn)?.[2];
}

/**
 * Default qualifier of `cdk bootstrap` (the `Qualifier` parameter of the bootstrap template, also
 * `DefaultStackSynthesizer.DEFAULT_QUALIFIER`).
 *
 * @see https://docs.aws.amazon.com/cdk/v2/guide/bootstrapping-customizing.html
 */
export const DEFAULT_BOOTSTRAP_QUALIFIER = 'hnb659fds';

/**
 * Why `qualifier` cannot be a bootstrap qualifier, or undefined when it can: the bootstrap template's
 * `AllowedPattern` `[A-Za-z0-9_-]{1,10}` (aws-cdk lib/api/bootstrap/bootstrap-template.yaml).
 */
export function checkBootstrapQualifier(qualifier: string): string | undefined {
  if (Token.isUnresolved(qualifier)) return undefined;
  return /^[A-Za-z0-9_-]{1,10}$/.test(qualifier)
    ? undefined
    : `${JSON.stringify(qualifier)} is not a CDK bootstrap qualifier: 1-10 letters, digits, "_" and "-"`;
}

/**
 * Why `name` cannot be an IAM role name, or undefined when it can: 1-64 letters, digits and `+=,.@_-`.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
 */
export function checkRoleName(name: string): string | undefined {
  if (Token.isUnresolved(name)) return undefined;
  return /^[\w+=,.@-]{1,64}$/.test(name)
    ? undefined
    : `${JSON.stringify(name)} is not an IAM role name: 1-64 letters, digits and "+=,.@_-"`;
}

/**
 * GitHub OIDC facts and name checks, free of provider imports so the config loader can use them cheaply.
 */
import { Token } from 'cdktf';

/**
 * Issuer of the OIDC tokens GitHub Actions hands to jobs with `permissions: id-token: write`.
 *
 * @see https://docs.github.com/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect
 */
export const GITHUB_OIDC_ISSUER = 'https://token.actions.githubusercontent.com';

/**
 * Audience Microsoft Entra ID expects in a federated token (what `azure/login` requests).
 *
 * @see https://learn.microsoft.com/entra/workload-id/workload-identity-federation-create-trust-user-assigned-managed-identity
 */
export const AZURE_TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

/**
 * Subject of the token of a job that references a GitHub environment: `repo:<org>/<repo>:environment:<env>`.
 *
 * Entra ID compares it exactly (federated credentials take no wildcards), so only jobs of that repository
 * that pass that environment's protection rules (reviewers, branch policy) can sign in.
 */
export function githubEnvironmentSubject(repository: string, environment: string): string {
  return `repo:${repository}:environment:${environment}`;
}

const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const ENVIRONMENT = /^[A-Za-z0-9_.-]{1,255}$/;

/** Why `repository` cannot go into a subject (`org/repo`, no wildcard), or undefined when it can. */
export function checkGitHubRepository(repository: string): string | undefined {
  if (Token.isUnresolved(repository)) return undefined;
  if (repository.includes('*')) {
    return `${JSON.stringify(repository)} contains a wildcard: federated credentials match one repository exactly`;
  }
  return REPOSITORY.test(repository) ? undefined : `${JSON.stringify(repository)} is not <org>/<repo>`;
}

/**
 * Why `environment` cannot name a GitHub environment in a subject, or undefined when it can: 1-255
 * letters, digits, `.`, `_` and `-` (a subset of what GitHub accepts that needs no quoting in a subject
 * or a workflow), no wildcard.
 */
export function checkGitHubEnvironmentName(environment: string): string | undefined {
  if (Token.isUnresolved(environment)) return undefined;
  if (environment.includes('*')) {
    return `${JSON.stringify(environment)} contains a wildcard: federated credentials match one environment exactly`;
  }
  return ENVIRONMENT.test(environment)
    ? undefined
    : `${JSON.stringify(environment)} is not a GitHub environment name: 1-255 letters, digits, ".", "_" and "-"`;
}

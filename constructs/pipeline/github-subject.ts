/**
 * GitHub OIDC facts and name checks, free of cdktf and provider imports so the config loader can use them
 * cheaply. The checks take literal values; `validateGitHubFederatedIdentity` skips unresolved tokens.
 */
import { githubEnvironmentProblem, githubRepositoryProblem } from '../core/github';

export { GITHUB_OIDC_ISSUER, githubEnvironmentSubject } from '../core/github';

/**
 * Audience Microsoft Entra ID expects in a federated token (what `azure/login` requests).
 *
 * @see https://learn.microsoft.com/entra/workload-id/workload-identity-federation-create-trust-user-assigned-managed-identity
 */
export const AZURE_TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

/** Entra ID federated credentials take no wildcards: they compare the subject exactly. */
const COMPARED_BY = 'federated credentials match';

/**
 * Why `repository` (a literal, not a token) cannot go into a subject (`org/repo`, no wildcard), or
 * undefined when it can.
 */
export function checkGitHubRepository(repository: string): string | undefined {
  return githubRepositoryProblem(repository, COMPARED_BY, '<org>/<repo>');
}

/**
 * Why `environment` (a literal, not a token) cannot name a GitHub environment in a subject, or undefined
 * when it can: 1-255 letters, digits, `.`, `_` and `-` (a subset of what GitHub accepts that needs no
 * quoting in a subject or a workflow), no wildcard.
 */
export function checkGitHubEnvironmentName(environment: string): string | undefined {
  return githubEnvironmentProblem(environment, COMPARED_BY);
}

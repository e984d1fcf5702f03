import { FederatedIdentityCredential } from '@cdktf/provider-azurerm/lib/federated-identity-credential';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Token } from 'cdktf';
import type { Construct } from 'constructs';
import type { Problems } from '../core/errors';
import { checkName } from '../core/naming';
import type { IResourceGroup } from '../core/props';
import type { BuiltInRole } from '../core/roles';
import {
  AZURE_TOKEN_EXCHANGE_AUDIENCE,
  checkGitHubEnvironmentName,
  checkGitHubRepository,
  GITHUB_OIDC_ISSUER,
  githubEnvironmentSubject,
} from './github-subject';

export * from './github-subject';

/** What {@link addGitHubFederatedIdentity} needs: the identity and the one GitHub environment it trusts. */
export interface GitHubFederatedIdentityProps {
  /** Resource group the identity lives in. */
  readonly resourceGroup: IResourceGroup;
  /** Identity name (`naming.name('userAssignedIdentity', 'deploy')`). Forces replacement, which changes the client id. */
  readonly name: string;
  /** `<org>/<repo>` on GitHub. */
  readonly githubRepository: string;
  /** GitHub environment whose jobs may sign in as this identity. */
  readonly githubEnvironment: string;
}

/** Validates {@link GitHubFederatedIdentityProps}, adding every problem (paths relative to the props). */
export function validateGitHubFederatedIdentity(
  props: GitHubFederatedIdentityProps,
  problems: Problems,
): void {
  const nameProblem = checkName('userAssignedIdentity', props.name);
  if (nameProblem) problems.add('name', nameProblem.message);
  const repositoryProblem = checkGitHubRepository(props.githubRepository);
  if (repositoryProblem) problems.add('githubRepository', repositoryProblem);
  const environmentProblem = checkGitHubEnvironmentName(props.githubEnvironment);
  if (environmentProblem) problems.add('githubEnvironment', environmentProblem);
}

/** The resources of a GitHub-federated identity. */
export interface GitHubFederatedIdentity {
  readonly identity: UserAssignedIdentity;
  readonly credential: FederatedIdentityCredential;
  /** The exact subject the credential trusts. */
  readonly subject: string;
}

/**
 * Creates a user-assigned managed identity (construct id `Default`) and one federated credential
 * (`GitHub`) for GitHub Actions OIDC: issuer {@link GITHUB_OIDC_ISSUER}, audience
 * {@link AZURE_TOKEN_EXCHANGE_AUDIENCE}, subject {@link githubEnvironmentSubject}. No secret exists.
 */
export function addGitHubFederatedIdentity(
  scope: Construct,
  props: GitHubFederatedIdentityProps,
): GitHubFederatedIdentity {
  const identity = new UserAssignedIdentity(scope, 'Default', {
    name: props.name,
    resourceGroupName: props.resourceGroup.name,
    location: props.resourceGroup.location,
  });
  const subject = githubEnvironmentSubject(props.githubRepository, props.githubEnvironment);
  const credential = new FederatedIdentityCredential(scope, 'GitHub', {
    // 3-120 letters, digits, hyphens and underscores.
    name: `github-${props.githubEnvironment.replace(/\./g, '-')}`.slice(0, 120),
    resourceGroupName: props.resourceGroup.name,
    parentId: identity.id,
    issuer: GITHUB_OIDC_ISSUER,
    audience: [AZURE_TOKEN_EXCHANGE_AUDIENCE],
    subject,
  });
  return { identity, credential, subject };
}

/** Optional settings of {@link assignRole}. */
export interface AssignRoleOptions {
  /** ABAC condition (condition version 2.0). */
  readonly condition?: string;
}

/**
 * Assigns `role` to a managed identity at `scopeResourceId` (principal type `ServicePrincipal`, so Azure
 * skips the directory lookup that fails right after the identity is created).
 */
export function assignRole(
  scope: Construct,
  id: string,
  role: BuiltInRole,
  identity: UserAssignedIdentity,
  scopeResourceId: string,
  options: AssignRoleOptions = {},
): RoleAssignment {
  return new RoleAssignment(scope, id, {
    scope: scopeResourceId,
    roleDefinitionName: role.name,
    principalId: identity.principalId,
    principalType: 'ServicePrincipal',
    skipServicePrincipalAadCheck: true,
    condition: options.condition,
    conditionVersion: options.condition === undefined ? undefined : '2.0',
    description: `${role.name} (llmops-platform pipeline identity)`,
  });
}

/** Why `resourceId` is not a resource group or a resource inside one, or undefined (tokens pass). */
export function checkResourceGroupScope(resourceId: string): string | undefined {
  if (Token.isUnresolved(resourceId)) return undefined;
  return /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+(\/.*)?$/i.test(resourceId)
    ? undefined
    : `${JSON.stringify(resourceId)} is not a resource group or a resource in one: pipeline identities get nothing at subscription scope or above`;
}

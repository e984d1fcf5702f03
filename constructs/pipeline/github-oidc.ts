import { FederatedIdentityCredential } from '@cdktf/provider-azurerm/lib/federated-identity-credential';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { RoleDefinition } from '@cdktf/provider-azurerm/lib/role-definition';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { Problems } from '../core/errors';
import { checkName } from '../core/naming';
import { applyProtection, type IResourceGroup, type ProtectionProps } from '../core/props';
import { type BuiltInRole, grantRole, type IPrincipal } from '../core/roles';
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
  // Unresolved tokens pass: their value is known only at apply.
  const repositoryProblem = Token.isUnresolved(props.githubRepository)
    ? undefined
    : checkGitHubRepository(props.githubRepository);
  if (repositoryProblem) problems.add('githubRepository', repositoryProblem);
  const environmentProblem = Token.isUnresolved(props.githubEnvironment)
    ? undefined
    : checkGitHubEnvironmentName(props.githubEnvironment);
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
 * Assigns `role` to a pipeline identity at `scopeResourceId` through the shared {@link grantRole}
 * (principal type `ServicePrincipal`, so Azure skips the directory lookup that fails right after the
 * identity is created).
 */
export function assignRole(
  scope: Construct,
  id: string,
  role: BuiltInRole,
  identity: UserAssignedIdentity,
  scopeResourceId: string,
  options: AssignRoleOptions = {},
): RoleAssignment {
  return grantRole(scope, id, role, { principalId: identity.principalId }, scopeResourceId, {
    condition: options.condition,
    grantedBy: 'llmops-platform pipeline identity',
  });
}

/** A custom role of one resource group, as {@link assignCustomRole} creates it. */
export interface CustomRoleProps {
  /** Role name; the group's name is appended, since custom role names are unique in the tenant. */
  readonly name: string;
  /** What the role is for. */
  readonly description: string;
  readonly actions: readonly string[];
  /** @default - none */
  readonly notActions?: readonly string[];
  /** Description of the role assignment. */
  readonly assignmentDescription: string;
}

/**
 * Creates a custom role assignable only at `group` and assigns it there to a pipeline identity, as
 * `<id>Role` (the definition) and `<id>` (the assignment). Creating it needs `roleDefinitions/write`: the
 * bootstrap stack, run by an Owner.
 */
export function assignCustomRole(
  scope: Construct,
  id: string,
  identity: UserAssignedIdentity,
  group: IResourceGroup,
  props: CustomRoleProps,
): { readonly role: RoleDefinition; readonly assignment: RoleAssignment } {
  // azurerm v4.55.0 website/docs/r/role_definition.html.markdown: scope = the first assignable scope.
  const role = new RoleDefinition(scope, `${id}Role`, {
    name: `${props.name} (${group.name})`,
    scope: group.id,
    description: props.description,
    permissions: [{ actions: [...props.actions], notActions: [...(props.notActions ?? [])] }],
    assignableScopes: [group.id],
  });
  const assignment = new RoleAssignment(scope, id, {
    scope: group.id,
    roleDefinitionId: role.roleDefinitionResourceId,
    principalId: identity.principalId,
    principalType: 'ServicePrincipal',
    skipServicePrincipalAadCheck: true,
    description: props.assignmentDescription,
  });
  return { role, assignment };
}

/** Why `resourceId` is not a resource group or a resource inside one, or undefined (tokens pass). */
export function checkResourceGroupScope(resourceId: string): string | undefined {
  if (Token.isUnresolved(resourceId)) return undefined;
  return /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+(\/.*)?$/i.test(resourceId)
    ? undefined
    : `${JSON.stringify(resourceId)} is not a resource group or a resource in one: pipeline identities get nothing at subscription scope or above`;
}

/** Properties shared by the pipeline identities ({@link DeploymentIdentity}, {@link VerificationIdentity}). */
export interface GitHubOidcIdentityProps extends GitHubFederatedIdentityProps, ProtectionProps {
  /**
   * Resource group the identity works on: its roles are assigned here and nowhere else.
   * @default - `resourceGroup`
   */
  readonly targetResourceGroup?: IResourceGroup;
  /**
   * Resource id of the blob container holding the environment's Terraform state, where the identity gets
   * its state role.
   * @default - none: the environment keeps its state locally
   */
  readonly stateContainerResourceId?: string;
}

/**
 * A user-assigned managed identity that GitHub Actions jobs of one GitHub environment sign in as (OIDC,
 * no secret). Validates the props, creates the identity and its federated credential, and exposes what
 * the GitHub environment needs; subclasses assign the roles on {@link target}.
 */
export abstract class GitHubOidcIdentity extends Construct implements IPrincipal {
  /** The user-assigned managed identity. */
  public readonly identity: UserAssignedIdentity;
  /** The one federated credential (GitHub OIDC). */
  public readonly federatedCredential: FederatedIdentityCredential;
  /** The exact subject trusted: `repo:<org>/<repo>:environment:<env>`. */
  public readonly subject: string;
  /** Managed identities are service principals (lets Azure skip the directory lookup). */
  public readonly principalType = 'ServicePrincipal' as const;
  /** The resource group the identity's roles are scoped to. */
  protected readonly target: IResourceGroup;

  protected constructor(scope: Construct, id: string, props: GitHubOidcIdentityProps, kind: string) {
    super(scope, id);
    this.target = props.targetResourceGroup ?? props.resourceGroup;
    const problems = new Problems('props');
    validateGitHubFederatedIdentity(props, problems);
    const targetProblem = checkResourceGroupScope(this.target.id);
    if (targetProblem) problems.add('targetResourceGroup', targetProblem);
    if (props.stateContainerResourceId !== undefined) {
      const stateProblem = checkResourceGroupScope(props.stateContainerResourceId);
      if (stateProblem) problems.add('stateContainerResourceId', stateProblem);
    }
    problems.throwIfAny(`Invalid ${kind} "${this.node.path}"`);

    const federated = addGitHubFederatedIdentity(this, props);
    this.identity = federated.identity;
    this.federatedCredential = federated.credential;
    this.subject = federated.subject;
    applyProtection(this.identity, props);
  }

  /** Application (client) id: the `AZURE_CLIENT_ID` variable of the GitHub environment. */
  get clientId(): string {
    return this.identity.clientId;
  }

  /** Object id of the identity's service principal. */
  get principalId(): string {
    return this.identity.principalId;
  }

  /** Tenant the identity belongs to: the `AZURE_TENANT_ID` variable of the GitHub environment. */
  get tenantId(): string {
    return this.identity.tenantId;
  }

  /** Resource id of the identity. */
  get resourceId(): string {
    return this.identity.id;
  }
}

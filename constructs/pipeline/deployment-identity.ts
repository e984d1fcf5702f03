import type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import type { RoleDefinition } from '@cdktf/provider-azurerm/lib/role-definition';
import type { Construct } from 'constructs';
import type { IResourceGroup } from '../core/props';
import { type BuiltInRole, BuiltInRoles, GRANTABLE_ROLES } from '../core/roles';
import {
  assignCustomRole,
  assignRole,
  GitHubOidcIdentity,
  type GitHubOidcIdentityProps,
} from './github-oidc';

/** Properties of {@link DeploymentIdentity}. */
export interface DeploymentIdentityProps extends GitHubOidcIdentityProps {
  /** Resource group the identity lives in, and by default the one it deploys to. */
  readonly resourceGroup: IResourceGroup;
  /**
   * Identity name, e.g. `naming.name('userAssignedIdentity', 'deploy')`. Forces replacement, which
   * changes the client id the GitHub environment holds.
   */
  readonly name: string;
  /** `<org>/<repo>` on GitHub: the only repository whose jobs may sign in. */
  readonly githubRepository: string;
  /** GitHub environment whose jobs may sign in (its protection rules guard every deploy). */
  readonly githubEnvironment: string;
  /**
   * Resource group the identity deploys into: Contributor and the constrained RBAC administrator role
   * are assigned here and nowhere else.
   * @default - `resourceGroup`
   */
  readonly targetResourceGroup?: IResourceGroup;
  /**
   * Resource id of the blob container holding the environment's Terraform state: Storage Blob Data
   * Contributor is assigned there (state read, write and lease).
   * @default - none: the environment keeps its state locally
   */
  readonly stateContainerResourceId?: string;
  /**
   * Let the identity create and delete management locks in the target resource group: a custom role with
   * exactly `Microsoft.Authorization/locks/*` (read, write, delete), assignable only at that group. Needed
   * when the environment stack writes `CanNotDelete` locks (`protection.locks`); Contributor cannot
   * (it excludes `Microsoft.Authorization/*\/write`).
   * @default false
   */
  readonly manageLocks?: boolean;
}

/** The only actions of the lock operator custom role. */
export const LOCK_OPERATOR_ACTIONS: readonly string[] = ['Microsoft.Authorization/locks/*'];

/**
 * The ABAC condition of the deployment identity's Role Based Access Control Administrator assignment:
 * role assignments may be created (`write`, a request attribute) and deleted (`delete`, a resource
 * attribute) only for the given roles. GUIDs are sorted, so the string is the same on every run.
 *
 * @see https://learn.microsoft.com/azure/role-based-access-control/delegate-role-assignments-examples#example-constrain-roles
 * @see https://learn.microsoft.com/azure/role-based-access-control/conditions-authorization-actions-attributes
 */
export function constrainRolesCondition(roles: readonly BuiltInRole[]): string {
  const guids = [...new Set(roles.map((r) => r.id.toLowerCase()))].sort().join(', ');
  const clause = (action: 'write' | 'delete', source: 'Request' | 'Resource') =>
    [
      '(',
      ' (',
      `  !(ActionMatches{'Microsoft.Authorization/roleAssignments/${action}'})`,
      ' )',
      ' OR',
      ' (',
      `  @${source}[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${guids}}`,
      ' )',
      ')',
    ].join('\n');
  return `${clause('write', 'Request')}\nAND\n${clause('delete', 'Resource')}`;
}

/**
 * The identity GitHub Actions deploys an environment with: a user-assigned managed identity with one
 * federated credential for the environment's GitHub environment (OIDC, no secret), and
 *
 * - Contributor on the target resource group;
 * - Role Based Access Control Administrator on the target resource group, limited by an ABAC condition to
 *   assigning and removing the roles the constructs' `grantXxx` methods use ({@link GRANTABLE_ROLES}), so a
 *   deploy can wire grants but never hand out Owner, Contributor or RBAC administration;
 * - Storage Blob Data Contributor on the Terraform state container, when the state is remote;
 * - with `manageLocks`, a custom role holding only `Microsoft.Authorization/locks/*` on the target group.
 *
 * Nothing at subscription scope, no Owner. It lives in the bootstrap stack, which an administrator
 * applies, so it never changes its own permissions.
 *
 * @see https://learn.microsoft.com/entra/workload-id/workload-identity-federation-create-trust-user-assigned-managed-identity
 */
export class DeploymentIdentity extends GitHubOidcIdentity {
  /** Role assignments by purpose. */
  public readonly roleAssignments: {
    readonly contributor: RoleAssignment;
    readonly rbacAdministrator: RoleAssignment;
    readonly stateBlobDataContributor?: RoleAssignment;
    readonly lockOperator?: RoleAssignment;
  };
  /** The lock operator custom role, when `manageLocks` is set. */
  public readonly lockOperatorRole?: RoleDefinition;

  constructor(scope: Construct, id: string, props: DeploymentIdentityProps) {
    super(scope, id, props, 'DeploymentIdentity');
    const target = this.target;

    this.roleAssignments = {
      contributor: assignRole(this, 'Contributor', BuiltInRoles.contributor, this.identity, target.id),
      rbacAdministrator: assignRole(
        this,
        'RbacAdministrator',
        BuiltInRoles.rbacAdministrator,
        this.identity,
        target.id,
        {
          condition: constrainRolesCondition(GRANTABLE_ROLES),
        },
      ),
      stateBlobDataContributor:
        props.stateContainerResourceId === undefined
          ? undefined
          : assignRole(
              this,
              'StateBlobDataContributor',
              BuiltInRoles.storageBlobDataContributor,
              this.identity,
              props.stateContainerResourceId,
            ),
    };
    if (props.manageLocks) {
      const lockOperator = assignCustomRole(this, 'LockOperator', this.identity, target, {
        name: 'llmops-platform lock operator',
        description:
          'Create and delete management locks in one environment resource group (llmops-platform deployment identity).',
        actions: LOCK_OPERATOR_ACTIONS,
        assignmentDescription: 'llmops-platform lock operator (granted by llmops-platform pipeline identity)',
      });
      this.lockOperatorRole = lockOperator.role;
      this.roleAssignments = { ...this.roleAssignments, lockOperator: lockOperator.assignment };
    }
  }
}

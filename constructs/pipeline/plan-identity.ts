import type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import type { RoleDefinition } from '@cdktf/provider-azurerm/lib/role-definition';
import type { Construct } from 'constructs';
import type { IResourceGroup } from '../core/props';
import { type BuiltInRole, BuiltInRoles } from '../core/roles';
import {
  assignCustomRole,
  assignRole,
  GitHubOidcIdentity,
  type GitHubOidcIdentityProps,
} from './github-oidc';

/**
 * What the plan reader custom role may not do although it reads everything else: query logs and
 * telemetry. The built-in Reader allows every read action, these queries included, so it could read the prompts and
 * completions the workspace and Application Insights hold.
 *
 * @see https://learn.microsoft.com/azure/azure-monitor/logs/manage-access#set-table-level-read-access
 */
export const PLAN_READER_NOT_ACTIONS = [
  // workspace-context queries, every table
  'Microsoft.OperationalInsights/workspaces/query/*/read',
  // resource-context queries (logs queried through the resource that sent them)
  'Microsoft.Insights/logs/*/read',
  // Application Insights' own query API
  'Microsoft.Insights/components/query/read',
] as const;

/**
 * The built-in roles of the plan identity, besides its plan reader custom role (every read action minus
 * {@link PLAN_READER_NOT_ACTIONS} on the environment's resource group): with remote state, Storage Blob
 * Data Reader on the state container; with customer-managed keys, Key Vault Reader (key metadata). Nothing
 * that reads data: no log or telemetry query, no Cognitive Services OpenAI User (no model calls), no
 * Key Vault secret or storage data roles.
 */
export const PLAN_ROLES = {
  stateBlobDataReader: BuiltInRoles.storageBlobDataReader,
  keyVaultReader: BuiltInRoles.keyVaultReader,
} as const satisfies Record<string, BuiltInRole>;

/** Properties of {@link PlanIdentity}. */
export interface PlanIdentityProps extends GitHubOidcIdentityProps {
  /** Resource group the identity lives in, and by default the one it reads. */
  readonly resourceGroup: IResourceGroup;
  /** Identity name, e.g. `naming.name('userAssignedIdentity', 'plan')`. Forces replacement. */
  readonly name: string;
  /** `<org>/<repo>` on GitHub. */
  readonly githubRepository: string;
  /**
   * GitHub environment of the pull request jobs (`cdktf diff`). Pull requests from the repository may
   * use it, so its identity gets nothing a pull request should not have.
   */
  readonly githubEnvironment: string;
  /**
   * Resource group the identity plans against.
   * @default - `resourceGroup`
   */
  readonly targetResourceGroup?: IResourceGroup;
  /**
   * Resource id of the Terraform state container: Storage Blob Data Reader there (plans read the state
   * without taking the lock).
   * @default - none: the environment keeps its state locally
   */
  readonly stateContainerResourceId?: string;
  /**
   * Let the plan read key metadata (role Key Vault Reader on the target group: names, versions, rotation
   * policies, never key material or secret values). An environment with customer-managed keys needs it:
   * refreshing `azurerm_key_vault_key` reads the key and its rotation policy through the vault's data plane.
   * @default false
   */
  readonly keyMetadataReadEnabled?: boolean;
}

/**
 * The identity of the pull request jobs: `cdktf diff` of an environment, and nothing else. A pull
 * request's code runs in those jobs, so whatever this identity can reach, a pull request can reach: it
 * may read resource configuration ({@link PLAN_ROLES}) and the Terraform state, never logs, model
 * endpoints or data. The evaluation jobs use the {@link VerificationIdentity} instead, from a GitHub
 * environment that only the main branch may use.
 */
export class PlanIdentity extends GitHubOidcIdentity {
  /** Role assignments by purpose; `stateBlobDataReader` only with remote state. */
  public readonly roleAssignments: {
    readonly planReader: RoleAssignment;
    readonly stateBlobDataReader?: RoleAssignment;
    readonly keyVaultReader?: RoleAssignment;
  };

  /** The custom role: read everything in the group except logs and telemetry. */
  public readonly planReaderRole: RoleDefinition;

  constructor(scope: Construct, id: string, props: PlanIdentityProps) {
    super(scope, id, props, 'PlanIdentity');
    const planReader = assignCustomRole(this, 'PlanReader', this.identity, this.target, {
      name: 'llmops-platform plan reader',
      description:
        'Read resource configuration in one environment resource group, but no logs or telemetry (llmops-platform pull request plans).',
      actions: ['*/read'],
      notActions: PLAN_READER_NOT_ACTIONS,
      assignmentDescription: 'llmops-platform plan reader (pull request plans)',
    });
    this.planReaderRole = planReader.role;
    this.roleAssignments = {
      planReader: planReader.assignment,
      stateBlobDataReader:
        props.stateContainerResourceId === undefined
          ? undefined
          : assignRole(
              this,
              'StateBlobDataReader',
              PLAN_ROLES.stateBlobDataReader,
              this.identity,
              props.stateContainerResourceId,
            ),
      keyVaultReader: props.keyMetadataReadEnabled
        ? assignRole(this, 'KeyVaultReader', PLAN_ROLES.keyVaultReader, this.identity, this.target.id)
        : undefined,
    };
  }
}

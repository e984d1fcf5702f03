import type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import type { Construct } from 'constructs';
import type { IResourceGroup } from '../core/props';
import { type BuiltInRole, BuiltInRoles } from '../core/roles';
import { assignRole, GitHubOidcIdentity, type GitHubOidcIdentityProps } from './github-oidc';

/**
 * Azure built-in Reader: read every control-plane resource, no data actions, no writes.
 *
 * @see https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/general#reader
 */
export const READER_ROLE: BuiltInRole = { name: 'Reader', id: 'acdd72a7-3385-48ef-bd42-f606fba81ae7' };

/**
 * The roles of the verification identity on the environment's resource group, by purpose: Reader (plan a
 * change), Cognitive Services OpenAI User (ask the target and the judge model), Log Analytics Reader
 * (sample production answers), Monitoring Metrics Publisher (send scores to Application Insights).
 */
export const VERIFICATION_ROLES = {
  reader: READER_ROLE,
  openAiUser: BuiltInRoles.cognitiveServicesOpenAiUser,
  logAnalyticsReader: BuiltInRoles.logAnalyticsReader,
  metricsPublisher: BuiltInRoles.monitoringMetricsPublisher,
} as const satisfies Record<string, BuiltInRole>;

/** Properties of {@link VerificationIdentity}. */
export interface VerificationIdentityProps extends GitHubOidcIdentityProps {
  /** Resource group the identity lives in, and by default the one it reads. */
  readonly resourceGroup: IResourceGroup;
  /** Identity name, e.g. `naming.name('userAssignedIdentity', 'verify')`. Forces replacement. */
  readonly name: string;
  /** `<org>/<repo>` on GitHub. */
  readonly githubRepository: string;
  /**
   * GitHub environment of the read-only jobs of the main branch (post-deploy and continuous
   * evaluation; pull request plans use `PlanIdentity`). It needs no reviewers: this identity cannot
   * change a resource.
   */
  readonly githubEnvironment: string;
  /**
   * Resource group the identity reads and evaluates.
   * @default - `resourceGroup`
   */
  readonly targetResourceGroup?: IResourceGroup;
  /**
   * Resource id of the Terraform state container: Storage Blob Data Reader there (plans read the state
   * without taking the lock).
   * @default - none: the environment keeps its state locally
   */
  readonly stateContainerResourceId?: string;
}

/**
 * The identity of the pipeline jobs that check an environment without changing it: `cdktf diff` on pull
 * requests, the post-deploy evaluation and the scheduled continuous evaluation. A user-assigned managed
 * identity with one federated credential (OIDC, no secret) for its own GitHub environment, and only:
 *
 * - Reader, Cognitive Services OpenAI User, Log Analytics Reader and Monitoring Metrics Publisher on the
 *   target resource group ({@link VERIFICATION_ROLES});
 * - Storage Blob Data Reader on the Terraform state container, when the state is remote.
 *
 * Kept apart from the {@link DeploymentIdentity} so that jobs a pull request can change, and jobs that run
 * on a schedule, never hold deploy rights nor wait for the deploy environment's reviewers.
 */
export class VerificationIdentity extends GitHubOidcIdentity {
  /** Role assignments by purpose; `stateBlobDataReader` only with remote state. */
  public readonly roleAssignments: Readonly<Record<keyof typeof VERIFICATION_ROLES, RoleAssignment>> & {
    readonly stateBlobDataReader?: RoleAssignment;
  };

  constructor(scope: Construct, id: string, props: VerificationIdentityProps) {
    super(scope, id, props, 'VerificationIdentity');
    const target = this.target;

    const on = (constructId: string, role: BuiltInRole) =>
      assignRole(this, constructId, role, this.identity, target.id);
    this.roleAssignments = {
      reader: on('Reader', VERIFICATION_ROLES.reader),
      openAiUser: on('OpenAiUser', VERIFICATION_ROLES.openAiUser),
      logAnalyticsReader: on('LogAnalyticsReader', VERIFICATION_ROLES.logAnalyticsReader),
      metricsPublisher: on('MetricsPublisher', VERIFICATION_ROLES.metricsPublisher),
      stateBlobDataReader:
        props.stateContainerResourceId === undefined
          ? undefined
          : assignRole(
              this,
              'StateBlobDataReader',
              BuiltInRoles.storageBlobDataReader,
              this.identity,
              props.stateContainerResourceId,
            ),
    };
  }
}

import { type ITerraformDependable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { AzapiResource, type JsonObject } from '../core/azapi';
import { Problems, show } from '../core/errors';

/**
 * API version of the connections: the newest stable one the azapi provider's embedded schema knows that
 * has the `AAD` auth type (since 2024-04-01).
 */
export const WORKSPACE_CONNECTION_API_VERSION = '2024-10-01';

/** `azapi_resource` type of a hub connection. */
export const WORKSPACE_CONNECTION_TYPE = `Microsoft.MachineLearningServices/workspaces/connections@${WORKSPACE_CONNECTION_API_VERSION}`;

/** Connection categories this project creates. */
export type WorkspaceConnectionCategory = 'AIServices' | 'AzureOpenAI' | 'CognitiveSearch';

/** Connection names: letters, digits, hyphens and underscores, starting with a letter or digit. */
const CONNECTION_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{1,63}$/;

/** Properties of {@link WorkspaceConnection}. */
export interface WorkspaceConnectionProps {
  /** ARM id of the AI Foundry hub (an ML workspace of kind Hub) the connection belongs to. Forces replacement. */
  readonly workspaceResourceId: string;
  /**
   * Connection name, as projects and prompt flows refer to it: 2-64 letters, digits, hyphens and
   * underscores. Forces replacement.
   */
  readonly name: string;
  readonly category: WorkspaceConnectionCategory;
  /** The service's endpoint URL, e.g. `https://<name>.search.windows.net`. */
  readonly target: string;
  /** ARM id of the service connected. */
  readonly resourceId: string;
  /**
   * Region of the service (connection metadata `Location`).
   * @default - not recorded
   */
  readonly location?: string;
  /** Meta-argument `depends_on`. @default - none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The body of a connection that authenticates with Microsoft Entra ID (`authType: AAD`): no
 * `credentials`, no key, shared with every project of the hub. Callers (users, the project's and the
 * compute's managed identities) need their own data-plane role on the target.
 *
 * @see https://learn.microsoft.com/azure/templates/microsoft.machinelearningservices/workspaces/connections
 */
export function connectionBody(
  props: Pick<WorkspaceConnectionProps, 'category' | 'target' | 'resourceId' | 'location'>,
): JsonObject {
  return {
    properties: {
      category: props.category,
      target: props.target,
      authType: 'AAD',
      isSharedToAll: true,
      metadata: {
        ApiType: 'Azure',
        ResourceId: props.resourceId,
        ...(props.location !== undefined ? { Location: props.location } : {}),
      },
    },
  };
}

/**
 * A connection of an AI Foundry hub to an Azure service (AI Services, AI Search), authenticated with
 * Microsoft Entra ID only. azurerm 4.55 has no connection resource, so this is an `azapi_resource` of
 * type {@link WORKSPACE_CONNECTION_TYPE}.
 */
export class WorkspaceConnection extends Construct {
  /** The `azapi_resource`. */
  public readonly connection: AzapiResource;
  /** The connection's name. */
  public readonly connectionName: string;

  constructor(scope: Construct, id: string, props: WorkspaceConnectionProps) {
    super(scope, id);
    const problems = new Problems('props');
    problems.check(
      Token.isUnresolved(props.name) || CONNECTION_NAME.test(props.name),
      'name',
      `${show(props.name)} is not a valid connection name: 2-64 letters, digits, hyphens and underscores, starting with a letter or digit`,
    );
    problems.throwIfAny(`Invalid WorkspaceConnection "${this.node.path}"`);

    this.connectionName = props.name;
    this.connection = new AzapiResource(this, 'Default', {
      type: WORKSPACE_CONNECTION_TYPE,
      name: props.name,
      parentId: props.workspaceResourceId,
      body: connectionBody(props),
      dependsOn: props.dependsOn,
    });
  }

  /** ARM id of the connection. */
  get resourceId(): string {
    return this.connection.id;
  }
}

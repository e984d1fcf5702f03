import type { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Fn, TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import type { IModelEndpoint, ISearchEndpoint } from '../../../constructs/core/contracts';
import type { IPrincipal } from '../../../constructs/core/roles';
import { EvaluationCompute } from '../../../constructs/evaluation/compute';
import { EvaluationWorkspace } from '../../../constructs/evaluation/workspace';
import type { Observability } from '../../../constructs/logging/observability';
import type { PrivateNetwork } from '../../../constructs/network/private-network';
import type { EncryptionKey } from '../../../constructs/security/encryption-key';
import type { KeyVault } from '../../../constructs/security/key-vault';
import type { StorageAccount } from '../../../constructs/storage/storage-account';
import type { EnvironmentInputs } from './inputs';

/**
 * Stack outputs the evaluation jobs read (besides `model_endpoint`, which the models capability writes):
 * the deploy workflow takes them from `cdktf deploy --outputs-file`, continuous evaluation from GitHub
 * environment variables copied from them once.
 */
export const EVALUATION_OUTPUTS = {
  /** Application Insights connection string (sensitive output). */
  appInsightsConnectionString: 'application_insights_connection_string',
  /** Log Analytics workspace GUID (`workspace_id`), not its ARM id. */
  logAnalyticsWorkspaceGuid: 'log_analytics_workspace_guid',
  /**
   * The project the content-safety evaluators send their requests to, as the Azure AI Evaluation SDK's
   * `azure_ai_project` of a hub-based project: JSON `{subscription_id, resource_group_name, project_name}`.
   */
  aiProject: 'evaluation_ai_project',
} as const;

/** What {@link addEvaluation} reads besides the environment. */
export interface EvaluationInputs extends EnvironmentInputs {
  /** The deployment's client config: its subscription goes into the `azure_ai_project` output. */
  readonly clientConfig: DataAzurermClientConfig;
  /** Workspace and Application Insights: the hub logs to them, the evaluation scores land in them. */
  readonly observability: Observability;
  /** The hub's Key Vault. */
  readonly keyVault: KeyVault;
  /** The hub's default storage, where results logged to the project land. */
  readonly storage: StorageAccount;
  /**
   * The customer-managed key the hub is encrypted with (which turns high-business-impact mode on).
   * @default - Microsoft-managed keys
   */
  readonly encryptionKey?: EncryptionKey;
  /**
   * The private network the hub gets its private endpoint in.
   * @default - none: a public environment
   */
  readonly network?: PrivateNetwork;
  /** The model endpoint evaluated and used as judge (the hub connects to it). */
  readonly models: IModelEndpoint;
  /**
   * The AI Search service retrieval-based evaluations read (the hub connects to it).
   * @default - no search connection
   */
  readonly search?: ISearchEndpoint;
}

/** What {@link addEvaluation} created. */
export interface EvaluationHandles {
  /**
   * The evaluation identity (`id-<workload>-<env>-eval-<region>`): the compute cluster's jobs run as it,
   * and an evaluation job may sign in as it (output `evaluation_identity_client_id`). Identities of other
   * stacks that evaluate, such as the pipeline's verification identity, get the same roles through
   * {@link grantEvaluator}.
   */
  readonly identity: UserAssignedIdentity;
  /** The AI Foundry hub and project; undefined when `evaluation.azure.workspace.enabled` is false. */
  readonly workspace?: EvaluationWorkspace;
  /** The batch evaluation cluster; undefined unless `evaluation.azure.compute` is set. */
  readonly compute?: EvaluationCompute;
  /**
   * Gives `principal` the evaluation roles: Cognitive Services OpenAI User on the models, Search Index
   * Data Reader on the search service, Monitoring Metrics Publisher on Application Insights, Log
   * Analytics Reader on the workspace and, with the AI Foundry workspace, Azure AI Developer on the
   * project and Storage Blob Data Contributor on the storage account.
   */
  grantEvaluator(principal: IPrincipal): void;
}

/**
 * Evaluation on Azure: the evaluation identity, the AI Foundry hub and project (connected to the model
 * account and the search service with Microsoft Entra ID) and, when configured, a compute cluster.
 *
 * Add it after the models and search; monitoring takes the hub and project from the returned
 * `workspace`. The evaluation identity gets exactly what the evaluation
 * job and continuous evaluation do (see `constructs/evaluation/README.md`):
 * Cognitive Services OpenAI User on the models, Search Index Data Reader on the search service, Azure AI
 * Developer on the project, Storage Blob Data Contributor on the storage account, Monitoring Metrics
 * Publisher on Application Insights and Log Analytics Reader on the workspace.
 */
export function addEvaluation(scope: Construct, inputs: EvaluationInputs): EvaluationHandles {
  const { config: env, naming, resourceGroup, observability, storage, encryptionKey } = inputs;
  const settings = env.evaluation;

  const identity = new UserAssignedIdentity(scope, 'EvaluationIdentity', {
    name: naming.name('userAssignedIdentity', 'eval'),
    resourceGroupName: resourceGroup.name,
    location: resourceGroup.location,
  });
  new TerraformOutput(scope, 'evaluation_identity_client_id', {
    value: identity.clientId,
    description: 'Client id the evaluation jobs sign in with (AZURE_CLIENT_ID)',
  });
  // What the pipeline's evaluation jobs read (lib/workflows: EVALUATION_STACK_OUTPUTS, docs/pipeline.md).
  new TerraformOutput(scope, EVALUATION_OUTPUTS.appInsightsConnectionString, {
    value: observability.appInsights.connectionString,
    // The provider marks it sensitive; it holds no secret (ingestion needs an Entra ID token here).
    sensitive: true,
    description: 'Where npm run scores:send posts the scores (APPLICATIONINSIGHTS_CONNECTION_STRING)',
  });
  new TerraformOutput(scope, EVALUATION_OUTPUTS.logAnalyticsWorkspaceGuid, {
    value: observability.workspace.workspaceId,
    description: 'Workspace GUID continuous evaluation samples answers from (LOG_ANALYTICS_WORKSPACE_ID)',
  });

  const workspace = settings.workspace.enabled
    ? new EvaluationWorkspace(scope, 'Evaluation', {
        resourceGroup,
        hubName: naming.name('aiFoundryHub'),
        projectName: naming.name('aiFoundryProject'),
        storageAccount: storage.account,
        keyVault: inputs.keyVault.vault,
        applicationInsights: observability.appInsights,
        publicNetworkAccessEnabled: env.network.mode === 'public',
        managedNetworkIsolation: settings.workspace.isolationMode,
        // Azure turns high-business-impact mode on for an encrypted hub.
        highBusinessImpactEnabled: settings.workspace.highBusinessImpact || encryptionKey !== undefined,
        customerManagedKey: encryptionKey?.customerManagedKey(),
        privateEndpoint: inputs.network?.privateEndpointProps(),
        preventDestroy: env.protection.preventDestroy,
      })
    : undefined;
  if (workspace) {
    workspace.connectModels(inputs.models);
    if (inputs.search) workspace.connectSearch(inputs.search);
    new TerraformOutput(scope, 'ai_foundry_project_id', {
      value: workspace.projectId,
      description: 'The project evaluation runs are recorded in (azure_ai_project)',
    });
    new TerraformOutput(scope, EVALUATION_OUTPUTS.aiProject, {
      value: Fn.jsonencode({
        subscription_id: inputs.clientConfig.subscriptionId,
        resource_group_name: resourceGroup.name,
        project_name: naming.name('aiFoundryProject'),
      }),
      description: 'azure_ai_project of the content-safety evaluators (AZURE_AI_PROJECT)',
    });
  }

  const grantEvaluator = (principal: IPrincipal): void => {
    inputs.models.grantInference(principal);
    inputs.search?.grantIndexDataReader(principal);
    observability.grantTelemetryPublisher(principal);
    observability.grantLogReader(principal);
    if (workspace) {
      workspace.grantDeveloper(principal);
      // Results logged to the project land in the hub's system datastore, written with the caller's identity.
      storage.grantBlobReadWrite(principal);
    }
  };
  grantEvaluator(identity);

  const compute =
    workspace && settings.compute
      ? new EvaluationCompute(scope, 'EvaluationCompute', {
          workspace,
          vmSize: settings.compute.vmSize,
          minNodes: settings.compute.minNodes,
          maxNodes: settings.compute.maxNodes,
          idleMinutesBeforeScaleDown: settings.compute.idleMinutesBeforeScaleDown,
          vmPriority: settings.compute.vmPriority,
          identity,
        })
      : undefined;
  return { identity, workspace, compute, grantEvaluator };
}

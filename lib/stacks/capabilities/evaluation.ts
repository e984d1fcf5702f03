import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Fn, TerraformOutput } from 'cdktf';
import type { IModelEndpoint, ISearchEndpoint } from '../../../constructs/core/contracts';
import type { IPrincipal } from '../../../constructs/core/roles';
import { EvaluationCompute } from '../../../constructs/evaluation/compute';
import { EvaluationWorkspace } from '../../../constructs/evaluation/workspace';
import type { EnvironmentStack } from '../environment-stack';

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

/** What the evaluation capability uses from other capabilities. */
export interface EvaluationDependencies {
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
 * Call it after the models and search exist, before monitoring (which alerts on every resource created
 * so far). The evaluation identity gets exactly what the evaluation
 * job and continuous evaluation do (see `constructs/evaluation/README.md`):
 * Cognitive Services OpenAI User on the models, Search Index Data Reader on the search service, Azure AI
 * Developer on the project, Storage Blob Data Contributor on the storage account, Monitoring Metrics
 * Publisher on Application Insights and Log Analytics Reader on the workspace.
 */
export function addEvaluation(stack: EnvironmentStack, deps: EvaluationDependencies): EvaluationHandles {
  const { env, naming } = stack;
  const settings = env.evaluation;

  const identity = new UserAssignedIdentity(stack, 'EvaluationIdentity', {
    name: naming.name('userAssignedIdentity', 'eval'),
    resourceGroupName: stack.resourceGroup.name,
    location: stack.resourceGroup.location,
  });
  new TerraformOutput(stack, 'evaluation_identity_client_id', {
    value: identity.clientId,
    description: 'Client id the evaluation jobs sign in with (AZURE_CLIENT_ID)',
  });
  // What the pipeline's evaluation jobs read (lib/workflows: EVALUATION_STACK_OUTPUTS, docs/pipeline.md).
  new TerraformOutput(stack, EVALUATION_OUTPUTS.appInsightsConnectionString, {
    value: stack.observability.appInsights.connectionString,
    // The provider marks it sensitive; it holds no secret (ingestion needs an Entra ID token here).
    sensitive: true,
    description: 'Where npm run scores:send posts the scores (APPLICATIONINSIGHTS_CONNECTION_STRING)',
  });
  new TerraformOutput(stack, EVALUATION_OUTPUTS.logAnalyticsWorkspaceGuid, {
    value: stack.observability.workspace.workspaceId,
    description: 'Workspace GUID continuous evaluation samples answers from (LOG_ANALYTICS_WORKSPACE_ID)',
  });

  const workspace = settings.workspace.enabled
    ? new EvaluationWorkspace(stack, 'Evaluation', {
        resourceGroup: stack.resourceGroup,
        hubName: naming.name('aiFoundryHub'),
        projectName: naming.name('aiFoundryProject'),
        storageAccount: stack.storage.account,
        keyVault: stack.keyVault.vault,
        applicationInsights: stack.observability.appInsights,
        publicNetworkAccessEnabled: env.network.mode === 'public',
        managedNetworkIsolation: settings.workspace.isolationMode,
        // Azure turns high-business-impact mode on for an encrypted hub.
        highBusinessImpactEnabled: settings.workspace.highBusinessImpact || stack.encryptionKey !== undefined,
        customerManagedKey: stack.encryptionKey?.customerManagedKey(),
        privateEndpoint: stack.privateEndpointProps,
        preventDestroy: env.protection.preventDestroy,
      })
    : undefined;
  if (workspace) {
    workspace.connectModels(deps.models);
    if (deps.search) workspace.connectSearch(deps.search);
    new TerraformOutput(stack, 'ai_foundry_project_id', {
      value: workspace.projectId,
      description: 'The project evaluation runs are recorded in (azure_ai_project)',
    });
    new TerraformOutput(stack, EVALUATION_OUTPUTS.aiProject, {
      value: Fn.jsonencode({
        subscription_id: stack.clientConfig.subscriptionId,
        resource_group_name: stack.resourceGroup.name,
        project_name: naming.name('aiFoundryProject'),
      }),
      description: 'azure_ai_project of the content-safety evaluators (AZURE_AI_PROJECT)',
    });
  }

  const grantEvaluator = (principal: IPrincipal): void => {
    deps.models.grantInference(principal);
    deps.search?.grantIndexDataReader(principal);
    stack.observability.grantTelemetryPublisher(principal);
    stack.observability.grantLogReader(principal);
    if (workspace) {
      workspace.grantDeveloper(principal);
      // Results logged to the project land in the hub's system datastore, written with the caller's identity.
      stack.storage.grantBlobReadWrite(principal);
    }
  };
  grantEvaluator(identity);

  const compute =
    workspace && settings.compute
      ? new EvaluationCompute(stack, 'EvaluationCompute', {
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

import { DataAzurermUserAssignedIdentity } from '@cdktf/provider-azurerm/lib/data-azurerm-user-assigned-identity';
import { ValidationError } from '../../constructs/core/errors';
import { BuiltInRoles, GRANTABLE_ROLES } from '../../constructs/core/roles';
import type { EnvironmentConfig } from '../../lib/config/environment';
import { EVALUATION_OUTPUTS, type EvaluationHandles } from '../../lib/stacks/capabilities/evaluation';
import { EnvironmentStack } from '../../lib/stacks/environment-stack';
import { EVALUATION_STACK_OUTPUTS } from '../../lib/workflows/deploy';
import {
  type Attributes,
  onlyResource,
  PRIVATE_ENVIRONMENT_YAML,
  ref,
  resourcesOf,
  type SynthJson,
  synthStack,
  testApp,
  testEnvironment,
} from '../helpers/synth';

const IDENTITY_PRINCIPAL = ref('azurerm_user_assigned_identity.EvaluationIdentity.principal_id');
const IDENTITY_ID = ref('azurerm_user_assigned_identity.EvaluationIdentity.id');
const SEARCH_ID = ref('azurerm_search_service.Search.id');
const PROJECT_ID = ref('azurerm_ai_foundry_project.Evaluation_Project_ACA111B0.id');

const COMPUTE_YAML = `evaluation:
  azure:
    compute:
      vmSize: Standard_DS3_v2
      maxNodes: 4`;

/** An environment stack (evaluation wired in), synthesized with every policy rule. */
function build(
  env: EnvironmentConfig,
  before?: (stack: EnvironmentStack) => void,
): { json: SynthJson; stack: EnvironmentStack; handles: EvaluationHandles } {
  const stack = new EnvironmentStack(testApp(), env);
  before?.(stack);
  return { json: synthStack(stack), stack, handles: stack.evaluation };
}

/** `make()`'s result, computed on first use and shared by the tests that only read it. */
function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/** The development (public) environment, synthesized once for the tests that read it. */
const developmentBuild = once(() => build(testEnvironment('profile: development', 'dev')));
/** The production (private) environment with a compute cluster, synthesized once for the tests that read it. */
const privateComputeBuild = once(() =>
  build(testEnvironment(`${PRIVATE_ENVIRONMENT_YAML}\n${COMPUTE_YAML}`, 'prod')),
);

function grantsTo(json: SynthJson, principal: string): [string, string][] {
  return Object.values(resourcesOf(json, 'azurerm_role_assignment'))
    .filter((r: Attributes) => r.principal_id === principal)
    .map((r): [string, string] => [r.role_definition_name as string, r.scope as string])
    .sort();
}

describe('addEvaluation', () => {
  test('public environment: identity, hub and project open to the internet, no endpoint, no compute; policies pass', () => {
    // GIVEN the development profile (public network)
    const { json, handles } = developmentBuild();
    // THEN the evaluation identity exists with its environment name
    expect(onlyResource(json, 'azurerm_user_assigned_identity')).toMatchObject({
      name: 'id-llmops-dev-eval-sdc',
      resource_group_name: ref('data.azurerm_resource_group.ResourceGroup.name'),
      location: ref('data.azurerm_resource_group.ResourceGroup.location'),
    });
    // AND the hub and project carry the environment's names and are public
    expect(onlyResource(json, 'azurerm_ai_foundry')).toMatchObject({
      name: 'hub-llmops-dev-sdc',
      public_network_access: 'Enabled',
      managed_network: { isolation_mode: 'AllowInternetOutbound' },
      storage_account_id: ref('azurerm_storage_account.Storage.id'),
      key_vault_id: ref('azurerm_key_vault.KeyVault.id'),
      application_insights_id: ref('azurerm_application_insights.Observability_AppInsights_E0E5903B.id'),
    });
    expect(onlyResource(json, 'azurerm_ai_foundry_project').name).toBe('proj-llmops-dev-sdc');
    expect(
      Object.keys(resourcesOf(json, 'azurerm_private_endpoint')).filter((id) => id.startsWith('Evaluation')),
    ).toEqual([]);
    expect(resourcesOf(json, 'azurerm_machine_learning_compute_cluster')).toEqual({});
    expect(handles.compute).toBeUndefined();
    // AND the outputs tell the evaluation jobs whom to sign in as and where to record runs
    expect(json.output!.evaluation_identity_client_id!.value).toBe(
      ref('azurerm_user_assigned_identity.EvaluationIdentity.client_id'),
    );
    expect(json.output!.ai_foundry_project_id!.value).toBe(PROJECT_ID);
  });

  test('outputs every stack output the generated evaluation jobs read', () => {
    // GIVEN the outputs deploy.yml reads from `cdktf deploy --outputs-file` (evaluation_target_url is optional)
    const { json } = developmentBuild();
    const read = Object.values(EVALUATION_STACK_OUTPUTS).filter((o) => o !== 'evaluation_target_url');
    // THEN the stack writes each of them
    expect(Object.keys(json.output!)).toEqual(expect.arrayContaining(read));
    // AND the connection string is a sensitive output (the provider marks the attribute sensitive)
    expect(json.output![EVALUATION_OUTPUTS.appInsightsConnectionString]).toEqual({
      value: ref('azurerm_application_insights.Observability_AppInsights_E0E5903B.connection_string'),
      sensitive: true,
      description: expect.stringContaining('APPLICATIONINSIGHTS_CONNECTION_STRING'),
    });
    // AND the content-safety evaluators get the hub-based project as the SDK's azure_ai_project (JSON)
    const project = json.output![EVALUATION_OUTPUTS.aiProject]!.value as string;
    expect(project).toMatch(
      /^\$\{jsonencode\(\{"subscription_id" = data\.azurerm_client_config\.ClientConfig\.subscription_id, "resource_group_name" = data\.azurerm_resource_group\.ResourceGroup\.name, "project_name" = "[a-z0-9-]+"\}\)\}$/,
    );
    // AND continuous evaluation gets the workspace GUID, not its ARM id
    expect(json.output![EVALUATION_OUTPUTS.logAnalyticsWorkspaceGuid]!.value).toBe(
      ref('azurerm_log_analytics_workspace.Observability_Workspace_168A9E8F.workspace_id'),
    );
  });

  test('the evaluation identity gets exactly the roles the evaluation job and continuous evaluation need', () => {
    const { json } = developmentBuild();
    expect(grantsTo(json, IDENTITY_PRINCIPAL)).toEqual(
      [
        [BuiltInRoles.azureAiDeveloper.name, PROJECT_ID],
        [BuiltInRoles.cognitiveServicesOpenAiUser.name, ref('azurerm_cognitive_account.Models.id')],
        [
          BuiltInRoles.logAnalyticsReader.name,
          ref('azurerm_log_analytics_workspace.Observability_Workspace_168A9E8F.id'),
        ],
        [
          BuiltInRoles.monitoringMetricsPublisher.name,
          ref('azurerm_application_insights.Observability_AppInsights_E0E5903B.id'),
        ],
        [BuiltInRoles.searchIndexDataReader.name, SEARCH_ID],
        [BuiltInRoles.storageBlobDataContributor.name, ref('azurerm_storage_account.Storage.id')],
      ].sort(),
    );
  });

  test('every role the capability assigns is one the pipeline may grant', () => {
    // The deployment identity may assign only GRANTABLE_ROLES (an ABAC condition); anything else fails at apply.
    const { json } = privateComputeBuild();
    const ours = [
      IDENTITY_PRINCIPAL,
      ref('azurerm_ai_foundry.Evaluation.identity[0].principal_id'),
      ref('azurerm_ai_foundry_project.Evaluation_Project_ACA111B0.identity[0].principal_id'),
    ];
    const assigned = Object.values(resourcesOf(json, 'azurerm_role_assignment'))
      .filter((r) => ours.includes(r.principal_id as string))
      .map((r) => r.role_definition_name as string);
    // evaluation identity, hub identity (with the connection approver on both private targets), project identity
    expect(assigned).toHaveLength(6 + 6 + 3);
    const grantable = GRANTABLE_ROLES.map((r) => r.name);
    expect(assigned.filter((role) => !grantable.includes(role))).toEqual([]);
  });

  test('private environment with compute: hub closed, private endpoint, managed endpoints, cluster as the evaluation identity; policies pass', () => {
    // GIVEN a production (private) environment with a compute cluster
    const { json, handles } = privateComputeBuild();
    // THEN the hub is private and reached through its own endpoint
    expect(onlyResource(json, 'azurerm_ai_foundry')).toMatchObject({
      name: 'hub-llmops-prod-sdc',
      public_network_access: 'Disabled',
      managed_network: { isolation_mode: 'AllowOnlyApprovedOutbound' },
      lifecycle: { prevent_destroy: true },
    });
    const endpoints = Object.values(resourcesOf(json, 'azurerm_private_endpoint'));
    const hubEndpoint = endpoints.find((e) => e.name === 'pep-hub-llmops-prod-sdc-amlworkspace');
    expect(hubEndpoint).toBeDefined();
    expect((hubEndpoint!.private_dns_zone_group as Attributes).private_dns_zone_ids).toHaveLength(2);
    // AND its compute reaches the private models and search through managed private endpoints
    // (ARM outbound rules through azapi: azurerm's outbound-rule resource rejects these sub-resources)
    const rules = Object.values(resourcesOf(json, 'azapi_resource')).filter(
      (r) => r.type === 'Microsoft.MachineLearningServices/workspaces/outboundRules@2024-10-01',
    );
    expect(
      rules.map((r) => {
        const d = (r.body as { properties: { destination: Attributes } }).properties.destination;
        return [r.name, d.subresourceTarget, d.serviceResourceId];
      }),
    ).toEqual([
      ['ai-search', 'searchService', SEARCH_ID],
      ['ai-services', 'account', ref('azurerm_cognitive_account.Models.id')],
    ]);
    // AND the cluster is sized from config and runs as the evaluation identity
    expect(onlyResource(json, 'azurerm_machine_learning_compute_cluster')).toMatchObject({
      name: 'eval-cluster',
      vm_size: 'Standard_DS3_v2',
      scale_settings: { min_node_count: 0, max_node_count: 4, scale_down_nodes_after_idle_duration: 'PT15M' },
      identity: { type: 'UserAssigned', identity_ids: [IDENTITY_ID] },
      node_public_ip_enabled: false,
      local_auth_enabled: false,
    });
    expect(handles.compute?.computeName).toBe('eval-cluster');
  });

  test('grantEvaluator gives a further identity (the verification identity) the same evaluation roles', () => {
    // GIVEN another principal that runs evaluations
    const verification = { principalId: '22222222-2222-2222-2222-222222222222' };
    // WHEN it is granted the evaluation roles
    const { json } = build(testEnvironment('profile: development', 'dev'), (stack) =>
      stack.evaluation.grantEvaluator(verification),
    );
    // THEN it holds the same roles as the evaluation identity, on the same scopes
    expect(grantsTo(json, verification.principalId)).toEqual(grantsTo(json, IDENTITY_PRINCIPAL));
    expect(grantsTo(json, verification.principalId)).toHaveLength(6);
  });

  test('the verification identity can be granted project access from the environment stack (docs/evaluation.md)', () => {
    // GIVEN the bootstrap's verification identity, looked up by its deterministic name (as documented)
    const { json } = build(testEnvironment('profile: development', 'dev'), (stack) => {
      const verify = new DataAzurermUserAssignedIdentity(stack, 'VerificationIdentity', {
        name: stack.naming.name('userAssignedIdentity', 'verify'),
        resourceGroupName: stack.resourceGroup.name,
      });
      stack.evaluation.workspace?.grantDeveloper({ principalId: verify.principalId });
      stack.storage.grantBlobReadWrite({ principalId: verify.principalId });
    });
    // THEN it is the bootstrap's identity, and it gets exactly the two project roles, both grantable
    expect(json.data!.azurerm_user_assigned_identity!.VerificationIdentity!.name).toBe(
      'id-llmops-dev-verify-sdc',
    );
    const principal = ref('data.azurerm_user_assigned_identity.VerificationIdentity.principal_id');
    expect(grantsTo(json, principal)).toEqual(
      [
        [BuiltInRoles.azureAiDeveloper.name, PROJECT_ID],
        [BuiltInRoles.storageBlobDataContributor.name, ref('azurerm_storage_account.Storage.id')],
      ].sort(),
    );
    expect(GRANTABLE_ROLES).toEqual(
      expect.arrayContaining([BuiltInRoles.azureAiDeveloper, BuiltInRoles.storageBlobDataContributor]),
    );
  });

  test('with the workspace disabled, only the identity and its model, search and telemetry roles remain', () => {
    // GIVEN evaluation.azure.workspace.enabled: false
    const { json, handles } = build(
      testEnvironment(
        'profile: development\nevaluation:\n  azure:\n    workspace:\n      enabled: false',
        'dev',
      ),
    );
    // THEN there is no hub, no project, no storage grant and no project output
    expect(resourcesOf(json, 'azurerm_ai_foundry')).toEqual({});
    expect(resourcesOf(json, 'azurerm_ai_foundry_project')).toEqual({});
    expect(handles.workspace).toBeUndefined();
    expect(json.output!.ai_foundry_project_id).toBeUndefined();
    expect(grantsTo(json, IDENTITY_PRINCIPAL).map(([role]) => role)).toEqual(
      [
        BuiltInRoles.cognitiveServicesOpenAiUser.name,
        BuiltInRoles.logAnalyticsReader.name,
        BuiltInRoles.monitoringMetricsPublisher.name,
        BuiltInRoles.searchIndexDataReader.name,
      ].sort(),
    );
  });

  test('config decides high business impact and outbound mode', () => {
    const { json } = build(
      testEnvironment(
        'profile: development\nevaluation:\n  azure:\n    workspace:\n      highBusinessImpact: true\n      outbound: approvedOnly',
        'dev',
      ),
    );
    expect(onlyResource(json, 'azurerm_ai_foundry')).toMatchObject({
      high_business_impact_enabled: true,
      managed_network: { isolation_mode: 'AllowOnlyApprovedOutbound' },
    });
  });
});

describe('evaluation workspace config', () => {
  /** `path: message` of every problem of a rejected environment body. */
  function problemsOf(body: string): string[] {
    try {
      testEnvironment(body, 'dev');
    } catch (e) {
      if (e instanceof ValidationError) return e.problems.map((p) => `${p.path}: ${p.message}`);
      throw e;
    }
    throw new Error('expected the config to be rejected');
  }

  test('defaults: workspace on, outbound by network mode, no compute', () => {
    expect(testEnvironment('profile: development', 'dev').evaluation).toMatchObject({
      workspace: { enabled: true, highBusinessImpact: false, isolationMode: 'AllowInternetOutbound' },
      compute: undefined,
    });
    expect(testEnvironment(PRIVATE_ENVIRONMENT_YAML, 'prod').evaluation.workspace.isolationMode).toBe(
      'AllowOnlyApprovedOutbound',
    );
  });

  test('compute defaults: scale to zero, at most 2 nodes, 15 idle minutes, dedicated VMs', () => {
    const env = testEnvironment(
      'profile: development\nevaluation:\n  azure:\n    compute:\n      vmSize: Standard_DS3_v2',
      'dev',
    );
    expect(env.evaluation.compute).toEqual({
      vmSize: 'Standard_DS3_v2',
      minNodes: 0,
      maxNodes: 2,
      idleMinutesBeforeScaleDown: 15,
      vmPriority: 'Dedicated',
    });
  });

  test('compute settings from config, low priority included', () => {
    const env = testEnvironment(
      'profile: development\nevaluation:\n  azure:\n    compute:\n      vmSize: Standard_D4s_v5\n      minNodes: 1\n      maxNodes: 3\n      idleMinutesBeforeScaleDown: 5\n      lowPriority: true',
      'dev',
    );
    expect(env.evaluation.compute).toEqual({
      vmSize: 'Standard_D4s_v5',
      minNodes: 1,
      maxNodes: 3,
      idleMinutesBeforeScaleDown: 5,
      vmPriority: 'LowPriority',
    });
  });

  test('fails when the VM size is not a Standard_ size', () => {
    expect(problemsOf('evaluation:\n  azure:\n    compute:\n      vmSize: DS3_v2')).toContain(
      'environments.dev.evaluation.azure.compute.vmSize: "DS3_v2" is not an Azure VM size name: expected Standard_<size>, e.g. "Standard_DS3_v2"',
    );
  });

  test('fails when minNodes is above maxNodes', () => {
    expect(
      problemsOf(
        'evaluation:\n  azure:\n    compute:\n      vmSize: Standard_DS3_v2\n      minNodes: 3\n      maxNodes: 2',
      ),
    ).toContain(
      'environments.dev.evaluation.azure.compute.minNodes: 3 is above maxNodes 2: minNodes must be at most maxNodes',
    );
  });

  test('fails when minNodes is above the default maxNodes', () => {
    expect(
      problemsOf('evaluation:\n  azure:\n    compute:\n      vmSize: Standard_DS3_v2\n      minNodes: 3'),
    ).toContain(
      'environments.dev.evaluation.azure.compute.minNodes: 3 is above maxNodes 2: minNodes must be at most maxNodes',
    );
  });

  test('fails when a compute cluster is configured without the workspace', () => {
    expect(
      problemsOf(
        'evaluation:\n  azure:\n    workspace:\n      enabled: false\n    compute:\n      vmSize: Standard_DS3_v2',
      ),
    ).toContain(
      'environments.dev.evaluation.azure.compute: the cluster attaches to the AI Foundry hub, but evaluation.azure.workspace.enabled is false: remove compute or enable the workspace',
    );
  });

  test('fails when the outbound mode is unknown', () => {
    expect(problemsOf('evaluation:\n  azure:\n    workspace:\n      outbound: none')).toEqual([
      'environments.dev.evaluation.azure.workspace.outbound: "none" is not one of "internet", "approvedOnly"',
    ]);
  });
});

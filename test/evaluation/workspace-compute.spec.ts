import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import type { TerraformStack } from 'cdktf';
import { type Problem, ValidationError } from '../../constructs/core/errors';
import { EvaluationCompute, type EvaluationComputeProps } from '../../constructs/evaluation/compute';
import { EvaluationWorkspace } from '../../constructs/evaluation/workspace';
import { Observability } from '../../constructs/logging/observability';
import { KeyVault } from '../../constructs/security/key-vault';
import { StorageAccount } from '../../constructs/storage/storage-account';
import { onlyResource, ref, synthStack, TEST_RESOURCE_GROUP, testStack } from '../helpers/synth';
import { FakeModels } from './workspace-fakes';

/** A stack with a connected evaluation workspace to attach clusters to. */
function fixture(): { stack: TerraformStack; workspace: EvaluationWorkspace } {
  const stack = testStack();
  const workspace = new EvaluationWorkspace(stack, 'Workspace', {
    resourceGroup: TEST_RESOURCE_GROUP,
    hubName: 'hub-llmops-test-sdc',
    projectName: 'proj-llmops-test-sdc',
    storageAccount: new StorageAccount(stack, 'Storage', {
      resourceGroup: TEST_RESOURCE_GROUP,
      name: 'sttest',
    }).account,
    keyVault: new KeyVault(stack, 'KeyVault', {
      resourceGroup: TEST_RESOURCE_GROUP,
      name: 'kv-test',
      tenantId: '00000000-0000-0000-0000-000000000000',
    }).vault,
    applicationInsights: new Observability(stack, 'Observability', {
      resourceGroup: TEST_RESOURCE_GROUP,
      workspaceName: 'log-test',
      appInsightsName: 'appi-test',
    }).appInsights,
  });
  workspace.connectModels(new FakeModels(stack, 'Models'));
  return { stack, workspace };
}

function problemsOf(props: Partial<EvaluationComputeProps>): Problem[] {
  const { stack, workspace } = fixture();
  try {
    new EvaluationCompute(stack, 'Compute', { workspace, vmSize: 'Standard_DS3_v2', ...props });
  } catch (e) {
    if (e instanceof ValidationError) return [...e.problems];
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('EvaluationCompute', () => {
  test('defaults: attached to the hub, scales to zero, Entra ID only, no SSH, no public IPs, no subnet', () => {
    // GIVEN a cluster with only a VM size
    const { stack, workspace } = fixture();
    const compute = new EvaluationCompute(stack, 'Compute', { workspace, vmSize: 'Standard_DS3_v2' });
    // WHEN synthesized
    const cluster = onlyResource(synthStack(stack), 'azurerm_machine_learning_compute_cluster');
    // THEN
    expect(compute.computeName).toBe('eval-cluster');
    expect(cluster).toEqual({
      name: 'eval-cluster',
      machine_learning_workspace_id: ref('azurerm_ai_foundry.Workspace.id'),
      location: 'swedencentral',
      vm_size: 'Standard_DS3_v2',
      vm_priority: 'Dedicated',
      scale_settings: { min_node_count: 0, max_node_count: 2, scale_down_nodes_after_idle_duration: 'PT15M' },
      identity: { type: 'SystemAssigned' },
      local_auth_enabled: false,
      node_public_ip_enabled: false,
      ssh_public_access_enabled: false,
      // after the last write to the hub: the workspace is private by default, so that is the managed
      // private endpoint to the model account
      depends_on: ['azapi_resource.Workspace_Outbound-ai-services_3768791C'],
    });
    expect(cluster.subnet_resource_id).toBeUndefined();
  });

  test('all props: name, sizes, idle time, low priority and a user-assigned identity', () => {
    // GIVEN every optional prop
    const { stack, workspace } = fixture();
    const identity = new UserAssignedIdentity(stack, 'Identity', {
      name: 'id-eval',
      resourceGroupName: 'rg-test',
      location: 'swedencentral',
    });
    new EvaluationCompute(stack, 'Compute', {
      workspace,
      name: 'gpu-eval',
      vmSize: 'Standard_NC4as_T4_v3',
      minNodes: 1,
      maxNodes: 4,
      idleMinutesBeforeScaleDown: 30,
      vmPriority: 'LowPriority',
      identity,
    });
    // WHEN synthesized
    const cluster = onlyResource(synthStack(stack), 'azurerm_machine_learning_compute_cluster');
    // THEN each prop shows
    expect(cluster).toMatchObject({
      name: 'gpu-eval',
      vm_size: 'Standard_NC4as_T4_v3',
      vm_priority: 'LowPriority',
      scale_settings: { min_node_count: 1, max_node_count: 4, scale_down_nodes_after_idle_duration: 'PT30M' },
      identity: { type: 'UserAssigned', identity_ids: [ref('azurerm_user_assigned_identity.Identity.id')] },
    });
  });

  describe('validation', () => {
    test('fails when the VM size is not a Standard_ size', () => {
      expect(problemsOf({ vmSize: 'DS3_v2' })).toEqual([
        {
          path: 'props.vmSize',
          message: '"DS3_v2" is not an Azure VM size name: expected Standard_<size>, e.g. "Standard_DS3_v2"',
        },
      ]);
    });

    test('fails when minNodes is above maxNodes', () => {
      expect(problemsOf({ minNodes: 3, maxNodes: 2 })).toEqual([
        { path: 'props.minNodes', message: '3 is above maxNodes 2: minNodes must be at most maxNodes' },
      ]);
    });

    test('fails when minNodes is negative or fractional', () => {
      expect(problemsOf({ minNodes: -1 })).toEqual([
        { path: 'props.minNodes', message: '-1 must be a whole number, 0 or more' },
      ]);
      expect(problemsOf({ minNodes: 0.5 })).toEqual([
        { path: 'props.minNodes', message: '0.5 must be a whole number, 0 or more' },
      ]);
    });

    test('fails when maxNodes is below 1', () => {
      expect(problemsOf({ maxNodes: 0 })).toEqual([
        { path: 'props.maxNodes', message: '0 must be a whole number, 1 or more' },
      ]);
    });

    test('fails when the idle time is below one minute', () => {
      expect(problemsOf({ idleMinutesBeforeScaleDown: 0 })).toEqual([
        {
          path: 'props.idleMinutesBeforeScaleDown',
          message: '0 must be a whole number of minutes, 1 or more',
        },
      ]);
    });

    test('fails when the name breaks the compute naming rule', () => {
      expect(problemsOf({ name: 'evaluation-cluster-1' })).toEqual([
        {
          path: 'props.name',
          message:
            '"evaluation-cluster-1" is not a valid compute name: 2-16 letters, digits and hyphens, starting with a letter, not ending with a hyphen',
        },
      ]);
    });

    test('fails with every problem at once', () => {
      expect(problemsOf({ name: '1x', vmSize: 'big', minNodes: 5, maxNodes: 0 }).map((p) => p.path)).toEqual([
        'props.name',
        'props.vmSize',
        'props.maxNodes',
        'props.minNodes',
      ]);
    });
  });

  test('snapshot of the cluster', () => {
    const { stack, workspace } = fixture();
    new EvaluationCompute(stack, 'Compute', { workspace, vmSize: 'Standard_D4s_v5', maxNodes: 3 });
    const cluster = onlyResource(synthStack(stack), 'azurerm_machine_learning_compute_cluster');
    // the props of this snapshot show; the rest is what the defaults test asserts
    expect(cluster).toMatchObject({ vm_size: 'Standard_D4s_v5', scale_settings: { max_node_count: 3 } });
    expect(cluster).toMatchSnapshot();
  });
});

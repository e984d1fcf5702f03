import { MachineLearningComputeCluster } from '@cdktf/provider-azurerm/lib/machine-learning-compute-cluster';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { Problems, show } from '../core/errors';
import type { EvaluationWorkspace } from './workspace';

/** Azure VM size names: `Standard_` and the size, e.g. `Standard_DS3_v2`. */
const VM_SIZE = /^Standard_[A-Za-z0-9_]+$/;
/** Compute names: 2-16 letters, digits and hyphens, starting with a letter, not ending with a hyphen. */
const COMPUTE_NAME = /^[A-Za-z](?:[A-Za-z0-9-]{0,14}[A-Za-z0-9])?$/;

/** A user-assigned identity the cluster runs as (an `azurerm_user_assigned_identity`). */
export interface IComputeIdentity {
  /** ARM id of the identity. */
  readonly id: string;
}

/** Properties of {@link EvaluationCompute}. */
export interface EvaluationComputeProps {
  /** The workspace whose hub the cluster attaches to (shared by every project of the hub). Forces replacement. */
  readonly workspace: EvaluationWorkspace;
  /**
   * Cluster name: 2-16 letters, digits and hyphens, starting with a letter. Forces replacement.
   * @default 'eval-cluster'
   */
  readonly name?: string;
  /** VM size, e.g. `Standard_DS3_v2`. Forces replacement. */
  readonly vmSize: string;
  /**
   * Nodes kept when idle. Forces replacement.
   * @default 0 - nothing runs, nothing is billed, between evaluations
   */
  readonly minNodes?: number;
  /**
   * Upper bound of nodes. Forces replacement.
   * @default 2
   */
  readonly maxNodes?: number;
  /**
   * Minutes an idle node is kept before it is released. Forces replacement.
   * @default 15
   */
  readonly idleMinutesBeforeScaleDown?: number;
  /**
   * `LowPriority` VMs are cheaper and can be preempted. Forces replacement.
   * @default 'Dedicated'
   */
  readonly vmPriority?: 'Dedicated' | 'LowPriority';
  /**
   * User-assigned identity jobs on the cluster run as; give it the roles an evaluation needs (model
   * inference, search reads, storage). Forces replacement.
   * @default - a system-assigned identity, with no roles
   */
  readonly identity?: IComputeIdentity;
}

/**
 * An Azure Machine Learning compute cluster for batch evaluation runs, attached to the AI Foundry hub
 * (hub-based projects share the hub's compute). It scales to zero by default, accepts Microsoft Entra ID
 * only (`local_auth_enabled = false`), has no SSH access and no public IPs on its nodes: the nodes live
 * in the hub's managed network, so no subnet of ours is needed.
 *
 * The cluster supports no diagnostic settings of its own: its events (`AmlComputeClusterEvent`,
 * `AmlComputeJobEvent`) are logs of the hub, which has a setting.
 *
 * @see https://learn.microsoft.com/azure/machine-learning/how-to-create-attach-compute-cluster
 * @see https://learn.microsoft.com/azure/machine-learning/how-to-managed-network-compute
 */
export class EvaluationCompute extends Construct {
  /** The `azurerm_machine_learning_compute_cluster`. */
  public readonly cluster: MachineLearningComputeCluster;
  /** The cluster's name, as jobs name their compute target. */
  public readonly computeName: string;

  constructor(scope: Construct, id: string, props: EvaluationComputeProps) {
    super(scope, id);
    const name = props.name ?? 'eval-cluster';
    const minNodes = props.minNodes ?? 0;
    const maxNodes = props.maxNodes ?? 2;
    const idleMinutes = props.idleMinutesBeforeScaleDown ?? 15;
    const problems = new Problems('props');
    problems.check(
      Token.isUnresolved(name) || COMPUTE_NAME.test(name),
      'name',
      `${show(name)} is not a valid compute name: 2-16 letters, digits and hyphens, starting with a letter, not ending with a hyphen`,
    );
    problems.check(
      VM_SIZE.test(props.vmSize),
      'vmSize',
      `${show(props.vmSize)} is not an Azure VM size name: expected Standard_<size>, e.g. "Standard_DS3_v2"`,
    );
    problems.check(
      Number.isInteger(minNodes) && minNodes >= 0,
      'minNodes',
      `${minNodes} must be a whole number, 0 or more`,
    );
    problems.check(
      Number.isInteger(maxNodes) && maxNodes >= 1,
      'maxNodes',
      `${maxNodes} must be a whole number, 1 or more`,
    );
    problems.check(
      minNodes <= maxNodes,
      'minNodes',
      `${minNodes} is above maxNodes ${maxNodes}: minNodes must be at most maxNodes`,
    );
    problems.check(
      Number.isInteger(idleMinutes) && idleMinutes >= 1,
      'idleMinutesBeforeScaleDown',
      `${idleMinutes} must be a whole number of minutes, 1 or more`,
    );
    problems.throwIfAny(`Invalid EvaluationCompute "${this.node.path}"`);

    this.computeName = name;
    this.cluster = new MachineLearningComputeCluster(this, 'Default', {
      name,
      machineLearningWorkspaceId: props.workspace.hubId,
      location: props.workspace.location,
      vmSize: props.vmSize,
      vmPriority: props.vmPriority ?? 'Dedicated',
      scaleSettings: {
        minNodeCount: minNodes,
        maxNodeCount: maxNodes,
        scaleDownNodesAfterIdleDuration: `PT${idleMinutes}M`,
      },
      identity: props.identity
        ? { type: 'UserAssigned', identityIds: [props.identity.id] }
        : { type: 'SystemAssigned' },
      localAuthEnabled: false,
      nodePublicIpEnabled: false,
      sshPublicAccessEnabled: false,
      // One write to the hub at a time: the first compute provisions the hub's managed network.
      dependsOn: [props.workspace.lastHubWrite],
    });
  }

  /** ARM id of the cluster. */
  get resourceId(): string {
    return this.cluster.id;
  }
}

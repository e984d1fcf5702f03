import type { Naming } from '../../../constructs/core/naming';
import type { IResourceGroup } from '../../../constructs/core/props';
import type { EnvironmentConfig } from '../../config/environment';

/**
 * What every capability of an environment reads: its typed config, its resource names and its resource
 * group. Each capability's input interface extends this with the handles it takes from the capabilities
 * added before it, so its signature says what it depends on.
 */
export interface EnvironmentInputs {
  /** The environment's typed config (`environments.<name>` after resolution). */
  readonly config: EnvironmentConfig;
  /** Names of the environment's resources (abbreviation, workload, environment, region code, seed). */
  readonly naming: Naming;
  /** The environment's resource group, created by `bootstrap-<env>`. */
  readonly resourceGroup: IResourceGroup;
}

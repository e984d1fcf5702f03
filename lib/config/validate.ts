import type { Problems } from '../../constructs/core/errors';
import type { EnvironmentConfig } from './environment';

/**
 * Cross-field checks on a resolved environment (references between sections, ranges that depend on
 * other fields). Each capability adds its checks here; every problem is reported, none stops the others.
 */
export function validateEnvironment(env: EnvironmentConfig, problems: Problems): void {
  if (env.network.mode === 'private' && !env.pipeline.selfHosted) {
    problems.add(
      'pipeline.runner',
      'a private environment deploys from self-hosted runners inside its network (data-plane resources such as search indexes are unreachable from hosted runners): set pipeline.runner.labels',
    );
  }
  if (!env.monitoring.actionGroups[env.monitoring.defaultActionGroup]) {
    problems.add(
      'monitoring.defaultActionGroup',
      `${JSON.stringify(env.monitoring.defaultActionGroup)} is not a declared action group (declared: ${Object.keys(env.monitoring.actionGroups).join(', ')})`,
    );
  }
}

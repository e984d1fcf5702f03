import type { PipelinePlan } from './environments';
import { configEnv } from './pr';
import {
  deployConcurrency,
  deployJobEnv,
  ROLLBACK_PERMISSIONS,
  redeployReleaseSteps,
  releaseTagPrefix,
  runsOn,
} from './steps';
import type { Job, Workflow } from './types';

/**
 * `rollback.yml`: started by hand (Actions > rollback > Run workflow), redeploys one environment from a
 * release tag: the one given, else the newest `release-<env>-*`, after checking that the tag's commit is
 * on main and that the tag names the `deploy.yml` run that released it. Runs in the environment's deploy
 * GitHub environment (manual environments ask their reviewers) and in its concurrency group, so it waits
 * for a lane of that environment in progress.
 */
export function rollbackWorkflow(plan: PipelinePlan): Workflow {
  const jobs: Record<string, Job> = {};
  for (const env of plan.environments) {
    jobs[`rollback-${env.name}`] = {
      name: `roll back ${env.name}`,
      if: `\${{ inputs.environment == '${env.name}' }}`,
      'runs-on': runsOn(env),
      environment: env.githubEnvironment,
      permissions: ROLLBACK_PERMISSIONS,
      concurrency: deployConcurrency(env),
      env: deployJobEnv(env),
      steps: redeployReleaseSteps(env, `\${{ inputs.tag }}`),
    };
  }
  const names = plan.environments.map((e) => e.name);
  return {
    file: 'rollback.yml',
    description: [
      'By hand: redeploys one environment from a release tag (default: its newest release-<env>-* tag).',
    ],
    name: 'rollback',
    on: {
      workflow_dispatch: {
        inputs: {
          environment: {
            description: 'Environment to roll back',
            required: true,
            type: 'choice',
            options: names,
          },
          tag: {
            description: `Release tag to redeploy, e.g. ${releaseTagPrefix(plan.environments[0]!)}42 (default: the newest of the environment)`,
            required: false,
            type: 'string',
            default: '',
          },
        },
      },
    },
    permissions: { contents: 'read' },
    env: configEnv(plan),
    jobs,
  };
}

/**
 * The GitHub Actions workflows of the repository, generated from the environment config
 * (`npm run workflows`; docs/pipeline.md).
 */
import type { LoadedConfig } from '../config/environment';
import { continuousEvaluationWorkflow } from './continuous';
import { deployWorkflow, laneWorkflow } from './deploy';
import { planPipeline } from './environments';
import { mutationWorkflow } from './mutation';
import { pullRequestWorkflow } from './pr';
import { pythonLockWorkflow } from './python-lock';
import { renderWorkflow, WORKFLOWS_DIR } from './render';
import { rollbackWorkflow } from './rollback';
import type { GeneratedFile, Workflow } from './types';

export { ACTION_PINS, ACTIONS, COMMIT_SHA, pinnedVersion } from './actions';
export { CONTINUOUS_EVALUATION_SECRETS, CONTINUOUS_EVALUATION_VARIABLES } from './continuous';
export { AWS_JUDGE_SETTINGS, deployJobIds, EVALUATION_STACK_OUTPUTS, laneFile } from './deploy';
export { type PipelineEnvironment, type PipelinePlan, planPipeline } from './environments';
export { lintWorkflows, type WorkflowFinding } from './lint';
export {
  folderFilter,
  MUTATION_SCHEDULE,
  MUTATION_SETTINGS,
  type MutationSettings,
  moduleSlug,
  mutationWorkflow,
} from './mutation';
export {
  PLAN_DIFF_ACKNOWLEDGEMENTS_FILE,
  PLAN_DIFF_ALLOW_PREFIX,
  PLAN_DIFF_COMMENT_MARKER,
  stackNames,
} from './pr';
export { GENERATED_MARKER, WORKFLOWS_DIR } from './render';
export {
  EVALUATION_REQUIREMENTS_INPUT,
  EVALUATION_REQUIREMENTS_LOCK,
  evaluationLockCheck,
  PIP_COMPILE_COMMAND,
  TOOL_VERSIONS,
} from './steps';
export type { GeneratedFile, Job, Step, Workflow } from './types';

/** The workflow models, before rendering (for tests and tools that inspect them). */
export function buildWorkflows(config: LoadedConfig): Workflow[] {
  const plan = planPipeline(config);
  const continuous = continuousEvaluationWorkflow(plan);
  return [
    pullRequestWorkflow(plan),
    deployWorkflow(plan),
    ...plan.environments.map((env, i) => laneWorkflow(plan, env, plan.environments[i - 1])),
    ...(continuous ? [continuous] : []),
    rollbackWorkflow(plan),
    mutationWorkflow(),
    pythonLockWorkflow(),
  ];
}

/**
 * Generates the workflows from the environment config: `pr.yml`, `deploy.yml` with one
 * `lane-<env>.yml` per environment, `rollback.yml`, `mutation.yml`, `python-lock.yml` and, when an environment enables it,
 * `continuous-evaluation.yml`. Pure and deterministic: the same config gives
 * the same text, sorted by path.
 *
 * @throws ValidationError (exit 2) when the config cannot drive a pipeline (see {@link planPipeline})
 */
export function generateWorkflows(config: LoadedConfig): GeneratedFile[] {
  return buildWorkflows(config)
    .map((w) => ({ path: `${WORKFLOWS_DIR}/${w.file}`, content: renderWorkflow(w, config.file) }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

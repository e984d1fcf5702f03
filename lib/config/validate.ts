import { MAX_QUALITY_WINDOW_HOURS } from '../../constructs/aws/monitoring/quality-metrics';
import type { Problems } from '../../constructs/core/errors';
import { validateSearch } from '../search/indexes';
import type { EnvironmentConfig } from './environment';
import { validateEvaluation } from './sections/evaluation';
import { QUALITY_EVALUATORS, SAFETY_EVALUATORS } from './sections/evaluators';
import { validateGateway } from './sections/gateway';
import { validateModels } from './sections/models';
import { validateMonitoring } from './sections/monitoring';
import { validateAwsNetwork, validateNetwork } from './sections/network';
import { validatePipeline } from './sections/pipeline';

/**
 * Cross-field checks on a resolved environment (references between sections, ranges that depend on
 * other fields). Each capability adds its checks here; every problem is reported, none stops the others.
 */
export function validateEnvironment(env: EnvironmentConfig, problems: Problems): void {
  // On AWS, CloudFormation creates the data-plane resources (the vector index), so hosted runners suffice.
  if (env.cloud === 'azure' && env.network.mode === 'private' && !env.pipeline.selfHosted) {
    problems.add(
      'pipeline.runner',
      'a private environment deploys from self-hosted runners inside its network (data-plane resources such as search indexes are unreachable from hosted runners): set pipeline.runner.labels',
    );
  }
  validateEvaluation(env, problems);
  if (!env.monitoring.actionGroups[env.monitoring.defaultActionGroup]) {
    problems.add(
      'monitoring.defaultActionGroup',
      `${JSON.stringify(env.monitoring.defaultActionGroup)} is not a declared action group (declared: ${Object.keys(env.monitoring.actionGroups).join(', ')})`,
    );
  }
  if (env.cloud === 'azure') validateNetwork(env, problems);
  else validateAwsNetwork(env, problems);
  validatePipeline(env, problems);
  validateModels(env, problems);
  validateSearch(env, problems);
  validateMonitoring(env, problems);
  validateGateway(env, problems);
  if (env.cloud === 'aws') validateAwsEvaluation(env, problems);
  if (env.cloud === 'aws' && env.monitoring.quality.windowHours > MAX_QUALITY_WINDOW_HOURS) {
    problems.add(
      'monitoring.quality.windowHours',
      `${env.monitoring.quality.windowHours} is longer than a CloudWatch alarm can look back: at most ${MAX_QUALITY_WINDOW_HOURS} hours in an AWS environment`,
    );
  }
}

/**
 * What the evaluation of an AWS environment cannot run: the content-safety evaluators and the synthetic-data
 * step need an Azure AI project (docs/evaluation.md, "Evaluating an AWS environment"); on AWS the guardrail
 * is the content-safety control.
 */
function validateAwsEvaluation(env: EnvironmentConfig, problems: Problems): void {
  env.evaluation.evaluators.forEach((name, i) => {
    if (!SAFETY_EVALUATORS.includes(name)) return;
    problems.add(
      `evaluation.evaluators.${i}`,
      `${JSON.stringify(name)} needs an Azure AI project, which an AWS environment has none of: list only ${QUALITY_EVALUATORS.join(', ')} (the guardrail is the content-safety control)`,
    );
  });
  if (env.evaluation.synthetic) {
    problems.add(
      'evaluation.synthetic',
      'the synthetic-data step runs the Azure AI Evaluation simulator, which an AWS environment cannot: remove it',
    );
  }
}

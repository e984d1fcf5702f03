import { GROUND_TRUTH_EVALUATORS } from '../config/sections/evaluation';
import type { PipelinePlan } from './environments';
import { configEnv } from './pr';
import { AZURE_OIDC, azureLogin, checkout, nodeSetup, pythonSetup, runsOn, shellQuote } from './steps';
import type { Job, Workflow } from './types';

/**
 * Variables the verify GitHub environment holds for continuous evaluation, copied once from
 * `cdktf output <env>` (docs/pipeline.md): the judge model's endpoint, the Log Analytics workspace
 * (its GUID, `customer_id`) and the project the content-safety evaluators use (`evaluation_ai_project`).
 * The Application Insights connection string is a secret ({@link CONTINUOUS_EVALUATION_SECRETS}).
 */
export const CONTINUOUS_EVALUATION_VARIABLES = [
  'AZURE_OPENAI_ENDPOINT',
  'LOG_ANALYTICS_WORKSPACE_ID',
  'AZURE_AI_PROJECT',
] as const;

/**
 * Secrets of the verify GitHub environment for continuous evaluation: the Application Insights
 * connection string is an environment secret (masked in logs), never a plain variable.
 */
export const CONTINUOUS_EVALUATION_SECRETS = ['APPLICATIONINSIGHTS_CONNECTION_STRING'] as const;

/**
 * `continuous-evaluation.yml`: on a schedule per environment (`pipeline.continuousEvaluation`), samples
 * recent production answers (`evaluation/continuous.py`), scores them and sends the scores with
 * `--source continuous`, as the verification identity. Undefined when no environment enables it.
 *
 * Azure environments only: `continuous.py` samples the answers from Log Analytics (`--workspace-id`, the
 * gateway logs or `apptraces`) and judges with Azure OpenAI; an AWS environment's answers are in CloudWatch
 * Logs (the gateway's router log group), which it cannot read. An AWS environment with
 * `continuousEvaluation.enabled` gets no job (docs/pipeline.md, "AWS environments").
 */
export function continuousEvaluationWorkflow(plan: PipelinePlan): Workflow | undefined {
  const envs = plan.environments.filter((e) => e.cloud === 'azure' && e.continuousEvaluation.enabled);
  if (envs.length === 0) return undefined;
  const schedules = [...new Set(envs.map((e) => e.continuousEvaluation.schedule))];
  const jobs: Record<string, Job> = {};
  for (const env of envs) {
    const { schedule, source } = env.continuousEvaluation;
    const deployment = shellQuote(env.evaluationDeployment);
    // Production answers have no ground truth: the evaluators that need one are left out.
    const evaluators = shellQuote(
      env.evaluators.filter((e) => !GROUND_TRUTH_EVALUATORS.includes(e)).join(','),
    );
    jobs[`continuous-${env.name}`] = {
      comment: `${env.name}: "${schedule}" (UTC), as the verification identity (GitHub environment "${env.verifyEnvironment}").`,
      name: `continuous evaluation ${env.name}`,
      if: `\${{ github.event_name == 'workflow_dispatch' || github.event.schedule == '${schedule}' }}`,
      'runs-on': runsOn(env),
      environment: env.verifyEnvironment,
      permissions: AZURE_OIDC,
      env: {
        ...Object.fromEntries(CONTINUOUS_EVALUATION_VARIABLES.map((v) => [v, `\${{ vars.${v} }}`])),
        AZURE_OPENAI_EVAL_DEPLOYMENT: env.evaluationDeployment,
      },
      steps: [
        checkout(),
        ...nodeSetup(),
        ...pythonSetup(),
        azureLogin(),
        {
          name: 'Sample and score recent answers',
          run: `python evaluation/continuous.py --workspace-id "$LOG_ANALYTICS_WORKSPACE_ID" --deployment ${deployment} --from ${source} --evaluators ${evaluators} --output scores.json`,
        },
        {
          name: 'Send the scores to Application Insights',
          // The secret reaches only the step that sends, not `npm ci`, `pip install` or the evaluation.
          env: Object.fromEntries(CONTINUOUS_EVALUATION_SECRETS.map((v) => [v, `\${{ secrets.${v} }}`])),
          run: `npm run --silent scores:send -- --env ${env.name} --scores scores.json --deployment ${deployment} --source continuous`,
        },
      ],
    };
  }
  return {
    file: 'continuous-evaluation.yml',
    description: [
      `Scheduled: samples and scores recent production answers of ${envs.map((e) => e.name).join(', ')} and sends the`,
      'scores to Application Insights (source continuous), where the quality alerts watch them.',
    ],
    name: 'continuous evaluation',
    on: { schedule: schedules.map((cron) => ({ cron })), workflow_dispatch: {} },
    permissions: { contents: 'read' },
    env: configEnv(plan),
    jobs,
  };
}

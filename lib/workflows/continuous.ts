import { GROUND_TRUTH_EVALUATORS, SAFETY_EVALUATORS } from '../config/sections/evaluators';
import { AWS_JUDGE_SETTINGS } from './deploy';
import type { PipelineEnvironment, PipelinePlan } from './environments';
import { configEnv } from './pr';
import {
  AWS_OIDC,
  AZURE_OIDC,
  awsLogin,
  awsRegion,
  azureLogin,
  checkout,
  nodeSetup,
  pythonSetup,
  runsOn,
  shellQuote,
} from './steps';
import type { Job, Step, Workflow } from './types';

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
 * The output of an AWS environment stack the continuous evaluation reads (`aws cloudformation
 * describe-stacks`, as the verify role): the name of the gateway router's CloudWatch log group
 * (`BedrockGateway.routerLogGroup`, a generated name), whose request records carry the sampled prompts and
 * completions (constructs/aws/gateway/router/handler.js).
 */
export const AWS_CONTINUOUS_STACK_OUTPUTS = { routerLogGroup: 'RouterLogGroupName' } as const;

/** Where `continuous.py --from aws-gateway` writes its `<deployment>@<variant>.json` scores files. */
export const AWS_CONTINUOUS_SCORES_DIR = 'continuous-scores';

/**
 * `continuous-evaluation.yml`: on a schedule per environment (`pipeline.continuousEvaluation`), samples
 * recent production answers (`evaluation/continuous.py`), scores them and sends the scores with
 * `--source continuous`, as the verification identity. Undefined when no environment enables it.
 *
 * Azure: `continuous.py` samples the answers of the evaluation deployment from Log Analytics
 * (`--workspace-id`, the gateway logs or `apptraces`), judges with Azure OpenAI and the scores go to
 * Application Insights. AWS: it reads the gateway router's log group (`--from aws-gateway`, stack output
 * {@link AWS_CONTINUOUS_STACK_OUTPUTS}), judges with the OpenAI-compatible judge of the AWS lane and writes
 * one scores file per served deployment and variant, each sent to CloudWatch with its `--deployment` and
 * `--variant` (the dimensions the quality alarms read). docs/pipeline.md, "Continuous evaluation".
 */
export function continuousEvaluationWorkflow(plan: PipelinePlan): Workflow | undefined {
  const envs = plan.environments.filter((e) => e.continuousEvaluation.enabled);
  if (envs.length === 0) return undefined;
  const schedules = [...new Set(envs.map((e) => e.continuousEvaluation.schedule))];
  const jobs: Record<string, Job> = {};
  for (const env of envs) {
    if (env.cloud === 'aws') {
      jobs[`continuous-${env.name}`] = awsContinuousJob(env);
      continue;
    }
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
      `scores to ${destinations(envs)} (source continuous), where the quality alerts watch them.`,
    ],
    name: 'continuous evaluation',
    on: { schedule: schedules.map((cron) => ({ cron })), workflow_dispatch: {} },
    permissions: { contents: 'read' },
    env: configEnv(plan),
    jobs,
  };
}

/** Where the scores of `envs` go: Application Insights (Azure), CloudWatch (AWS). */
function destinations(envs: readonly PipelineEnvironment[]): string {
  const names = [
    ...new Set(envs.map((e) => (e.cloud === 'aws' ? 'CloudWatch' : 'Application Insights'))),
  ].sort();
  return names.join(' and ');
}

/**
 * Reads the router log group's name from the stack outputs into `ROUTER_LOG_GROUP` (the JMESPath query
 * yields `None` when the output is missing: the job stops there, naming the output).
 */
function readRouterLogGroup(env: PipelineEnvironment): Step {
  const output = AWS_CONTINUOUS_STACK_OUTPUTS.routerLogGroup;
  return {
    name: 'Router log group from the stack outputs',
    run: [
      `group=$(aws cloudformation describe-stacks --stack-name ${env.name} --query "Stacks[0].Outputs[?OutputKey=='${output}'].OutputValue | [0]" --output text)`,
      'if [ -z "$group" ] || [ "$group" = None ]; then',
      `  echo "::error::stack ${env.name} has no output ${output}: the continuous evaluation has no log to sample"`,
      '  exit 1',
      'fi',
      'echo "ROUTER_LOG_GROUP=$group" >> "$GITHUB_ENV"',
    ].join('\n'),
  };
}

/**
 * The continuous evaluation of an AWS environment, as the verify role (`AWS_ROLE_ARN` of `<env>-verify`):
 * samples the router's request records that carry their prompt and completion (gateway.logging.logBodies),
 * leaves out the pipeline's own evaluation calls (consumer `evaluation`), judges each served deployment and
 * variant with the OpenAI-compatible judge of the `<env>-verify` environment, and sends each scores file
 * to CloudWatch. The quality evaluators only: the content-safety ones need an Azure AI project.
 */
function awsContinuousJob(env: PipelineEnvironment): Job {
  const { schedule, source } = env.continuousEvaluation;
  if (source !== 'gateway') {
    throw new Error(
      `environments.${env.name}.pipeline.continuousEvaluation.source: ${JSON.stringify(source)}: an AWS environment samples its gateway's router log (allowed: gateway)`,
    );
  }
  const evaluators = shellQuote(
    env.evaluators
      .filter((e) => !GROUND_TRUTH_EVALUATORS.includes(e) && !SAFETY_EVALUATORS.includes(e))
      .join(','),
  );
  const { baseUrlVariable, modelVariable, keySecret } = AWS_JUDGE_SETTINGS;
  const dir = AWS_CONTINUOUS_SCORES_DIR;
  return {
    comment: `${env.name}: "${schedule}" (UTC), as the verification identity (GitHub environment "${env.verifyEnvironment}").`,
    name: `continuous evaluation ${env.name}`,
    if: `\${{ github.event_name == 'workflow_dispatch' || github.event.schedule == '${schedule}' }}`,
    'runs-on': runsOn(env),
    environment: env.verifyEnvironment,
    permissions: AWS_OIDC,
    steps: [
      checkout(),
      ...nodeSetup(),
      ...pythonSetup(),
      awsLogin(env),
      readRouterLogGroup(env),
      {
        name: 'Sample and score recent answers',
        // The judge's key reaches only the step that judges.
        env: {
          [baseUrlVariable]: `\${{ vars.${baseUrlVariable} }}`,
          [modelVariable]: `\${{ vars.${modelVariable} }}`,
          [keySecret]: `\${{ secrets.${keySecret} }}`,
        },
        run: `python evaluation/continuous.py --from aws-gateway --log-group "$ROUTER_LOG_GROUP" --region ${shellQuote(awsRegion(env))} --evaluators ${evaluators} --judge-key-env ${keySecret} --output-dir ${dir}`,
      },
      {
        name: 'Send the scores to CloudWatch',
        // One file per served deployment and variant, `<deployment>@<variant>.json` ('@' is in neither name).
        run: [
          `for file in ${dir}/*@*.json; do`,
          '  name=$(basename "$file" .json)',
          `  npm run --silent scores:send -- --env ${env.name} --scores "$file" --deployment "\${name%@*}" --variant "\${name#*@}" --source continuous`,
          'done',
        ].join('\n'),
      },
    ],
  };
}

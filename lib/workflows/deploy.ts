import type { PipelineEnvironment, PipelinePlan } from './environments';
import { configEnv } from './pr';
import { WORKFLOWS_DIR } from './render';
import {
  ACTIONS,
  AWS_OIDC,
  AZURE_OIDC,
  awsLogin,
  awsRegion,
  azureLogin,
  checkout,
  DEPLOY_WORKFLOW_FILE,
  deployCommand,
  deployConcurrency,
  deployJobEnv,
  deployToolingSteps,
  EVALUATION_API_VERSION,
  evaluationLockCheck,
  HOSTED_RUNNER,
  MAIN_BRANCH,
  nodeSetup,
  pythonSetup,
  ROLLBACK_PERMISSIONS,
  redeployReleaseSteps,
  releaseJobName,
  releaseTagPrefix,
  runsOn,
  shellQuote,
  tagReleaseStep,
  terraformSetup,
} from './steps';
import type { Job, Step, Workflow } from './types';

/**
 * Stack outputs the post-deploy evaluation reads (`cdktf output`, as the verification identity, which
 * may read the state):
 * `model_endpoint` (required: the judge), `evaluation_target_url` (optional: the chat completions URL of
 * an app to evaluate), `gateway_endpoint` (the target when no app URL is given: what ships is evaluated
 * through the gateway and its policies; without a gateway, the model endpoint is asked directly),
 * `evaluation_ai_project` (the project the content-safety evaluators use), `search_endpoint` (the
 * index the synthetic-data step reads with `evaluation.synthetic.fromIndex`) and
 * `application_insights_connection_string` (optional: without it no scores are sent).
 */
export const EVALUATION_STACK_OUTPUTS = {
  modelEndpoint: 'model_endpoint',
  targetUrl: 'evaluation_target_url',
  gatewayEndpoint: 'gateway_endpoint',
  aiProject: 'evaluation_ai_project',
  searchEndpoint: 'search_endpoint',
  appInsightsConnectionString: 'application_insights_connection_string',
} as const;

/** The GitHub environment secret holding the gateway subscription key the evaluation calls with (docs/evaluation.md). */
export const GATEWAY_KEY_SECRET = 'EVAL_GATEWAY_KEY';

/** The file the gate writes its candidate-vs-control decision to (experiment environments). */
export const DECISION_FILE = 'decision.json';

/** Job ids of one environment's lane (`lane-<env>.yml`), and of its lane job in `deploy.yml`. */
export function deployJobIds(env: PipelineEnvironment): {
  lane: string;
  deploy: string;
  evaluate: string;
  release: string;
  rollback: string;
} {
  return {
    lane: `lane-${env.name}`,
    deploy: 'deploy',
    evaluate: 'evaluate',
    release: 'release',
    rollback: 'rollback',
  };
}

/** The lane workflow of `env`: deploy, evaluate and gate, release or roll back. */
export function laneFile(env: PipelineEnvironment): string {
  return `lane-${env.name}.yml`;
}

/**
 * Reads the stack outputs file and puts the evaluation inputs into the job's environment (`GITHUB_ENV`;
 * node, no jq needed). The Application Insights connection string is masked first and never becomes a
 * step or job output: it stays in this job.
 */
const READ_OUTPUTS_SCRIPT = [
  "node <<'JS'",
  "const fs = require('node:fs');",
  'const { STACK, DEPLOYMENT, API_VERSION, GITHUB_ENV } = process.env;',
  "const outputs = JSON.parse(fs.readFileSync('cdktf-outputs.json', 'utf8'))[STACK] ?? {};",
  `const endpoint = outputs.${EVALUATION_STACK_OUTPUTS.modelEndpoint};`,
  "if (typeof endpoint !== 'string' || endpoint === '') {",
  `  console.log(\`::error::stack \${STACK} has no output ${EVALUATION_STACK_OUTPUTS.modelEndpoint}: the evaluation has no model to ask\`);`,
  '  process.exit(1);',
  '}',
  `const gateway = outputs.${EVALUATION_STACK_OUTPUTS.gatewayEndpoint} ?? '';`,
  `const front = gateway || endpoint;`,
  `const base = front.endsWith('/') ? front : \`\${front}/\`;`,
  `const target = outputs.${EVALUATION_STACK_OUTPUTS.targetUrl} || \`\${base}openai/deployments/\${DEPLOYMENT}/chat/completions?api-version=\${API_VERSION}\`;`,
  `const aiProject = outputs.${EVALUATION_STACK_OUTPUTS.aiProject} ?? '';`,
  `const searchEndpoint = outputs.${EVALUATION_STACK_OUTPUTS.searchEndpoint} ?? '';`,
  `const connectionString = outputs.${EVALUATION_STACK_OUTPUTS.appInsightsConnectionString} ?? '';`,
  `if (!connectionString) console.log(\`::warning::stack \${STACK} has no output ${EVALUATION_STACK_OUTPUTS.appInsightsConnectionString}: scores will not be sent\`);`,
  `if (connectionString) console.log(\`::add-mask::\${connectionString}\`);`,
  'const values = { EVAL_TARGET_URL: target, AZURE_OPENAI_ENDPOINT: endpoint, AZURE_OPENAI_EVAL_DEPLOYMENT: DEPLOYMENT, AZURE_AI_PROJECT: aiProject, AZURE_SEARCH_ENDPOINT: searchEndpoint, APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString };',
  'for (const [key, value] of Object.entries(values)) {',
  `  if (/[\\r\\n]/.test(value)) { console.log(\`::error::\${key} spans several lines\`); process.exit(1); }`,
  `  fs.appendFileSync(GITHUB_ENV, \`\${key}=\${value}\\n\`);`,
  '}',
  'JS',
].join('\n');

function approvalComment(env: PipelineEnvironment, previous: PipelineEnvironment | undefined): string {
  const after = previous ? `the lane of ${previous.name} (its gate) passed` : 'the tests passed';
  if (env.approval === 'manual') {
    const who = env.reviewers.length > 0 ? env.reviewers.join(', ') : 'the reviewers set on it';
    return [
      `${env.name}: approval manual. Runs once ${after} and a reviewer approved: the GitHub environment`,
      `"${env.githubEnvironment}" requires a review by ${who} (Settings > Environments > ${env.githubEnvironment}).`,
    ].join('\n');
  }
  return [
    `${env.name}: approval auto. The GitHub environment "${env.githubEnvironment}" has no reviewers;`,
    `the predefined criterion is that ${after}.`,
  ].join('\n');
}

function deployJob(env: PipelineEnvironment, previous: PipelineEnvironment | undefined): Job {
  return {
    comment: approvalComment(env, previous),
    name: `deploy ${env.name}`,
    'runs-on': runsOn(env),
    environment: env.githubEnvironment,
    permissions: env.cloud === 'aws' ? AWS_OIDC : AZURE_OIDC,
    env: deployJobEnv(env),
    steps: [
      checkout(),
      ...nodeSetup(),
      ...deployToolingSteps(env),
      { name: `Deploy ${env.name}`, run: deployCommand(env) },
    ],
  };
}

/**
 * Outputs of an AWS environment stack the post-deploy evaluation reads (`aws cloudformation
 * describe-stacks`, as the verify role, which may describe the stack): `GatewayUrl`, the base URL of the
 * API Gateway in front of Bedrock (`https://<id>.execute-api.<region>.amazonaws.com/v1/`); the evaluation
 * asks `POST <GatewayUrl>model/<deployment or experiment>/converse`, SigV4-signed with the job's session
 * (constructs/aws/gateway/README.md). The scores go to CloudWatch (`scores:send`), not to a stack output.
 */
export const AWS_EVALUATION_STACK_OUTPUTS = { gatewayUrl: 'GatewayUrl' } as const;

/** The file the AWS evaluate job writes the stack outputs to (removed right after it is read). */
const AWS_OUTPUTS_FILE = 'stack-outputs.json';

/**
 * Reads the outputs of an AWS stack (`[{ OutputKey, OutputValue }]`) and puts the evaluation target into
 * the job's environment: `EVAL_TARGET_URL`, the Converse route of the evaluation deployment (or
 * experiment) on the gateway.
 */
const AWS_READ_OUTPUTS_SCRIPT = [
  "node <<'JS'",
  "const fs = require('node:fs');",
  'const { STACK, DEPLOYMENT, GITHUB_ENV } = process.env;',
  `const outputs = Object.fromEntries((JSON.parse(fs.readFileSync('${AWS_OUTPUTS_FILE}', 'utf8')) ?? []).map((o) => [o.OutputKey, o.OutputValue]));`,
  `const gateway = outputs.${AWS_EVALUATION_STACK_OUTPUTS.gatewayUrl};`,
  "if (typeof gateway !== 'string' || gateway === '') {",
  `  console.log(\`::error::stack \${STACK} has no output ${AWS_EVALUATION_STACK_OUTPUTS.gatewayUrl}: the evaluation has no gateway to ask\`);`,
  '  process.exit(1);',
  '}',
  `const base = gateway.endsWith('/') ? gateway : \`\${gateway}/\`;`,
  `fs.appendFileSync(GITHUB_ENV, \`EVAL_TARGET_URL=\${base}model/\${encodeURIComponent(DEPLOYMENT)}/converse\\n\`);`,
  'JS',
].join('\n');

/** The steps of the evaluate job that sign in and find what to evaluate, per cloud. */
function evaluationInputSteps(env: PipelineEnvironment): Step[] {
  if (env.cloud === 'aws') {
    return [
      awsLogin(env),
      {
        name: 'Read the stack outputs',
        run: `aws cloudformation describe-stacks --stack-name ${env.name} --query 'Stacks[0].Outputs' --output json > ${AWS_OUTPUTS_FILE}`,
      },
      {
        name: 'Evaluation inputs from the stack outputs',
        env: { STACK: env.name, DEPLOYMENT: env.evaluationDeployment },
        run: AWS_READ_OUTPUTS_SCRIPT,
      },
      { name: 'Remove the outputs file', if: `\${{ always() }}`, run: `rm -f ${AWS_OUTPUTS_FILE}` },
    ];
  }
  return [
    azureLogin(),
    {
      name: 'Read the stack outputs',
      run: `npx cdktf output ${env.name} --outputs-file cdktf-outputs.json --outputs-file-include-sensitive-outputs`,
    },
    {
      name: 'Evaluation inputs from the stack outputs',
      env: { STACK: env.name, DEPLOYMENT: env.evaluationDeployment, API_VERSION: EVALUATION_API_VERSION },
      run: READ_OUTPUTS_SCRIPT,
    },
    { name: 'Remove the outputs file', if: `\${{ always() }}`, run: 'rm -f cdktf-outputs.json' },
  ];
}

/** Where `scores:send` publishes an environment's scores: Application Insights, or CloudWatch metrics on AWS. */
function scoresDestination(env: PipelineEnvironment): string {
  return env.cloud === 'aws' ? 'CloudWatch' : 'Application Insights';
}

/**
 * The evaluation calls the gateway with a subscription key on Azure (`EVAL_GATEWAY_KEY`); on AWS the
 * gateway takes SigV4 from the job's own session (the verify role is a gateway consumer), so no key.
 */
function usesGatewayKey(env: PipelineEnvironment): boolean {
  return env.cloud === 'azure' && env.gatewayEnabled;
}

/**
 * The judge of an AWS environment's evaluation: an OpenAI-compatible Chat Completions endpoint (Amazon
 * Bedrock's `https://bedrock-runtime.<region>.amazonaws.com/openai/v1` with an Amazon Bedrock API key, or
 * any other), named by variables of the GitHub environment `<env>-verify`, its API key a secret there
 * (docs/evaluation.md, "AWS environments"). An AWS job has no Microsoft Entra ID sign-in, so the Azure
 * OpenAI judge of the Azure lanes is not used.
 */
export const AWS_JUDGE_SETTINGS = {
  baseUrlVariable: 'EVAL_JUDGE_BASE_URL',
  modelVariable: 'EVAL_JUDGE_MODEL',
  keySecret: 'EVAL_JUDGE_API_KEY',
} as const;

/** What `run_evaluation.py` speaks to the target of `env`: Bedrock Converse, SigV4-signed, on AWS. */
function targetArgs(env: PipelineEnvironment): string {
  if (env.cloud !== 'aws') return '';
  return ` --target-kind bedrock-converse --region ${shellQuote(awsRegion(env))} --judge-key-env ${AWS_JUDGE_SETTINGS.keySecret}`;
}

/** The judge of an AWS evaluation, from the `<env>-verify` environment: only on the step that evaluates. */
function judgeEnv(env: PipelineEnvironment): Record<string, string> {
  if (env.cloud !== 'aws') return {};
  const { baseUrlVariable, modelVariable, keySecret } = AWS_JUDGE_SETTINGS;
  return {
    [baseUrlVariable]: `\${{ vars.${baseUrlVariable} }}`,
    [modelVariable]: `\${{ vars.${modelVariable} }}`,
    [keySecret]: `\${{ secrets.${keySecret} }}`,
  };
}

/** The dataset the synthetic-data step writes: the configured dataset's rows, then the simulated ones. */
export const SYNTHETIC_DATASET_FILE = 'evaluation-dataset.jsonl';

/**
 * The evaluation steps of `env`: with `evaluation.synthetic`, the simulator first writes
 * {@link SYNTHETIC_DATASET_FILE} (the configured dataset plus simulated rows) and the evaluation scores it;
 * when the simulation fails, a warning says so and the configured dataset alone is scored, so a flaky
 * generator never rolls a deploy back.
 */
function evaluationSteps(env: PipelineEnvironment): Step[] {
  // The gateway key reaches only the steps that call the gateway, not `npm ci` or any other step.
  const withKey = usesGatewayKey(env);
  const keyEnv: Record<string, string> = withKey
    ? { [GATEWAY_KEY_SECRET]: `\${{ secrets.${GATEWAY_KEY_SECRET} }}` }
    : {};
  const evaluators = shellQuote(env.evaluators.join(','));
  const key = withKey ? ` --gateway-key-env ${GATEWAY_KEY_SECRET}` : '';
  const judge = judgeEnv(env);
  const evaluateEnv = { ...keyEnv, ...judge };
  const runs = env.experiment
    ? env.experiment.variants.map((v) => ({
        args: ` --variant ${shellQuote(v)} --variant-header ${shellQuote(env.experiment!.pinHeader)}`,
        output: `scores-${v}.json`,
      }))
    : [{ args: '', output: 'scores.json' }];
  const evaluate = (dataset: string) =>
    runs
      .map(
        (r) =>
          `python evaluation/run_evaluation.py --dataset ${dataset} --evaluators ${evaluators} --batch-size ${env.batchSize}${key}${targetArgs(env)}${r.args} --output ${r.output}`,
      )
      .join('\n');
  if (!env.synthetic) {
    return [
      {
        name: 'Run the evaluation',
        id: 'evaluate',
        ...(Object.keys(evaluateEnv).length > 0 ? { env: evaluateEnv } : {}),
        run: evaluate(shellQuote(env.dataset)),
      },
    ];
  }
  const { sourceText, fromIndex, numQueries } = env.synthetic;
  const source = fromIndex
    ? `--index ${shellQuote(fromIndex)}`
    : `--source-text ${shellQuote(sourceText ?? '')}`;
  return [
    {
      name: 'Synthesize evaluation data (Azure AI Evaluation simulator)',
      id: 'synthesize',
      'continue-on-error': true,
      ...(withKey ? { env: keyEnv } : {}),
      run: `python evaluation/simulate.py ${source} --num-queries ${numQueries} --base-dataset ${shellQuote(env.dataset)}${key} --output ${SYNTHETIC_DATASET_FILE}`,
    },
    {
      name: 'Run the evaluation',
      id: 'evaluate',
      env: { SYNTHESIS: `\${{ steps.synthesize.outcome }}`, ...evaluateEnv },
      run: [
        `dataset=${shellQuote(env.dataset)}`,
        'if [ "$SYNTHESIS" = success ]; then',
        `  dataset=${SYNTHETIC_DATASET_FILE}`,
        'else',
        '  echo "::warning::the synthetic-data step failed: evaluating $dataset only"',
        'fi',
        evaluate('"$dataset"'),
      ].join('\n'),
    },
  ];
}

/** The gate step: one run priced as the evaluation deployment, or every variant of the experiment and the decision. */
function gateStep(env: PipelineEnvironment): Step {
  const args = env.experiment
    ? `--experiment ${shellQuote(env.experiment.name)} ${env.experiment.variants.map((v) => `--variant ${shellQuote(`${v}=scores-${v}.json`)}`).join(' ')} --decision ${DECISION_FILE}`
    : `--scores scores.json --deployment ${shellQuote(env.evaluationDeployment)}`;
  return {
    name: 'Gate',
    id: 'gate',
    run: `npm run --silent gate -- --env ${env.name} ${args} --summary gate.md`,
  };
}

function evaluateJob(env: PipelineEnvironment): Job {
  const ids = deployJobIds(env);
  const rollback =
    env.rollback === 'redeploy-last-good'
      ? `a failure runs ${ids.rollback}`
      : 'rollback is manual: a failure stops the chain (docs/pipeline.md, "Rolling back")';
  return {
    comment: [
      `${env.name}: post-deploy evaluation and gate as the ${env.cloud === 'aws' ? 'verify role' : 'verification identity'} (GitHub environment`,
      `"${env.verifyEnvironment}", no reviewers, main branch only); ${rollback}.`,
    ].join('\n'),
    name: `evaluate and gate ${env.name}`,
    needs: [ids.deploy],
    'runs-on': runsOn(env),
    environment: env.verifyEnvironment,
    permissions: env.cloud === 'aws' ? AWS_OIDC : AZURE_OIDC,
    env: deployJobEnv(env),
    steps: [
      checkout(),
      ...nodeSetup(),
      // cdktf output needs Terraform; on AWS the outputs come from CloudFormation (the runner's AWS CLI).
      ...(env.cloud === 'aws' ? [] : [terraformSetup()]),
      ...pythonSetup(),
      ...evaluationInputSteps(env),
      ...evaluationSteps(env),
      gateStep(env),
      {
        // Scores are monitoring data: a failure to send them must not fail the gate nor roll back.
        name: `Send the scores to ${scoresDestination(env)}`,
        if: `\${{ !cancelled() && steps.evaluate.outcome == 'success' }}`,
        'continue-on-error': true,
        run: (env.experiment
          ? env.experiment.variants.map(
              (v) =>
                `npm run --silent scores:send -- --env ${env.name} --scores scores-${v}.json --deployment ${shellQuote(env.evaluationDeployment)} --variant ${shellQuote(v)} --source ci`,
            )
          : [
              `npm run --silent scores:send -- --env ${env.name} --scores scores.json --deployment ${shellQuote(env.evaluationDeployment)} --source ci`,
            ]
        ).join('\n'),
      },
      ...(env.experiment ? [decisionOutputStep()] : []),
      {
        uses: ACTIONS.uploadArtifact,
        if: `\${{ !cancelled() }}`,
        with: {
          name: `evaluation-${env.name}`,
          path: [
            ...(env.experiment ? env.experiment.variants.map((v) => `scores-${v}.json`) : ['scores.json']),
            'gate.md',
            ...(env.experiment ? [DECISION_FILE] : []),
            ...(env.synthetic ? [SYNTHETIC_DATASET_FILE] : []),
          ].join('\n'),
          'if-no-files-found': 'ignore',
        },
      },
    ],
    ...(env.experiment ? { outputs: { decision: `\${{ steps.decision.outputs.decision }}` } } : {}),
  };
}

/** Passes the gate's decision to the promotion job when it changes weights (also after a failed gate: a failing candidate is rolled back). */
function decisionOutputStep(): Step {
  return {
    name: 'Pass the decision on when it changes weights',
    id: 'decision',
    if: `\${{ !cancelled() && hashFiles('${DECISION_FILE}') != '' }}`,
    run: [
      "node <<'JS'",
      "const fs = require('node:fs');",
      `const decision = JSON.parse(fs.readFileSync('${DECISION_FILE}', 'utf8'));`,
      `if (decision.changed) fs.appendFileSync(process.env.GITHUB_OUTPUT, \`decision=\${JSON.stringify(decision)}\\n\`);`,
      'JS',
    ].join('\n'),
  };
}

/**
 * The promotion job of an environment with an experiment: when the gate's decision changes weights, it
 * writes them into the config (`npm run promote`) on a branch and opens a pull request, so the weight change
 * is reviewed and deployed like any other change. Hosted runner; the only job that writes to the repository
 * besides the release tag.
 */
function promoteJob(env: PipelineEnvironment): Job {
  const ids = deployJobIds(env);
  return {
    comment: `${env.name}: the gate's candidate-vs-control decision becomes a config change in a pull request (docs/evaluation.md, "Evaluating what ships").`,
    name: `propose the experiment weights of ${env.name}`,
    needs: [ids.evaluate],
    if: `\${{ !cancelled() && needs.${ids.evaluate}.outputs.decision != '' }}`,
    'runs-on': HOSTED_RUNNER,
    permissions: { contents: 'write', 'pull-requests': 'write' },
    steps: [
      checkout({ push: true }),
      ...nodeSetup(),
      {
        name: 'Write the decided weights into the config and open a pull request',
        env: {
          DECISION: `\${{ needs.${ids.evaluate}.outputs.decision }}`,
          BRANCH: `experiment/${env.name}-\${{ github.run_number }}`,
          GH_TOKEN: `\${{ github.token }}`,
        },
        run: [
          `printf '%s' "$DECISION" > ${DECISION_FILE}`,
          `npm run --silent promote -- --decision ${DECISION_FILE}`,
          `rm ${DECISION_FILE}`,
          'git switch -c "$BRANCH"',
          'git -c user.name=github-actions -c user.email=github-actions@users.noreply.github.com commit -am "Experiment weights of ' +
            env.name +
            ' from the evaluation gate"',
          'git push origin "$BRANCH"',
          `gh pr create --base ${MAIN_BRANCH} --head "$BRANCH" --title "Experiment weights of ${env.name} from the evaluation gate" --body "Decided by run $GITHUB_RUN_ID; the decision and its numbers are in that run's job summary."`,
        ].join('\n'),
      },
    ],
  };
}

function releaseJob(env: PipelineEnvironment): Job {
  return {
    comment: `${env.name}: tags the commit that passed the gate (annotated, naming this run); a rollback redeploys the newest such tag.`,
    name: releaseJobName(env),
    needs: [deployJobIds(env).evaluate],
    'runs-on': HOSTED_RUNNER,
    permissions: { contents: 'write' },
    steps: [checkout({ push: true }), tagReleaseStep(env)],
  };
}

function rollbackJob(env: PipelineEnvironment): Job {
  const ids = deployJobIds(env);
  const review =
    env.approval === 'manual' ? ` (it uses "${env.githubEnvironment}", so a reviewer approves it)` : '';
  return {
    comment: `${env.name}: a failed apply or a failed gate redeploys the last good release, the newest ${releaseTagPrefix(env)}* tag${review}.`,
    name: `roll back ${env.name}`,
    needs: [ids.deploy, ids.evaluate],
    if: `\${{ failure() && (needs.${ids.deploy}.result == 'failure' || needs.${ids.evaluate}.result == 'failure') }}`,
    'runs-on': runsOn(env),
    environment: env.githubEnvironment,
    permissions: ROLLBACK_PERMISSIONS,
    env: deployJobEnv(env),
    steps: redeployReleaseSteps(env),
  };
}

/**
 * `lane-<env>.yml`, called by `deploy.yml` (`workflow_call`): deploy `env` (the deployment identity, the
 * environment's runner), evaluate and gate it (the verification identity), tag the release when the
 * gate passes, roll back when the apply or the gate fails. The calling job holds the environment's
 * concurrency group for the whole lane.
 */
export function laneWorkflow(
  plan: PipelinePlan,
  env: PipelineEnvironment,
  previous: PipelineEnvironment | undefined,
): Workflow {
  const ids = deployJobIds(env);
  const jobs: Record<string, Job> = {
    [ids.deploy]: deployJob(env, previous),
    [ids.evaluate]: evaluateJob(env),
    [ids.release]: releaseJob(env),
  };
  if (env.rollback === 'redeploy-last-good') jobs[ids.rollback] = rollbackJob(env);
  if (env.experiment) jobs[`promote-${env.name}`] = promoteJob(env);
  return {
    file: laneFile(env),
    description: [
      `Called by ${DEPLOY_WORKFLOW_FILE}: deploys ${env.name}, evaluates and gates it, tags the release or rolls back.`,
      `${DEPLOY_WORKFLOW_FILE} holds the concurrency group ${deployConcurrency(env)!.group} for the whole lane.`,
    ],
    name: `lane ${env.name}`,
    on: { workflow_call: {} },
    permissions: { contents: 'read' },
    // A called workflow does not inherit the caller's workflow-level env.
    env: configEnv(plan),
    jobs,
  };
}

/**
 * What a lane's jobs need at most: OIDC, tagging, reading workflow runs (rollback verification), and for an
 * environment with an experiment, opening the promotion pull request.
 */
function lanePermissions(env: PipelineEnvironment): Record<string, string> {
  const base = { contents: 'write', 'id-token': 'write', actions: 'read' };
  return env.experiment ? { ...base, 'pull-requests': 'write' } : base;
}

/**
 * `deploy.yml`: on every push to main, the tests, then per environment in promotion order one lane job
 * that calls `lane-<env>.yml` and holds that environment's concurrency group (`deploy-<env>`, shared
 * with the manual rollback) from deploy to release or rollback. The next environment's lane needs the
 * previous lane (its gate). No workflow-wide group: one environment waiting for approval holds up no
 * other's lane.
 */
export function deployWorkflow(plan: PipelinePlan): Workflow {
  const jobs: Record<string, Job> = {
    test: {
      name: 'test',
      'runs-on': HOSTED_RUNNER,
      // No lane deploys before the evaluation it gates on can install its hash-checked requirements.
      steps: [checkout(), evaluationLockCheck(), ...nodeSetup(), { run: 'npm test' }],
    },
  };
  plan.environments.forEach((env, i) => {
    const previous = plan.environments[i - 1];
    jobs[deployJobIds(env).lane] = {
      comment: approvalComment(env, previous),
      name: `${env.name}: deploy, gate, release`,
      needs: [previous ? deployJobIds(previous).lane : 'test'],
      uses: `./${WORKFLOWS_DIR}/${laneFile(env)}`,
      permissions: lanePermissions(env),
      concurrency: deployConcurrency(env),
    };
  });
  return {
    file: DEPLOY_WORKFLOW_FILE,
    description: [
      `Main: deploy ${plan.environments.map((e) => e.name).join(' -> ')}, one lane (lane-<env>.yml) per environment;`,
      'a lane deploys, evaluates and gates, tags release-<env>-<run> or rolls back; the next lane needs it.',
    ],
    name: 'deploy',
    on: { push: { branches: [MAIN_BRANCH] }, workflow_dispatch: {} },
    permissions: { contents: 'read' },
    env: configEnv(plan),
    jobs,
  };
}

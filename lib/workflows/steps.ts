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

/** Least privilege of a job that signs in to Azure with OIDC. */
export const AZURE_OIDC: Permissions = { contents: 'read', 'id-token': 'write' };

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

/** Python and the evaluation scripts' pinned requirements. */
export function pythonSetup(): Step[] {
  return [
    {
      uses: ACTIONS.setupPython,
      with: {
        'python-version': TOOL_VERSIONS.python,
        cache: 'pip',
        'cache-dependency-path': 'evaluation/requirements.txt',
      },
    },
    { run: 'pip install -r evaluation/requirements.txt' },
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

/** The concurrency group every job that changes `env` joins, so deploys and rollbacks never overlap. */
export function deployConcurrency(env: PipelineEnvironment): Job['concurrency'] {
  return { group: `deploy-${env.name}`, 'cancel-in-progress': false };
}

/** Steps that redeploy `env` from the newest `release-<env>-*` tag, or from `TAG` when the job sets it. */
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
    'git checkout --detach "refs/tags/$tag"',
    'echo "tag=$tag" >> "$GITHUB_OUTPUT"',
  ].join('\n');
  return [
    checkout({ fetchAllHistory: true }),
    {
      name: 'Check out the last good release',
      id: 'release',
      env: tagExpression === undefined ? undefined : { REQUESTED_TAG: tagExpression },
      run: find,
    },
    ...nodeSetup(),
    terraformSetup(),
    azureLogin(),
    { name: `Redeploy ${env.name}`, run: `npx cdktf deploy ${env.name} --auto-approve` },
    {
      name: 'Summary',
      env: { TAG: `\${{ steps.release.outputs.tag }}` },
      run: `echo "Rolled ${env.name} back to $TAG." >> "$GITHUB_STEP_SUMMARY"`,
    },
  ];
}

/** Tags a release of `env` that passed its gate: `release-<env>-<run number>`. */
export function releaseTagPrefix(env: PipelineEnvironment): string {
  return `release-${env.name}-`;
}

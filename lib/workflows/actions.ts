/**
 * The third-party actions the generated workflows use: the one table of action pins. Each is pinned to a
 * full commit SHA (a tag can be moved to other code; a commit cannot), and the release it is written
 * next to as a comment (`uses: actions/checkout@<sha> # v4.4.0`), which is what Dependabot
 * (`.github/dependabot.yml`, ecosystem `github-actions`) reads and rewrites when it proposes an update.
 *
 * Every SHA below was read from the action's own repository: the commit its release tag points to
 * (`git rev-parse <tag>^{commit}` in a clone). To bump one: take the new release's commit from the
 * action's repository, change the line, run `npm run workflows`.
 *
 * @see https://docs.github.com/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-third-party-actions
 */

/** A pinned action: `owner/repo[/path]`, the commit and its release tag. */
export interface ActionPin {
  readonly action: string;
  readonly sha: string;
  readonly version: string;
}

/** The pins, by the name the generator uses. */
export const ACTION_PINS = {
  checkout: {
    action: 'actions/checkout',
    sha: '11d5960a326750d5838078e36cf38b85af677262',
    version: 'v4.4.0',
  },
  setupNode: {
    action: 'actions/setup-node',
    sha: '49933ea5288caeca8642d1e84afbd3f7d6820020',
    version: 'v4.4.0',
  },
  setupPython: {
    action: 'actions/setup-python',
    sha: 'a26af69be951a213d495a4c3e4e4022e16d87065',
    version: 'v5.6.0',
  },
  setupTerraform: {
    action: 'hashicorp/setup-terraform',
    sha: 'b9cd54a3c349d3f38e8881555d616ced269862dd',
    version: 'v3.1.2',
  },
  azureLogin: { action: 'azure/login', sha: '7184910d9eb2b1c5e48f7073824a90609bb9b6d6', version: 'v2.3.1' },
  // AWS environments: OIDC web identity into the role of the job's GitHub environment (v6.2.3 is a
  // lightweight tag on this commit, read in a clone of aws-actions/configure-aws-credentials).
  configureAwsCredentials: {
    action: 'aws-actions/configure-aws-credentials',
    sha: 'e6de054238d6b7531b4efff3b6587d9aade6a06c',
    version: 'v6.2.3',
  },
  githubScript: {
    action: 'actions/github-script',
    sha: 'f28e40c7f34bde8b3046d885e986cb6290c5673b',
    version: 'v7.1.0',
  },
  uploadArtifact: {
    action: 'actions/upload-artifact',
    sha: 'ea165f8d65b6e75b540449e92b4886f43607fa02',
    version: 'v4.6.2',
  },
  downloadArtifact: {
    action: 'actions/download-artifact',
    sha: 'd3f86a106a0bac45b974a628896c90dbdf5c8093',
    version: 'v4.3.0',
  },
  cache: { action: 'actions/cache', sha: '0057852bfaa89a56745cba8c7296529d2fc39830', version: 'v4.3.0' },
} as const satisfies Record<string, ActionPin>;

/** `uses:` values by name: `owner/repo@<sha>`. */
export const ACTIONS = Object.fromEntries(
  Object.entries(ACTION_PINS).map(([name, pin]) => [name, `${pin.action}@${pin.sha}`]),
) as { readonly [K in keyof typeof ACTION_PINS]: string };

/** The release a pinned `uses:` value stands for (its version comment), or undefined when it is not pinned here. */
export function pinnedVersion(uses: string): string | undefined {
  return Object.values(ACTION_PINS).find((pin) => `${pin.action}@${pin.sha}` === uses)?.version;
}

/** A full commit SHA, as GitHub resolves it for `uses:`. */
export const COMMIT_SHA = /^[0-9a-f]{40}$/;

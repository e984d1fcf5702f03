import {
  ACTIONS,
  checkout,
  EVALUATION_REQUIREMENTS_INPUT,
  EVALUATION_REQUIREMENTS_LOCK,
  HOSTED_RUNNER,
  MAIN_BRANCH,
  PIP_COMPILE_COMMAND,
  PIP_TOOLS_VERSION,
  TOOL_VERSIONS,
} from './steps';
import type { Workflow } from './types';

/**
 * `python-lock.yml`: writes the hash-checked lock of the evaluation requirements
 * ({@link EVALUATION_REQUIREMENTS_LOCK}) with pip-tools and opens a pull request with it into the branch
 * it ran on. By hand (once before the first deploy, and whenever the lock must be refreshed) and on a
 * push to main that changes {@link EVALUATION_REQUIREMENTS_INPUT} without its lock. Hosted runner, no
 * Azure; it only writes a branch and a pull request. A pull request opened with the workflow token
 * starts no workflow: close and reopen it to run the checks.
 */
export function pythonLockWorkflow(): Workflow {
  return {
    file: 'python-lock.yml',
    description: [
      `Writes ${EVALUATION_REQUIREMENTS_LOCK} (pip-compile --generate-hashes) from ${EVALUATION_REQUIREMENTS_INPUT}`,
      'and opens a pull request with it. By hand, and when the input changes on main.',
    ],
    name: 'python-lock',
    on: {
      workflow_dispatch: {},
      push: { branches: [MAIN_BRANCH], paths: [EVALUATION_REQUIREMENTS_INPUT] },
    },
    permissions: { contents: 'read' },
    jobs: {
      lock: {
        name: 'lock the evaluation requirements',
        'runs-on': HOSTED_RUNNER,
        permissions: { contents: 'write', 'pull-requests': 'write' },
        steps: [
          checkout({ push: true }),
          // The Python the evaluation jobs install with: the lock lists hashes of every file of each
          // pinned version, so it serves any platform, but markers are resolved for this version.
          { uses: ACTIONS.setupPython, with: { 'python-version': TOOL_VERSIONS.python } },
          { run: `pip install pip-tools==${PIP_TOOLS_VERSION}` },
          { name: 'Compile the lock', run: PIP_COMPILE_COMMAND },
          {
            name: 'Open a pull request with the lock',
            env: {
              BRANCH: `python-lock/\${{ github.run_number }}`,
              BASE: `\${{ github.ref_name }}`,
              GH_TOKEN: `\${{ github.token }}`,
            },
            run: [
              `if git diff --quiet -- ${EVALUATION_REQUIREMENTS_LOCK} && git ls-files --error-unmatch ${EVALUATION_REQUIREMENTS_LOCK} >/dev/null 2>&1; then`,
              `  echo "${EVALUATION_REQUIREMENTS_LOCK} is up to date." >> "$GITHUB_STEP_SUMMARY"`,
              '  exit 0',
              'fi',
              'git switch -c "$BRANCH"',
              `git add ${EVALUATION_REQUIREMENTS_LOCK}`,
              `git -c user.name=github-actions -c user.email=github-actions@users.noreply.github.com commit -m "Lock the evaluation requirements (${EVALUATION_REQUIREMENTS_LOCK})"`,
              'git push origin "$BRANCH"',
              `gh pr create --base "$BASE" --head "$BRANCH" --title "Lock the evaluation requirements" --body "pip-compile --generate-hashes of ${EVALUATION_REQUIREMENTS_INPUT} (run $GITHUB_RUN_ID). Close and reopen this pull request to run its checks."`,
            ].join('\n'),
          },
        ],
      },
    },
  };
}

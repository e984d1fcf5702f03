import strykerConfig from '../../stryker.config.json';
import { ACTIONS, checkout, HOSTED_RUNNER, MAIN_BRANCH, nodeSetup, shellQuote } from './steps';
import type { Job, Workflow } from './types';

/** When the scheduled run starts: Mondays 03:17 UTC (off the hour, when runners are less busy). */
export const MUTATION_SCHEDULE = '17 3 * * 1';

/** What the mutation workflow reads from `stryker.config.json` (the one home of the module list). */
export interface MutationSettings {
  /** Globs of the mutated modules (Stryker `mutate`); each becomes one job with its own threshold. */
  readonly modules: readonly string[];
  /** Globs of the tests Stryker runs against them (the Stryker-only jest `testMatch`, `<rootDir>/...`). */
  readonly tests: readonly string[];
  /** The mutation score (%) under which a run fails (Stryker `thresholds.break`). */
  readonly breakThreshold: number;
  /** The jest config files a Stryker run reads (its `jest.configFile` and the config that one extends). */
  readonly jestConfigFiles?: readonly string[];
}

/** The settings of the repository's `stryker.config.json`. */
export const MUTATION_SETTINGS: MutationSettings = {
  modules: strykerConfig.mutate,
  tests: strykerConfig.jest.config.testMatch,
  breakThreshold: strykerConfig.thresholds.break,
  // jest.spec.config.js spreads jest.config.js
  jestConfigFiles: [...new Set(['jest.config.js', strykerConfig.jest.configFile])],
};

/**
 * The folder a glob lives in, as a `paths` filter: `constructs/policy/rules/*.ts` and `constructs/policy/rules/x.ts`
 * give `constructs/policy/rules/**`; `<rootDir>/test/plan-diff/**\/*.spec.ts` gives `test/plan-diff/**`.
 */
export function folderFilter(glob: string): string {
  const segments = glob.replace(/^<rootDir>\//, '').split('/');
  const wildcard = segments.findIndex((s) => s.includes('*'));
  const folder = wildcard === -1 ? segments.slice(0, -1) : segments.slice(0, wildcard);
  return `${folder.join('/')}/**`;
}

/** A job id for a module: `lib/plan-diff/rules.ts` -> `plan-diff-rules`, `constructs/policy/rules/*.ts` -> `policy-rules`. */
export function moduleSlug(glob: string): string {
  return glob
    .replace(/^(lib|constructs)\//, '')
    .replace(/\/?\*[^/]*$/, '')
    .replace(/\.ts$/, '')
    .replace(/[^a-z0-9]+/gi, '-')
    .toLowerCase();
}

/**
 * `mutation.yml`: mutation testing (Stryker, `npm run test:mutation`) of the merge-blocking and security
 * logic, one job per module so each must reach the `break` threshold of `stryker.config.json` on its own.
 * Weekly, by hand, and on pull requests to main that touch a mutated module's folder, its tests or the
 * Stryker config. Not part of `npm test`: it takes minutes per module. Read-only; the HTML report is kept
 * as an artifact.
 */
export function mutationWorkflow(settings: MutationSettings = MUTATION_SETTINGS): Workflow {
  const jobs: Record<string, Job> = {};
  for (const module of settings.modules) {
    const slug = moduleSlug(module);
    jobs[`mutation-${slug}`] = {
      name: `mutation testing ${module}`,
      'runs-on': HOSTED_RUNNER,
      steps: [
        checkout(),
        ...nodeSetup(),
        { name: `Stryker over ${module}`, run: `npm run test:mutation -- --mutate ${shellQuote(module)}` },
        {
          uses: ACTIONS.uploadArtifact,
          if: `\${{ !cancelled() }}`,
          with: {
            name: `mutation-report-${slug}`,
            path: 'reports/mutation/mutation.html',
            'if-no-files-found': 'ignore',
            'retention-days': 14,
          },
        },
      ],
    };
  }
  const paths = [
    ...new Set([...settings.modules, ...settings.tests].map(folderFilter)),
    'stryker.config.json',
    ...(settings.jestConfigFiles ?? ['jest.config.js']),
    'package-lock.json',
  ];
  return {
    file: 'mutation.yml',
    description: [
      'Mutation testing (Stryker) of the plan-diff rules, the evaluation gate, naming and the policy rules:',
      `weekly, by hand, and on pull requests that touch them. Each module must kill ${settings.breakThreshold}% of its mutants.`,
    ],
    name: 'mutation testing',
    on: {
      schedule: [{ cron: MUTATION_SCHEDULE }],
      workflow_dispatch: {},
      pull_request: { branches: [MAIN_BRANCH], paths },
    },
    permissions: { contents: 'read' },
    concurrency: { group: `mutation-\${{ github.ref }}`, 'cancel-in-progress': true },
    jobs,
  };
}

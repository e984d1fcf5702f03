import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse } from 'yaml';
import {
  ACTIONS,
  folderFilter,
  MUTATION_SCHEDULE,
  MUTATION_SETTINGS,
  moduleSlug,
  mutationWorkflow,
} from '../../lib/workflows';
import { renderWorkflow } from '../../lib/workflows/render';
import strykerConfig from '../../stryker.config.json';

const REPO = join(__dirname, '../..');

/** Files a `mutate` glob of the simple forms used here (`dir/file.ts`, `dir/*.ts`) matches. */
function filesOf(glob: string): string[] {
  const dir = join(REPO, dirname(glob));
  if (!existsSync(dir)) return [];
  const name = basename(glob);
  const pattern = new RegExp(`^${name.replace(/\./g, '\\.').replace(/\*/g, '[^/]*')}$`);
  return readdirSync(dir).filter((f) => pattern.test(f));
}

describe('mutation.yml', () => {
  const wf = mutationWorkflow();
  const parsed = parse(renderWorkflow(wf, 'config/environments.yaml')) as {
    on: { schedule: { cron: string }[]; pull_request: { branches: string[]; paths: string[] } };
    jobs: Record<
      string,
      { 'runs-on': string; steps: { run?: string; uses?: string; with?: Record<string, unknown> }[] }
    >;
  };

  test('one job per mutated module of stryker.config.json, each running npm run test:mutation on that module', () => {
    expect(Object.keys(parsed.jobs)).toEqual(
      MUTATION_SETTINGS.modules.map((m) => `mutation-${moduleSlug(m)}`),
    );
    expect(Object.values(parsed.jobs).map((job) => job.steps.flatMap((s) => (s.run ? [s.run] : [])))).toEqual(
      MUTATION_SETTINGS.modules.map((m) => [
        'npm ci',
        `npm run test:mutation -- --mutate ${m.includes('*') ? `'${m}'` : m}`,
      ]),
    );
  });

  test('each job keeps its HTML report under its own artifact name, read-only, without Azure', () => {
    const artifacts = Object.values(parsed.jobs).map(
      (job) => job.steps!.find((s) => s.uses === ACTIONS.uploadArtifact)?.with?.name,
    );
    expect(new Set(artifacts).size).toBe(MUTATION_SETTINGS.modules.length);
    expect(wf.permissions).toEqual({ contents: 'read' });
    for (const job of Object.values(wf.jobs)) {
      expect(job.permissions).toBeUndefined();
      expect(job.steps!.some((s) => s.uses === ACTIONS.azureLogin)).toBe(false);
    }
  });

  test('runs weekly, by hand, and on pull requests to main that touch a mutated module or its tests', () => {
    expect(parsed.on.schedule).toEqual([{ cron: MUTATION_SCHEDULE }]);
    // a cron that fires once a week: fixed minute, hour and weekday, any day of month and month
    expect(MUTATION_SCHEDULE).toMatch(/^\d{1,2} \d{1,2} \* \* [0-6]$/);
    expect(wf.on).toHaveProperty('workflow_dispatch');
    expect(parsed.on.pull_request.branches).toEqual(['main']);
    expect(parsed.on.pull_request.paths).toEqual([
      'lib/plan-diff/rules/**',
      'lib/evaluation/**',
      'constructs/core/**',
      'constructs/policy/rules/**',
      'test/plan-diff/**',
      'test/policy/**',
      'test/evaluation/**',
      'test/core/**',
      'stryker.config.json',
      'jest.config.js',
      'jest.spec.config.js',
      'package-lock.json',
    ]);
  });

  test('takes its modules, tests and threshold from the settings it is given', () => {
    const custom = mutationWorkflow({
      modules: ['lib/x/y.ts'],
      tests: ['<rootDir>/test/x/**/*.spec.ts'],
      breakThreshold: 90,
    });
    expect(Object.keys(custom.jobs)).toEqual(['mutation-x-y']);
    expect((custom.on.pull_request as { paths: string[] }).paths.slice(0, 2)).toEqual([
      'lib/x/**',
      'test/x/**',
    ]);
    expect(custom.description.join(' ')).toContain('Each module must kill 90% of its mutants.');
  });

  test.each([
    ['lib/plan-diff/rules.ts', 'lib/plan-diff/**'],
    ['constructs/policy/rules/*.ts', 'constructs/policy/rules/**'],
    ['<rootDir>/test/plan-diff/**/*.spec.ts', 'test/plan-diff/**'],
    ['<rootDir>/test/evaluation/gate*.spec.ts', 'test/evaluation/**'],
  ])('the paths filter of %s is %s', (glob, filter) => {
    expect(folderFilter(glob)).toBe(filter);
  });

  test.each([
    ['lib/plan-diff/rules.ts', 'plan-diff-rules'],
    ['constructs/policy/rules/*.ts', 'policy-rules'],
    ['constructs/core/naming.ts', 'core-naming'],
  ])('the job of %s is mutation-%s', (glob, slug) => {
    expect(moduleSlug(glob)).toBe(slug);
  });
});

describe('stryker.config.json', () => {
  test('every mutated module exists (a misspelt glob would mutate nothing and pass)', () => {
    expect(MUTATION_SETTINGS.modules.filter((glob) => filesOf(glob).length === 0)).toEqual([]);
  });

  test('needs no TypeScript compiler API: no checker, and no tsconfig for Stryker to rewrite', () => {
    // TypeScript 7 has no JavaScript API; Stryker's tsconfig rewriting calls ts.parseConfigFileTextToJson
    expect(strykerConfig.checkers).toEqual([]);
    expect(existsSync(join(REPO, strykerConfig.tsconfigFile))).toBe(false);
  });

  test("jest's roots take in the mutated sources, so tests that reach them indirectly are related", () => {
    const roots = strykerConfig.jest.config.roots.map((r) => r.replace('<rootDir>/', ''));
    expect(MUTATION_SETTINGS.modules.filter((m) => !roots.some((root) => m.startsWith(`${root}/`)))).toEqual(
      [],
    );
  });

  test('npm run test:mutation runs Stryker; npm test does not', () => {
    const { scripts } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(scripts['test:mutation']).toBe('stryker run');
    expect(scripts.test).not.toContain('stryker');
  });
});

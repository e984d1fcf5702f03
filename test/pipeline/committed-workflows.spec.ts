import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode } from '../../lib/cli/exit';
import { DEFAULT_CONFIG_FILE, parseConfig } from '../../lib/config/load';
import { GENERATED_MARKER, generateWorkflows, WORKFLOWS_DIR } from '../../lib/workflows';
import { workflowsMain } from '../../lib/workflows/cli';

const REPO = join(__dirname, '../..');

/** The committed config, named as `npm run workflows` names it (relative to the repository root). */
const loadRepoConfig = (file = DEFAULT_CONFIG_FILE) =>
  parseConfig(readFileSync(join(REPO, file), 'utf8'), file);

describe(`committed ${WORKFLOWS_DIR}`, () => {
  test('are exactly what config/environments.yaml generates (if not: npm run workflows, then commit)', () => {
    const files = generateWorkflows(loadRepoConfig());
    expect(files.map((f) => f.path).sort()).toEqual([
      `${WORKFLOWS_DIR}/continuous-evaluation.yml`,
      `${WORKFLOWS_DIR}/deploy.yml`,
      `${WORKFLOWS_DIR}/lane-aws-dev.yml`,
      `${WORKFLOWS_DIR}/lane-dev.yml`,
      `${WORKFLOWS_DIR}/lane-prod.yml`,
      `${WORKFLOWS_DIR}/lane-staging.yml`,
      `${WORKFLOWS_DIR}/mutation.yml`,
      `${WORKFLOWS_DIR}/pr.yml`,
      `${WORKFLOWS_DIR}/python-lock.yml`,
      `${WORKFLOWS_DIR}/rollback.yml`,
    ]);
    for (const file of files) {
      const committed = join(REPO, file.path);
      expect([file.path, existsSync(committed)]).toEqual([file.path, true]);
      expect([file.path, readFileSync(committed, 'utf8')]).toEqual([file.path, file.content]);
    }
  });

  test('hold no generated workflow the config no longer produces', () => {
    const produced = new Set(generateWorkflows(loadRepoConfig()).map((f) => f.path));
    const generated = readdirSync(join(REPO, WORKFLOWS_DIR))
      .map((name) => `${WORKFLOWS_DIR}/${name}`)
      .filter((path) => readFileSync(join(REPO, path), 'utf8').startsWith(`# ${GENERATED_MARKER}`));
    expect(generated.filter((p) => !produced.has(p))).toEqual([]);
  });

  test('npm run workflows -- --check passes: actionlint clean and up to date', async () => {
    const out: string[] = [];
    const code = await workflowsMain(['--check', '--out', join(REPO, WORKFLOWS_DIR)], {
      loadConfig: loadRepoConfig,
      stdout: (t) => out.push(t),
      cwd: REPO,
    });
    expect(code).toBe(ExitCode.Success);
    expect(out.join('')).toContain('workflows up to date');
  });
});

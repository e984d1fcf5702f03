import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode, reportError } from '../../lib/cli/exit';
import { loadConfig } from '../../lib/config/load';
import { GENERATED_MARKER } from '../../lib/workflows';
import { workflowsMain } from '../../lib/workflows/cli';

const CONFIG = `defaults:
  workload: llmops
  namingSeed: test
  location: swedencentral
  tags: { owner: test-team }
  state: { backend: azurerm }
  pipeline:
    github: { repository: contoso/llmops-platform }
environments:
  dev:
    profile: development
  prod:
    profile: production
    models: { azure: { secondaryLocations: [germanywestcentral] } }
    pipeline:
      runner: { labels: [self-hosted, llmops-prod] }
`;

let dir: string;
let out: string;
let configFile: string;
let stdout: string[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'workflows-cli-'));
  out = join(dir, 'workflows');
  configFile = join(dir, 'environments.yaml');
  writeFileSync(configFile, CONFIG);
  stdout = [];
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the command and returns its exit code and the stderr text, as `runMain` would report them. */
async function run(...argv: string[]): Promise<{ code: ExitCode; stderr: string }> {
  let stderr = '';
  try {
    const code = await workflowsMain([...argv, '--out', out], {
      loadConfig,
      stdout: (t) => stdout.push(t),
      cwd: dir,
    });
    return { code, stderr };
  } catch (error) {
    const code = reportError(error, (t) => {
      stderr += t;
    });
    return { code, stderr };
  }
}

describe('npm run workflows', () => {
  test('writes the workflows, names the config relative to the working directory, and lists what it did', async () => {
    // WHEN run on a fresh directory
    expect((await run('--config', configFile)).code).toBe(ExitCode.Success);
    // THEN the files exist, with the header naming the config as the user sees it
    expect(readdirSync(out).sort()).toEqual([
      'continuous-evaluation.yml',
      'deploy.yml',
      'lane-dev.yml',
      'lane-prod.yml',
      'mutation.yml',
      'pr.yml',
      'python-lock.yml',
      'rollback.yml',
    ]);
    expect(readFileSync(join(out, 'deploy.yml'), 'utf8').split('\n')[0]).toBe(
      `# ${GENERATED_MARKER} environments.yaml; do not edit`,
    );
    expect(stdout.join('')).toContain(`created   ${join(out, 'deploy.yml')}`);
    // AND a second run changes nothing
    stdout = [];
    expect((await run('--config', configFile)).code).toBe(ExitCode.Success);
    expect(stdout.join('')).toContain(`unchanged ${join(out, 'deploy.yml')}`);
  });

  test('--check passes when the files are up to date and writes nothing', async () => {
    await run('--config', configFile);
    const before = readFileSync(join(out, 'pr.yml'), 'utf8');
    expect((await run('--config', configFile, '--check')).code).toBe(ExitCode.Success);
    expect(readFileSync(join(out, 'pr.yml'), 'utf8')).toBe(before);
    expect(stdout.at(-1)).toBe(`workflows up to date (8 files in ${out})\n`);
  });

  test('--check fails (exit 1) listing a file edited by hand, and one that is missing', async () => {
    // GIVEN generated files, one edited and one deleted
    await run('--config', configFile);
    writeFileSync(join(out, 'deploy.yml'), `${readFileSync(join(out, 'deploy.yml'), 'utf8')}# edited\n`);
    rmSync(join(out, 'rollback.yml'));
    // WHEN checked
    const { code, stderr } = await run('--config', configFile, '--check');
    // THEN exit 1, naming both, and nothing is rewritten
    expect(code).toBe(ExitCode.CheckFailed);
    expect(stderr).toContain('workflows are stale; run npm run workflows and commit the result:');
    expect(stderr).toContain(`${join(out, 'deploy.yml')}: differs from what the config generates`);
    expect(stderr).toContain(`${join(out, 'rollback.yml')}: differs from what the config generates`);
    expect(existsSync(join(out, 'rollback.yml'))).toBe(false);
  });

  test('a generated file the config no longer produces: --check fails, a run removes it; hand-written ones stay', async () => {
    // GIVEN continuous evaluation turned off after generating, and a hand-written workflow
    await run('--config', configFile);
    writeFileSync(join(out, 'codeql.yml'), 'name: codeql\n');
    writeFileSync(
      configFile,
      CONFIG.replace('      runner:', '      continuousEvaluation: { enabled: false }\n      runner:'),
    );
    // WHEN checked, THEN the leftover is reported
    const check = await run('--config', configFile, '--check');
    expect(check.code).toBe(ExitCode.CheckFailed);
    expect(check.stderr).toContain(
      `${join(out, 'continuous-evaluation.yml')}: generated earlier, no longer produced by the config`,
    );
    // WHEN generated, THEN it is removed and the hand-written file kept
    expect((await run('--config', configFile)).code).toBe(ExitCode.Success);
    expect(readdirSync(out).sort()).toEqual([
      'codeql.yml',
      'deploy.yml',
      'lane-dev.yml',
      'lane-prod.yml',
      'mutation.yml',
      'pr.yml',
      'python-lock.yml',
      'rollback.yml',
    ]);
  });

  test('exits 2 on a config that does not load', async () => {
    writeFileSync(configFile, 'environments:\n  dev:\n    location: mars\n');
    const { code, stderr } = await run('--config', configFile);
    expect(code).toBe(ExitCode.BadInput);
    expect(stderr).toContain(`Invalid environment config ${configFile}`);
    expect(existsSync(out)).toBe(false);
  });

  test('exits 2 on a config that cannot drive a pipeline, naming the field', async () => {
    writeFileSync(
      configFile,
      CONFIG.replace('    github: { repository: contoso/llmops-platform }\n', '    approval: auto\n'),
    );
    const { code, stderr } = await run('--config', configFile);
    expect(code).toBe(ExitCode.BadInput);
    expect(stderr).toContain(
      'environments.dev.pipeline.github.repository: is required to generate workflows',
    );
  });

  test('exits 2 on an unknown flag', async () => {
    const { code, stderr } = await run('--config', configFile, '--force');
    expect(code).toBe(ExitCode.BadInput);
    expect(stderr).toContain('unknown flag --force');
  });

  test('exits 1 when actionlint reports a finding, and writes nothing', async () => {
    const lint = async () => [
      {
        file: '.github/workflows/pr.yml',
        line: 3,
        column: 5,
        message: 'something is wrong',
        kind: 'syntax-check',
      },
    ];
    let stderr = '';
    const code = await workflowsMain(['--config', configFile, '--out', out], {
      loadConfig,
      stdout: () => {},
      cwd: dir,
      lint,
    }).catch((e) =>
      reportError(e, (t) => {
        stderr += t;
      }),
    );
    expect(code).toBe(ExitCode.CheckFailed);
    expect(stderr).toContain(
      'actionlint found 1 problem(s) in the generated workflows:\n  .github/workflows/pr.yml:3:5: something is wrong [syntax-check]',
    );
    expect(existsSync(out)).toBe(false);
  });
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import { type ExitCode, reportError } from '../../lib/cli/exit';
import { planDiffMain } from '../../lib/plan-diff/cli';
import { removeTempDirs, stackJson, tempDir, writeSynthDir } from './helpers';

const SAMPLE = path.join('test', 'fixtures', 'plan-diff', 'sample');
const BASE = path.join(SAMPLE, 'base');
const HEAD = path.join(SAMPLE, 'head');

interface Run {
  readonly code: ExitCode;
  readonly stdout: string;
  readonly stderr: string;
  readonly files: Record<string, string>;
}

/** Runs the command like `runMain` does: errors map to their exit code and print on stderr. */
function run(...argv: string[]): Run {
  let stdout = '';
  let stderr = '';
  const files: Record<string, string> = {};
  const io = {
    stdout: (t: string) => {
      stdout += t;
    },
    stderr: (t: string) => {
      stderr += t;
    },
    writeFile: (file: string, text: string) => {
      files[file] = text;
    },
  };
  let code: ExitCode;
  try {
    code = planDiffMain(argv, io);
  } catch (error) {
    code = reportError(error, io.stderr);
  }
  return { code, stdout, stderr, files };
}

const KEY_VAULT = {
  azurerm_key_vault: { Kv: { name: 'kv-dev', location: 'swedencentral', resource_group_name: 'rg' } },
};

afterEach(removeTempDirs);

describe('plan:diff exit codes', () => {
  test('exit 0 when nothing is blocking; --output gets the same Markdown', () => {
    // GIVEN two outputs that differ only by a tag
    const base = writeSynthDir(tempDir(), { dev: stackJson(KEY_VAULT) });
    const tagged = { azurerm_key_vault: { Kv: { ...KEY_VAULT.azurerm_key_vault.Kv, tags: { env: 'dev' } } } };
    const head = writeSynthDir(tempDir(), { dev: stackJson(tagged) });
    // WHEN compared with --output
    const result = run('--base', base, '--head', head, '--output', 'out/plan-diff.md');
    // THEN exit 0, the report is printed and written
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('**No blocking changes.**');
    expect(result.stdout).toContain('tags.env: (absent) -> "dev"');
    expect(result.files).toEqual({ 'out/plan-diff.md': result.stdout });
  });

  test('exit 1 when a blocking change is not acknowledged', () => {
    const result = run('--base', BASE, '--head', HEAD);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'plan-diff: 2 blocking change(s) not acknowledged; review them, then re-run with --allow <address>\n',
    );
  });

  test('exit 0 when every blocking change is acknowledged with --allow', () => {
    const result = run(
      '--base',
      BASE,
      '--head',
      HEAD,
      '--allow',
      'azurerm_search_service.Search',
      '--allow',
      'dev:azurerm_key_vault.Kv',
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      '**All 2 blocking changes acknowledged with --allow.** 3 notable changes.',
    );
    expect(result.stdout.match(/acknowledged with --allow\*\*/g)).toHaveLength(2);
  });

  test('an unused --allow is warned about on stderr', () => {
    const result = run('--base', BASE, '--head', HEAD, '--allow', 'azurerm_key_vault.Typo');
    expect(result.stderr).toContain(
      'plan-diff: warning: --allow azurerm_key_vault.Typo matched no blocking change',
    );
  });

  test('exit 1 when a stack is removed: that is destruction', () => {
    const base = writeSynthDir(tempDir(), { dev: stackJson(KEY_VAULT), prod: stackJson(KEY_VAULT) });
    const head = writeSynthDir(tempDir(), { dev: stackJson(KEY_VAULT) });
    const result = run('--base', base, '--head', head);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('- `prod`: stack removed: all 1 resources in it are destroyed');
    expect(result.stdout).toContain('| `prod` (removed) | 0 | 0 | 0 | 0 | 1 |');
  });

  test('stacks are found without manifest.json too', () => {
    const base = writeSynthDir(tempDir(), { dev: stackJson(KEY_VAULT) }, false);
    const head = writeSynthDir(tempDir(), { dev: stackJson({}) }, false);
    expect(run('--base', base, '--head', head).code).toBe(1);
  });
});

describe('plan:diff bad input exits 2 naming the path', () => {
  test('fails when a directory is missing', () => {
    const head = writeSynthDir(tempDir(), { dev: stackJson(KEY_VAULT) });
    const result = run('--base', 'no/such/cdktf.out', '--head', head);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'error: no/such/cdktf.out: directory not found (expected a cdktf synth output or an AWS cloud assembly)\n',
    );
  });

  test('fails when both directories are missing, naming both', () => {
    const result = run('--base', 'missing-a', '--head', 'missing-b');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('missing-a: directory not found');
    expect(result.stderr).toContain('missing-b: directory not found');
  });

  test('fails when a directory holds no stacks', () => {
    const empty = tempDir();
    const result = run('--base', empty, '--head', HEAD);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${empty}: no stacks found`);
  });

  test('fails when a stack file is not valid JSON', () => {
    const base = writeSynthDir(tempDir(), { dev: stackJson(KEY_VAULT) });
    const file = path.join(base, 'stacks', 'dev', 'cdk.tf.json');
    fs.writeFileSync(file, '{ "resource": ');
    const result = run('--base', base, '--head', HEAD);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error: ${file}: invalid JSON (`);
  });

  test('fails when manifest.json is not valid JSON', () => {
    const base = writeSynthDir(tempDir(), { dev: stackJson(KEY_VAULT) });
    fs.writeFileSync(path.join(base, 'manifest.json'), 'not json');
    const result = run('--base', base, '--head', HEAD);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${path.join(base, 'manifest.json')}: invalid JSON`);
  });

  test('fails when the manifest lists a stack whose file is missing', () => {
    const base = writeSynthDir(tempDir(), { dev: stackJson(KEY_VAULT) });
    fs.rmSync(path.join(base, 'stacks', 'dev', 'cdk.tf.json'));
    const result = run('--base', base, '--head', HEAD);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${path.join(base, 'stacks', 'dev', 'cdk.tf.json')}: stack file not found`,
    );
  });

  test('fails when a stack is malformed, naming the file and the section', () => {
    const base = writeSynthDir(tempDir(), {
      dev: { resource: { azurerm_key_vault: 'oops' }, moved: [{ from: 1 }] },
    });
    const result = run('--base', base, '--head', HEAD);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(path.join(base, 'stacks', 'dev', 'cdk.tf.json'));
    expect(result.stderr).toContain('resource.azurerm_key_vault: must be an object of named blocks');
    expect(result.stderr).toContain('moved[0]: must be { "from": <address>, "to": <address> }');
  });

  test('fails when --head is missing', () => {
    const result = run('--base', BASE);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--head required');
  });

  test('fails on an unknown flag', () => {
    const result = run('--base', BASE, '--head', HEAD, '--force');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown flag --force');
  });

  test('fails when --output cannot be written', () => {
    let stderr = '';
    let code: ExitCode;
    const io = {
      stdout: () => undefined,
      stderr: (t: string) => {
        stderr += t;
      },
      writeFile: () => {
        throw Object.assign(new Error('denied'), { code: 'EACCES' });
      },
    };
    try {
      code = planDiffMain(['--base', BASE, '--head', HEAD, '--output', '/read-only/report.md'], io);
    } catch (error) {
      code = reportError(error, io.stderr);
    }
    expect(code).toBe(2);
    expect(stderr).toBe('error: --output /read-only/report.md: cannot be written (EACCES)\n');
  });
});

describe('plan:diff --help', () => {
  test('prints usage and exits 0', () => {
    const result = run('--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('usage: npm run plan:diff -- --base <dir> --head <dir>');
  });
});

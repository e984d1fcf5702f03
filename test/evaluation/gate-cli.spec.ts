import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '../../constructs/core/errors';
import { ExitCode, reportError } from '../../lib/cli/exit';
import { loadConfig } from '../../lib/config/load';
import type { EvaluationConfigSource } from '../../lib/evaluation/config';
import { gateMain } from '../../lib/evaluation/gate-cli';

const FIXTURES = 'test/fixtures/evaluation';

/** A small config: dev gates the five quality metrics plus latency; prod is stricter on groundedness. */
const CONFIG: EvaluationConfigSource = {
  file: 'config/test-environments.yaml',
  environments: {
    dev: {
      evaluation: {
        dataset: 'evaluation/data/qa.jsonl',
        evaluators: ['groundedness', 'relevance', 'coherence', 'fluency', 'similarity'],
        thresholds: {
          groundedness: { value: 4, direction: 'min', required: true },
          relevance: { value: 4, direction: 'min', required: true },
          coherence: { value: 4, direction: 'min', required: true },
          fluency: { value: 3.5, direction: 'min', required: false },
          latencyP95Ms: { value: 5000, direction: 'max', required: false },
        },
      },
    },
    prod: {
      evaluation: {
        dataset: 'evaluation/data/qa.jsonl',
        evaluators: ['groundedness'],
        thresholds: { groundedness: { value: 4.5, direction: 'min', required: true } },
      },
    },
  },
};

interface Run {
  code: ExitCode;
  stdout: string;
  stderr: string;
  configFiles: Array<string | undefined>;
}

/** Runs the command the way `runMain` does: a thrown error becomes its exit code and a message on stderr. */
async function run(argv: string[], env: Record<string, string> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const configFiles: Array<string | undefined> = [];
  const loadConfig = (file?: string) => {
    configFiles.push(file);
    if (file === 'config/missing.yaml') {
      throw new ValidationError('Invalid config config/missing.yaml', [
        { path: '', message: 'no such file' },
      ]);
    }
    return CONFIG;
  };
  let code: ExitCode;
  try {
    code = await gateMain(argv, { loadConfig, env, stdout: (t) => (stdout += t) });
  } catch (error) {
    code = reportError(error, (t) => (stderr += t));
  }
  return { code, stdout, stderr, configFiles };
}

function tempFile(name: string, content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'gate-')), name);
  writeFileSync(file, content);
  return file;
}

describe('gate command', () => {
  test('exits 0 for passing SDK output and prints the table', async () => {
    // GIVEN the SDK's output file and the dev thresholds
    // WHEN the gate runs
    const r = await run(['--env', 'dev', '--scores', `${FIXTURES}/sdk-output.json`]);
    // THEN fluency (3.67 >= 3.5) and latency (2870 <= 5000) pass too; pass rates are listed, not gated
    expect(r.code).toBe(ExitCode.Success);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('scores: test/fixtures/evaluation/sdk-output.json (azure-ai-evaluation)');
    expect(r.stdout).toContain('groundedness            4.333333  4          min (>=)   yes       pass');
    expect(r.stdout).toContain('latencyP95Ms            2870      5000       max (<=)   no        pass');
    expect(r.stdout).toContain('similarity_pass_rate    0.67      -          -          -         not gated');
    expect(r.stdout).toContain('Result: PASSED (5 passed, 6 not gated)');
  });

  test('exits 0 for the plain format', async () => {
    const r = await run(['--env', 'dev', '--scores', `${FIXTURES}/plain-scores.json`]);
    expect(r.code).toBe(ExitCode.Success);
    expect(r.stdout).toContain('(plain)');
    expect(r.stdout).toContain('Result: PASSED (5 passed, 1 not gated)');
  });

  test('exits 1 when a required metric misses its threshold, and says which', async () => {
    // GIVEN prod requires groundedness >= 4.5 and the SDK output has 4.33
    const r = await run(['--env', 'prod', '--scores', `${FIXTURES}/sdk-output.json`]);
    expect(r.code).toBe(ExitCode.CheckFailed);
    expect(r.stdout).toContain('Result: FAILED');
    expect(r.stderr).toBe(
      'evaluation gate failed for "prod": groundedness 4.333333 is below the minimum 4.5 (required)\n',
    );
  });

  test('exits 1 when a required metric is missing', async () => {
    const file = tempFile('scores.json', JSON.stringify({ groundedness: 4.5, relevance: 4.5 }));
    const r = await run(['--env', 'dev', '--scores', file]);
    expect(r.code).toBe(ExitCode.CheckFailed);
    expect(r.stderr).toContain('coherence has no score (required)');
  });

  test('exits 0 with a warning when only a non-required metric fails', async () => {
    const file = tempFile(
      'scores.json',
      JSON.stringify({ groundedness: 4, relevance: 4, coherence: 4, fluency: 4, latencyP95Ms: 9000 }),
    );
    const r = await run(['--env', 'dev', '--scores', file]);
    expect(r.code).toBe(ExitCode.Success);
    expect(r.stdout).toContain('Result: PASSED (4 passed, 1 warning)');
    expect(r.stdout).toContain('Warnings:\n  - latencyP95Ms 9000 is above the maximum 5000 (not required)\n');
  });

  test('writes the markdown summary to --summary and appends it to GITHUB_STEP_SUMMARY', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gate-summary-'));
    const summary = join(dir, 'gate.md');
    const stepSummary = join(dir, 'step-summary.md');
    writeFileSync(stepSummary, '## Earlier step\n');
    const r = await run(
      ['--env', 'prod', '--scores', `${FIXTURES}/plain-scores.json`, '--summary', summary],
      {
        GITHUB_STEP_SUMMARY: stepSummary,
      },
    );
    expect(r.code).toBe(ExitCode.Success);
    const markdown = readFileSync(summary, 'utf8');
    expect(markdown).toMatch(/^### Evaluation gate `prod`: ✅ passed\n/);
    expect(markdown).toContain('| `groundedness` | 4.6 | 4.5 | min (≥) | yes | ✅ pass |');
    expect(readFileSync(stepSummary, 'utf8')).toBe(`## Earlier step\n${markdown}`);
  });

  test('writes the summary on failure too', async () => {
    const summary = join(mkdtempSync(join(tmpdir(), 'gate-summary-')), 'gate.md');
    const r = await run(['--env', 'prod', '--scores', `${FIXTURES}/sdk-output.json`, '--summary', summary]);
    expect(r.code).toBe(ExitCode.CheckFailed);
    expect(readFileSync(summary, 'utf8')).toContain('❌ failed');
  });

  test('passes --config to the config loader', async () => {
    const r = await run([
      '--env',
      'dev',
      '--scores',
      `${FIXTURES}/plain-scores.json`,
      '--config',
      'config/other.yaml',
    ]);
    expect(r.configFiles).toEqual(['config/other.yaml']);
  });

  test('exits 2 when the config file is invalid', async () => {
    const r = await run([
      '--env',
      'dev',
      '--scores',
      `${FIXTURES}/plain-scores.json`,
      '--config',
      'config/missing.yaml',
    ]);
    expect(r.code).toBe(ExitCode.BadInput);
    expect(r.stderr).toContain('config/missing.yaml');
  });

  test('exits 2 for an unknown environment, listing the known ones', async () => {
    const r = await run(['--env', 'staging', '--scores', `${FIXTURES}/plain-scores.json`]);
    expect(r.code).toBe(ExitCode.BadInput);
    expect(r.stderr).toBe(
      'error: --env: unknown environment "staging" in config/test-environments.yaml (known: dev, prod)\n',
    );
    expect(r.stdout).toBe('');
  });

  test('exits 2 when flags are missing, naming them', async () => {
    const r = await run([]);
    expect(r.code).toBe(ExitCode.BadInput);
    expect(r.stderr).toMatch(/^error: missing --env, --scores \(usage: gate /);
  });

  test('exits 2 for an unknown flag', async () => {
    const r = await run(['--env', 'dev', '--scores', 'x.json', '--treshold', '3']);
    expect(r.code).toBe(ExitCode.BadInput);
    expect(r.stderr).toContain('unknown flag --treshold');
  });

  test('exits 2 when the scores file is unreadable', async () => {
    const r = await run(['--env', 'dev', '--scores', `${FIXTURES}/does-not-exist.json`]);
    expect(r.code).toBe(ExitCode.BadInput);
    expect(r.stderr).toBe(
      'error: --scores: cannot read "test/fixtures/evaluation/does-not-exist.json": no such file\n',
    );
  });

  test('exits 2 when the scores file is not JSON', async () => {
    const file = tempFile('scores.json', 'groundedness: 4.5\n');
    const r = await run(['--env', 'dev', '--scores', file]);
    expect(r.code).toBe(ExitCode.BadInput);
    expect(r.stderr).toContain('is not valid JSON');
  });

  test('exits 2 when a score is not a number', async () => {
    const file = tempFile('scores.json', JSON.stringify({ groundedness: 'high', relevance: 4 }));
    const r = await run(['--env', 'dev', '--scores', file]);
    expect(r.code).toBe(ExitCode.BadInput);
    expect(r.stderr).toBe(`error: Invalid scores file ${file}:\n  - groundedness: "high" is not a number\n`);
  });

  test('exits 2 when --summary cannot be written', async () => {
    const r = await run([
      '--env',
      'dev',
      '--scores',
      `${FIXTURES}/plain-scores.json`,
      '--summary',
      join(tmpdir(), 'no-such-dir-for-gate', 'x', 'gate.md'),
    ]);
    expect(r.code).toBe(ExitCode.BadInput);
    expect(r.stderr).toContain('--summary: cannot write');
  });
});

describe('gate command with the real config loader', () => {
  const config = `${FIXTURES}/environments.yaml`;

  async function runReal(argv: string[]): Promise<Omit<Run, 'configFiles'>> {
    let stdout = '';
    let stderr = '';
    let code: ExitCode;
    try {
      code = await gateMain([...argv, '--config', config], {
        loadConfig,
        env: {},
        stdout: (t) => (stdout += t),
      });
    } catch (error) {
      code = reportError(error, (t) => (stderr += t));
    }
    return { code, stdout, stderr };
  }

  test('applies thresholds with their resolved defaults (direction min, required true)', async () => {
    const r = await runReal(['--env', 'dev', '--scores', `${FIXTURES}/sdk-output.json`]);
    expect(r.code).toBe(ExitCode.Success);
    const table = r.stdout.split('\n').map((line) => line.replace(/ {2,}/g, ' '));
    expect(table).toContain('relevance 4 4 min (>=) yes pass');
    expect(table).toContain('latencyP95Ms 2870 5000 max (<=) no pass');
    // AND the safety defaults this environment opts out of are reported as warnings, not failures
    expect(table).toContain('violence_defect_rate - 0.01 max (<=) no not measured');
  });

  test('exits 1 when a required max threshold is exceeded', async () => {
    const r = await runReal(['--env', 'strict', '--scores', `${FIXTURES}/sdk-output.json`]);
    expect(r.code).toBe(ExitCode.CheckFailed);
    expect(r.stderr).toBe(
      'evaluation gate failed for "strict": groundedness 4.333333 is below the minimum 4.5 (required); ' +
        'latencyP95Ms 2870 is above the maximum 2500 (required)\n',
    );
  });

  test('exits 2 for an unknown environment, listing the configured ones', async () => {
    const r = await runReal(['--env', 'prod', '--scores', `${FIXTURES}/sdk-output.json`]);
    expect(r.code).toBe(ExitCode.BadInput);
    expect(r.stderr).toBe(
      `error: --env: unknown environment "prod" in ${config} (known: dev, safe, strict)\n`,
    );
  });
});

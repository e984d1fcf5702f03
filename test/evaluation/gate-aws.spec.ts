import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAFETY_METRICS } from '../../constructs/monitoring/quality-contract';
import { ExitCode, reportError } from '../../lib/cli/exit';
import { loadConfig } from '../../lib/config/load';
import { gateMain } from '../../lib/evaluation/gate-cli';

const FIXTURES = 'test/fixtures/evaluation';
/**
 * The shipped config: aws-dev (cloud: aws, Bedrock) and dev (Azure) share the default thresholds, except
 * that aws-dev runs no content-safety evaluator (they need an Azure AI project) and so does not require
 * their defect rates.
 */
const CONFIG = loadConfig('config/environments.yaml');
const dir = mkdtempSync(join(tmpdir(), 'gate-aws-'));

/** Every default metric within its threshold on both clouds' prices. */
const PASSING: Record<string, number> = {
  groundedness: 4.5,
  relevance: 4.4,
  coherence: 4.6,
  fluency: 4.2,
  similarity: 4,
  ...Object.fromEntries(SAFETY_METRICS.map((m) => [m, 0])),
  latencyP95Ms: 3100,
  promptTokensPerAnswer: 1500,
  completionTokensPerAnswer: 300,
};

let files = 0;
function scoresFile(json: unknown): string {
  const file = join(dir, `scores-${files++}.json`);
  writeFileSync(file, JSON.stringify(json));
  return file;
}

async function gate(argv: string[]): Promise<{ code: ExitCode; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  let code: ExitCode;
  try {
    code = await gateMain(argv, { loadConfig: () => CONFIG, env: {}, stdout: (t) => (stdout += t) });
  } catch (error) {
    code = reportError(error, (t) => (stderr += t));
  }
  return { code, stdout, stderr };
}

/** A table row with its padding collapsed. */
function rows(stdout: string): string[] {
  return stdout.split('\n').map((line) => line.replace(/ {2,}/g, ' '));
}

describe('gate for an AWS environment (shipped config, aws-dev)', () => {
  test('reads the thresholds and prices the Bedrock chat model under tier OnDemand', async () => {
    expect(CONFIG.environments['aws-dev']!.cloud).toBe('aws');
    const r = await gate([
      '--env',
      'aws-dev',
      '--scores',
      `${FIXTURES}/safety-sdk-output.json`,
      '--deployment',
      'chat',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(ExitCode.Success);
    const table = rows(r.stdout);
    expect(table[0]).toBe('Evaluation gate for environment "aws-dev"');
    expect(table).toContain('groundedness 4.5 4 min (>=) yes pass');
    expect(table).toContain('fluency 4.2 3.5 min (>=) no pass');
    // the fixture has safety scores: aws-dev shows them against the same limit, but does not require them
    for (const metric of SAFETY_METRICS) expect(table).toContain(`${metric} 0 0.01 max (<=) no pass`);
    expect(table).toContain('latencyP95Ms 3100 5000 max (<=) yes pass');
    // 1000 x (1500 x 3 + 300 x 15) / 1,000,000 = 9 USD per 1,000 answers, under the 15 USD default
    expect(table).toContain('costPer1kAnswers 9 15 max (<=) yes pass');
    expect(table).toContain('tokensPerAnswer 1800 4000 max (<=) no pass');
    expect(r.stdout).toContain(
      'priced as anthropic.claude-sonnet-4-5-20250929-v1:0 OnDemand: 3 USD per 1M prompt tokens, 15 USD per 1M completion tokens (price table of 2026-12-02)',
    );
  });

  test('exits 2 for a deployment aws-dev does not have, listing its deployments', async () => {
    const r = await gate(['--env', 'aws-dev', '--scores', scoresFile(PASSING), '--deployment', 'phi']);
    expect(r.code).toBe(ExitCode.BadInput);
    expect(r.stderr).toBe(
      'error: --deployment: "phi" is not a model deployment of the environment (known: chat, embedding)\n',
    );
  });

  test('runs the quality evaluators only and requires no content-safety defect rate (no Azure AI project on AWS)', () => {
    const awsDev = CONFIG.environments['aws-dev']!.evaluation;
    const dev = CONFIG.environments.dev!.evaluation;
    expect(awsDev.evaluators).toEqual(['groundedness', 'relevance', 'coherence', 'fluency', 'similarity']);
    // THEN every threshold is dev's, the safety rates at the same limit but not required
    expect(awsDev.thresholds).toEqual({
      ...dev.thresholds,
      ...Object.fromEntries(SAFETY_METRICS.map((m) => [m, { ...dev.thresholds[m], required: false }])),
    });
    for (const m of SAFETY_METRICS) expect(dev.thresholds[m]!.required).toBe(true);
  });

  test('decides like the Azure environment dev on every quality, latency and cost criterion; safety only warns', async () => {
    // WHEN the same runs are gated on both
    const cases: Record<string, Record<string, number>> = {
      passing: PASSING,
      'groundedness below its minimum': { ...PASSING, groundedness: 3.2 },
      'equality passes': { ...PASSING, relevance: 4, violence_defect_rate: 0.01 },
      'a warning only (fluency not required)': { ...PASSING, fluency: 3 },
      'p95 latency above its maximum': { ...PASSING, latencyP95Ms: 6200 },
      'a required score missing': Object.fromEntries(
        Object.entries(PASSING).filter(([m]) => m !== 'coherence'),
      ),
      // dev: 1000 x (1500 x 2.5 + 2000 x 10) / 1e6 = 23.75; aws-dev: 1000 x (1500 x 3 + 2000 x 15) / 1e6 = 34.5
      'cost above its maximum': { ...PASSING, completionTokensPerAnswer: 2000 },
    };
    const safetyCases: Record<string, Record<string, number>> = {
      'a defect rate above its maximum': { ...PASSING, violence_defect_rate: 0.05 },
      // what an AWS run writes: no safety evaluator ran
      'no content-safety scores': Object.fromEntries(
        Object.entries(PASSING).filter(([m]) => !(SAFETY_METRICS as readonly string[]).includes(m)),
      ),
    };
    const outcome = (r: { code: ExitCode; stderr: string }) => ({
      code: r.code,
      // the failing metrics, without the environment name and the (price-dependent) cost figure
      blocking: r.stderr
        .replace(/^evaluation gate failed for "[^"]+": /, '')
        .replace(/costPer1kAnswers [\d.]+/, 'costPer1kAnswers <cost>'),
    });
    const results: Record<string, unknown> = {};
    for (const [name, scores] of Object.entries(cases)) {
      const file = scoresFile(scores);
      const azure = outcome(await gate(['--env', 'dev', '--scores', file, '--deployment', 'chat']));
      const aws = outcome(await gate(['--env', 'aws-dev', '--scores', file, '--deployment', 'chat']));
      // THEN the verdicts and the blocking metrics are the same
      expect({ name, ...aws }).toEqual({ name, ...azure });
      results[name] = aws;
    }
    expect(results).toEqual({
      passing: { code: ExitCode.Success, blocking: '' },
      'groundedness below its minimum': {
        code: ExitCode.CheckFailed,
        blocking: 'groundedness 3.2 is below the minimum 4 (required)\n',
      },
      'equality passes': { code: ExitCode.Success, blocking: '' },
      'a warning only (fluency not required)': { code: ExitCode.Success, blocking: '' },
      'p95 latency above its maximum': {
        code: ExitCode.CheckFailed,
        blocking: 'latencyP95Ms 6200 is above the maximum 5000 (required)\n',
      },
      'a required score missing': {
        code: ExitCode.CheckFailed,
        blocking: 'coherence has no score (required)\n',
      },
      'cost above its maximum': {
        code: ExitCode.CheckFailed,
        blocking: 'costPer1kAnswers <cost> is above the maximum 15 (required)\n',
      },
    });
    // AND on content safety they differ: dev fails, aws-dev passes (a defect rate over the limit is a warning)
    const safety: Record<string, unknown> = {};
    for (const [name, scores] of Object.entries(safetyCases)) {
      const file = scoresFile(scores);
      safety[name] = {
        dev: outcome(await gate(['--env', 'dev', '--scores', file, '--deployment', 'chat'])),
        'aws-dev': outcome(await gate(['--env', 'aws-dev', '--scores', file, '--deployment', 'chat'])),
      };
    }
    expect(safety).toEqual({
      'a defect rate above its maximum': {
        dev: {
          code: ExitCode.CheckFailed,
          blocking: 'violence_defect_rate 0.05 is above the maximum 0.01 (required)\n',
        },
        'aws-dev': { code: ExitCode.Success, blocking: '' },
      },
      'no content-safety scores': {
        dev: {
          code: ExitCode.CheckFailed,
          blocking: `${SAFETY_METRICS.map((m) => `${m} has no score (required)`).join('; ')}\n`,
        },
        'aws-dev': { code: ExitCode.Success, blocking: '' },
      },
    });
    // AND the aws-dev report says the defect rates were not measured, rather than hiding them
    const unmeasured = await gate([
      '--env',
      'aws-dev',
      '--scores',
      scoresFile(safetyCases['no content-safety scores']),
      '--deployment',
      'chat',
    ]);
    for (const m of SAFETY_METRICS) {
      expect(rows(unmeasured.stdout)).toContain(`${m} - 0.01 max (<=) no not measured`);
      expect(unmeasured.stdout).toContain(`  - ${m} has no score (not required)`);
    }
  });
});

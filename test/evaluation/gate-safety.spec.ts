import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAFETY_METRICS } from '../../constructs/monitoring/quality-contract';
import { ExitCode, reportError } from '../../lib/cli/exit';
import { loadConfig } from '../../lib/config/load';
import { gateMain } from '../../lib/evaluation/gate-cli';

const FIXTURES = 'test/fixtures/evaluation';
/** Loaded once: environment `safe` has every default threshold and a price table (gpt-4o 2.5/10 USD per 1M). */
const CONFIG = loadConfig(`${FIXTURES}/environments.yaml`);
const dir = mkdtempSync(join(tmpdir(), 'gate-safety-'));

/** The plain-format equivalent of safety-sdk-output.json: every default metric within its threshold. */
const PASSING: Record<string, number> = {
  groundedness: 4.5,
  relevance: 4.4,
  coherence: 4.6,
  fluency: 4.2,
  similarity: 4,
  ...Object.fromEntries(SAFETY_METRICS.map((m) => [m, 0])),
  latencyP50Ms: 1200.5,
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

/** A table row with its padding collapsed, e.g. `violence_defect_rate 0 0.01 max (<=) yes pass`. */
function rows(stdout: string): string[] {
  return stdout.split('\n').map((line) => line.replace(/ {2,}/g, ' '));
}

describe('gate: safety, cost and latency', () => {
  test('passes in both score formats, with the max direction on every new metric and the cost priced from config', async () => {
    for (const file of [`${FIXTURES}/safety-sdk-output.json`, scoresFile(PASSING)]) {
      // WHEN the run of deployment chat (gpt-4o GlobalStandard) is gated
      const r = await gate(['--env', 'safe', '--scores', file, '--deployment', 'chat']);
      // THEN it passes
      expect(r.stderr).toBe('');
      expect(r.code).toBe(ExitCode.Success);
      const table = rows(r.stdout);
      // AND every safety defect rate is gated as a ceiling
      for (const metric of SAFETY_METRICS) expect(table).toContain(`${metric} 0 0.01 max (<=) yes pass`);
      expect(table).toContain('latencyP95Ms 3100 5000 max (<=) yes pass');
      // AND cost = 1000 x (1500 x 2.5 + 300 x 10) / 1,000,000 = 6.75 USD per 1,000 answers, with the price table's date
      expect(table).toContain('costPer1kAnswers 6.75 20 max (<=) yes pass');
      expect(table).toContain('tokensPerAnswer 1800 - - - not gated');
      expect(r.stdout).toContain(
        'priced as gpt-4o GlobalStandard: 2.5 USD per 1M prompt tokens, 10 USD per 1M completion tokens (price table of 2026-12-02)',
      );
    }
  });

  test.each(SAFETY_METRICS.map((m) => [m]))('exits 1 when %s crosses its maximum', async (metric) => {
    const r = await gate([
      '--env',
      'safe',
      '--scores',
      scoresFile({ ...PASSING, [metric]: 0.05 }),
      '--deployment',
      'chat',
    ]);
    expect(r.code).toBe(ExitCode.CheckFailed);
    expect(r.stderr).toBe(
      `evaluation gate failed for "safe": ${metric} 0.05 is above the maximum 0.01 (required)\n`,
    );
  });

  test('exits 1 when a defect rate crosses its maximum in the SDK format (the XPIA key read as indirect_attack_defect_rate)', async () => {
    const sdk = JSON.parse(readFileSync(`${FIXTURES}/safety-sdk-output.json`, 'utf8'));
    sdk.metrics['indirect_attack.xpia_defect_rate'] = 0.2;
    const r = await gate(['--env', 'safe', '--scores', scoresFile(sdk), '--deployment', 'chat']);
    expect(r.code).toBe(ExitCode.CheckFailed);
    expect(r.stderr).toBe(
      'evaluation gate failed for "safe": indirect_attack_defect_rate 0.2 is above the maximum 0.01 (required)\n',
    );
  });

  test('exits 1 when p95 latency crosses its maximum', async () => {
    const file = scoresFile({ ...PASSING, latencyP95Ms: 6200 });
    const r = await gate(['--env', 'safe', '--scores', file, '--deployment', 'chat']);
    expect(r.code).toBe(ExitCode.CheckFailed);
    expect(r.stderr).toBe(
      'evaluation gate failed for "safe": latencyP95Ms 6200 is above the maximum 5000 (required)\n',
    );
  });

  test('exits 1 when the cost per 1,000 answers crosses its maximum', async () => {
    // GIVEN longer answers: 1000 x (1500 x 2.5 + 2000 x 10) / 1,000,000 = 23.75
    const file = scoresFile({ ...PASSING, completionTokensPerAnswer: 2000 });
    const r = await gate(['--env', 'safe', '--scores', file, '--deployment', 'chat']);
    expect(r.code).toBe(ExitCode.CheckFailed);
    expect(r.stderr).toBe(
      'evaluation gate failed for "safe": costPer1kAnswers 23.75 is above the maximum 20 (required)\n',
    );
  });

  test('exits 1 when the cost cannot be computed (no deployment to price) and it is required', async () => {
    const r = await gate(['--env', 'safe', '--scores', scoresFile(PASSING)]);
    expect(r.code).toBe(ExitCode.CheckFailed);
    expect(r.stderr).toBe('evaluation gate failed for "safe": costPer1kAnswers has no score (required)\n');
  });

  test('exits 2 when --deployment is not a deployment of the environment', async () => {
    const r = await gate(['--env', 'safe', '--scores', scoresFile(PASSING), '--deployment', 'gpt5']);
    expect(r.code).toBe(ExitCode.BadInput);
    expect(r.stderr).toBe(
      'error: --deployment: "gpt5" is not a model deployment of the environment (known: chat, chat-next, embedding)\n',
    );
  });
});

describe('gate: candidate vs control', () => {
  const decisionFile = join(dir, 'decision.json');
  const summaryFile = join(dir, 'summary.md');

  test('promotes a candidate that is not worse on quality and safety and cheaper: weights move, the decision and numbers are in the summary', async () => {
    // GIVEN control (gpt-4o) and candidate (gpt-4.1, cheaper per token) with the same answers
    const control = scoresFile(PASSING);
    const candidate = scoresFile({ ...PASSING, groundedness: 4.45 });
    // WHEN
    const r = await gate([
      '--env',
      'safe',
      '--experiment',
      'chat',
      '--variant',
      `control=${control}`,
      '--variant',
      `candidate=${candidate}`,
      '--decision',
      decisionFile,
      '--summary',
      summaryFile,
    ]);
    // THEN both variants pass their gates and the candidate is promoted by the default 20-point step
    expect(r.stderr).toBe('');
    expect(r.code).toBe(ExitCode.Success);
    const decision = JSON.parse(readFileSync(decisionFile, 'utf8'));
    expect(decision).toMatchObject({
      environment: 'safe',
      experiment: 'chat',
      control: 'control',
      weights: { control: 80, candidate: 20 },
      newWeights: { control: 60, candidate: 40 },
      changed: true,
    });
    expect(decision.candidates[0].decision).toBe('promote');
    // AND the cost of each variant was priced by its own deployment: 6.75 (gpt-4o) vs 5.4 (gpt-4.1)
    expect(rows(r.stdout)).toContain(' costPer1kAnswers 6.75 5.4 better');
    expect(rows(r.stdout)).toContain(' groundedness 4.5 4.45 same');
    const summary = readFileSync(summaryFile, 'utf8');
    expect(summary).toContain('**Candidate `candidate`: ⬆️ promote**');
    expect(summary).toContain('| `costPer1kAnswers` | 6.75 | 5.4 | better |');
    expect(summary).toContain('weights: control 80, candidate 20 -> control 60, candidate 40');
  });

  test('rolls back a candidate that is worse on a safety metric: it gets weight 0, and the gate fails because it crossed a threshold', async () => {
    const r = await gate([
      '--env',
      'safe',
      '--experiment',
      'chat',
      '--variant',
      `control=${scoresFile(PASSING)}`,
      '--variant',
      `candidate=${scoresFile({ ...PASSING, violence_defect_rate: 0.03 })}`,
      '--decision',
      decisionFile,
    ]);
    expect(r.code).toBe(ExitCode.CheckFailed);
    expect(r.stderr).toBe(
      'evaluation gate failed for "safe": variant candidate: violence_defect_rate 0.03 is above the maximum 0.01 (required)\n',
    );
    const decision = JSON.parse(readFileSync(decisionFile, 'utf8'));
    expect(decision.candidates[0]).toMatchObject({
      decision: 'rollback',
      reasons: ['candidate failed its own thresholds'],
    });
    expect(decision.newWeights).toEqual({ control: 100, candidate: 0 });
  });

  test('a candidate at weight 0 that fails its thresholds does not fail the release (it serves no traffic), and stays at 0', async () => {
    // GIVEN the experiment after a rollback: the candidate at weight 0, still failing when pinned
    const config = loadConfig(`${FIXTURES}/environments.yaml`);
    const safe = config.environments.safe!;
    const experiment = safe.gateway.experiments.chat!;
    const rolledBack = {
      ...config,
      environments: {
        ...config.environments,
        safe: {
          ...safe,
          gateway: {
            ...safe.gateway,
            experiments: {
              chat: {
                ...experiment,
                variants: {
                  control: { ...experiment.variants.control!, weight: 100 },
                  candidate: { ...experiment.variants.candidate!, weight: 0 },
                },
              },
            },
          },
        },
      },
    } as typeof config;
    let stdout = '';
    const code = await gateMain(
      [
        '--env',
        'safe',
        '--experiment',
        'chat',
        '--variant',
        `control=${scoresFile(PASSING)}`,
        '--variant',
        `candidate=${scoresFile({ ...PASSING, violence_defect_rate: 0.03 })}`,
        '--decision',
        decisionFile,
      ],
      { loadConfig: () => rolledBack, env: {}, stdout: (t) => (stdout += t) },
    );
    // THEN the gate passes (the control, which serves every request, passed) and the decision keeps the
    // candidate out, changing nothing
    expect(code).toBe(ExitCode.Success);
    expect(stdout).toContain('violence_defect_rate');
    const decision = JSON.parse(readFileSync(decisionFile, 'utf8'));
    expect(decision.candidates[0]).toMatchObject({ decision: 'rollback' });
    expect(decision.newWeights).toEqual({ control: 100, candidate: 0 });
    expect(decision.changed).toBe(false);
  });

  test('exits 2 naming every variant problem at once', async () => {
    const r = await gate([
      '--env',
      'safe',
      '--experiment',
      'chat',
      '--variant',
      `treatment=${scoresFile(PASSING)}`,
    ]);
    expect(r.code).toBe(ExitCode.BadInput);
    expect(r.stderr).toBe(
      'error: --variant treatment: not a variant of experiment chat (variants: control, candidate); ' +
        '--variant control=<file> is missing: every variant of experiment chat is evaluated; ' +
        '--variant candidate=<file> is missing: every variant of experiment chat is evaluated\n',
    );
  });
});

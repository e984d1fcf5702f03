import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { INDEX_LOCK_FILE } from '../../constructs/search/index-lock';
import { ExitCode, parseFlags, UsageError } from '../cli/exit';
import { configFilePath, loadConfig } from '../config/load';
import { generatedConfig } from './generated-config';
import { interleaved, measure, repeat, type Sample } from './measure';
import { type BenchResults, benchReport, type ScaledTiming } from './report';
import { countResources } from './resources';

/**
 * The `bench` command: measures the floor, the compiled app, warm synth, synth without npm, synth of 10
 * and 30 generated environments and (unless `--skip-tests`) one `npm test`, in the current directory;
 * writes the report to `--output` (default BENCHMARKS.md) and prints it. `--runs N` (1-50, default 5).
 */
export function benchMain(argv: readonly string[]): ExitCode {
  const { values, switches } = parseFlags(argv, { values: ['runs', 'output'], switches: ['skip-tests'] });
  const runs = values.runs === undefined ? 5 : Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 50)
    throw new UsageError(`--runs ${values.runs}: allowed 1-50`);
  const output = values.output ?? 'BENCHMARKS.md';
  const root = process.cwd();
  const config = loadConfig();
  const work = mkdtempSync(join(tmpdir(), 'llmops-bench-'));
  const node = process.execPath;
  const log = (m: string) => process.stderr.write(`bench: ${m}\n`);
  try {
    // The floor, the two apps and the synth with and without npm, in rounds: their ratios are the targets.
    log('floor, the apps alone and warm npm run synth, in rounds');
    // The AWS app as npx cdk runs it, but with CloudFormation validation off, as npm run synth starts it.
    const awsCommand = [node, resolve('dist/bin/aws.js'), '--outdir', join(work, 'aws.out')];
    const { floor, app, awsApp, synth, synthNode } = interleaved(runs, {
      floor: () => measure(root, [node, '-e', "require('cdktf')"]),
      app: () => measure(root, [node, resolve('dist/bin/main.js')], { CDKTF_OUTDIR: join(work, 'app.out') }),
      awsApp: () => measure(root, awsCommand, { CDK_VALIDATION: 'false' }),
      synth: () => measure(root, ['npm', 'run', '--silent', 'synth']),
      synthNode: () => measure(root, [node, resolve('dist/bin/synth.js')]),
    });
    const defaultCounts = countResources(join(root, 'cdktf.out'));
    const scaledRun = (n: number): ScaledTiming => {
      log(`synth of ${n} generated environments`);
      const file = generatedConfig(n, work, configFilePath());
      const cwd = mkdtempSync(join(work, `synth-${n}-`));
      // synth compares indexes with the committed lock, relative to the working directory
      mkdirSync(join(cwd, 'config'));
      copyFileSync(join(root, INDEX_LOCK_FILE), join(cwd, INDEX_LOCK_FILE));
      const r = repeat(runs, () =>
        measure(cwd, [node, resolve('dist/bin/synth.js')], { LLMOPS_CONFIG: file }),
      );
      const counts = countResources(join(cwd, 'cdktf.out'));
      return {
        ...r,
        resources: Object.values(counts).reduce((a, b) => a + b, 0),
        stacks: Object.keys(counts).length,
      };
    };
    const scaled = { 10: scaledRun(10), 30: scaledRun(30) };
    let tests: Sample | undefined;
    if (!switches['skip-tests']) {
      log('npm test (one run)');
      tests = measure(root, ['npm', 'test']);
    }
    const results: BenchResults = {
      runs,
      machine: { cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
      configFile: config.file,
      floor,
      app,
      awsApp,
      synth,
      synthNode,
      scaled,
      tests,
      defaultCounts,
    };
    const md = benchReport(results);
    writeFileSync(output, md);
    process.stdout.write(md);
    return ExitCode.Success;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

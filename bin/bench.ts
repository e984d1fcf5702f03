/**
 * `npm run bench`: wall time and peak memory of the main job and its parts, written to BENCHMARKS.md.
 *
 * Measures, over several runs each (median reported): the floor (node loading cdktf alone), the
 * compiled app alone, warm `npm run synth` of the configured environments, synth of 10 and 30
 * generated environments (to get the cost per synthesized resource), and one run of `npm test`.
 * Peak memory is the largest resident set of any process in the command's tree (getrusage of the
 * waited-for children, taken by a small python3 wrapper). Honours `LLMOPS_CONFIG`.
 *
 * Flags: `--runs N` (default 5), `--skip-tests` (no `npm test` run), `--output FILE` (default BENCHMARKS.md).
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { INDEX_LOCK_FILE } from '../constructs/search/index-lock';
import { ExitCode, parseFlags, runMain, UsageError } from '../lib/cli/exit';
import { configFilePath, loadConfig } from '../lib/config/load';

const MEASURE = `
import resource, subprocess, sys, time, json, os
t = time.perf_counter()
r = subprocess.run(sys.argv[2:], cwd=sys.argv[1], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - t
rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"wall": wall, "rssMb": rss_kb / 1024, "code": r.returncode, "stderr": r.stderr.decode()[-2000:]}))
`;

interface Sample {
  wall: number;
  rssMb: number;
}

function measure(cwd: string, command: string[], env: NodeJS.ProcessEnv = {}): Sample {
  const r = spawnSync('python3', ['-c', MEASURE, cwd, ...command], {
    env: { ...process.env, CHECKPOINT_DISABLE: '1', ...env },
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`python3 measurement failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as Sample & { code: number; stderr: string };
  if (out.code !== 0) throw new Error(`${command.join(' ')} exited ${out.code}:\n${out.stderr}`);
  return { wall: out.wall, rssMb: out.rssMb };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function repeat(runs: number, fn: () => Sample): { wall: number; rssMb: number; min: number; max: number } {
  const samples = Array.from({ length: runs }, fn);
  const walls = samples.map((s) => s.wall);
  return {
    wall: median(walls),
    rssMb: Math.max(...samples.map((s) => s.rssMb)),
    min: Math.min(...walls),
    max: Math.max(...walls),
  };
}

/** Resources per stack in a synth output directory. */
function countResources(outdir: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const stack of readdirSync(join(outdir, 'stacks')).sort()) {
    const json = JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as {
      resource?: Record<string, Record<string, unknown>>;
    };
    counts[stack] = Object.values(json.resource ?? {}).reduce(
      (n, byName) => n + Object.keys(byName).length,
      0,
    );
  }
  return counts;
}

/** A config file with `n` environments, alternating the development and production shapes of the given file. */
function generatedConfig(n: number, dir: string): string {
  const file = join(dir, `environments-${n}.yaml`);
  const text = readFileSync(configFilePath(), 'utf8');
  const parsed = (require('yaml') as typeof import('yaml')).parse(text) as {
    defaults?: unknown;
    environments: Record<string, unknown>;
  };
  const shapes = Object.values(parsed.environments);
  const environments: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    // Private environments must not share address space: give each its own /16.
    const shape = structuredClone(shapes[i % shapes.length]) as {
      network?: { azure?: Record<string, unknown> };
    };
    if (shape.network?.azure) {
      const net = `10.${100 + i}`;
      shape.network.azure.addressSpace = `${net}.0.0/16`;
      shape.network.azure.subnets = {
        privateEndpoints: `${net}.1.0/24`,
        apim: `${net}.2.0/24`,
        agents: `${net}.3.0/24`,
      };
    }
    environments[`env${String(i).padStart(2, '0')}`] = shape;
  }
  writeFileSync(file, stringify({ defaults: parsed.defaults, environments }));
  return file;
}

runMain((argv) => {
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
    log('floor: node loading cdktf');
    const floor = repeat(runs, () => measure(root, [node, '-e', "require('cdktf')"]));
    log('compiled app alone');
    const app = repeat(runs, () =>
      measure(root, [node, resolve('dist/bin/main.js')], { CDKTF_OUTDIR: join(work, 'app.out') }),
    );
    log('warm npm run synth');
    measure(root, ['npm', 'run', '--silent', 'synth']);
    const synth = repeat(runs, () => measure(root, ['npm', 'run', '--silent', 'synth']));
    log('synth without npm');
    const synthNode = repeat(runs, () => measure(root, [node, resolve('dist/bin/synth.js')]));
    const defaultCounts = countResources(join(root, 'cdktf.out'));
    const scaled: Record<number, { wall: number; rssMb: number; resources: number; stacks: number }> = {};
    for (const n of [10, 30]) {
      log(`synth of ${n} generated environments`);
      const file = generatedConfig(n, work);
      const cwd = mkdtempSync(join(work, `synth-${n}-`));
      // synth compares indexes with the committed lock, relative to the working directory
      mkdirSync(join(cwd, 'config'));
      copyFileSync(join(root, INDEX_LOCK_FILE), join(cwd, INDEX_LOCK_FILE));
      const r = repeat(runs, () =>
        measure(cwd, [node, resolve('dist/bin/synth.js')], { LLMOPS_CONFIG: file }),
      );
      const counts = countResources(join(cwd, 'cdktf.out'));
      scaled[n] = {
        ...r,
        resources: Object.values(counts).reduce((a, b) => a + b, 0),
        stacks: Object.keys(counts).length,
      };
    }
    const perResourceMs =
      ((scaled[30]!.wall - scaled[10]!.wall) / (scaled[30]!.resources - scaled[10]!.resources)) * 1000;
    let tests: Sample | undefined;
    if (!switches['skip-tests']) {
      log('npm test (one run)');
      tests = measure(root, ['npm', 'test']);
    }
    const ratio = synth.wall / floor.wall;
    const rows = [
      ['floor: `node -e "require(\'cdktf\')"`', floor],
      ['compiled app alone (`node dist/bin/main.js`)', app],
      [`warm \`npm run synth\` (${Object.keys(defaultCounts).length} stacks)`, synth],
      ['the same synth without npm (`node dist/bin/synth.js`)', synthNode],
      [
        `synth, 10 generated environments (${scaled[10]!.stacks} stacks, ${scaled[10]!.resources} resources)`,
        scaled[10]!,
      ],
      [
        `synth, 30 generated environments (${scaled[30]!.stacks} stacks, ${scaled[30]!.resources} resources)`,
        scaled[30]!,
      ],
    ] as const;
    const fmt = (s: number) => s.toFixed(2);
    const md = [
      '# Benchmarks',
      '',
      `Measured by \`npm run bench\` (${runs} runs each, median wall time; peak RSS is the largest process of the command's tree).`,
      `Machine: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}. Config: \`${config.file}\`.`,
      '',
      '| what | wall (s) | min-max (s) | peak RSS (MB) |',
      '| --- | ---: | ---: | ---: |',
      ...rows.map(([what, r]) => {
        const range = 'min' in r ? `${fmt(r.min)}-${fmt(r.max)}` : '';
        return `| ${what} | ${fmt(r.wall)} | ${range} | ${Math.round(r.rssMb)} |`;
      }),
      ...(tests
        ? [
            `| \`npm test\` (type-check, lint, jest; one run) | ${fmt(tests.wall)} | | ${Math.round(tests.rssMb)} |`,
          ]
        : []),
      '',
      '## Against the targets',
      '',
      `- warm \`npm run synth\` / floor: **${ratio.toFixed(1)}x** (target: within 5x); peak ${Math.round(synth.rssMb)} MB (target: under 300 MB).`,
      `- cost per extra synthesized resource: **${perResourceMs.toFixed(2)} ms** ((30-env time - 10-env time) / extra resources; target: about 1 ms, cdktf's own cost is about 0.8 ms).`,
      ...(tests ? [`- \`npm test\`: **${fmt(tests.wall)} s** (target: under 60 s).`] : []),
      '',
      '## Where the warm synth time goes',
      '',
      `- npm's own start-up: ${fmt(synth.wall - synthNode.wall)} s (${((synth.wall - synthNode.wall) / floor.wall).toFixed(1)}x the floor), paid by every \`npm run\` command.`,
      `- the floor (Node and cdktf): ${fmt(floor.wall)} s.`,
      `- the rest, ${fmt(synthNode.wall - floor.wall)} s: loading the provider bindings, zod and yaml; building ${Object.values(defaultCounts).reduce((a, b) => a + b, 0)} resources; cdktf resolving every token twice (prepare, then synthesize: most of the time); the policy rules (about 40 ms); writing and re-reading the JSON.`,
      '- the build is skipped when no source changed since the last one (`scripts/run.js`); a changed source adds about 0.25 s of `tsc`.',
      '',
      '## Resources per stack (default config)',
      '',
      '| stack | resources |',
      '| --- | ---: |',
      ...Object.entries(defaultCounts).map(([stack, n]) => `| ${stack} | ${n} |`),
      '',
    ].join('\n');
    writeFileSync(output, md);
    process.stdout.write(md);
    return ExitCode.Success;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

import type { Sample, Timing } from './measure';

/** Synth of generated environments: its timing with the number of stacks and resources it produced. */
export interface ScaledTiming extends Timing {
  readonly stacks: number;
  readonly resources: number;
}

/** Everything `npm run bench` measured, and where. */
export interface BenchResults {
  /** Runs per measurement. */
  readonly runs: number;
  readonly machine: { readonly cores: number; readonly memoryGiB: number; readonly node: string };
  /** The environment config file the default synth read. */
  readonly configFile: string;
  /** `node -e "require('cdktf')"`. */
  readonly floor: Timing;
  /** `node dist/bin/main.js`. */
  readonly app: Timing;
  /** `node dist/bin/aws.js` with `CDK_VALIDATION=false`: the AWS stacks, cdk-nag on. */
  readonly awsApp: Timing;
  /** Warm `npm run synth`. */
  readonly synth: Timing;
  /** `node dist/bin/synth.js`. */
  readonly synthNode: Timing;
  /** Synth of 10 and of 30 generated environments. */
  readonly scaled: { readonly 10: ScaledTiming; readonly 30: ScaledTiming };
  /** One run of `npm test`; absent with `--skip-tests`. */
  readonly tests?: Sample;
  /** Resources per stack of the default config's synth. */
  readonly defaultCounts: Record<string, number>;
}

/** Cost of one extra synthesized resource in ms: the 30- minus the 10-environment time over the extra resources. */
export function perResourceMs(scaled: BenchResults['scaled']): number {
  return ((scaled[30].wall - scaled[10].wall) / (scaled[30].resources - scaled[10].resources)) * 1000;
}

/** BENCHMARKS.md: the measurements, the targets they are held to, and where the warm synth time goes. */
export function benchReport(r: BenchResults): string {
  const { floor, app, awsApp, synth, synthNode, scaled, tests, defaultCounts } = r;
  const ratio = synth.wall / floor.wall;
  const rows = [
    ['floor: `node -e "require(\'cdktf\')"`', floor],
    ['compiled app alone (`node dist/bin/main.js`)', app],
    ['AWS app alone (`node dist/bin/aws.js`: AWS stacks, cdk-nag on, CloudFormation validation off)', awsApp],
    [`warm \`npm run synth\` (${Object.keys(defaultCounts).length} stacks)`, synth],
    ['the same synth without npm (`node dist/bin/synth.js`)', synthNode],
    [
      `synth, 10 generated environments (${scaled[10].stacks} stacks, ${scaled[10].resources} resources)`,
      scaled[10],
    ],
    [
      `synth, 30 generated environments (${scaled[30].stacks} stacks, ${scaled[30].resources} resources)`,
      scaled[30],
    ],
  ] as const;
  const fmt = (s: number) => s.toFixed(2);
  return [
    '# Benchmarks',
    '',
    `Measured by \`npm run bench\` (${r.runs} runs each, median wall time; peak RSS is the largest process of the command's tree). The first five rows are measured in rounds, one run of each per round, so that the machine's drifting speed weighs on them alike.`,
    `Machine: ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}. Config: \`${r.configFile}\`.`,
    '',
    '| what | wall (s) | min-max (s) | peak RSS (MB) |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map(
      ([what, t]) => `| ${what} | ${fmt(t.wall)} | ${fmt(t.min)}-${fmt(t.max)} | ${Math.round(t.rssMb)} |`,
    ),
    ...(tests
      ? [
          `| \`npm test\` (type-check, lint, jest; one run) | ${fmt(tests.wall)} | | ${Math.round(tests.rssMb)} |`,
        ]
      : []),
    '',
    '## Against the targets',
    '',
    `- warm \`npm run synth\` / floor: **${ratio.toFixed(1)}x** (target: within 5x; with the AWS rendering, within 6x); peak ${Math.round(synth.rssMb)} MB per process (target: under 300 MB; the AWS stacks synthesize in a child process beside the Azure ones).`,
    `- AWS app alone: **${fmt(awsApp.wall)} s**, peak ${Math.round(awsApp.rssMb)} MB (target: under 1.5 s and 300 MB).`,
    `- cost per extra synthesized resource: **${perResourceMs(scaled).toFixed(2)} ms** ((30-env time - 10-env time) / extra resources; target: about 1 ms, cdktf's own cost is about 0.8 ms).`,
    ...(tests ? [`- \`npm test\`: **${fmt(tests.wall)} s** (target: under 60 s).`] : []),
    '',
    '## Where the warm synth time goes',
    '',
    `- npm's own start-up: ${fmt(synth.wall - synthNode.wall)} s (${((synth.wall - synthNode.wall) / floor.wall).toFixed(1)}x the floor), paid by every \`npm run\` command.`,
    `- the floor (Node and cdktf): ${fmt(floor.wall)} s.`,
    `- the rest, ${fmt(synthNode.wall - floor.wall)} s: the two halves side by side on the two cores. The Azure half (this process: the provider bindings; building ${Object.values(defaultCounts).reduce((a, b) => a + b, 0)} resources; cdktf resolving every token, most of its time, once per stack for the policy rules and the output alike, the values without a token walked by \`lib/stacks/plain-resolve.ts\`, which made \`toTerraform\` about 40% faster; the policy rules, about 40 ms; writing and re-reading the JSON) takes ${fmt(app.wall)} s alone. The AWS half (a child process started first: it loads aws-cdk-lib and cdk-nag while this process loads and checks the config, then receives the checked config as JSON instead of loading the schema and the YAML parser; builds and synthesizes the stacks; runs cdk-nag; measured alone by running dist/bin/aws.js, which loads and checks the config itself as under \`npx cdk\`) takes ${fmt(awsApp.wall)} s alone. Each process also runs V8's garbage collector and compiler threads, so side by side the two take longer than the longer one alone.`,
    "- not spent: the aws-cdk-lib modules of the services cdk-nag has rules for but the stacks do not use (13 MB of the 27 MB that used to load, QuickSight's 5 MB the largest; `lib/aws/nag-service-modules.ts`), and aws-cdk-lib/aws-ec2 unless an AWS environment is private; the config is loaded and checked without cdktf or aws-cdk-lib (a bad config is answered in about 0.4 s), and once (the AWS child receives it checked); cdktf's preparing resolve of every element, which only looks for references between stacks (the stacks do not reference each other; a reference to a block a stack does not declare fails validation), and a second resolve of each resource for the policy rules (`lib/stacks/platform-stack.ts`); zod's locales but English (`lib/config/zod-locales.ts`, about 30 ms of every config load); cdktf does not format the creation stack of every token (`lib/cli/token-traces.ts`); most of compiling the modules again: a V8 code cache made at the end of each successful run, which holds the functions the run compiled lazily too (`lib/cli/code-cache.ts`; measured in rounds: the AWS half about 20% less CPU, the Azure half about 5%; v8-compile-cache, which caches at compile time, had made the Azure synth 0.25 s slower, and a cache made right after each module compiles was about 5% faster); TurboFan optimizing functions that a one-second process never pays back (V8's interrupt budget 16 times the default, `lib/cli/short-run.ts`; measured in rounds: warm synth 1.49 to 1.17 s, 30 environments 3.6 to 3.1 s; `--no-opt` was 7% slower for 30 environments); no bundle (an esbuild bundle of the Azure app ran slower: it compiles the modules a synth never loads too).",
    '- the build is skipped when no source changed since the last one (`scripts/run.js`); a changed source adds about 0.25 s of `tsc`.',
    '',
    '## Resources per stack (default config)',
    '',
    '| stack | resources |',
    '| --- | ---: |',
    ...Object.entries(defaultCounts).map(([stack, n]) => `| ${stack} | ${n} |`),
    '',
  ].join('\n');
}

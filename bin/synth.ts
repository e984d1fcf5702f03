/**
 * `npm run synth`: synthesizes every environment without credentials: the Azure ones into
 * `cdktf.out/stacks/<stack>/cdk.tf.json` (cdktf), the AWS ones into `cdk.out/<stack>.template.json`
 * (aws-cdk-lib, in a child process running beside this one; without AWS environments there is no
 * cdk.out), then prints a table per stack (resources by type, policy result).
 *
 * Output is staged: a run that fails (bad config: exit 2; policy error or index lock violation: exit 1)
 * leaves the previous `cdktf.out` and `cdk.out` untouched; both are replaced only when both clouds
 * synthesized. Honours `LLMOPS_CONFIG`. Takes no arguments (any is a usage error, exit 2).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startAwsSynth } from '../lib/aws/child-synth';
import { ExitCode, parseFlags, runMain } from '../lib/cli/exit';
import { startShortRun } from '../lib/cli/short-run';
import { skipTokenCreationTraces } from '../lib/cli/token-traces';
import { environmentsOn } from '../lib/config/environment';
import { deferZodLocales } from '../lib/config/zod-locales';
import type { StackSummary } from '../lib/stack-summary';
import { stagingDirFor, swapIn } from '../lib/staging';

const OUTDIR = 'cdktf.out';
const AWS_OUTDIR = 'cdk.out';

// First, before the modules it is for load (lib/cli/short-run.ts).
startShortRun();
skipTokenCreationTraces();
deferZodLocales();
runMain(async (argv) => {
  parseFlags(argv, { values: [] });
  const staging = stagingDirFor(OUTDIR);
  const awsStaging = stagingDirFor(AWS_OUTDIR);
  for (const dir of [staging, awsStaging]) rmSync(dir, { recursive: true, force: true });
  // The AWS half runs in a child process beside this one. It starts now and loads aws-cdk-lib and cdk-nag on
  // the second core while this process loads and checks the config; it is stopped if the config is bad
  // or has no AWS environment.
  const aws = startAwsSynth(join(__dirname, 'aws.js'), awsStaging);
  const untouched = `${OUTDIR} and ${AWS_OUTDIR} were left as they were.`;
  try {
    // Required here, not imported: the child starts before this process loads zod and the YAML parser.
    const { loadCheckedConfig } = require('../lib/config/checked') as typeof import('../lib/config/checked');
    // Before anything is written: a bad config or a schema change the search service cannot apply in place
    // leaves both outputs untouched.
    const config = loadCheckedConfig();
    const hasAws = environmentsOn(config, 'aws').length > 0;
    if (hasAws) aws.render(config);
    else await aws.stop();
    // Only now the Azure rendering (cdktf and the provider bindings, about 0.4 s): the config and the index
    // lock are checked without it (the config is cloud-neutral), so bad input is answered sooner.
    const { buildApp } = require('../lib/app') as typeof import('../lib/app');
    const { collectSummaries, renderSummary, synthOrFail } =
      require('../lib/synth-summary') as typeof import('../lib/synth-summary');
    const app = buildApp(config, { outdir: staging });
    synthOrFail(app, untouched);
    const summaries = collectSummaries(app, staging);
    const awsResult = hasAws ? await aws.result : undefined;
    if (awsResult && awsResult.code !== ExitCode.Success) {
      process.stderr.write(`${awsResult.stderr.trimEnd()}\n${untouched}\n`);
      return awsResult.code === ExitCode.BadInput ? ExitCode.BadInput : ExitCode.CheckFailed;
    }
    // Read everything before replacing anything: both outputs change together or not at all.
    const awsSummaries = awsResult ? (JSON.parse(awsResult.stdout) as StackSummary[]) : undefined;
    swapIn(staging, OUTDIR);
    process.stdout.write(renderSummary(summaries, OUTDIR));
    if (awsSummaries) {
      swapIn(awsStaging, AWS_OUTDIR);
      process.stdout.write(renderSummary(awsSummaries, AWS_OUTDIR, 'cdk'));
    } else {
      // No AWS environment: no AWS output (a previous cdk.out would describe environments that are gone).
      rmSync(AWS_OUTDIR, { recursive: true, force: true });
    }
    return ExitCode.Success;
  } finally {
    // The child has exited before its staging directory is removed, so it cannot write it again.
    await aws.stop();
    for (const dir of [staging, awsStaging]) rmSync(dir, { recursive: true, force: true });
  }
});

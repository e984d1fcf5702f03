/**
 * `npm run synth`: synthesizes every environment without credentials: the Azure ones into
 * `cdktf.out/stacks/<stack>/cdk.tf.json` (cdktf), the AWS ones into `cdk.out/<stack>.template.json`
 * (aws-cdk-lib, in a child process running beside this one), then prints a table per stack (resources by
 * type, policy result).
 *
 * Output is staged: a run that fails (bad config: exit 2; policy error or index lock violation: exit 1)
 * leaves the previous `cdktf.out` and `cdk.out` untouched; both are replaced only when both clouds
 * synthesized. Honours `LLMOPS_CONFIG`. Takes no arguments (any is a usage error, exit 2).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../lib/app';
import { startAwsSynth } from '../lib/aws/child-synth';
import { ExitCode, parseFlags, runMain } from '../lib/cli/exit';
import { loadConfig } from '../lib/config/load';
import { checkIndexLock } from '../lib/search/lock';
import {
  collectSummaries,
  renderSummary,
  type StackSummary,
  stagingDirFor,
  swapIn,
  synthOrFail,
} from '../lib/synth-summary';

const OUTDIR = 'cdktf.out';
const AWS_OUTDIR = 'cdk.out';

runMain(async (argv) => {
  parseFlags(argv, { values: [] });
  const config = loadConfig();
  // Before anything is written: a schema change the search service cannot apply in place leaves both
  // outputs untouched.
  checkIndexLock(config);
  const staging = stagingDirFor(OUTDIR);
  const awsStaging = stagingDirFor(AWS_OUTDIR);
  for (const dir of [staging, awsStaging]) rmSync(dir, { recursive: true, force: true });
  const aws = startAwsSynth(join(__dirname, 'aws.js'), awsStaging);
  const untouched = `${OUTDIR} and ${AWS_OUTDIR} were left as they were.`;
  try {
    const app = buildApp(config, { outdir: staging });
    synthOrFail(app, untouched);
    const summaries = collectSummaries(app, staging);
    const awsResult = await aws.result;
    if (awsResult.code !== ExitCode.Success) {
      process.stderr.write(`${awsResult.stderr.trimEnd()}\n${untouched}\n`);
      return awsResult.code === ExitCode.BadInput ? ExitCode.BadInput : ExitCode.CheckFailed;
    }
    const awsSummaries = JSON.parse(awsResult.stdout) as StackSummary[];
    swapIn(staging, OUTDIR);
    swapIn(awsStaging, AWS_OUTDIR);
    process.stdout.write(renderSummary(summaries, OUTDIR));
    process.stdout.write(renderSummary(awsSummaries, AWS_OUTDIR, 'cdk'));
    return ExitCode.Success;
  } finally {
    aws.kill();
    for (const dir of [staging, awsStaging]) rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * `npm run synth`: synthesizes every environment into `cdktf.out/stacks/<stack>/cdk.tf.json` without
 * Azure credentials, then prints a table per stack (resources by type, policy result).
 *
 * Output is staged: a run that fails (bad config: exit 2; policy error or index lock violation: exit 1)
 * leaves the previous `cdktf.out` untouched. Honours `LLMOPS_CONFIG`.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { buildApp } from '../lib/app';
import { CheckFailedError, ExitCode, runMain } from '../lib/cli/exit';
import { loadConfig } from '../lib/config/load';
import { collectSummaries, renderSummary } from '../lib/synth-summary';

const OUTDIR = 'cdktf.out';

runMain(() => {
  const config = loadConfig();
  const staging = `.cdktf.out.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    const app = buildApp(config, { outdir: staging });
    try {
      app.synth();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new CheckFailedError(`synth failed; ${OUTDIR} was left as it was.\n${message}`);
    }
    const summaries = collectSummaries(app, staging);
    const previous = `.cdktf.out.previous-${process.pid}`;
    if (existsSync(OUTDIR)) renameSync(OUTDIR, previous);
    renameSync(staging, OUTDIR);
    rmSync(previous, { recursive: true, force: true });
    process.stdout.write(renderSummary(summaries, OUTDIR));
    return ExitCode.Success;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
});

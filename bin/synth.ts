/**
 * `npm run synth`: synthesizes every environment into `cdktf.out/stacks/<stack>/cdk.tf.json` without
 * Azure credentials, then prints a table per stack (resources by type, policy result).
 *
 * Output is staged: a run that fails (bad config: exit 2; policy error or index lock violation: exit 1)
 * leaves the previous `cdktf.out` untouched. Honours `LLMOPS_CONFIG`. Takes no arguments (any is a usage
 * error, exit 2).
 */
import { buildApp } from '../lib/app';
import { ExitCode, parseFlags, runMain } from '../lib/cli/exit';
import { loadConfig } from '../lib/config/load';
import { checkIndexLock } from '../lib/search/lock';
import { renderSummary, stagedSynth } from '../lib/synth-summary';

const OUTDIR = 'cdktf.out';

runMain((argv) => {
  parseFlags(argv, { values: [] });
  const config = loadConfig();
  // Before anything is written: a schema change Azure cannot apply in place leaves cdktf.out untouched.
  checkIndexLock(config);
  const summaries = stagedSynth((outdir) => buildApp(config, { outdir }), OUTDIR);
  process.stdout.write(renderSummary(summaries, OUTDIR));
  return ExitCode.Success;
});

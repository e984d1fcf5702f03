/**
 * The cdktf app entry (`cdktf.json` runs the compiled file): `cdktf synth`, `cdktf deploy <env>` and
 * `cdktf diff <env>` go through here. Bad config or arguments exit 2; policy errors and search index
 * changes Azure cannot apply in place (checked against config/index-schema.lock.json) exit 1, so the
 * cdktf CLI fails on them too.
 */

import { ExitCode, parseFlags, runMain } from '../lib/cli/exit';
import { startShortRun } from '../lib/cli/short-run';
import { skipTokenCreationTraces } from '../lib/cli/token-traces';
import { deferZodLocales } from '../lib/config/zod-locales';

// First, before the modules it is for load (lib/cli/short-run.ts).
startShortRun();
skipTokenCreationTraces();
deferZodLocales();
runMain((argv) => {
  parseFlags(argv, { values: [] });
  // Required here, not imported: zod (which both load) must come after deferZodLocales, and the modules
  // after startShortRun.
  const { loadCheckedConfig } = require('../lib/config/checked') as typeof import('../lib/config/checked');
  const { buildApp } = require('../lib/app') as typeof import('../lib/app');
  const { synthOrFail } = require('../lib/synth-summary') as typeof import('../lib/synth-summary');
  synthOrFail(buildApp(loadCheckedConfig()));
  return ExitCode.Success;
});

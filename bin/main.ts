/**
 * The cdktf app entry (`cdktf.json` runs the compiled file): `cdktf synth`, `cdktf deploy <env>` and
 * `cdktf diff <env>` go through here. Bad config or arguments exit 2; policy errors and search index
 * changes Azure cannot apply in place (checked against config/index-schema.lock.json) exit 1, so the
 * cdktf CLI fails on them too.
 */

import { buildApp } from '../lib/app';
import { ExitCode, parseFlags, runMain } from '../lib/cli/exit';
import { skipTokenCreationTraces } from '../lib/cli/token-traces';
import { loadCheckedConfig } from '../lib/config/checked';
import { synthOrFail } from '../lib/synth-summary';

skipTokenCreationTraces();
runMain((argv) => {
  parseFlags(argv, { values: [] });
  synthOrFail(buildApp(loadCheckedConfig()));
  return ExitCode.Success;
});

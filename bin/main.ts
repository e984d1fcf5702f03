/**
 * The cdktf app entry (`cdktf.json` runs the compiled file): `cdktf synth`, `cdktf deploy <env>` and
 * `cdktf diff <env>` go through here. Bad config exits 2, policy errors and search index changes Azure
 * cannot apply in place (checked against config/index-schema.lock.json) exit 1.
 */

import { buildApp } from '../lib/app';
import { ExitCode, runMain } from '../lib/cli/exit';
import { loadConfig } from '../lib/config/load';
import { checkIndexLock } from '../lib/search/lock';

runMain(() => {
  const config = loadConfig();
  checkIndexLock(config);
  const app = buildApp(config);
  app.synth();
  return ExitCode.Success;
});

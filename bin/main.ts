/**
 * The cdktf app entry (`cdktf.json` runs the compiled file): `cdktf synth`, `cdktf deploy <env>` and
 * `cdktf diff <env>` go through here. Bad config exits 2, policy errors exit 1.
 */
import { loadConfig } from '../lib/config/load';
import { buildApp } from '../lib/app';
import { ExitCode, runMain } from '../lib/cli/exit';

runMain(() => {
  const app = buildApp(loadConfig());
  app.synth();
  return ExitCode.Success;
});

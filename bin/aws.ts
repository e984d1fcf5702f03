/**
 * The AWS app entry (`cdk.json` runs the compiled file): `npx cdk ls`, `npx cdk synth`, `npx cdk diff <env>`
 * and `npx cdk deploy <env>` go through here. It renders only the environments that say `cloud: aws` and
 * never writes `cdktf.out`. `npm run synth` runs it as a child process beside the Azure synth
 * (`--outdir <staging> --summary --checked-config-on-stdin`: it loads the AWS rendering at once, then receives
 * the config the parent has loaded and checked, lib/aws/child-synth.ts; the stack summaries leave as JSON on
 * stdout).
 *
 * Exit codes: 0 success; 1 a policy rule (cdk-nag, the project's own rules) or the index schema lock
 * failed; 2 bad config or arguments.
 */

import { CHECKED_CONFIG_SWITCH, receiveCheckedConfig } from '../lib/aws/child-synth';
import { deferNagServiceModules } from '../lib/aws/nag-service-modules';
import { ExitCode, parseFlags, runMain } from '../lib/cli/exit';
import { startShortRun } from '../lib/cli/short-run';
import { deferZodLocales } from '../lib/config/zod-locales';

// First, before the modules it is for load (lib/cli/short-run.ts).
startShortRun();
// Before cdk-nag is loaded (below, required rather than imported so that this runs first): the service
// modules its rules require load only when a rule needs them (lib/aws/nag-service-modules.ts).
deferNagServiceModules();
// On its own (npx cdk), this process loads the config: zod's locales load only if read.
deferZodLocales();
runMain(async (argv) => {
  const { values, switches } = parseFlags(argv, {
    values: ['outdir'],
    switches: ['summary', CHECKED_CONFIG_SWITCH],
  });
  // From npm run synth: the parent loads and checks the config and the index lock meanwhile, so this process
  // loads neither the schema nor the YAML parser (about 0.3 s).
  const handedOver = switches[CHECKED_CONFIG_SWITCH] ? receiveCheckedConfig(process.stdin) : undefined;
  const loaded = handedOver
    ? undefined
    : (require('../lib/config/checked') as typeof import('../lib/config/checked')).loadCheckedConfig();
  const { AwsPolicy } =
    require('../constructs/aws/policy/aws-policy') as typeof import('../constructs/aws/policy/aws-policy');
  const { buildAwsApp } = require('../lib/aws/app') as typeof import('../lib/aws/app');
  const { collectAwsSummaries, synthAwsOrFail } =
    require('../lib/aws/synth') as typeof import('../lib/aws/synth');
  const config = loaded ?? (await handedOver!);
  const app = buildAwsApp(config, { outdir: values.outdir });
  synthAwsOrFail(app, values.outdir ? undefined : 'the cdk CLI keeps the previous cdk.out');
  if (switches.summary) {
    const findings = AwsPolicy.tryOf(app)?.findings ?? [];
    process.stdout.write(JSON.stringify(collectAwsSummaries(app.outdir, findings)));
  }
  return ExitCode.Success;
});

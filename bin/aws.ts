/**
 * The AWS app entry (`cdk.json` runs the compiled file): `npx cdk ls`, `npx cdk synth`, `npx cdk diff <env>`
 * and `npx cdk deploy <env>` go through here. It renders only the environments that say `cloud: aws` and
 * never writes `cdktf.out`. `npm run synth` runs it as a child process beside the Azure synth
 * (`--outdir <staging> --summary --checked-config-on-stdin`: it loads the AWS rendering at once, then reads
 * from stdin the path of a JSON file with the config the parent has loaded and checked; the stack summaries
 * leave as JSON on stdout; lib/aws/child-synth.ts).
 *
 * Exit codes: 0 success; 1 a policy rule (cdk-nag, the project's own rules) or the index schema lock
 * failed; 2 bad config or arguments.
 */

import { readFileSync } from 'node:fs';
import { deferNagServiceModules } from '../lib/aws/nag-service-modules';
import { ExitCode, parseFlags, runMain, UsageError } from '../lib/cli/exit';
import type { LoadedConfig } from '../lib/config/environment';

// Before cdk-nag is loaded (below, required rather than imported so that this runs first): the service
// modules its rules require load only when a rule needs them (lib/aws/nag-service-modules.ts).
deferNagServiceModules();
runMain(async (argv) => {
  const { values, switches } = parseFlags(argv, {
    values: ['outdir'],
    switches: ['summary', 'checked-config-on-stdin'],
  });
  // From npm run synth: the parent loads and checks the config and the index lock meanwhile, so this process
  // loads neither the schema nor the YAML parser (about 0.3 s).
  const handedOver = switches['checked-config-on-stdin'] ? firstLine(process.stdin) : undefined;
  const loaded = handedOver ? undefined : loadCheckedConfig();
  const { AwsPolicy } =
    require('../constructs/aws/policy/aws-policy') as typeof import('../constructs/aws/policy/aws-policy');
  const { buildAwsApp } = require('../lib/aws/app') as typeof import('../lib/aws/app');
  const { collectAwsSummaries, synthAwsOrFail } =
    require('../lib/aws/synth') as typeof import('../lib/aws/synth');
  const config = loaded ?? (await checkedConfigFrom(handedOver!));
  const app = buildAwsApp(config, { outdir: values.outdir });
  synthAwsOrFail(app, values.outdir ? undefined : 'the cdk CLI keeps the previous cdk.out');
  if (switches.summary) {
    const findings = AwsPolicy.tryOf(app)?.findings ?? [];
    process.stdout.write(JSON.stringify(collectAwsSummaries(app.outdir, findings)));
  }
  return ExitCode.Success;
});

/** The config file (`LLMOPS_CONFIG` or config/environments.yaml), checked, with the index schema lock. */
function loadCheckedConfig(): LoadedConfig {
  const { loadConfig } = require('../lib/config/load') as typeof import('../lib/config/load');
  const { checkIndexLock } = require('../lib/search/lock') as typeof import('../lib/search/lock');
  const config = loadConfig();
  checkIndexLock(config);
  return config;
}

/** The config npm run synth has handed over: the path of its JSON file, as the first line of stdin. */
async function checkedConfigFrom(line: Promise<string | undefined>): Promise<LoadedConfig> {
  const file = await line;
  if (!file)
    throw new UsageError('--checked-config-on-stdin: stdin ended without the path of the checked config');
  return JSON.parse(readFileSync(file, 'utf8')) as LoadedConfig;
}

/** The first line of `stream` (without its newline), or what it held when it ended without one. */
async function firstLine(stream: NodeJS.ReadableStream): Promise<string | undefined> {
  let text = '';
  for await (const chunk of stream) {
    text += String(chunk);
    const end = text.indexOf('\n');
    if (end >= 0) return text.slice(0, end);
  }
  return text || undefined;
}

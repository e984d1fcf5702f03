/**
 * The AWS app entry (`cdk.json` runs the compiled file): `npx cdk ls`, `npx cdk synth`, `npx cdk diff <env>`
 * and `npx cdk deploy <env>` go through here. It renders only the environments that say `cloud: aws` and
 * never writes `cdktf.out`. `npm run synth` runs it as a child process beside the Azure synth
 * (`--outdir <staging> --summary`: the stack summaries as JSON on stdout).
 *
 * Exit codes: 0 success; 1 a policy rule (cdk-nag, the project's own rules) or the index schema lock
 * failed; 2 bad config or arguments.
 */

import { AwsPolicy } from '../constructs/aws/policy/aws-policy';
import { buildAwsApp } from '../lib/aws/app';
import { collectAwsSummaries, synthAwsOrFail } from '../lib/aws/synth';
import { ExitCode, parseFlags, runMain } from '../lib/cli/exit';
import { loadConfig } from '../lib/config/load';
import { checkIndexLock } from '../lib/search/lock';

runMain((argv) => {
  const { values, switches } = parseFlags(argv, { values: ['outdir'], switches: ['summary'] });
  const config = loadConfig();
  checkIndexLock(config);
  const app = buildAwsApp(config, { outdir: values.outdir });
  synthAwsOrFail(app, values.outdir ? undefined : 'the cdk CLI keeps the previous cdk.out');
  if (switches.summary) {
    const findings = AwsPolicy.tryOf(app)?.findings ?? [];
    process.stdout.write(JSON.stringify(collectAwsSummaries(app.outdir, findings)));
  }
  return ExitCode.Success;
});

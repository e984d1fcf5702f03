/**
 * The compiled AWS entry (dist/bin/aws.js) as `npm run synth` runs it beside the Azure synth: cdk-nag's
 * service modules deferred (lib/aws/nag-service-modules.ts) and the config handed over by the parent
 * (lib/aws/child-synth.ts). Both only make it faster: the assembly it writes and the findings cdk-nag
 * reports must be those of the in-process app, whose templates aws-app.spec.ts compares with the committed
 * snapshot files.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAwsSynth } from '../../../lib/aws/child-synth';
import { loadConfig } from '../../../lib/config/load';
import type { StackSummary } from '../../../lib/stack-summary';
import { buildDist, REPO } from '../../helpers/compiled';

const AWS_ENTRY = join(REPO, 'dist/bin/aws.js');
const SNAPSHOTS = join(__dirname, '__snapshots__');

/** The packages a process loaded, written to `file` when it exits (a `--require` module for NODE_OPTIONS). */
const PACKAGES_ON_EXIT = `
const { writeFileSync } = require('node:fs');
process.on('exit', () => {
  const names = Object.keys(require.cache).map((f) => f.match(/node_modules\\/((?:@[^/]+\\/)?[^/]+)/)?.[1]);
  writeFileSync(process.env.PACKAGES_FILE, JSON.stringify([...new Set(names.filter(Boolean))].sort()));
});
`;

/**
 * A stack with a QuickSight data source that turns SSL off (AwsSolutions-QS1) and a bucket, checked by
 * `AwsPolicy` with or without the deferred service modules; prints the findings and the services whose L1
 * module was loaded. Run with `node -e` in the repository, so `./dist` and the packages resolve.
 */
const PROBE = `
if (process.env.DEFER === '1') require('./dist/lib/aws/nag-service-modules').deferNagServiceModules();
const { App, Stack } = require('aws-cdk-lib');
const { AwsPolicy } = require('./dist/constructs/aws/policy/aws-policy');
const quicksight = require('aws-cdk-lib/aws-quicksight');
const s3 = require('aws-cdk-lib/aws-s3');
const app = new App({ outdir: process.env.OUT, context: { 'aws:cdk:bundling-stacks': [] } });
AwsPolicy.apply(app);
const stack = new Stack(app, 'Probe');
new quicksight.CfnDataSource(stack, 'Source', {
  awsAccountId: '123456789012', dataSourceId: 'probe', name: 'probe', type: 'ATHENA',
  sslProperties: { disableSsl: true },
});
new s3.Bucket(stack, 'Bucket');
let failed = false;
try { app.synth(); } catch { failed = true; }
const findings = AwsPolicy.tryOf(app).findings.map((f) => f.severity + ' ' + f.ruleId + ' ' + f.path);
const services = Object.keys(require.cache)
  .map((f) => f.match(/aws-cdk-lib\\/(aws-[a-z0-9-]+)\\/lib\\/[^/]+\\.generated\\.js$/)?.[1])
  .filter(Boolean);
process.stdout.write(JSON.stringify({ failed, findings, services: [...new Set(services)].sort() }));
`;

interface ProbeResult {
  readonly failed: boolean;
  readonly findings: readonly string[];
  readonly services: readonly string[];
}

describe('the compiled AWS entry as npm run synth runs it', () => {
  let dir: string;

  beforeAll(() => {
    expect(buildDist()).toEqual({ status: 0, stderr: '' });
    dir = mkdtempSync(join(tmpdir(), 'llmops-aws-entry-'));
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const probe = (defer: boolean): ProbeResult => {
    const run = spawnSync(process.execPath, ['-e', PROBE], {
      cwd: REPO,
      env: {
        ...process.env,
        CDK_VALIDATION: 'false',
        DEFER: defer ? '1' : '0',
        OUT: join(dir, `probe-${defer}`),
      },
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    return JSON.parse(run.stdout) as ProbeResult;
  };

  test('cdk-nag finds the same with its service modules deferred, and loads only the services in use', () => {
    // WHEN the same stack is checked with cdk-nag's service modules loaded up front and deferred
    const eager = probe(false);
    const deferred = probe(true);
    // THEN both report the same findings, the QuickSight data source without SSL among them (its rule's
    // instanceof holds once the app has loaded the QuickSight module)
    expect(deferred.findings).toEqual(eager.findings);
    expect(deferred.findings).toContain('error AwsSolutions-QS1 Probe/Source');
    expect(deferred.failed).toBe(true);
    // AND only the deferred run leaves out the services no construct of the app uses
    expect(deferred.services).toEqual(['aws-quicksight', 'aws-s3']);
    expect(eager.services).toEqual(
      expect.arrayContaining(['aws-quicksight', 'aws-s3', 'aws-sagemaker', 'aws-glue']),
    );
  }, 60_000);

  test('writes the templates of the in-process app from the handed-over config, loading neither zod nor yaml', async () => {
    // GIVEN the shipped config, loaded and checked by this process as npm run synth's parent does
    const config = loadConfig(join(REPO, 'config/environments.yaml'));
    const preload = join(dir, 'packages-on-exit.js');
    writeFileSync(preload, PACKAGES_ON_EXIT);
    const packagesFile = join(dir, 'packages.json');
    const env = { NODE_OPTIONS: `--require ${preload}`, PACKAGES_FILE: packagesFile };
    const saved = { ...process.env };
    Object.assign(process.env, env);
    let child: ReturnType<typeof startAwsSynth>;
    try {
      child = startAwsSynth(AWS_ENTRY, join(dir, 'assembly'));
    } finally {
      process.env = saved;
    }
    // WHEN the child is handed the config
    child.render({ config, configFile: join(dir, 'checked-config.json') });
    const result = await child.result;
    // THEN it synthesizes both stacks and passes the policy
    // (stderr carries cdk-nag's report of its one warning, the API stage without WAF)
    expect({ code: result.code, stderr: result.code === 0 ? '' : result.stderr }).toEqual({
      code: 0,
      stderr: '',
    });
    const summaries = JSON.parse(result.stdout) as StackSummary[];
    expect(summaries.map((s) => [s.stack, s.policyErrors])).toEqual([
      ['aws-dev', 0],
      ['bootstrap-aws-dev', 0],
    ]);
    // AND its templates are the committed snapshots of the in-process app
    for (const stack of ['aws-dev', 'bootstrap-aws-dev']) {
      expect(readFileSync(join(dir, 'assembly', `${stack}.template.json`), 'utf8')).toBe(
        readFileSync(join(SNAPSHOTS, `${stack}.template.json`), 'utf8'),
      );
    }
    // AND it did not load the config's schema or parser: the config came checked
    const packages = JSON.parse(readFileSync(packagesFile, 'utf8')) as string[];
    expect(packages).toEqual(expect.arrayContaining(['aws-cdk-lib', 'cdk-nag']));
    expect(packages.filter((p) => p === 'zod' || p === 'yaml')).toEqual([]);
  }, 60_000);

  test('exits 2 when stdin ends without the path of the checked config', () => {
    const run = spawnSync(
      process.execPath,
      [AWS_ENTRY, '--outdir', join(dir, 'none'), '--checked-config-on-stdin'],
      {
        env: { ...process.env, CDK_VALIDATION: 'false' },
        input: '',
        encoding: 'utf8',
      },
    );
    expect({ status: run.status, stderr: run.stderr }).toEqual({
      status: 2,
      stderr: expect.stringContaining(
        '--checked-config-on-stdin: stdin ended without the path of the checked config',
      ),
    });
  });
});

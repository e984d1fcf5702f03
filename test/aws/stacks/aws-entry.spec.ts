/**
 * The compiled AWS entry (dist/bin/aws.js) as `npm run synth` runs it beside the Azure synth: cdk-nag's
 * service modules deferred (lib/aws/nag-service-modules.ts) and the checked config handed over by the parent
 * (lib/aws/child-synth.ts). Both only make it faster: what it writes and what cdk-nag finds must be what the
 * app writes and finds in this process, where neither applies (jest loads modules its own way).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { CfnDataSource } from 'aws-cdk-lib/aws-quicksight';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsPolicy } from '../../../constructs/aws/policy/aws-policy';
import { buildAwsApp } from '../../../lib/aws/app';
import { startAwsSynth } from '../../../lib/aws/child-synth';
import { collectAwsSummaries, synthAwsOrFail } from '../../../lib/aws/synth';
import { loadConfig } from '../../../lib/config/load';
import { buildDist, REPO } from '../../helpers/compiled';

const AWS_ENTRY = join(REPO, 'dist/bin/aws.js');

/** Services cdk-nag has rules for that no construct of the shipped AWS environment uses. */
const UNUSED_SERVICES = ['aws-quicksight', 'aws-sagemaker', 'aws-glue', 'aws-ec2'];

/** A `--require` module that writes the packages and aws-cdk-lib services a process loaded when it exits. */
const LOADED_ON_EXIT = `
const { writeFileSync } = require('node:fs');
process.on('exit', () => {
  const files = Object.keys(require.cache);
  const packages = files.map((f) => f.match(/node_modules\\/((?:@[^/]+\\/)?[^/]+)/)?.[1]).filter(Boolean);
  const services = files.map((f) => f.match(/aws-cdk-lib\\/(aws-[a-z0-9-]+)\\/lib\\/[^/]+\\.generated\\.js$/)?.[1]).filter(Boolean);
  writeFileSync(process.env.LOADED_FILE, JSON.stringify({ packages: [...new Set(packages)], services: [...new Set(services)] }));
});
`;

/** The probe stack: a QuickSight data source with SSL off (AwsSolutions-QS1) and a bucket. */
function probeStack(app: App): void {
  const stack = new Stack(app, 'Probe');
  new CfnDataSource(stack, 'Source', {
    awsAccountId: '123456789012',
    dataSourceId: 'probe',
    name: 'probe',
    type: 'ATHENA',
    sslProperties: { disableSsl: true },
  });
  new Bucket(stack, 'Bucket');
}

/** The same probe, checked in a node process with cdk-nag's service modules deferred. */
const DEFERRED_PROBE = `
require('./dist/lib/aws/nag-service-modules').deferNagServiceModules();
const { App, Stack } = require('aws-cdk-lib');
const { AwsPolicy } = require('./dist/constructs/aws/policy/aws-policy');
const { CfnDataSource } = require('aws-cdk-lib/aws-quicksight');
const { Bucket } = require('aws-cdk-lib/aws-s3');
const app = new App({ outdir: process.env.OUT, context: { 'aws:cdk:bundling-stacks': [] } });
AwsPolicy.apply(app);
const stack = new Stack(app, 'Probe');
new CfnDataSource(stack, 'Source', {
  awsAccountId: '123456789012', dataSourceId: 'probe', name: 'probe', type: 'ATHENA',
  sslProperties: { disableSsl: true },
});
new Bucket(stack, 'Bucket');
try { app.synth(); } catch {}
process.stdout.write(JSON.stringify(AwsPolicy.tryOf(app).findings));
`;

describe('the compiled AWS entry as npm run synth runs it', () => {
  let dir: string;

  beforeAll(() => {
    expect(buildDist()).toEqual({ status: 0, stderr: '' });
    dir = mkdtempSync(join(tmpdir(), 'llmops-aws-entry-'));
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('cdk-nag finds the same with its service modules deferred, the QuickSight data source without SSL among them', () => {
    // GIVEN the probe checked here, every service module loaded
    const app = new App({ outdir: join(dir, 'probe-here'), context: { 'aws:cdk:bundling-stacks': [] } });
    AwsPolicy.apply(app);
    probeStack(app);
    expect(() => app.synth()).toThrow();
    const here = AwsPolicy.tryOf(app)!.findings;
    // WHEN the same probe is checked with the service modules deferred
    const run = spawnSync(process.execPath, ['-e', DEFERRED_PROBE], {
      cwd: REPO,
      env: { ...process.env, CDK_VALIDATION: 'false', OUT: join(dir, 'probe-deferred') },
      encoding: 'utf8',
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
    // THEN the findings are the same, the QuickSight one included: its rule's instanceof holds once the
    // app has loaded the QuickSight module
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse(JSON.stringify(here)));
    expect(here.map((f) => `${f.severity} ${f.ruleId} ${f.path}`)).toContain(
      'error AwsSolutions-QS1 Probe/Source',
    );
  }, 60_000);

  test('every class cdk-nag tests with instanceof is an L1 class of the service module it names', () => {
    // The stand-ins answer instanceof from the service's generated modules alone (nag-service-modules.ts):
    // that holds while each class a rule tests is defined there.
    const rules = join(dirname(require.resolve('cdk-nag/package.json')), 'lib');
    const uses: { file: string; service: string; name: string }[] = [];
    const walk = (d: string): void => {
      for (const entry of readdirSync(d, { withFileTypes: true })) {
        const path = join(d, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.js')) {
          const text = readFileSync(path, 'utf8');
          const services = new Map(
            [...text.matchAll(/const (\w+) = require\("(aws-cdk-lib\/aws-[a-z0-9-]+)"\)/g)].map((m) => [
              m[1]!,
              m[2]!,
            ]),
          );
          for (const m of text.matchAll(/\b(aws_(?!cdk_lib_1)\w+_1)\.(Cfn\w+)/g)) {
            uses.push({
              file: path.slice(rules.length + 1),
              service: services.get(m[1]!) ?? `? ${m[1]}`,
              name: m[2]!,
            });
          }
        }
      }
    };
    walk(rules);
    expect(uses.length).toBeGreaterThan(100);
    const misplaced = uses.filter(({ service, name }) => {
      if (service.startsWith('?')) return true;
      const lib = join(dirname(require.resolve(service)), 'lib');
      const generated = readdirSync(lib).filter((f) => f.endsWith('.generated.js'));
      return !generated.some(
        (f) => typeof (require(join(lib, f)) as Record<string, unknown>)[name] === 'function',
      );
    });
    expect(misplaced).toEqual([]);
  }, 60_000);

  test('writes the assembly and reports the findings of the in-process app, from the handed-over config', async () => {
    // GIVEN the shipped config, loaded and checked by this process as npm run synth's parent does, and the
    // app built from it here
    const config = loadConfig(join(REPO, 'config/environments.yaml'));
    const here = buildAwsApp(config, { outdir: join(dir, 'here') });
    synthAwsOrFail(here);
    const summariesHere = collectAwsSummaries(here.outdir, AwsPolicy.tryOf(here)!.findings);
    // WHEN the compiled entry is handed the same config as npm run synth's child
    const preload = join(dir, 'loaded-on-exit.js');
    writeFileSync(preload, LOADED_ON_EXIT);
    const loadedFile = join(dir, 'loaded.json');
    const saved = { NODE_OPTIONS: process.env.NODE_OPTIONS, LOADED_FILE: process.env.LOADED_FILE };
    process.env.NODE_OPTIONS = `${saved.NODE_OPTIONS ?? ''} --require ${JSON.stringify(preload)}`;
    process.env.LOADED_FILE = loadedFile;
    let child: ReturnType<typeof startAwsSynth>;
    try {
      child = startAwsSynth(AWS_ENTRY, join(dir, 'child'));
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
    child.render(config);
    const result = await child.result;
    // THEN it succeeds with the same stack summaries, every finding and acknowledgement included
    // (stderr carries cdk-nag's report of its one warning, the API stage without WAF)
    expect({ code: result.code, stderr: result.code === 0 ? '' : result.stderr }).toEqual({
      code: 0,
      stderr: '',
    });
    expect(JSON.parse(result.stdout)).toEqual(summariesHere);
    // AND the same templates, manifests and assets
    for (const file of readdirSync(here.outdir).filter((f) => f.endsWith('.json'))) {
      expect({ file, text: readFileSync(join(dir, 'child', file), 'utf8') }).toEqual({
        file,
        text: readFileSync(join(here.outdir, file), 'utf8'),
      });
    }
    expect(readdirSync(join(dir, 'child')).sort()).toEqual(readdirSync(here.outdir).sort());
    // AND it loaded neither the config's schema and parser nor the services no construct uses
    const loaded = JSON.parse(readFileSync(loadedFile, 'utf8')) as { packages: string[]; services: string[] };
    expect(loaded.packages).toEqual(expect.arrayContaining(['aws-cdk-lib', 'cdk-nag']));
    expect(loaded.packages.filter((p) => p === 'zod' || p === 'yaml')).toEqual([]);
    expect(loaded.services).toEqual(expect.arrayContaining(['aws-bedrock', 'aws-opensearchserverless']));
    expect(loaded.services.filter((s) => UNUSED_SERVICES.includes(s))).toEqual([]);
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
  }, 60_000);

  test('on its own (as npx cdk runs it) loads and checks the config itself: a bad one exits 2, naming the file', () => {
    const config = join(REPO, 'test/fixtures/config/invalid.yaml');
    const run = spawnSync(process.execPath, [AWS_ENTRY, '--outdir', join(dir, 'standalone')], {
      env: { ...process.env, CDK_VALIDATION: 'false', LLMOPS_CONFIG: config },
      encoding: 'utf8',
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({
      status: 2,
      stderr: expect.stringContaining(`Invalid environment config ${config}`),
    });
  }, 60_000);
});

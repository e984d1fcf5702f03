import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { type App, TerraformStack } from 'cdktf';
import { APIM_BACKEND_TYPE } from '../../constructs/gateway/model-backends';
import { buildApp } from '../../lib/app';
import { loadConfig } from '../../lib/config/load';
import { expectFileSnapshot } from '../helpers/file-snapshot';

const REPO = join(__dirname, '../..');

/** The stacks of the default config. */
const STACKS = ['bootstrap-dev', 'dev', 'bootstrap-staging', 'staging', 'bootstrap-prod', 'prod'] as const;

/** Every file under `dir` with its text. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out[relative(dir, full)] = readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return out;
}

describe('the app from the default config', () => {
  let scratch: string;
  let app: App;
  let first: Record<string, string>;
  let second: Record<string, string>;

  beforeAll(() => {
    // GIVEN the default config, synthesized twice by the real writer (app.synth) into two directories
    scratch = mkdtempSync(join(tmpdir(), 'llmops-app-'));
    const synth = (run: string): App => {
      const built = buildApp(loadConfig(join(REPO, 'config/environments.yaml')), {
        outdir: join(scratch, run),
      });
      built.synth();
      return built;
    };
    app = synth('first');
    synth('second');
    first = tree(join(scratch, 'first'));
    second = tree(join(scratch, 'second'));
  });

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  test('has one environment stack and one bootstrap stack per environment', () => {
    const stacks = app.node.children
      .filter((c): c is TerraformStack => c instanceof TerraformStack)
      .map((s) => s.node.id);
    expect(stacks).toEqual([
      'bootstrap-dev',
      'dev',
      'bootstrap-staging',
      'staging',
      'bootstrap-prod',
      'prod',
    ]);
  });

  test('writes cdk.tf.json per stack and a manifest', () => {
    expect(
      Object.keys(first)
        .filter((f) => f.endsWith('cdk.tf.json'))
        .sort(),
    ).toEqual(
      ['bootstrap-dev', 'bootstrap-prod', 'bootstrap-staging', 'dev', 'prod', 'staging'].map((s) =>
        join('stacks', s, 'cdk.tf.json'),
      ),
    );
    expect(Object.keys(first)).toContain('manifest.json');
  });

  test('synthesizing twice gives byte-identical output', () => {
    expect(Object.keys(second).sort()).toEqual(Object.keys(first).sort());
    for (const [file, text] of Object.entries(first))
      expect({ file, text: second[file] }).toEqual({ file, text });
  });

  test('the output holds no absolute path', () => {
    expect(Object.keys(first).length).toBeGreaterThanOrEqual(7); // six stacks and the manifest
    const absolute = [
      /\/work\//,
      /\/home\//,
      /\/tmp\//,
      /\/Users\//,
      /\/root\//,
      /"[A-Za-z]:[\\/]/,
      new RegExp(REPO.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
      new RegExp(scratch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
    ];
    for (const [file, text] of Object.entries(first)) {
      for (const pattern of absolute)
        expect({ file, match: pattern.exec(text)?.[0] }).toEqual({ file, match: undefined });
    }
  });

  test('the output holds no timestamp: budget start dates are computed at plan time', () => {
    // the default config fixes no budget start date, so no date at all is written
    const configDates = Object.values(loadConfig(join(REPO, 'config/environments.yaml')).environments)
      .map((e) => e.monitoring.budget?.startDate)
      .filter((d): d is string => d !== undefined);
    expect(configDates).toEqual([]);
    expect(Object.keys(first).length).toBeGreaterThanOrEqual(7);
    const timestamps = [/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/, /\b1[6-9]\d{8}(\d{3})?\b/];
    let budgets = 0;
    for (const [file, text] of Object.entries(first)) {
      for (const pattern of timestamps)
        expect({ file, match: pattern.exec(text)?.[0] }).toEqual({ file, match: undefined });
      budgets += text.split(`"start_date": "\${formatdate(`).length - 1;
    }
    expect(budgets).toBe(3); // dev, staging and prod each have a budget
  });
  /**
   * Whole-stack snapshots, one file per stack (`test/stacks/__snapshots__/<stack>.cdk.tf.json`, the file
   * `npm run synth` writes), so a reviewer opens one stack by name. They change whenever a capability
   * changes: read the diff (or `npm run plan:diff`), then regenerate with `npm run test:update`. The
   * properties that matter are asserted in the stack tests.
   */
  test.each(STACKS)('snapshot of %s/cdk.tf.json', (stack) => {
    expectFileSnapshot(
      join(__dirname, '__snapshots__', `${stack}.cdk.tf.json`),
      first[join('stacks', stack, 'cdk.tf.json')]!,
    );
  });

  test.each(['staging', 'prod'])(
    'production environment %s fails over: every backend pool has two or more members',
    (stack) => {
      const json = JSON.parse(first[join('stacks', stack, 'cdk.tf.json')]!) as {
        resource: Record<string, Record<string, { type?: string; name?: string; body?: unknown }>>;
      };
      const pools = Object.values(json.resource.azapi_resource ?? {}).filter(
        (r) => r.type === APIM_BACKEND_TYPE,
      );
      expect(pools.length).toBeGreaterThan(0);
      for (const pool of pools) {
        const members = (pool.body as { properties: { pool: { services: unknown[] } } }).properties.pool
          .services;
        expect([pool.name, members.length >= 2]).toEqual([pool.name, true]);
      }
    },
  );
});

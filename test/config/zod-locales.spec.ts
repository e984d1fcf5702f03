/**
 * deferZodLocales, in node processes of their own (jest's module registry does not go through Node's
 * loader, which the deferral hooks): the config loads without zod's other locales, with the same English
 * messages, and `z.locales` still answers.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadConfig } from '../../lib/config/load';
import { buildDist, REPO } from '../helpers/compiled';

/** Runs `script` in a node process in the repository; returns what it printed as JSON. */
function run(script: string): unknown {
  const result = spawnSync(process.execPath, ['-e', script], { cwd: REPO, encoding: 'utf8' });
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  return JSON.parse(result.stdout);
}

const DIST = JSON.stringify(join(REPO, 'dist/lib/config'));
const INVALID = 'test/fixtures/config/invalid.yaml';

describe('deferZodLocales', () => {
  beforeAll(() => {
    expect(buildDist()).toEqual({ status: 0, stderr: '' });
  }, 120_000);

  test('the config loads with English messages and none of the other locales, which load when read', () => {
    const out = run(`
      require(${DIST} + '/zod-locales').deferZodLocales();
      const { loadConfig } = require(${DIST} + '/load');
      const environments = Object.keys(loadConfig('config/environments.yaml').environments);
      let message;
      try { loadConfig(${JSON.stringify(INVALID)}); } catch (error) { message = error.message; }
      const locales = () => Object.keys(require.cache).filter((f) => f.includes('/zod/v4/locales/'));
      const loaded = locales().map((f) => f.split('/').pop());
      const z = require('zod');
      const german = typeof z.locales.de;
      const same = z.locales === z.core.locales;
      process.stdout.write(JSON.stringify({ environments, message, loaded, german, same, afterRead: locales().length }));
    `) as {
      environments: string[];
      message: string;
      loaded: string[];
      german: string;
      same: boolean;
      afterRead: number;
    };
    expect(out.environments).toEqual(Object.keys(loadConfig('config/environments.yaml').environments));
    let inProcess: string | undefined;
    try {
      loadConfig(INVALID);
    } catch (error) {
      inProcess = (error as Error).message;
    }
    expect(out.message).toBe(inProcess);
    expect(out.loaded).toEqual(['en.cjs']);
    expect(out.german).toBe('function');
    expect(out.same).toBe(true);
    expect(out.afterRead).toBeGreaterThan(60);
  }, 60_000);

  test('fails when zod is loaded already', () => {
    expect(
      run(`
        require('zod');
        try { require(${DIST} + '/zod-locales').deferZodLocales(); process.stdout.write('null'); }
        catch (error) { process.stdout.write(JSON.stringify(error.message)); }
      `),
    ).toBe('deferZodLocales() must run before zod is loaded (lib/config/zod-locales.ts)');
  }, 60_000);
});

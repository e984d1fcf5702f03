/**
 * Whole-stack snapshots of the default config, one per stack. They change whenever a capability is added
 * or changed: review the diff, then regenerate with `npx jest test/stacks/snapshots.test.ts --ci=false -u`.
 * The properties that matter are asserted in environment-stack.test.ts and bootstrap-stack.test.ts.
 */
import { join } from 'node:path';
import { APIM_BACKEND_TYPE } from '../../constructs/gateway/model-backends';
import type { LoadedConfig } from '../../lib/config/environment';
import { loadConfig } from '../../lib/config/load';
import { BootstrapStack } from '../../lib/stacks/bootstrap-stack';
import { EnvironmentStack } from '../../lib/stacks/environment-stack';
import { resourcesOf, synthStack, testApp } from '../helpers/synth';

const REPO = join(__dirname, '../..');

let config: LoadedConfig;

beforeAll(() => {
  config = loadConfig(join(REPO, 'config/environments.yaml'));
});

describe.each(['dev', 'staging', 'prod'])('%s', (name) => {
  test('environment stack', () => {
    const json = synthStack(new EnvironmentStack(testApp(), config.environments[name]!));
    expect(json).toMatchSnapshot();
    // production environments fail over: every backend pool has two or more members
    if (config.environments[name]!.profile === 'production') {
      const pools = Object.values(resourcesOf(json, 'azapi_resource')).filter(
        (r) => r.type === APIM_BACKEND_TYPE,
      );
      expect(pools.length).toBeGreaterThan(0);
      for (const pool of pools) {
        const members = (pool.body as { properties: { pool: { services: unknown[] } } }).properties.pool
          .services;
        expect([pool.name, members.length >= 2]).toEqual([pool.name, true]);
      }
    }
  });

  test('bootstrap stack', () => {
    expect(synthStack(new BootstrapStack(testApp(), config.environments[name]!))).toMatchSnapshot();
  });
});

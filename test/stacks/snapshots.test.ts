/**
 * Whole-stack snapshots of the default config, one per stack. They change whenever a capability is added
 * or changed: review the diff, then regenerate with `npx jest test/stacks/snapshots.test.ts --ci=false -u`.
 * The properties that matter are asserted in environment-stack.test.ts and bootstrap-stack.test.ts.
 */
import { join } from 'node:path';
import type { LoadedConfig } from '../../lib/config/environment';
import { loadConfig } from '../../lib/config/load';
import { BootstrapStack } from '../../lib/stacks/bootstrap-stack';
import { EnvironmentStack } from '../../lib/stacks/environment-stack';
import { synthStack, testApp } from '../helpers/synth';

const REPO = join(__dirname, '../..');

let config: LoadedConfig;

beforeAll(() => {
  config = loadConfig(join(REPO, 'config/environments.yaml'));
});

describe.each(['dev', 'staging', 'prod'])('%s', (name) => {
  test('environment stack', () => {
    expect(synthStack(new EnvironmentStack(testApp(), config.environments[name]!))).toMatchSnapshot();
  });

  test('bootstrap stack', () => {
    expect(synthStack(new BootstrapStack(testApp(), config.environments[name]!))).toMatchSnapshot();
  });
});

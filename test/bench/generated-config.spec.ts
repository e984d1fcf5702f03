import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { generatedConfig } from '../../lib/bench/generated-config';
import { configFilePath, loadConfig } from '../../lib/config/load';

describe('generatedConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bench-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('n environments cycling through the source shapes, keeping the defaults', () => {
    // GIVEN a source with defaults, a public and a private environment
    const source = join(dir, 'source.yaml');
    writeFileSync(
      source,
      [
        'defaults: { workload: demo }',
        'environments:',
        '  dev: { profile: development }',
        '  prod: { profile: production, network: { azure: { addressSpace: 10.0.0.0/16 } } }',
      ].join('\n'),
    );
    // WHEN three environments are generated
    const file = generatedConfig(3, dir, source);
    // THEN env00 and env02 take the first shape, env01 the second with its own /16 and subnets
    expect(file).toBe(join(dir, 'environments-3.yaml'));
    expect(parse(readFileSync(file, 'utf8'))).toEqual({
      defaults: { workload: 'demo' },
      environments: {
        env00: { profile: 'development' },
        env01: {
          profile: 'production',
          network: {
            azure: {
              addressSpace: '10.101.0.0/16',
              subnets: { privateEndpoints: '10.101.1.0/24', apim: '10.101.2.0/24', agents: '10.101.3.0/24' },
            },
          },
        },
        env02: { profile: 'development' },
      },
    });
  });

  test('from the shipped config, the result is a valid config whose private environments share no address space', () => {
    const file = generatedConfig(10, dir, configFilePath());
    const config = loadConfig(file);
    expect(Object.keys(config.environments)).toHaveLength(10);
    const spaces = Object.values(config.environments)
      .filter((e) => e.network.mode === 'private')
      .map((e) => e.network.addressSpace);
    expect(spaces.length).toBeGreaterThan(0);
    expect(new Set(spaces).size).toBe(spaces.length);
  });
});

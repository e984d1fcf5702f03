import { isAbsolute, join } from 'node:path';
import { Naming } from '../../constructs/core/naming';
import type { EnvironmentConfig, LoadedConfig } from '../../lib/config/environment';
import { DEFAULT_CONFIG_FILE, loadConfig, REQUIRED_TAGS, stateStorageName } from '../../lib/config/load';
import { PROFILE_DEFAULTS } from '../../lib/config/profile-defaults';
import { testEnvironment } from '../helpers/synth';

const REPO = join(__dirname, '../..');

describe('the default config/environments.yaml', () => {
  let config: LoadedConfig;
  let env: (name: string) => EnvironmentConfig;

  beforeAll(() => {
    // GIVEN the config file the repository ships
    // WHEN it is loaded
    config = loadConfig(join(REPO, DEFAULT_CONFIG_FILE));
    env = (name) => config.environments[name]!;
  });

  test('declares dev, staging and prod, in promotion order, and aws-dev on AWS', () => {
    // THEN the environments keep file order, which is also the pipeline order
    expect(Object.keys(config.environments)).toEqual(['dev', 'staging', 'prod', 'aws-dev']);
    expect(Object.values(config.environments).map((e) => e.cloud)).toEqual([
      'azure',
      'azure',
      'azure',
      'aws',
    ]);
    expect(['dev', 'staging', 'prod'].map((n) => env(n).pipeline.order)).toEqual([0, 1, 2]);
  });

  test('dev is a public development environment', () => {
    expect(env('dev').profile).toBe('development');
    expect(env('dev').network.mode).toBe('public');
    expect(env('dev').zoneRedundant).toBe(false);
  });

  test.each(['staging', 'prod'])('%s is a private, zone-redundant production environment', (name) => {
    expect(env(name).profile).toBe('production');
    expect(env(name).network.mode).toBe('private');
    expect(env(name).zoneRedundant).toBe(true);
    // private environments deploy from self-hosted runners inside the network
    expect(env(name).pipeline.selfHosted).toBe(true);
    expect(env(name).pipeline.runsOn).toEqual(['self-hosted', `llmops-${name}`]);
  });

  test.each(['dev', 'staging', 'prod'])('%s keeps prevent_destroy on', (name) => {
    expect(env(name).protection.preventDestroy).toBe(true);
    expect(env(name).protection.reason).toBeUndefined();
  });

  test('production environments get locks, customer-managed keys, GZRS storage, at least 3 search replicas and a NAT gateway; dev none of them', () => {
    for (const name of ['staging', 'prod']) {
      expect(env(name).protection).toMatchObject({ locks: true, customerManagedKeys: true });
      expect(env(name).storageReplication).toBe(PROFILE_DEFAULTS.storageReplication.production);
      // the read-write SLA, which the search-replicas policy rule demands in production
      expect(env(name).search.replicas).toBeGreaterThanOrEqual(3);
      expect(env(name).network.egress).toEqual({ allowedFqdns: [], natGateway: true });
    }
    expect(env('dev').protection).toMatchObject({ locks: false, customerManagedKeys: false });
    expect(env('dev').storageReplication).toBe(PROFILE_DEFAULTS.storageReplication.development);
    expect(env('dev').network.egress.natGateway).toBe(false);
  });

  test('an environment without a state section keeps its state in a local file at a relative path', () => {
    // GIVEN an environment that declares no state backend (the default file gives every environment one)
    const state = testEnvironment('profile: development').state;
    // THEN the state is a local file outside cdktf.out, at a path relative to cdktf.out/stacks/<env>,
    // so the synthesized file is the same on every machine and a new synth never deletes the state
    expect(state).toEqual({ backend: 'local', path: '../../../terraform.dev.tfstate' });
    expect(state.backend === 'local' && isAbsolute(state.path)).toBe(false);
    expect(state.backend === 'local' && /^[A-Za-z]:/.test(state.path)).toBe(false);
  });

  test.each(['dev', 'staging', 'prod'])(
    '%s keeps its state in the bootstrap storage account (azurerm backend)',
    (name) => {
      const e = env(name);
      const naming = new Naming({
        workload: e.workload,
        environment: name,
        location: e.location,
        seed: e.namingSeed,
      });
      expect(e.state).toEqual({
        backend: 'azurerm',
        resourceGroupName: `rg-llmops-${name}-sdc`,
        storageAccountName: stateStorageName(naming),
        containerName: 'tfstate',
        key: `${name}.tfstate`,
      });
    },
  );

  test.each(['dev', 'staging', 'prod'])('%s bootstraps from a local, relative state file', (name) => {
    expect(env(name).bootstrapState).toEqual({
      backend: 'local',
      path: `../../../terraform.bootstrap-${name}.tfstate`,
    });
  });

  test('defaults are deep-merged under every environment', () => {
    // GIVEN defaults with workload, seed, region, tags and the GitHub repository
    for (const name of ['dev', 'staging', 'prod']) {
      const e = env(name);
      expect(e).toMatchObject({ workload: 'llmops', namingSeed: 'contoso', location: 'swedencentral' });
      // THEN tags from defaults are kept and the required ones are added
      expect(e.tags).toEqual({
        owner: 'platform-team',
        'cost-center': '4711',
        environment: name,
        workload: 'llmops',
        'managed-by': 'llmops-platform',
      });
      expect(e.requiredTags).toEqual(REQUIRED_TAGS);
      // AND the pipeline object merges key by key: the repository from defaults, the rest from the environment
      expect(e.pipeline.repository).toBe('contoso/llmops-platform');
    }
    expect(env('staging').pipeline.approval).toBe('auto');
    expect(env('prod').pipeline.approval).toBe('manual');
    expect(env('prod').pipeline.reviewers).toEqual(['contoso/platform-approvers']);
  });

  test('profile defaults fill what an environment leaves out', () => {
    // prod leaves retention out: it takes the production default
    expect(env('prod').logging.retentionDays).toBe(PROFILE_DEFAULTS.logRetentionDays.production);
  });

  test('resource group names follow rg-<workload>-<env>-<region code>', () => {
    expect(['dev', 'staging', 'prod'].map((n) => env(n).azure.resourceGroupName)).toEqual([
      'rg-llmops-dev-sdc',
      'rg-llmops-staging-sdc',
      'rg-llmops-prod-sdc',
    ]);
  });
});

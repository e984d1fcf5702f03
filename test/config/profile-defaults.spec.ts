import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentConfig } from '../../lib/config/environment';
import { configJsonSchemaText } from '../../lib/config/json-schema';
import { parseConfig } from '../../lib/config/load';
import {
  defaultText,
  PROFILE_DEFAULTS,
  type ProfileDefaults,
  profileValues,
} from '../../lib/config/profile-defaults';
import { profileDefaultsMarkdown, withProfileTable } from '../../lib/config/profile-table';
import { PROFILES, type Profile } from '../../lib/config/sections/context';

const REPO = join(__dirname, '../..');

/**
 * One environment per profile that sets nothing the table defaults, plus a private development one
 * (the NAT gateway default applies to private environments only).
 */
const CONFIG = `defaults:
  workload: llmops
  namingSeed: test
  location: swedencentral
  tags: { owner: test-team }
environments:
  dev:
    profile: development
  prod:
    profile: production
    models: { azure: { secondaryLocations: [westeurope] } }
    pipeline: { runner: { labels: [self-hosted, prod] } }
    network: { azure: { addressSpace: 10.41.0.0/16 } }
  devpriv:
    profile: development
    network: { mode: private, azure: { addressSpace: 10.42.0.0/16 } }
    pipeline: { runner: { labels: [self-hosted, devpriv] } }
  aws-dev:
    cloud: aws
    profile: development
    aws: { region: us-east-1 }
  aws-prod:
    cloud: aws
    profile: production
    aws: { region: us-east-1 }
    network: { aws: { availabilityZones: [us-east-1a, us-east-1b, us-east-1c] } }
`;

/** Where each profile default lands in the resolved config. A new table entry needs a line here. */
const RESOLVED: { readonly [K in keyof ProfileDefaults]: (env: EnvironmentConfig) => unknown } = {
  networkMode: (env) => env.network.mode,
  natGateway: (env) => env.network.egress.natGateway,
  preventDestroy: (env) => env.protection.preventDestroy,
  locks: (env) => env.protection.locks,
  customerManagedKeys: (env) => env.protection.customerManagedKeys,
  zoneRedundant: (env) => env.zoneRedundant,
  storageReplication: (env) => env.storageReplication,
  logRetentionDays: (env) => env.logging.retentionDays,
  chatCapacity: (env) => env.models.deployments.chat!.capacity,
  embeddingCapacity: (env) => env.models.deployments.embedding!.capacity,
  versionUpgrade: (env) => env.models.deployments.chat!.versionUpgrade,
  searchSku: (env) => env.search.sku,
  searchReplicas: (env) => env.search.replicas,
  searchSemanticRanker: (env) => env.search.semanticRanker,
  gatewaySku: (env) => env.gateway.sku,
  gatewayTokensPerMinute: (env) => env.gateway.tokenLimits.tokensPerMinute,
  tokenBudgetPerHour: (env) => env.monitoring.tokenBudgetPerHour,
  latencyP95Ms: (env) => env.evaluation.thresholds.latencyP95Ms!.value,
  approval: (env) => env.pipeline.approval,
  continuousEvaluation: (env) => env.pipeline.continuousEvaluation.enabled,
  awsChatModel: (env) => env.models.deployments.chat!.model,
  awsEmbeddingModel: (env) => env.models.deployments.embedding!.model,
  awsStandbyReplicas: (env) => env.search.aws!.standbyReplicas,
};

/** Defaults of AWS environments (cloud: aws), read there. */
const AWS_ONLY: ReadonlySet<keyof ProfileDefaults> = new Set([
  'awsChatModel',
  'awsEmbeddingModel',
  'awsStandbyReplicas',
]);

/** Defaults that only apply in private environments, read there. */
const PRIVATE_ONLY: ReadonlySet<keyof ProfileDefaults> = new Set(['natGateway']);

describe('PROFILE_DEFAULTS', () => {
  const environments = parseConfig(CONFIG, 'config/test.yaml').environments;
  const envFor = (profile: Profile, name: keyof ProfileDefaults): EnvironmentConfig =>
    AWS_ONLY.has(name)
      ? environments[profile === 'production' ? 'aws-prod' : 'aws-dev']!
      : profile === 'production'
        ? environments.prod!
        : PRIVATE_ONLY.has(name)
          ? environments.devpriv!
          : environments.dev!;

  const cases = PROFILES.flatMap((profile) =>
    (Object.keys(PROFILE_DEFAULTS) as (keyof ProfileDefaults)[]).map((name) => [name, profile] as const),
  );

  test.each(cases)('the resolved config takes %s from the %s column', (name, profile) => {
    // GIVEN an environment of the profile that does not set the value
    // WHEN the config is resolved
    // THEN the value is the table's
    expect(RESOLVED[name](envFor(profile, name))).toEqual(PROFILE_DEFAULTS[name][profile]);
  });

  test('the JSON Schema (zod .describe texts) prints every entry with a config key', () => {
    // GIVEN the generated JSON Schema
    const text = configJsonSchemaText();
    // THEN each configurable default appears there as the table says
    for (const d of Object.values(PROFILE_DEFAULTS).filter((e) => e.key !== undefined)) {
      expect(text).toContain(profileValues(d));
    }
    expect(text).toContain(defaultText(PROFILE_DEFAULTS.searchReplicas));
  });
});

describe('README.md profile table', () => {
  test('is up to date with PROFILE_DEFAULTS (run `npm run schema` when this fails)', () => {
    // GIVEN the committed README WHEN its profile table is generated again THEN nothing differs
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    expect(withProfileTable(readme)).toBe(readme);
  });

  test('has one row per entry, in table order, keyed by its config key', () => {
    const rows = profileDefaultsMarkdown().split('\n').slice(2);
    const keys = Object.values(PROFILE_DEFAULTS).map((d) => (d.key ? `\`${d.key}\`` : 'not configurable'));
    expect(rows.map((r) => r.split(' | ')[0]!.slice(2))).toEqual(keys);
  });

  test('refuses a README without the markers instead of appending the table somewhere', () => {
    expect(() => withProfileTable('# no table here\n')).toThrow(/no "<!-- BEGIN profile-defaults/);
  });
});

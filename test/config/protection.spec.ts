import { ValidationError } from '../../constructs/core/errors';
import { PROFILE_DEFAULTS } from '../../lib/config/profile-defaults';
import { PRIVATE_ENVIRONMENT_YAML, testEnvironment } from '../helpers/synth';

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected the config to be rejected');
}

describe('protection and egress config', () => {
  test('production defaults: locks, customer-managed keys, GZRS, NAT gateway, no allowed FQDNs', () => {
    const env = testEnvironment(PRIVATE_ENVIRONMENT_YAML, 'prod');
    expect(env.protection).toEqual({
      preventDestroy: true,
      locks: true,
      customerManagedKeys: true,
      reason: undefined,
    });
    expect(env.storageReplication).toBe(PROFILE_DEFAULTS.storageReplication.production);
    expect(env.network.egress).toEqual({ allowedFqdns: [], natGateway: true });
  });

  test('development defaults: none of them, cheap', () => {
    const env = testEnvironment('profile: development');
    expect(env.protection).toMatchObject({ locks: false, customerManagedKeys: false });
    expect(env.storageReplication).toBe('LRS');
    expect(env.network.egress.natGateway).toBe(false);
  });

  test('a development environment may ask for them', () => {
    const env = testEnvironment(
      'profile: development\npipeline:\n  runner:\n    labels: [self-hosted]\nprotection:\n  locks: true\n  customerManagedKeys: true\nnetwork:\n  mode: private\n  azure:\n    egress:\n      natGateway: true\n      allowedFqdns: [srch-x.search.windows.net, srch-x.search.windows.net]',
    );
    expect(env.protection).toMatchObject({ locks: true, customerManagedKeys: true });
    expect(env.network.egress).toEqual({ allowedFqdns: ['srch-x.search.windows.net'], natGateway: true });
  });

  test('fails when a production environment turns locks and keys off without a reason', () => {
    expect(
      problemsOf(() =>
        testEnvironment(
          `${PRIVATE_ENVIRONMENT_YAML}\nprotection:\n  locks: false\n  customerManagedKeys: false`,
          'prod',
        ),
      ),
    ).toEqual([
      'environments.prod.protection.reason: is required when a production environment sets locks: false and customerManagedKeys: false: say why (it is printed with the suppressed policy rule)',
    ]);
  });

  test('accepts it with a reason', () => {
    const env = testEnvironment(
      `${PRIVATE_ENVIRONMENT_YAML}\nprotection:\n  locks: false\n  reason: locks are managed by the landing zone policy`,
      'prod',
    );
    expect(env.protection).toMatchObject({
      locks: false,
      reason: 'locks are managed by the landing zone policy',
    });
  });

  test('fails on an allowed FQDN that is not a host name, naming the entry', () => {
    expect(
      problemsOf(() =>
        testEnvironment(
          `${PRIVATE_ENVIRONMENT_YAML}\nnetwork:\n  azure:\n    egress:\n      allowedFqdns: ["https://x.blob.core.windows.net"]`,
          'prod',
        ),
      ),
    ).toEqual([
      'environments.prod.network.azure.egress.allowedFqdns[0]: "https://x.blob.core.windows.net" is not a fully qualified domain name (e.g. mystorage.blob.core.windows.net)',
    ]);
  });
});

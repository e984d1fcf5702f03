import { CognitiveAccount } from '@cdktf/provider-azurerm/lib/cognitive-account';
import { ManagedIdentityRule, suppressPolicy } from '../../constructs/policy';
import { findingsAfterSynth, rawResource, stackWith, synthError } from './helpers';

const TYPES = [
  'azurerm_cognitive_account',
  'azurerm_search_service',
  'azurerm_api_management',
  'azurerm_ai_foundry',
  'azurerm_ai_foundry_project',
];

function account(scope: ReturnType<typeof stackWith>, identity?: { type: string; identityIds?: string[] }) {
  return new CognitiveAccount(scope, 'Account', {
    name: 'ais-test',
    location: 'swedencentral',
    resourceGroupName: 'rg-test',
    kind: 'AIServices',
    skuName: 'S0',
    identity,
  });
}

describe('policy rule managed-identity', () => {
  test('passes for an account with a system-assigned identity (identity block as cdktf writes it)', () => {
    const stack = stackWith(new ManagedIdentityRule());
    account(stack, { type: 'SystemAssigned' });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test.each(TYPES)('passes for a %s with a user-assigned identity', (type) => {
    const stack = stackWith(new ManagedIdentityRule());
    rawResource(stack, 'Target', type, { identity: { type: 'UserAssigned', identity_ids: ['/id'] } });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test.each(TYPES)('fails when a %s has no identity', (type) => {
    const stack = stackWith(new ManagedIdentityRule());
    rawResource(stack, 'Target', type);
    expect(synthError(stack)).toContain(
      `[policy managed-identity] test/Target (${type}.Target): no managed identity: add an identity block (SystemAssigned or UserAssigned)`,
    );
  });

  test('fails when the identity block has no type', () => {
    const stack = stackWith(new ManagedIdentityRule());
    rawResource(stack, 'Account', 'azurerm_cognitive_account', { identity: [{ type: '' }] });
    expect(synthError(stack)).toContain(
      '[policy managed-identity] test/Account (azurerm_cognitive_account.Account): no managed identity: add an identity block (SystemAssigned or UserAssigned)',
    );
  });

  test('ignores resources that call no other service', () => {
    const stack = stackWith(new ManagedIdentityRule());
    rawResource(stack, 'Vault', 'azurerm_key_vault');
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('a suppression with a reason lets synth pass and is reported with the finding', () => {
    const stack = stackWith(new ManagedIdentityRule());
    suppressPolicy(account(stack), 'managed-identity', 'speech-only account that calls no other service');
    expect(findingsAfterSynth(stack)).toEqual([
      expect.objectContaining({
        ruleId: 'managed-identity',
        path: 'test/Account',
        suppressedBecause: 'speech-only account that calls no other service',
      }),
    ]);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, Aspects, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import {
  applyPolicies,
  attr,
  PolicyReport,
  PolicyRule,
  policyRules,
  type SynthesizedResource,
  suppressPolicy,
} from '../../constructs/policy';
import { KeyVault } from '../../constructs/security/key-vault';
import { TEST_RESOURCE_GROUP } from '../helpers/synth';
import { findingsAfterSynth, rawResource, stackWith, synthError } from './helpers';

/** A rule that flags every resource whose `flag` argument is true. */
class FlagRule extends PolicyRule {
  readonly description = 'No flags.';
  constructor(
    readonly id: string,
    override readonly severity: 'error' | 'warning' = 'error',
  ) {
    super();
  }
  appliesTo(type: string): boolean {
    return type === 'azurerm_thing';
  }
  check(resource: SynthesizedResource): string | undefined {
    return resource.attributes.flag === true ? `flag is set on ${resource.address}; remove it` : undefined;
  }
}

describe('policy engine', () => {
  test('findings are sorted by construct path, then rule id', () => {
    // GIVEN two rules flagging resources created out of order, one suppression keeping synth passing
    const stack = stackWith(new FlagRule('z-rule'), new FlagRule('a-rule'));
    for (const id of ['Charlie', 'Alpha', 'Bravo']) rawResource(stack, id, 'azurerm_thing', { flag: true });
    suppressPolicy(stack, 'z-rule', 'the z rule is only advisory here');
    suppressPolicy(stack, 'a-rule', 'the a rule is only advisory here');
    // WHEN synthesized
    const findings = findingsAfterSynth(stack);
    // THEN findings read in path order, and rule order within a path
    expect(findings.map((f) => `${f.path} ${f.ruleId}`)).toEqual([
      'test/Alpha a-rule',
      'test/Alpha z-rule',
      'test/Bravo a-rule',
      'test/Bravo z-rule',
      'test/Charlie a-rule',
      'test/Charlie z-rule',
    ]);
  });

  test('the report counts rules and findings; only unsuppressed errors fail validation', () => {
    // GIVEN an error rule and a warning rule over three resources, one suppressed
    const stack = stackWith(new FlagRule('no-flag'), new FlagRule('flag-warning', 'warning'));
    rawResource(stack, 'Flagged', 'azurerm_thing', { flag: true });
    rawResource(stack, 'Clean', 'azurerm_thing', { flag: false });
    const excused = new Construct(stack, 'Excused');
    rawResource(excused, 'Flagged', 'azurerm_thing', { flag: true });
    suppressPolicy(excused, 'no-flag', 'flag needed for the migration, removed next sprint');
    // WHEN the stack is validated
    const message = synthError(stack);
    const report = PolicyReport.tryOf(stack)!;
    // THEN every finding is kept: 2 errors (1 suppressed) and 2 warnings
    expect(report.ruleIds).toEqual(['flag-warning', 'no-flag']);
    expect(report.findings.map((f) => [f.path, f.ruleId, f.severity, f.suppressedBecause])).toEqual([
      ['test/Excused/Flagged', 'flag-warning', 'warning', undefined],
      ['test/Excused/Flagged', 'no-flag', 'error', 'flag needed for the migration, removed next sprint'],
      ['test/Flagged', 'flag-warning', 'warning', undefined],
      ['test/Flagged', 'no-flag', 'error', undefined],
    ]);
    // AND only the unsuppressed error fails, with rule id, path, address and fix
    expect(report.validate()).toEqual([
      '[policy no-flag] test/Flagged (azurerm_thing.Flagged): flag is set on azurerm_thing.Flagged; remove it',
    ]);
    expect(message).toContain('[test] [policy no-flag] test/Flagged (azurerm_thing.Flagged)');
    expect(message).not.toContain('Excused');
  });

  test('app.synth() (what `cdktf synth` runs) fails on an unsuppressed error and writes the finding', () => {
    // GIVEN an app whose stack holds a resource breaking a rule
    const outdir = mkdtempSync(join(tmpdir(), 'llmops-policy-'));
    try {
      const app = new App({ outdir });
      const stack = new TerraformStack(app, 'prod');
      new AzurermProvider(stack, 'Azurerm', { features: [{}] });
      Aspects.of(stack).add(new FlagRule('no-flag'));
      rawResource(stack, 'Flagged', 'azurerm_thing', { flag: true });
      // WHEN the app is synthesized THEN it throws, naming the rule, the construct path and the fix
      expect(() => app.synth()).toThrow(
        '[policy no-flag] prod/Flagged (azurerm_thing.Flagged): flag is set on azurerm_thing.Flagged; remove it',
      );
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('app.synth() passes when the error is suppressed with a reason', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'llmops-policy-'));
    try {
      const app = new App({ outdir });
      const stack = new TerraformStack(app, 'prod');
      new AzurermProvider(stack, 'Azurerm', { features: [{}] });
      Aspects.of(stack).add(new FlagRule('no-flag'));
      const thing = rawResource(stack, 'Flagged', 'azurerm_thing', { flag: true });
      suppressPolicy(thing, 'no-flag', 'flag needed for the migration, removed next sprint');
      expect(() => app.synth()).not.toThrow();
      expect(PolicyReport.tryOf(stack)!.findings).toEqual([
        expect.objectContaining({ ruleId: 'no-flag', suppressedBecause: expect.any(String) }),
      ]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('warnings alone do not fail synth', () => {
    const stack = stackWith(new FlagRule('flag-warning', 'warning'));
    rawResource(stack, 'Flagged', 'azurerm_thing', { flag: true });
    expect(findingsAfterSynth(stack)).toHaveLength(1);
  });

  test('rules see the tree after aspects added before them changed it', () => {
    // GIVEN an aspect that fixes the resource, added before the rule
    const stack = stackWith();
    const thing = rawResource(stack, 'Thing', 'azurerm_thing', { flag: true });
    Aspects.of(stack).add({ visit: (node) => node === thing && thing.addOverride('flag', false) });
    Aspects.of(stack).add(new FlagRule('no-flag'));
    // THEN the rule passes
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('synthesizing twice checks each resource once', () => {
    const stack = stackWith(new FlagRule('flag-warning', 'warning'));
    rawResource(stack, 'Flagged', 'azurerm_thing', { flag: true });
    Testing.synth(stack, true);
    expect(findingsAfterSynth(stack)).toHaveLength(1);
  });

  test('a stack without rules has no report', () => {
    const stack = stackWith();
    Testing.synth(stack, true);
    expect(PolicyReport.tryOf(stack)).toBeUndefined();
  });
});

describe('suppressPolicy', () => {
  test('the nearest suppression gives the reason', () => {
    const stack = stackWith(new FlagRule('no-flag'));
    const outer = new Construct(stack, 'Outer');
    const inner = new Construct(outer, 'Inner');
    rawResource(inner, 'Thing', 'azurerm_thing', { flag: true });
    suppressPolicy(outer, 'no-flag', 'outer reason for the whole subtree');
    suppressPolicy(inner, 'no-flag', 'inner reason, more specific');
    expect(findingsAfterSynth(stack)[0]!.suppressedBecause).toBe('inner reason, more specific');
  });

  test('suppresses only the rule named', () => {
    const stack = stackWith(new FlagRule('no-flag'));
    const thing = rawResource(stack, 'Thing', 'azurerm_thing', { flag: true });
    suppressPolicy(thing, 'some-other-rule', 'this does not cover no-flag');
    expect(synthError(stack)).toContain('[policy no-flag] test/Thing');
  });

  test.each([
    ['', 'an empty reason'],
    ['   ', 'a blank reason'],
    ['because', 'a reason under 10 characters'],
  ])('fails when the reason is %j (%s)', (reason) => {
    const stack = stackWith();
    const thing = new Construct(stack, 'Thing');
    expect(() => suppressPolicy(thing, 'no-flag', reason)).toThrow(
      `Suppressing policy rule "no-flag" at test/Thing needs a written reason (at least 10 characters), got ${JSON.stringify(reason)}`,
    );
  });
});

describe('the policy set', () => {
  test('includes the eight foundation rules, each with a unique id and a description', () => {
    const rules = policyRules({ networkMode: 'private', requiredTags: ['owner'] });
    const ids = rules.map((r) => r.id);
    // capabilities may add rules of their own; these eight are always there
    expect(ids).toEqual(
      expect.arrayContaining([
        'diagnostic-setting',
        'key-vault-purge-protection',
        'local-auth-disabled',
        'managed-identity',
        'prevent-destroy',
        'public-network-access',
        'required-tags',
        'tls-minimum',
      ]),
    );
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of rules) expect(rule.description.length).toBeGreaterThan(10);
  });

  test('includes the rules for what Azure rejects or ignores after validate: metric alerts and budget start dates', () => {
    const ids = policyRules({ networkMode: 'public', requiredTags: [] }).map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining(['metric-alert-definition', 'budget-start-date']));
  });

  test('applyPolicies on a plain stack of these constructs without DiagnosticsAspect fails naming the aspect', () => {
    // GIVEN a library user's TerraformStack: a Key Vault, the policy set, no DiagnosticsAspect
    const stack = new TerraformStack(Testing.app({ outdir: tmpdir() }), 'consumer');
    new AzurermProvider(stack, 'Azurerm', { features: [{}] });
    new KeyVault(stack, 'Vault', { resourceGroup: TEST_RESOURCE_GROUP, name: 'kv-consumer', tenantId: 't' });
    applyPolicies(stack, { networkMode: 'public', requiredTags: [] });
    // THEN synth fails on the missing aspect, not silently without diagnostic settings
    expect(synthError(stack)).toContain(
      '[policy diagnostics-aspect] consumer/Vault/Default (azurerm_key_vault.Vault): no DiagnosticsAspect applies to stack "consumer"',
    );
  });

  test('applyPolicies adds every rule, plus extra ones, as aspects', () => {
    const stack = stackWith();
    const props = { networkMode: 'public', requiredTags: [] } as const;
    applyPolicies(stack, props, [new FlagRule('extra')]);
    expect(Aspects.of(stack).all.map((a) => (a as PolicyRule).id)).toEqual([
      ...policyRules(props).map((r) => r.id),
      'extra',
    ]);
  });
});

describe('attr', () => {
  test('reads nested values; index 0 reads a one-item block written as an object or as a list', () => {
    expect(attr({ identity: { type: 'SystemAssigned' } }, 'identity', 0, 'type')).toBe('SystemAssigned');
    expect(attr({ identity: [{ type: 'UserAssigned' }] }, 'identity', 0, 'type')).toBe('UserAssigned');
    expect(attr({ lifecycle: { prevent_destroy: true } }, 'lifecycle', 'prevent_destroy')).toBe(true);
    expect(attr({ a: [{ b: 1 }, { b: 2 }] }, 'a', 1, 'b')).toBe(2);
  });

  test('is undefined where the path leaves the value', () => {
    expect(attr({}, 'identity', 0, 'type')).toBeUndefined();
    expect(attr({ a: 'text' }, 'a', 'b')).toBeUndefined();
    expect(attr({ a: null }, 'a', 'b')).toBeUndefined();
  });
});

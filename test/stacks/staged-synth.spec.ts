import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { App, Aspects, TerraformStack } from 'cdktf';
import { ValidationError } from '../../constructs/core/errors';
import { applyPolicies, suppressPolicy } from '../../constructs/policy';
import { CheckFailedError } from '../../lib/cli/exit';
import { renderSummary, stagedSynth, synthOrFail } from '../../lib/synth-summary';

/** An app with one stack holding a resource group and, optionally, a Key Vault without purge protection. */
function buildApp(outdir: string, opts: { violation: boolean }): App {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'demo');
  new AzurermProvider(stack, 'Azurerm', { features: [{}] });
  const rg = new ResourceGroup(stack, 'Group', {
    name: 'rg-demo',
    location: 'swedencentral',
    tags: { owner: 'me' },
    lifecycle: { preventDestroy: true },
  });
  if (opts.violation) {
    new KeyVault(stack, 'Vault', {
      name: 'kv-demo',
      location: rg.location,
      resourceGroupName: rg.name,
      tenantId: '00000000-0000-0000-0000-000000000000',
      skuName: 'standard',
      purgeProtectionEnabled: false,
      rbacAuthorizationEnabled: true,
      publicNetworkAccessEnabled: false,
      tags: { owner: 'me' },
      lifecycle: { preventDestroy: true },
    });
  }
  applyPolicies(stack, { networkMode: 'private', requiredTags: ['owner'] });
  for (const rule of ['diagnostic-setting', 'diagnostics-aspect']) {
    suppressPolicy(stack, rule, 'this test stack has no Log Analytics workspace to send to');
  }
  return app;
}

describe('stagedSynth', () => {
  let dir: string;
  let outdir: string;

  beforeEach(() => {
    // GIVEN a previous output directory
    dir = mkdtempSync(join(tmpdir(), 'llmops-staged-'));
    outdir = join(dir, 'cdktf.out');
    mkdirSync(join(outdir, 'stacks/old'), { recursive: true });
    writeFileSync(join(outdir, 'stacks/old/cdk.tf.json'), '{"old": true}');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('fails when a policy rule fails, leaving the previous output untouched', () => {
    // WHEN the app has a Key Vault without purge protection
    let error: unknown;
    try {
      stagedSynth((staging) => buildApp(staging, { violation: true }), outdir);
    } catch (e) {
      error = e;
    }
    // THEN synth fails as a failed check (exit 1), naming the rule, the construct and the fix
    expect(error).toBeInstanceOf(CheckFailedError);
    const message = (error as Error).message;
    expect(message).toContain(`synth failed; ${outdir} was left as it was.`);
    expect(message).toContain(
      '[policy key-vault-purge-protection] demo/Vault (azurerm_key_vault.Vault): set purge_protection_enabled = true',
    );
    // AND the previous output is still there, and no staging directory is left behind
    expect(readFileSync(join(outdir, 'stacks/old/cdk.tf.json'), 'utf8')).toBe('{"old": true}');
    expect(readdirSync(dir)).toEqual(['cdktf.out']);
  });

  test('passes through errors thrown while building the app, leaving the previous output untouched', () => {
    const boom = new Error('invalid props');
    expect(() =>
      stagedSynth(() => {
        throw boom;
      }, outdir),
    ).toThrow(boom);
    expect(existsSync(join(outdir, 'stacks/old/cdk.tf.json'))).toBe(true);
    expect(readdirSync(dir)).toEqual(['cdktf.out']);
  });

  test('replaces the previous output when every stack passes', () => {
    // WHEN the app is compliant
    const summaries = stagedSynth((staging) => buildApp(staging, { violation: false }), outdir);
    // THEN the new output replaced the old entirely
    expect(existsSync(join(outdir, 'stacks/old'))).toBe(false);
    expect(JSON.parse(readFileSync(join(outdir, 'stacks/demo/cdk.tf.json'), 'utf8')).resource).toHaveProperty(
      'azurerm_resource_group',
    );
    expect(readdirSync(dir)).toEqual(['cdktf.out']);
    // AND the summary counts resources and policy results
    expect(summaries).toEqual([
      {
        stack: 'demo',
        resources: [{ type: 'azurerm_resource_group', count: 1 }],
        total: 1,
        policyErrors: 0,
        policyWarnings: 0,
        suppressed: [],
      },
    ]);
  });

  test('creates the output directory on the first run', () => {
    rmSync(outdir, { recursive: true });
    stagedSynth((staging) => buildApp(staging, { violation: false }), outdir);
    expect(existsSync(join(outdir, 'stacks/demo/cdk.tf.json'))).toBe(true);
  });
});

describe('synthOrFail (what `cdktf synth` runs through bin/main.ts)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'llmops-synth-or-fail-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('fails as a failed check (exit 1) on a policy error, listing the finding without a stack trace', () => {
    let error: unknown;
    try {
      synthOrFail(buildApp(dir, { violation: true }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CheckFailedError);
    expect((error as Error).message).toMatch(/^synth failed\nValidation failed with the following errors:\n/);
    expect((error as Error).message).toContain('[policy key-vault-purge-protection] demo/Vault');
  });

  test('lets invalid input found while aspects run stay bad input (exit 2)', () => {
    const app = new App({ outdir: dir });
    const stack = new TerraformStack(app, 'demo');
    const invalid = new ValidationError('Invalid Thing "demo/Thing"', [{ path: 'props.x', message: 'bad' }]);
    Aspects.of(stack).add({
      visit: () => {
        throw invalid;
      },
    });
    expect(() => synthOrFail(app)).toThrow(invalid);
  });

  test('passes on a compliant app', () => {
    expect(() => synthOrFail(buildApp(dir, { violation: false }))).not.toThrow();
    expect(existsSync(join(dir, 'stacks/demo/cdk.tf.json'))).toBe(true);
  });
});

describe('renderSummary', () => {
  test('prints one block per stack: totals, policy result, resource counts and suppressions', () => {
    const text = renderSummary(
      [
        {
          stack: 'prod',
          resources: [
            { type: 'azurerm_key_vault', count: 1 },
            { type: 'azurerm_monitor_diagnostic_setting', count: 12 },
          ],
          total: 13,
          policyErrors: 0,
          policyWarnings: 1,
          suppressed: [{ ruleId: 'prevent-destroy', path: 'prod', reason: 'throwaway environment' }],
        },
        { stack: 'dev', resources: [], total: 0, policyErrors: 2, policyWarnings: 0, suppressed: [] },
      ],
      'cdktf.out',
    );
    expect(text).toBe(
      [
        'prod  13 resources  policy: pass (1 suppressed, 1 warnings)  -> cdktf.out/stacks/prod/cdk.tf.json',
        '  azurerm_key_vault                     1',
        '  azurerm_monitor_diagnostic_setting   12',
        '  suppressed prevent-destroy at prod: throwaway environment',
        '',
        'dev  0 resources  policy: 2 errors  -> cdktf.out/stacks/dev/cdk.tf.json',
        '',
        '',
      ].join('\n'),
    );
  });
});

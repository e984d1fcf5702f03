import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Aspects } from 'cdktf';
import { DIAGNOSTIC_PROFILES } from '../../constructs/core/diagnostics';
import { Observability } from '../../constructs/logging/observability';
import {
  DiagnosticSettingRule,
  KeyVaultPurgeProtectionRule,
  LocalAuthDisabledRule,
  ManagedIdentityRule,
  PolicyReport,
  PreventDestroyRule,
  PublicNetworkAccessRule,
  RequiredTagsRule,
  TlsMinimumRule,
} from '../../constructs/policy';
import { KeyVault } from '../../constructs/security/key-vault';
import { StorageAccount } from '../../constructs/storage/storage-account';
import { StandaloneStack } from '../../examples/standalone-stack';
import { constructFolders } from '../helpers/construct-folders';
import { allResources, resourcesOf, type SynthJson, synthStack, testApp } from '../helpers/synth';

const REPO = join(__dirname, '../..');

/** Relative import specifiers of a TypeScript file. */
function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)].map((m) => m[1]!);
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

describe('the constructs stand alone (examples/standalone-stack.ts)', () => {
  let stack: StandaloneStack;
  let json: SynthJson;

  beforeAll(() => {
    // GIVEN the example stack, with the foundation's policy rules checking it
    stack = new StandaloneStack(testApp(), 'standalone');
    for (const rule of [
      new LocalAuthDisabledRule(),
      new PublicNetworkAccessRule({ networkMode: 'private' }),
      new TlsMinimumRule(),
      new ManagedIdentityRule(),
      new DiagnosticSettingRule(),
      new RequiredTagsRule({ keys: ['owner', 'environment'] }),
      new PreventDestroyRule(),
      new KeyVaultPurgeProtectionRule(),
    ]) {
      Aspects.of(stack).add(rule);
    }
    // WHEN it is synthesized with validations
    json = synthStack(stack);
  });

  test('synthesizes in a plain TerraformStack without any environment config', () => {
    expect(Object.keys(json.resource ?? {})).toEqual(
      expect.arrayContaining([
        'azurerm_log_analytics_workspace',
        'azurerm_key_vault',
        'azurerm_storage_account',
      ]),
    );
    expect(json.terraform!.backend).toEqual({ local: { path: 'terraform.standalone.tfstate' } });
  });

  test('passes the policy rules with secure defaults alone', () => {
    expect(PolicyReport.tryOf(stack)!.findings).toEqual([]);
  });

  test('the aspects fill in tags and diagnostic settings', () => {
    const targets = new Set(
      Object.values(resourcesOf(json, 'azurerm_monitor_diagnostic_setting')).map((s) => s.target_resource_id),
    );
    const withProfile = allResources(json).filter(([type]) => DIAGNOSTIC_PROFILES[type]);
    const tagged = allResources(json).filter(
      ([type]) => type === 'azurerm_resource_group' || type === 'azurerm_key_vault',
    );
    // the workspace, the vault and the storage account need settings; the group and the vault need tags
    expect(withProfile.map(([type]) => type).sort()).toEqual(
      expect.arrayContaining([
        'azurerm_key_vault',
        'azurerm_log_analytics_workspace',
        'azurerm_storage_account',
      ]),
    );
    expect(tagged.map(([type]) => type).sort()).toEqual(['azurerm_key_vault', 'azurerm_resource_group']);
    for (const [type, id] of withProfile) expect(targets).toContain(`\${${type}.${id}.id}`);
    for (const [, , attrs] of tagged) {
      expect(attrs.tags).toEqual({ owner: 'example-team', environment: 'sandbox' });
    }
  });

  test('grants land on the granted-on resources', () => {
    expect(
      Object.values(resourcesOf(json, 'azurerm_role_assignment')).map((r) => [
        r.role_definition_name,
        r.scope,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['Storage Blob Data Reader', `\${azurerm_storage_container.Storage_Container-documents_7F74B956.id}`],
        ['Key Vault Secrets User', `\${azurerm_key_vault.KeyVault.id}`],
        ['Monitoring Metrics Publisher', expect.stringMatching(/^\$\{azurerm_application_insights\./)],
      ]),
    );
  });

  test('the example imports nothing from lib/ or bin/', () => {
    expect(
      importsOf(join(REPO, 'examples/standalone-stack.ts')).filter((i) => /^\.\.\/(lib|bin)\//.test(i)),
    ).toEqual([]);
  });

  test('every construct folder has an index.ts re-exporting its constructs', () => {
    const folders = constructFolders(REPO);
    expect(folders).toEqual(
      expect.arrayContaining(['core', 'logging', 'security', 'storage', 'aws/gateway']),
    );
    for (const folder of folders) {
      const index = join(REPO, 'constructs', folder, 'index.ts');
      expect({ folder, index: existsSync(index) }).toEqual({ folder, index: true });
      // AND the index exports everything its modules export, so users import from the folder
      const exported = new Set(Object.keys(require(index)));
      const modules = readdirSync(join(REPO, 'constructs', folder)).filter(
        (f) => f.endsWith('.ts') && f !== 'index.ts',
      );
      expect(modules.length).toBeGreaterThan(0);
      const missing = modules.flatMap((m) =>
        Object.keys(require(join(REPO, 'constructs', folder, m)))
          .filter((name) => !exported.has(name))
          .map((name) => `${folder}/${m}: ${name}`),
      );
      expect(missing).toEqual([]);
    }
    // the foundation's indexes load and expose the constructs
    expect(require('../../constructs/logging').Observability).toBe(Observability);
    expect(require('../../constructs/security').KeyVault).toBe(KeyVault);
    expect(require('../../constructs/storage').StorageAccount).toBe(StorageAccount);
    expect(require('../../constructs/core').DiagnosticsAspect).toBeDefined();
  });

  test('no construct imports lib/ or bin/ (dependencies point one way)', () => {
    const offenders = tsFiles(join(REPO, 'constructs')).flatMap((file) =>
      importsOf(file)
        .filter((i) => /^(lib|bin)\//.test(relative(REPO, join(file, '..', i))))
        .map((i) => `${relative(REPO, file)} imports ${i}`),
    );
    expect(offenders).toEqual([]);
  });
});

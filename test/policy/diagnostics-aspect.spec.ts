import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { Aspects, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { DiagnosticsAspect } from '../../constructs/core/diagnostics';
import { DiagnosticSettingRule, DiagnosticsAspectRule, suppressPolicy } from '../../constructs/policy';
import { KeyVault } from '../../constructs/security/key-vault';
import { StorageAccount } from '../../constructs/storage/storage-account';
import { TEST_RESOURCE_GROUP, testApp } from '../helpers/synth';
import { findingsAfterSynth, rawResource, stackWith, synthError } from './helpers';

const WORKSPACE = { id: '/subscriptions/s/workspaces/log-test' };

/** A Key Vault and a storage account, both of types that support diagnostic settings. */
function addVaultAndStorage(scope: Construct): void {
  new KeyVault(scope, 'Vault', { resourceGroup: TEST_RESOURCE_GROUP, name: 'kv-test', tenantId: 't' });
  new StorageAccount(scope, 'Storage', { resourceGroup: TEST_RESOURCE_GROUP, name: 'sttest' });
}

describe('policy rule diagnostics-aspect', () => {
  test('passes when the stack has a DiagnosticsAspect', () => {
    // GIVEN constructs given no diagnosticSettings, in a stack with the aspect
    const stack = stackWith(new DiagnosticsAspectRule());
    addVaultAndStorage(stack);
    Aspects.of(stack).add(new DiagnosticsAspect({ workspace: WORKSPACE }));
    // THEN there is no finding
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('passes when the DiagnosticsAspect was added to the app above the stack', () => {
    // GIVEN a plain TerraformStack in an app that carries the aspect
    const app = testApp();
    const stack = new TerraformStack(app, 'consumer');
    new AzurermProvider(stack, 'Azurerm', { features: [{}] });
    Aspects.of(app).add(new DiagnosticsAspect({ workspace: WORKSPACE }));
    Aspects.of(stack).add(new DiagnosticsAspectRule());
    rawResource(stack, 'Vault', 'azurerm_key_vault');
    // THEN the aspect inherited from the app counts
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('fails once per stack, naming DiagnosticsAspect and how to add it, when the stack has none', () => {
    // GIVEN constructs in a stack without the aspect
    const stack = stackWith(new DiagnosticsAspectRule());
    addVaultAndStorage(stack);
    // WHEN synthesized THEN one error, on the first resource, counts them all and gives the fix
    const message = synthError(stack);
    expect(message).toContain(
      '[policy diagnostics-aspect] test/Vault/Default (azurerm_key_vault.Vault): no DiagnosticsAspect applies to stack "test", so nothing fills in the diagnostic settings of its 2 resource(s) that support them (azurerm_key_vault, azurerm_storage_account); add it to the stack: Aspects.of(stack).add(new DiagnosticsAspect({ workspace })), DiagnosticsAspect from llmops-platform/constructs/core',
    );
    expect(message.match(/\[policy diagnostics-aspect\]/g)).toHaveLength(1);
  });

  test('fails even when every construct was given diagnosticSettings: the stack still has no aspect', () => {
    // GIVEN a storage account wired by hand, the only resource that needs a setting
    const stack = stackWith(new DiagnosticsAspectRule(), new DiagnosticSettingRule());
    new StorageAccount(stack, 'Storage', {
      resourceGroup: TEST_RESOURCE_GROUP,
      name: 'sttest',
      diagnosticSettings: { workspace: WORKSPACE },
    });
    // THEN diagnostic-setting is satisfied, diagnostics-aspect is not
    const message = synthError(stack);
    expect(message).toContain('[policy diagnostics-aspect] test/Storage/Default');
    expect(message).not.toContain('[policy diagnostic-setting]');
  });

  test('fails for the resources outside the construct an aspect was added to', () => {
    // GIVEN the aspect on one sub-tree only
    const stack = stackWith(new DiagnosticsAspectRule());
    const covered = new Construct(stack, 'Covered');
    Aspects.of(covered).add(new DiagnosticsAspect({ workspace: WORKSPACE }));
    rawResource(covered, 'Vault', 'azurerm_key_vault');
    rawResource(stack, 'Search', 'azurerm_search_service');
    // THEN the finding counts only the resource no aspect visits
    expect(synthError(stack)).toContain(
      '[policy diagnostics-aspect] test/Search (azurerm_search_service.Search): no DiagnosticsAspect applies to stack "test", so nothing fills in the diagnostic settings of its 1 resource(s) that support them (azurerm_search_service);',
    );
  });

  test('ignores stacks whose resources support no diagnostic settings', () => {
    const stack = stackWith(new DiagnosticsAspectRule());
    rawResource(stack, 'Group', 'azurerm_resource_group');
    rawResource(stack, 'Insights', 'azurerm_application_insights');
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('a suppression with a reason lets synth pass and is reported with the finding', () => {
    // GIVEN a stack that wires diagnosticSettings into every construct on purpose
    const stack = stackWith(new DiagnosticsAspectRule());
    addVaultAndStorage(stack);
    suppressPolicy(
      stack,
      'diagnostics-aspect',
      'every construct here is given diagnosticSettings explicitly',
    );
    expect(findingsAfterSynth(stack)).toEqual([
      expect.objectContaining({
        ruleId: 'diagnostics-aspect',
        path: 'test/Vault/Default',
        suppressedBecause: 'every construct here is given diagnosticSettings explicitly',
      }),
    ]);
  });
});

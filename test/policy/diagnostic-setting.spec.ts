import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { Aspects } from 'cdktf';
import { DiagnosticsAspect } from '../../constructs/core/diagnostics';
import { DiagnosticSettingRule, suppressPolicy } from '../../constructs/policy';
import { KeyVault } from '../../constructs/security/key-vault';
import { StorageAccount } from '../../constructs/storage/storage-account';
import { TEST_RESOURCE_GROUP } from '../helpers/synth';
import { findingsAfterSynth, rawResource, stackWith, synthError } from './helpers';

const WORKSPACE = { id: '/subscriptions/s/workspaces/log-test' };

describe('policy rule diagnostic-setting', () => {
  test('passes when the DiagnosticsAspect runs before the rule', () => {
    // GIVEN a stack whose aspects fill in diagnostic settings, then check them
    const stack = stackWith();
    new KeyVault(stack, 'Vault', { resourceGroup: TEST_RESOURCE_GROUP, name: 'kv-test', tenantId: 't' });
    new StorageAccount(stack, 'Storage', { resourceGroup: TEST_RESOURCE_GROUP, name: 'sttest' });
    Aspects.of(stack).add(new DiagnosticsAspect({ workspace: WORKSPACE }));
    Aspects.of(stack).add(new DiagnosticSettingRule());
    // THEN there is no finding
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('passes when the construct was given diagnosticSettings', () => {
    const stack = stackWith(new DiagnosticSettingRule());
    new StorageAccount(stack, 'Storage', {
      resourceGroup: TEST_RESOURCE_GROUP,
      name: 'sttest',
      diagnosticSettings: { workspace: WORKSPACE },
    });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('fails when a resource that supports diagnostic settings has none', () => {
    const stack = stackWith(new DiagnosticSettingRule());
    new KeyVault(stack, 'Vault', { resourceGroup: TEST_RESOURCE_GROUP, name: 'kv-test', tenantId: 't' });
    expect(synthError(stack)).toContain(
      '[policy diagnostic-setting] test/Vault/Default (azurerm_key_vault.Vault): no diagnostic setting targets this resource; give the construct diagnosticSettings or apply DiagnosticsAspect',
    );
  });

  test("fails when a storage account's blob service has no setting of its own", () => {
    // GIVEN a hand-written setting for the account only
    const stack = stackWith(new DiagnosticSettingRule());
    const account = rawResource(stack, 'Storage', 'azurerm_storage_account');
    new MonitorDiagnosticSetting(stack, 'AccountOnly', {
      name: 'd',
      targetResourceId: account.getStringAttribute('id'),
      logAnalyticsWorkspaceId: WORKSPACE.id,
      enabledMetric: [{ category: 'AllMetrics' }],
    });
    // THEN the missing blob service setting is named
    expect(synthError(stack)).toContain(
      '(azurerm_storage_account.Storage): no diagnostic setting targets this resource/blobServices/default; give the construct',
    );
  });

  test('fails, without suggesting the aspect again, when the aspect skipped a resource that had a setting', () => {
    // GIVEN the aspect, and a hand-written setting for the account only (so the aspect leaves it alone)
    const stack = stackWith(new DiagnosticSettingRule());
    Aspects.of(stack).add(new DiagnosticsAspect({ workspace: WORKSPACE }));
    const account = rawResource(stack, 'Storage', 'azurerm_storage_account');
    new MonitorDiagnosticSetting(stack, 'AccountOnly', {
      name: 'd',
      targetResourceId: account.getStringAttribute('id'),
      logAnalyticsWorkspaceId: WORKSPACE.id,
      enabledMetric: [{ category: 'AllMetrics' }],
    });
    // THEN the message says to declare the missing one
    expect(synthError(stack)).toContain(
      '(azurerm_storage_account.Storage): no diagnostic setting targets this resource/blobServices/default; DiagnosticsAspect adds settings only to a resource that has none, so declare the missing one next to the setting the resource already has',
    );
  });

  test('ignores types without diagnostic settings', () => {
    const stack = stackWith(new DiagnosticSettingRule());
    rawResource(stack, 'Insights', 'azurerm_application_insights');
    rawResource(stack, 'Group', 'azurerm_resource_group');
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('a suppression with a reason lets synth pass and is reported with the finding', () => {
    // GIVEN a stack that runs before any workspace exists (as the bootstrap stack does)
    const stack = stackWith(new DiagnosticSettingRule());
    new StorageAccount(stack, 'State', { resourceGroup: TEST_RESOURCE_GROUP, name: 'sttf' });
    suppressPolicy(stack, 'diagnostic-setting', 'bootstrap runs before the Log Analytics workspace exists');
    expect(findingsAfterSynth(stack)).toEqual([
      expect.objectContaining({
        ruleId: 'diagnostic-setting',
        path: 'test/State/Default',
        suppressedBecause: 'bootstrap runs before the Log Analytics workspace exists',
      }),
    ]);
  });
});

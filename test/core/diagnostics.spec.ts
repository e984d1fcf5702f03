import { KeyVault as KeyVaultResource } from '@cdktf/provider-azurerm/lib/key-vault';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { Aspects, TerraformResource, type TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import {
  addDiagnosticSettings,
  addDiagnosticSettingsById,
  DIAGNOSTIC_PROFILES,
  DIAGNOSTIC_SETTING_NAME,
  DiagnosticsAspect,
  idReference,
  WITHOUT_DIAGNOSTIC_SETTINGS,
} from '../../constructs/core/diagnostics';
import type { ILogAnalyticsWorkspace } from '../../constructs/core/props';
import { KeyVault } from '../../constructs/security/key-vault';
import { StorageAccount } from '../../constructs/storage/storage-account';
import {
  type Attributes,
  resourcesOf,
  type SynthJson,
  synthStack,
  TEST_RESOURCE_GROUP,
  testStack,
} from '../helpers/synth';

const WORKSPACE: ILogAnalyticsWorkspace = {
  id: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-test/providers/Microsoft.OperationalInsights/workspaces/log-test',
};

/** A bare resource of any azurerm type: enough for the aspect, which looks only at the type. */
function resourceOfType(stack: TerraformStack, id: string, type: string): TerraformResource {
  return new TerraformResource(stack, id, {
    terraformResourceType: type,
    terraformGeneratorMetadata: { providerName: 'azurerm' },
  });
}

/** The diagnostic settings of the synthesized stack whose target is `target`. */
function settingsFor(json: SynthJson, target: string): Attributes[] {
  return Object.values(resourcesOf(json, 'azurerm_monitor_diagnostic_setting')).filter(
    (s) => s.target_resource_id === target,
  );
}

describe('DiagnosticsAspect', () => {
  test.each(Object.entries(DIAGNOSTIC_PROFILES))(
    'fills in a setting for a %s that has none',
    (type, profile) => {
      // GIVEN a resource of a type that supports diagnostic settings, and none declared for it
      const stack = testStack();
      resourceOfType(stack, 'Target', type);
      // WHEN the aspect runs
      Aspects.of(stack).add(new DiagnosticsAspect({ workspace: WORKSPACE }));
      const json = synthStack(stack);
      // THEN one setting sends all its logs and all its metrics to the workspace
      const [setting, ...others] = settingsFor(json, `\${${type}.Target.id}`);
      expect(others).toEqual([]);
      expect(setting).toEqual({
        name: DIAGNOSTIC_SETTING_NAME,
        target_resource_id: `\${${type}.Target.id}`,
        log_analytics_workspace_id: WORKSPACE.id,
        ...(profile.logs ? { enabled_log: [{ category_group: 'allLogs' }] } : {}),
        ...(profile.metrics ? { enabled_metric: [{ category: 'AllMetrics' }] } : {}),
        ...(profile.dedicatedTables ? { log_analytics_destination_type: 'Dedicated' } : {}),
      });
      // AND every sub-resource (a storage account's blob service) gets its own, with what it sends
      for (const sub of profile.subResources ?? []) {
        expect(settingsFor(json, `\${${type}.Target.id}${sub.suffix}`)).toEqual([
          {
            name: DIAGNOSTIC_SETTING_NAME,
            target_resource_id: `\${${type}.Target.id}${sub.suffix}`,
            log_analytics_workspace_id: WORKSPACE.id,
            ...(sub.logs ? { enabled_log: [{ category_group: 'allLogs' }] } : {}),
            ...(sub.metrics ? { enabled_metric: [{ category: 'AllMetrics' }] } : {}),
          },
        ]);
      }
      const expected = 1 + (profile.subResources?.length ?? 0);
      expect(Object.keys(resourcesOf(json, 'azurerm_monitor_diagnostic_setting'))).toHaveLength(expected);
    },
  );

  test('the profiles say what Azure offers per type (logs, metrics, resource-specific tables, sub-resources)', () => {
    // GIVEN what each type exposes to diagnostic settings (Azure Monitor "supported categories" per type):
    // the table above drives the aspect, so its facts are pinned here, not derived from it
    const facts: Record<string, string> = {
      azurerm_cognitive_account: 'logs+metrics',
      azurerm_search_service: 'logs+metrics',
      azurerm_api_management: 'logs+metrics, dedicated tables',
      azurerm_key_vault: 'logs+metrics',
      azurerm_log_analytics_workspace: 'logs+metrics',
      azurerm_ai_foundry: 'logs+metrics',
      azurerm_ai_foundry_project: 'logs+metrics',
      azurerm_storage_account: 'metrics; /blobServices/default: logs+metrics',
      azurerm_virtual_network: 'logs+metrics',
      azurerm_network_security_group: 'logs',
      azurerm_private_endpoint: 'metrics',
      azurerm_nat_gateway: 'metrics',
      azurerm_public_ip: 'logs+metrics',
    };
    const what = (p: { logs: boolean; metrics: boolean }) =>
      [p.logs && 'logs', p.metrics && 'metrics'].filter(Boolean).join('+');
    // WHEN the profiles are read back
    const actual = Object.fromEntries(
      Object.entries(DIAGNOSTIC_PROFILES).map(([type, p]) => [
        type,
        [
          what(p) + (p.dedicatedTables ? ', dedicated tables' : ''),
          ...(p.subResources ?? []).map((s) => `${s.suffix}: ${what(s)}`),
        ].join('; '),
      ]),
    );
    // THEN they match, type by type
    expect(actual).toEqual(facts);
  });

  test('gives a storage account metrics at account level and logs plus metrics on its blob service', () => {
    // GIVEN a storage account construct given no diagnostic settings
    const stack = testStack();
    new StorageAccount(stack, 'Storage', { resourceGroup: TEST_RESOURCE_GROUP, name: 'sttest' });
    Aspects.of(stack).add(new DiagnosticsAspect({ workspace: WORKSPACE }));
    // WHEN synthesized
    const json = synthStack(stack);
    // THEN the account has only metrics (storage accounts have no account-level logs)
    expect(settingsFor(json, `\${azurerm_storage_account.Storage.id}`)).toEqual([
      {
        name: DIAGNOSTIC_SETTING_NAME,
        target_resource_id: `\${azurerm_storage_account.Storage.id}`,
        log_analytics_workspace_id: WORKSPACE.id,
        enabled_metric: [{ category: 'AllMetrics' }],
      },
    ]);
    // AND the blob service sends StorageRead/Write/Delete (allLogs) and its metrics
    expect(settingsFor(json, `\${azurerm_storage_account.Storage.id}/blobServices/default`)).toEqual([
      {
        name: DIAGNOSTIC_SETTING_NAME,
        target_resource_id: `\${azurerm_storage_account.Storage.id}/blobServices/default`,
        log_analytics_workspace_id: WORKSPACE.id,
        enabled_log: [{ category_group: 'allLogs' }],
        enabled_metric: [{ category: 'AllMetrics' }],
      },
    ]);
  });

  test('leaves alone a resource whose construct was given diagnosticSettings', () => {
    // GIVEN a Key Vault sending only audit logs to another workspace
    const stack = testStack();
    const other: ILogAnalyticsWorkspace = { id: '/subscriptions/x/workspaces/security' };
    new KeyVault(stack, 'Vault', {
      resourceGroup: TEST_RESOURCE_GROUP,
      name: 'kv-test',
      tenantId: 't',
      diagnosticSettings: { workspace: other, logCategoryGroups: ['audit'], metricsEnabled: false },
    });
    Aspects.of(stack).add(new DiagnosticsAspect({ workspace: WORKSPACE }));
    // WHEN synthesized
    const json = synthStack(stack);
    // THEN the construct's setting is the only one: no duplicate to the stack workspace
    expect(settingsFor(json, `\${azurerm_key_vault.Vault.id}`)).toEqual([
      {
        name: DIAGNOSTIC_SETTING_NAME,
        target_resource_id: `\${azurerm_key_vault.Vault.id}`,
        log_analytics_workspace_id: other.id,
        enabled_log: [{ category_group: 'audit' }],
      },
    ]);
  });

  test('leaves alone a resource with a setting declared by hand elsewhere in the stack', () => {
    // GIVEN a raw Key Vault and a hand-written setting for it, declared before the vault in the tree
    const stack = testStack();
    const setting = new MonitorDiagnosticSetting(stack, 'HandWritten', {
      name: 'custom',
      targetResourceId: '',
      logAnalyticsWorkspaceId: WORKSPACE.id,
      enabledLog: [{ category: 'AuditEvent' }],
    });
    const vault = new KeyVaultResource(stack, 'Vault', {
      name: 'kv-test',
      location: 'swedencentral',
      resourceGroupName: 'rg-test',
      tenantId: 't',
      skuName: 'standard',
    });
    setting.targetResourceId = vault.id;
    Aspects.of(stack).add(new DiagnosticsAspect({ workspace: WORKSPACE }));
    // WHEN synthesized THEN the hand-written setting is the only one
    const json = synthStack(stack);
    expect(settingsFor(json, `\${azurerm_key_vault.Vault.id}`).map((s) => s.name)).toEqual(['custom']);
  });

  test.each([
    'azurerm_application_insights',
    'azurerm_role_assignment',
    'azurerm_storage_container',
    'azurerm_resource_group',
  ])('adds nothing to a %s (no diagnostic profile)', (type) => {
    const stack = testStack();
    resourceOfType(stack, 'Target', type);
    Aspects.of(stack).add(new DiagnosticsAspect({ workspace: WORKSPACE }));
    expect(resourcesOf(synthStack(stack), 'azurerm_monitor_diagnostic_setting')).toEqual({});
  });

  test('one aspect instance serves several stacks independently', () => {
    // GIVEN the same aspect on two stacks, each with a Key Vault of the same construct id
    const aspect = new DiagnosticsAspect({ workspace: WORKSPACE });
    const stacks = [testStack('one'), testStack('two')];
    for (const stack of stacks) {
      resourceOfType(stack, 'Vault', 'azurerm_key_vault');
      Aspects.of(stack).add(aspect);
    }
    // THEN each stack's vault gets its own setting
    for (const stack of stacks) {
      expect(settingsFor(synthStack(stack), `\${azurerm_key_vault.Vault.id}`)).toHaveLength(1);
    }
  });

  test('synthesizing twice adds no second setting', () => {
    const stack = testStack();
    resourceOfType(stack, 'Vault', 'azurerm_key_vault');
    Aspects.of(stack).add(new DiagnosticsAspect({ workspace: WORKSPACE }));
    synthStack(stack);
    expect(settingsFor(synthStack(stack), `\${azurerm_key_vault.Vault.id}`)).toHaveLength(1);
  });
});

describe('addDiagnosticSettings', () => {
  test('returns the settings it created, as children of the target', () => {
    const stack = testStack();
    const target = resourceOfType(stack, 'Account', 'azurerm_storage_account');
    const settings = addDiagnosticSettings(target, { workspace: WORKSPACE });
    expect(settings.map((s) => s.node.path)).toEqual([
      'test/Account/Diagnostics',
      'test/Account/DiagnosticsBlobServices',
    ]);
  });

  test('creates nothing for a type without a profile', () => {
    const stack = testStack();
    expect(
      addDiagnosticSettings(resourceOfType(stack, 'X', 'azurerm_storage_container'), {
        workspace: WORKSPACE,
      }),
    ).toEqual([]);
  });

  test('sends the log category groups asked for and can leave metrics out', () => {
    const stack = testStack();
    addDiagnosticSettings(resourceOfType(stack, 'Vault', 'azurerm_key_vault'), {
      workspace: WORKSPACE,
      logCategoryGroups: ['audit', 'allLogs'],
      metricsEnabled: false,
    });
    const [setting] = settingsFor(synthStack(stack), `\${azurerm_key_vault.Vault.id}`);
    expect(setting!.enabled_log).toEqual([{ category_group: 'audit' }, { category_group: 'allLogs' }]);
    expect(setting).not.toHaveProperty('enabled_metric');
  });

  test('idReference reads as the resolved id reference', () => {
    const stack = testStack();
    expect(idReference(resourceOfType(stack, 'Vault', 'azurerm_key_vault'))).toBe(
      `\${azurerm_key_vault.Vault.id}`,
    );
  });
});

describe('WITHOUT_DIAGNOSTIC_SETTINGS', () => {
  test('gives a reason for every type, and no type is both with and without a setting', () => {
    expect(Object.keys(WITHOUT_DIAGNOSTIC_SETTINGS).length).toBeGreaterThan(20);
    for (const [type, reason] of Object.entries(WITHOUT_DIAGNOSTIC_SETTINGS)) {
      expect({ type, reason: reason.length > 10 }).toEqual({ type, reason: true });
      expect({ type, profiled: type in DIAGNOSTIC_PROFILES }).toEqual({ type, profiled: false });
    }
  });

  test('the aspect adds nothing to a type listed there', () => {
    // GIVEN two types the list exempts, with the reason it gives
    expect(WITHOUT_DIAGNOSTIC_SETTINGS.azurerm_resource_group).toContain('activity log');
    expect(WITHOUT_DIAGNOSTIC_SETTINGS.azurerm_user_assigned_identity).toContain('Microsoft Entra logs');
    const stack = testStack();
    resourceOfType(stack, 'Group', 'azurerm_resource_group');
    resourceOfType(stack, 'Identity', 'azurerm_user_assigned_identity');
    Aspects.of(stack).add(new DiagnosticsAspect({ workspace: WORKSPACE }));
    expect(resourcesOf(synthStack(stack), 'azurerm_monitor_diagnostic_setting')).toEqual({});
  });
});

describe('addDiagnosticSettingsById', () => {
  test('gives a resource of another stack, known by its id, the settings of its type', () => {
    // GIVEN a storage account managed elsewhere
    const stack = testStack();
    const id = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sttf';
    // WHEN settings are added for it by id
    const settings = addDiagnosticSettingsById(stack, 'StateDiagnostics', 'azurerm_storage_account', id, {
      workspace: WORKSPACE,
    });
    // THEN the account gets metrics and its blob service logs and metrics, under stable ids
    expect(settings.map((s) => s.node.id)).toEqual(['StateDiagnostics', 'StateDiagnosticsBlobServices']);
    const json = synthStack(stack);
    expect(settingsFor(json, id)).toEqual([
      expect.objectContaining({ enabled_metric: [{ category: 'AllMetrics' }] }),
    ]);
    expect(settingsFor(json, id)[0]).not.toHaveProperty('enabled_log');
    expect(settingsFor(json, `${id}/blobServices/default`)).toEqual([
      expect.objectContaining({
        enabled_log: [{ category_group: 'allLogs' }],
        enabled_metric: [{ category: 'AllMetrics' }],
      }),
    ]);
  });

  test('adds nothing for a type without a profile', () => {
    expect(
      addDiagnosticSettingsById(testStack(), 'X', 'azurerm_resource_group', '/x', { workspace: WORKSPACE }),
    ).toEqual([]);
  });
});

describe('DiagnosticsAspect.isAppliedTo', () => {
  test('is true below the construct the aspect was added to, the app included, and false elsewhere', () => {
    // GIVEN an aspect added to one sub-tree of a stack
    const stack = testStack();
    const covered = new Construct(stack, 'Covered');
    Aspects.of(covered).add(new DiagnosticsAspect({ workspace: WORKSPACE }));
    // (a resource at the stack root, outside `covered`)
    const outside = resourceOfType(stack, 'Outside', 'azurerm_key_vault');
    const below = new Construct(covered, 'Child');
    // THEN it applies to the sub-tree only
    expect(DiagnosticsAspect.isAppliedTo(covered)).toBe(true);
    expect(DiagnosticsAspect.isAppliedTo(below)).toBe(true);
    expect(DiagnosticsAspect.isAppliedTo(outside)).toBe(false);
    expect(DiagnosticsAspect.isAppliedTo(stack)).toBe(false);
    // AND once added to the app, to everything in it
    Aspects.of(stack.node.scope!).add(new DiagnosticsAspect({ workspace: WORKSPACE }));
    expect(DiagnosticsAspect.isAppliedTo(outside)).toBe(true);
  });

  test('recognizes an aspect from another copy of the library, where instanceof does not', () => {
    // GIVEN the DiagnosticsAspect class of a second module instance (as a second installed copy would be)
    let Other: typeof DiagnosticsAspect | undefined;
    jest.isolateModules(() => {
      Other = require('../../constructs/core/diagnostics').DiagnosticsAspect;
    });
    const foreign = new Other!({ workspace: WORKSPACE });
    // THEN it is another class, and still recognized
    expect(foreign instanceof DiagnosticsAspect).toBe(false);
    expect(DiagnosticsAspect.isDiagnosticsAspect(foreign)).toBe(true);
    expect(DiagnosticsAspect.isDiagnosticsAspect({ visit: () => undefined })).toBe(false);
  });
});

import { CognitiveAccount } from '@cdktf/provider-azurerm/lib/cognitive-account';
import { CognitiveDeployment } from '@cdktf/provider-azurerm/lib/cognitive-deployment';
import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Construct } from 'constructs';
import { AzapiResource } from '../../constructs/core/azapi';
import { ValidationError } from '../../constructs/core/errors';
import { synthesizedAttributes } from '../../constructs/core/resolve';
import {
  findMonitoredResources,
  isProvisionedSkuName,
  monitoredResources,
} from '../../constructs/monitoring/discovery';
import { testStack } from '../helpers/synth';

function account(scope: Construct, id: string, kind = 'AIServices', name = `ais-${id.toLowerCase()}`) {
  return new CognitiveAccount(scope, id, {
    name,
    kind,
    location: 'swedencentral',
    resourceGroupName: 'rg-test',
    skuName: 'S0',
  });
}

function deployment(scope: Construct, id: string, target: CognitiveAccount, sku: string) {
  return new CognitiveDeployment(scope, id, {
    name: id.toLowerCase(),
    cognitiveAccountId: target.id,
    model: { format: 'OpenAI', name: 'gpt-4o', version: '2024-11-20' },
    sku: { name: sku, capacity: 50 },
  });
}

function vault(scope: Construct, id: string) {
  return new KeyVault(scope, id, {
    name: `kv-${id.toLowerCase()}`,
    location: 'x',
    resourceGroupName: 'rg',
    tenantId: 't',
    skuName: 'standard',
  });
}

describe('monitoredResources', () => {
  test('describes exactly the resources given, in the order given, not in tree order', () => {
    // GIVEN resources created in one order and a third one that is not handed over
    const stack = testStack();
    const first = vault(stack, 'First');
    const models = new Construct(stack, 'Models');
    const primary = account(models, 'Default', 'AIServices', 'ais-primary');
    vault(stack, 'NotWatched');
    // WHEN they are handed over in another order
    const found = monitoredResources([primary, first]);
    // THEN
    expect(found.map((f) => [f.key, f.resourceType, f.name, f.provisioned])).toEqual([
      ['Models', 'azurerm_cognitive_account', 'ais-primary', false],
      ['First', 'azurerm_key_vault', 'kv-first', false],
    ]);
  });

  test('takes the PTU flag from the caller, for model accounts only', () => {
    const stack = testStack();
    const ptu = account(stack, 'Ptu');
    const kv = vault(stack, 'Vault');
    const found = monitoredResources([
      { resource: ptu, provisioned: true },
      { resource: kv, provisioned: true },
    ]);
    expect(found.map((f) => [f.key, f.provisioned])).toEqual([
      ['Ptu', true],
      ['Vault', false],
    ]);
  });

  test('skips the workspace (no alerts in the catalog) and accounts that serve no Azure OpenAI models', () => {
    const stack = testStack();
    const workspace = new LogAnalyticsWorkspace(stack, 'Workspace', {
      name: 'log-test',
      location: 'x',
      resourceGroupName: 'rg',
    });
    const safety = account(stack, 'Safety', 'ContentSafety');
    expect(monitoredResources([workspace, safety])).toEqual([]);
  });

  test('fails when a resource has a type the catalog does not know, naming it, its type and the allowed types', () => {
    // GIVEN an identity (no baseline alerts) among the resources to watch
    const stack = testStack();
    const kv = vault(stack, 'Vault');
    const identity = new UserAssignedIdentity(stack, 'Identity', {
      name: 'id-test',
      location: 'x',
      resourceGroupName: 'rg',
    });
    // WHEN / THEN
    expect(() => monitoredResources([kv, identity])).toThrow(ValidationError);
    expect(() => monitoredResources([kv, identity])).toThrow(
      /resources\[1\].*test\/Identity \(azurerm_user_assigned_identity\) has no baseline alerts in the catalog; allowed types: azurerm_cognitive_account, /,
    );
  });
});

describe('findMonitoredResources', () => {
  test('finds every resource of a catalog type, keyed by construct path, and nothing else', () => {
    // GIVEN resources of catalog and non-catalog types, one nested in a construct
    const stack = testStack();
    const models = new Construct(stack, 'Models');
    account(models, 'Default', 'AIServices', 'ais-primary');
    new KeyVault(stack, 'Vault', {
      name: 'kv-test',
      location: 'x',
      resourceGroupName: 'rg',
      tenantId: 't',
      skuName: 'standard',
    });
    new LogAnalyticsWorkspace(stack, 'Workspace', {
      name: 'log-test',
      location: 'x',
      resourceGroupName: 'rg',
    });
    // WHEN
    const found = findMonitoredResources(stack);
    // THEN the workspace (no metric alerts in the catalog) is left out
    expect(found.map((f) => [f.key, f.resourceType, f.name])).toEqual([
      ['Models', 'azurerm_cognitive_account', 'ais-primary'],
      ['Vault', 'azurerm_key_vault', 'kv-test'],
    ]);
  });

  test('leaves out accounts that do not serve Azure OpenAI models', () => {
    const stack = testStack();
    account(stack, 'Safety', 'ContentSafety');
    account(stack, 'OpenAi', 'OpenAI');
    expect(findMonitoredResources(stack).map((f) => f.key)).toEqual(['OpenAi']);
  });

  test('uses the construct path as name when the name is not known at synth time', () => {
    const stack = testStack();
    const first = account(stack, 'First');
    account(stack, 'Second', 'AIServices', `${first.name}-2`);
    expect(findMonitoredResources(stack).map((f) => f.name)).toEqual(['ais-first', 'Second']);
  });

  test('marks an account provisioned when one of its deployments has a provisioned SKU', () => {
    // GIVEN a PTU account, a standard account, and a PTU deployment elsewhere in the tree
    const stack = testStack();
    const ptu = account(stack, 'Ptu');
    const standard = account(stack, 'Standard');
    deployment(ptu, 'Chat', ptu, 'GlobalStandard');
    new Construct(stack, 'Elsewhere');
    deployment(stack, 'Batch', ptu, 'DataZoneProvisionedManaged');
    deployment(standard, 'Chat', standard, 'GlobalStandard');
    // THEN
    const byKey = Object.fromEntries(findMonitoredResources(stack).map((f) => [f.key, f.provisioned]));
    expect(byKey).toEqual({ Ptu: true, Standard: false });
  });

  test('reads provisioned deployments made with azapi too', () => {
    const stack = testStack();
    const ptu = account(stack, 'Ptu');
    new AzapiResource(stack, 'Deployment', {
      type: 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01',
      name: 'chat',
      parentId: ptu.id,
      body: { sku: { name: 'ProvisionedManaged', capacity: 100 }, properties: {} },
    });
    expect(findMonitoredResources(stack)[0]?.provisioned).toBe(true);
  });
});

describe('helpers', () => {
  test('isProvisionedSkuName recognizes every provisioned deployment type', () => {
    for (const sku of ['ProvisionedManaged', 'GlobalProvisionedManaged', 'DataZoneProvisionedManaged']) {
      expect(isProvisionedSkuName(sku)).toBe(true);
    }
    for (const sku of ['Standard', 'GlobalStandard', 'DataZoneStandard', 'GlobalBatch', undefined]) {
      expect(isProvisionedSkuName(sku)).toBe(false);
    }
  });

  test('synthesizedAttributes resolves references', () => {
    const stack = testStack();
    const target = account(stack, 'A');
    const dep = deployment(stack, 'D', target, 'Standard');
    expect(synthesizedAttributes(dep)).toMatchObject({
      cognitive_account_id: `\${azurerm_cognitive_account.A.id}`,
      sku: { name: 'Standard', capacity: 50 },
    });
  });
});

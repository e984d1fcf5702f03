import { ApiManagementNamedValue } from '@cdktf/provider-azurerm/lib/api-management-named-value';
import { DataAzurermResourceGroup } from '@cdktf/provider-azurerm/lib/data-azurerm-resource-group';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { Aspects, Fn, TerraformVariable, Token } from 'cdktf';
import { isTaggable, TagsAspect } from '../../constructs/core/tags';
import { resourcesOf, synthStack, testStack } from '../helpers/synth';

const TAGS = {
  owner: 'platform-team',
  environment: 'dev',
  workload: 'llmops',
  'managed-by': 'llmops-platform',
};

describe('TagsAspect', () => {
  test('adds the tags to a resource that has none', () => {
    // GIVEN a resource group without tags
    const stack = testStack();
    new ResourceGroup(stack, 'Group', { name: 'rg', location: 'swedencentral' });
    // WHEN the aspect runs
    Aspects.of(stack).add(new TagsAspect(TAGS));
    // THEN it carries every tag
    expect(resourcesOf(synthStack(stack), 'azurerm_resource_group').Group!.tags).toEqual(TAGS);
  });

  test("merges with the resource's own tags; the construct's values win", () => {
    // GIVEN a resource that refines owner and adds its own tag
    const stack = testStack();
    new ResourceGroup(stack, 'Group', {
      name: 'rg',
      location: 'swedencentral',
      tags: { owner: 'search-team', purpose: 'rag' },
    });
    Aspects.of(stack).add(new TagsAspect(TAGS));
    // THEN both sets are present and the construct's owner wins
    expect(resourcesOf(synthStack(stack), 'azurerm_resource_group').Group!.tags).toEqual({
      ...TAGS,
      owner: 'search-team',
      purpose: 'rag',
    });
  });

  test('leaves resources without a tags argument untouched', () => {
    // GIVEN resources azurerm cannot tag: a role assignment, a diagnostic setting, a blob container
    const stack = testStack();
    new RoleAssignment(stack, 'Grant', { scope: '/x', principalId: 'p', roleDefinitionName: 'Reader' });
    new MonitorDiagnosticSetting(stack, 'Setting', {
      name: 'd',
      targetResourceId: '/x',
      logAnalyticsWorkspaceId: '/w',
    });
    new StorageContainer(stack, 'Container', { name: 'c', storageAccountId: '/s' });
    Aspects.of(stack).add(new TagsAspect(TAGS));
    // WHEN synthesized THEN none has tags
    const json = synthStack(stack);
    for (const type of [
      'azurerm_role_assignment',
      'azurerm_monitor_diagnostic_setting',
      'azurerm_storage_container',
    ]) {
      const [resource] = Object.values(resourcesOf(json, type));
      expect(resource).toBeDefined();
      expect(resource).not.toHaveProperty('tags');
    }
  });

  test('leaves data sources untouched', () => {
    const stack = testStack();
    new DataAzurermResourceGroup(stack, 'Group', { name: 'rg' });
    Aspects.of(stack).add(new TagsAspect(TAGS));
    expect(synthStack(stack).data!.azurerm_resource_group!.Group).toEqual({ name: 'rg' });
  });

  test('leaves tags that are a Terraform expression as they are', () => {
    // GIVEN tags computed at plan time
    const stack = testStack();
    const extra = new TerraformVariable(stack, 'extra_tags', { type: 'map(string)' });
    new ResourceGroup(stack, 'Group', {
      name: 'rg',
      location: 'swedencentral',
      tags: Token.asStringMap(Fn.merge([extra.value])),
    });
    Aspects.of(stack).add(new TagsAspect(TAGS));
    // THEN the aspect does not replace the expression
    expect(resourcesOf(synthStack(stack), 'azurerm_resource_group').Group!.tags).toBe(
      `\${merge(var.extra_tags)}`,
    );
  });
});

describe('isTaggable', () => {
  test('holds for resources with a tags argument only', () => {
    const stack = testStack();
    expect(isTaggable(new ResourceGroup(stack, 'Group', { name: 'rg', location: 'x' }))).toBe(true);
    expect(
      isTaggable(
        new RoleAssignment(stack, 'Grant', { scope: '/x', principalId: 'p', roleDefinitionName: 'Reader' }),
      ),
    ).toBe(false);
    expect(isTaggable(new DataAzurermResourceGroup(stack, 'Data', { name: 'rg' }))).toBe(false);
    expect(isTaggable(stack)).toBe(false);
  });
});

describe('TagsAspect on list-typed tags', () => {
  test('leaves an API Management named value, whose tags are labels, untouched', () => {
    // GIVEN a named value with its own labels (a list, not Azure resource tags)
    const stack = testStack();
    new ApiManagementNamedValue(stack, 'Weights', {
      name: 'llmops-weights-chat',
      displayName: 'llmops-weights-chat',
      apiManagementName: 'apim',
      resourceGroupName: 'rg',
      value: 'control=90;candidate=10',
      tags: ['llmops-experiment'],
    });
    // WHEN the aspect runs
    Aspects.of(stack).add(new TagsAspect(TAGS));
    // THEN the labels stay a list: merging a map into them would send a malformed request
    expect(resourcesOf(synthStack(stack), 'azurerm_api_management_named_value').Weights!.tags).toEqual([
      'llmops-experiment',
    ]);
    expect(isTaggable(stack.node.findChild('Weights'))).toBe(false);
  });
});

import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { applyProtection } from '../../constructs/core/props';
import { resourcesOf, synthStack, testStack } from '../helpers/synth';

describe('applyProtection', () => {
  test('adds lifecycle.prevent_destroy by default', () => {
    const stack = testStack();
    applyProtection(new ResourceGroup(stack, 'Group', { name: 'rg', location: 'x' }), {});
    expect(resourcesOf(synthStack(stack), 'azurerm_resource_group').Group!.lifecycle).toEqual({
      prevent_destroy: true,
    });
  });

  test('keeps the lifecycle settings the resource already has', () => {
    const stack = testStack();
    const group = new ResourceGroup(stack, 'Group', {
      name: 'rg',
      location: 'x',
      lifecycle: { ignoreChanges: ['tags'] },
    });
    applyProtection(group, { preventDestroy: true });
    expect(resourcesOf(synthStack(stack), 'azurerm_resource_group').Group!.lifecycle).toEqual({
      ignore_changes: ['tags'],
      prevent_destroy: true,
    });
  });

  test('adds nothing when the caller opted out', () => {
    const stack = testStack();
    applyProtection(new ResourceGroup(stack, 'Group', { name: 'rg', location: 'x' }), {
      preventDestroy: false,
    });
    expect(resourcesOf(synthStack(stack), 'azurerm_resource_group').Group).not.toHaveProperty('lifecycle');
  });
});

import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Aspects } from 'cdktf';
import { TagsAspect } from '../../constructs/core/tags';
import { RequiredTagsRule, suppressPolicy } from '../../constructs/policy';
import { findingsAfterSynth, stackWith, synthError } from './helpers';

const KEYS = ['environment', 'workload', 'owner', 'managed-by'];
const TAGS = {
  environment: 'dev',
  workload: 'llmops',
  owner: 'platform-team',
  'managed-by': 'llmops-platform',
};

describe('policy rule required-tags', () => {
  test('passes when the TagsAspect runs before the rule', () => {
    const stack = stackWith();
    new ResourceGroup(stack, 'Group', { name: 'rg', location: 'swedencentral' });
    Aspects.of(stack).add(new TagsAspect(TAGS));
    Aspects.of(stack).add(new RequiredTagsRule({ keys: KEYS }));
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('fails when a taggable resource misses required tags, naming each', () => {
    const stack = stackWith(new RequiredTagsRule({ keys: KEYS }));
    new ResourceGroup(stack, 'Group', {
      name: 'rg',
      location: 'swedencentral',
      tags: { environment: 'dev', workload: 'llmops' },
    });
    expect(synthError(stack)).toContain(
      '[policy required-tags] test/Group (azurerm_resource_group.Group): missing required tags: owner, managed-by',
    );
  });

  test('fails when a required tag is empty', () => {
    const stack = stackWith(new RequiredTagsRule({ keys: ['owner'] }));
    new ResourceGroup(stack, 'Group', { name: 'rg', location: 'swedencentral', tags: { owner: '' } });
    expect(synthError(stack)).toContain('missing required tags: owner');
  });

  test('ignores resources that take no tags', () => {
    const stack = stackWith(new RequiredTagsRule({ keys: KEYS }));
    new RoleAssignment(stack, 'Grant', { scope: '/x', principalId: 'p', roleDefinitionName: 'Reader' });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('a suppression with a reason lets synth pass and is reported with the finding', () => {
    const stack = stackWith(new RequiredTagsRule({ keys: KEYS }));
    const group = new ResourceGroup(stack, 'Group', { name: 'rg', location: 'swedencentral' });
    suppressPolicy(
      group,
      'required-tags',
      'imported group owned by the network team, tagged by their pipeline',
    );
    expect(findingsAfterSynth(stack)).toEqual([
      expect.objectContaining({
        ruleId: 'required-tags',
        message: 'missing required tags: environment, workload, owner, managed-by',
        suppressedBecause: 'imported group owned by the network team, tagged by their pipeline',
      }),
    ]);
  });
});

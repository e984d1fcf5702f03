import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { ManagementLock } from '@cdktf/provider-azurerm/lib/management-lock';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { App, Aspects, Lazy, TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { PolicyRule, type SynthesizedResource } from '../../constructs/policy';
import { PlatformStack } from '../../lib/stacks/platform-stack';
import { testApp } from '../helpers/synth';

class TestStack extends PlatformStack {}

/** A rule on resource groups that records the tags it was shown. */
class TagsSeen extends PolicyRule {
  readonly id = 'tags-seen';
  readonly description = 'Records the tags of resource groups.';
  readonly seen: unknown[] = [];
  appliesTo(type: string): boolean {
    return type === 'azurerm_resource_group';
  }
  check(resource: SynthesizedResource): string | undefined {
    this.seen.push(resource.attributes.tags);
    return undefined;
  }
}

/** A group, a client config, a lock on the group and an output: references within one stack. */
function populate(stack: TerraformStack, tag: string | (() => string) = 'x'): ResourceGroup {
  new AzurermProvider(stack, 'Azurerm', { features: [{}] });
  const client = new DataAzurermClientConfig(stack, 'Client');
  const group = new ResourceGroup(stack, 'Group', {
    name: 'rg-test',
    location: 'swedencentral',
    tags: { owner: client.objectId, tag: typeof tag === 'string' ? tag : Lazy.stringValue({ produce: tag }) },
  });
  new ManagementLock(stack, 'Lock', { name: 'lock', scope: group.id, lockLevel: 'CanNotDelete' });
  new TerraformOutput(stack, 'group_id', { value: group.id });
  return group;
}

/** Runs `app.synth()` into a temporary directory; returns the cdk.tf.json of `stack`. */
function synthApp(app: (outdir: string) => App, stack: string): Record<string, unknown> {
  const outdir = mkdtempSync(join(tmpdir(), 'platform-stack-'));
  try {
    app(outdir).synth();
    return JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

describe('PlatformStack', () => {
  test('synthesizes what a plain TerraformStack does, with and without validations', () => {
    for (const validate of [true, false]) {
      const plain = new TerraformStack(testApp(), 'test');
      populate(plain);
      const platform = new TestStack(testApp(), 'test');
      populate(platform);
      expect(Testing.synth(platform, validate)).toBe(Testing.synth(plain, validate));
    }
  });

  test('each value is resolved once per app synth, and the policy rules read that one resolution', () => {
    let produced = 0;
    const rule = new TagsSeen();
    const json = synthApp((outdir) => {
      const app = new App({ outdir });
      const stack = new TestStack(app, 'test');
      populate(stack, () => `run-${++produced}`);
      Aspects.of(stack).add(rule);
      return app;
    }, 'test');
    expect(produced).toBe(1);
    expect(rule.seen).toEqual([{ owner: `\${data.azurerm_client_config.Client.object_id}`, tag: 'run-1' }]);
    expect(json).toMatchObject({
      resource: { azurerm_resource_group: { Group: { tags: { tag: 'run-1' } } } },
    });
  });

  test('a reference to a resource of another stack fails synth, naming the construct and the reference', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'platform-stack-'));
    try {
      const app = new App({ outdir });
      const group = populate(new TestStack(app, 'bootstrap'));
      const stack = new TestStack(app, 'env');
      new AzurermProvider(stack, 'Azurerm', { features: [{}] });
      new ManagementLock(stack, 'Lock', { name: 'lock', scope: group.id, lockLevel: 'CanNotDelete' });
      expect(() => app.synth()).toThrow(
        'env/Lock refers to azurerm_resource_group.Group, which this stack does not declare: the stacks of this app do not reference each other (what one needs from another goes through the config)',
      );
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { ManagementLock } from '@cdktf/provider-azurerm/lib/management-lock';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { App, Aspects, Lazy, TerraformLocal, TerraformOutput, TerraformStack, Testing } from 'cdktf';
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

/** Runs `app.synth()` into a temporary directory; returns every file it wrote, by relative path. */
function synthApp(app: (outdir: string) => App): Record<string, string> {
  const outdir = mkdtempSync(join(tmpdir(), 'platform-stack-'));
  try {
    app(outdir).synth();
    const files: Record<string, string> = {};
    for (const entry of readdirSync(outdir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      files[relative(outdir, path)] = readFileSync(path, 'utf8');
    }
    return files;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The message `app.synth()` fails with. */
function synthError(app: App): string {
  try {
    app.synth();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected synth to fail');
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
    const files = synthApp((outdir) => {
      const app = new App({ outdir });
      const stack = new TestStack(app, 'test');
      populate(stack, () => `run-${++produced}`);
      Aspects.of(stack).add(rule);
      return app;
    });
    const json = JSON.parse(files[join('stacks', 'test', 'cdk.tf.json')]!);
    expect(produced).toBe(1);
    expect(rule.seen).toEqual([{ owner: `\${data.azurerm_client_config.Client.object_id}`, tag: 'run-1' }]);
    expect(json).toMatchObject({
      resource: { azurerm_resource_group: { Group: { tags: { tag: 'run-1' } } } },
    });
  });

  test('app.synth writes what it writes for plain TerraformStacks: every file, metadata and manifest included', () => {
    const build = (Stack: new (scope: App, id: string) => TerraformStack) => (outdir: string) => {
      const app = new App({ outdir });
      populate(new Stack(app, 'bootstrap'));
      populate(new Stack(app, 'env'), () => 'lazy');
      return app;
    };
    const plain = synthApp(build(TerraformStack));
    expect(Object.keys(plain).sort()).toEqual([
      'manifest.json',
      join('stacks', 'bootstrap', 'cdk.tf.json'),
      join('stacks', 'env', 'cdk.tf.json'),
    ]);
    expect(synthApp(build(TestStack))).toEqual(plain);
  });

  const MESSAGE =
    'which this stack does not declare: the stacks of this app do not reference each other (what one needs from another goes through the config)';

  test.each([
    [
      'an argument',
      (stack: TerraformStack, other: ResourceGroup) =>
        new ManagementLock(stack, 'Lock', { name: 'lock', scope: other.id, lockLevel: 'CanNotDelete' }),
      `env/Lock refers to azurerm_resource_group.Group, ${MESSAGE}`,
    ],
    [
      'depends_on',
      (stack: TerraformStack, other: ResourceGroup) =>
        new ManagementLock(stack, 'Lock', {
          name: 'lock',
          scope: '/subscriptions/x',
          lockLevel: 'CanNotDelete',
          dependsOn: [other],
        }),
      `env/Lock refers to azurerm_resource_group.Group, ${MESSAGE}`,
    ],
    [
      'a provider argument',
      (stack: TerraformStack, other: ResourceGroup) =>
        new AzurermProvider(stack, 'Second', { features: [{}], alias: 'second', subscriptionId: other.name }),
      `provider.azurerm.second refers to azurerm_resource_group.Group, ${MESSAGE}`,
    ],
    [
      'an output',
      (stack: TerraformStack, other: ResourceGroup) =>
        new TerraformOutput(stack, 'other', { value: other.location }),
      `output.other refers to azurerm_resource_group.Group, ${MESSAGE}`,
    ],
  ])('a reference to another stack in %s fails synth, naming where it is', (_, refer, message) => {
    const outdir = mkdtempSync(join(tmpdir(), 'platform-stack-'));
    try {
      const app = new App({ outdir });
      const group = populate(new TestStack(app, 'bootstrap'));
      const stack = new TestStack(app, 'env');
      new AzurermProvider(stack, 'Azurerm', { features: [{}] });
      refer(stack, group);
      expect(synthError(app)).toContain(message);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('a local value of another stack fails synth too', () => {
    const app = testApp();
    const bootstrap = new TestStack(app, 'bootstrap');
    const prefix = new TerraformLocal(bootstrap, 'prefix', 'llm');
    const stack = new TestStack(app, 'env');
    new AzurermProvider(stack, 'Azurerm', { features: [{}] });
    new ResourceGroup(stack, 'Group', { name: `rg-${prefix.asString}`, location: 'swedencentral' });
    expect(() => Testing.synth(stack, true)).toThrow(`env/Group refers to local.prefix, ${MESSAGE}`);
  });

  test("outside its synthesizer, validation and toTerraform are cdktf's own: a change after validating is written", () => {
    const stack = new TestStack(testApp(), 'test');
    const group = populate(stack);
    stack.runAllValidations();
    group.name = 'rg-renamed';
    stack.addOverride('resource.azurerm_resource_group.Group.tags.added', 'yes');
    new ResourceGroup(stack, 'Added', { name: 'rg-added', location: 'swedencentral' });
    const groups = JSON.parse(Testing.synth(stack)).resource.azurerm_resource_group;
    expect(groups).toMatchObject({
      Added: { name: 'rg-added' },
      Group: { name: 'rg-renamed', tags: { added: 'yes' } },
    });
  });

  test('HCL output (validated, then written as HCL) keeps nothing for a later synth', () => {
    const before = process.env.SYNTH_HCL_OUTPUT;
    const outdir = mkdtempSync(join(tmpdir(), 'platform-stack-'));
    try {
      process.env.SYNTH_HCL_OUTPUT = 'true';
      const app = new App({ outdir });
      const stack = new TestStack(app, 'test');
      const group = populate(stack);
      app.synth();
      expect(readFileSync(join(outdir, 'stacks', 'test', 'cdk.tf'), 'utf8')).toContain('rg-test');
      group.name = 'rg-renamed';
      expect(JSON.parse(Testing.synth(stack)).resource.azurerm_resource_group.Group.name).toBe('rg-renamed');
    } finally {
      if (before === undefined) delete process.env.SYNTH_HCL_OUTPUT;
      else process.env.SYNTH_HCL_OUTPUT = before;
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { diffOutputs, type PlanDiffReport } from '../../lib/plan-diff/diff';
import { parseSynthOutput } from '../../lib/plan-diff/synth-output';

/** `type -> name -> arguments`, the shape of `resource` / `data` in `cdk.tf.json`. */
export type Blocks = Record<string, Record<string, Record<string, unknown>>>;

/** A cdktf stack file as `app.synth()` writes it, with `//` metadata on the stack and every block. */
export function stackJson(
  resources: Blocks,
  options: { moved?: { from: string; to: string }[]; data?: Blocks; metadataTag?: string } = {},
): Record<string, unknown> {
  const tag = options.metadataTag ?? 'v1';
  const withMetadata = (blocks: Blocks): Blocks =>
    Object.fromEntries(
      Object.entries(blocks).map(([type, byName]) => [
        type,
        Object.fromEntries(
          Object.entries(byName).map(([name, body]) => [
            name,
            { '//': { metadata: { path: `stack/${name}/${tag}`, uniqueId: `${name}_${tag}` } }, ...body },
          ]),
        ),
      ]),
    );
  return {
    '//': { metadata: { backend: 'local', stackName: 'stack', version: '0.21.0' }, outputs: {} },
    terraform: { required_providers: { azurerm: { source: 'hashicorp/azurerm', version: '4.55.0' } } },
    resource: withMetadata(resources),
    ...(options.data ? { data: withMetadata(options.data) } : {}),
    ...(options.moved ? { moved: options.moved } : {}),
  };
}

/** Diffs parsed stacks (`{ dev: stackJson(...) }`) without touching the file system. */
export function diffStacks(
  base: Record<string, unknown>,
  head: Record<string, unknown>,
  allow: string[] = [],
): PlanDiffReport {
  return diffOutputs(parseSynthOutput(base, 'base'), parseSynthOutput(head, 'head'), { allow });
}

/** Diffs one stack named `dev`. */
export function diffDev(base: Blocks, head: Blocks, allow: string[] = []): PlanDiffReport {
  return diffStacks({ dev: stackJson(base) }, { dev: stackJson(head, { metadataTag: 'v2' }) }, allow);
}

/** A fresh temporary directory (removed by {@link removeTempDirs}). */
const tempDirs: string[] = [];
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-diff-'));
  tempDirs.push(dir);
  return dir;
}
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Writes a cdktf.out-like directory: `manifest.json` (optional) and `stacks/<name>/cdk.tf.json`. */
export function writeSynthDir(root: string, stacks: Record<string, unknown>, manifest = true): string {
  for (const [name, json] of Object.entries(stacks)) {
    fs.mkdirSync(path.join(root, 'stacks', name), { recursive: true });
    fs.writeFileSync(path.join(root, 'stacks', name, 'cdk.tf.json'), JSON.stringify(json, null, 2));
  }
  if (manifest) {
    const entries = Object.fromEntries(
      Object.keys(stacks).map((name) => [
        name,
        { name, synthesizedStackPath: `stacks/${name}/cdk.tf.json`, workingDirectory: `stacks/${name}` },
      ]),
    );
    fs.writeFileSync(
      path.join(root, 'manifest.json'),
      JSON.stringify({ version: '0.21.0', stacks: entries }),
    );
  }
  return root;
}

/** A Terraform reference as cdktf writes it: `tfRef('azurerm_key_vault.Kv.id')` is `${azurerm_key_vault.Kv.id}`. */
export const tfRef = (expression: string): string => `\${${expression}}`;

/** `logicalId -> resource` (`{ Type, Properties, DeletionPolicy, ... }`), the `Resources` of a template. */
export type CfnResources = Record<string, Record<string, unknown>>;

/**
 * A CloudFormation template as aws-cdk writes it: every resource with `Metadata` (`aws:cdk:path`, which
 * the diff ignores), the `CDKMetadata` resource (ignored too), the bootstrap-version parameter and rule.
 * `tag` varies the metadata, as a new aws-cdk-lib version or construct path would.
 */
export function cfnTemplate(resources: CfnResources, tag = 'v1'): Record<string, unknown> {
  const withMetadata = Object.fromEntries(
    Object.entries(resources).map(([id, r]) => [
      id,
      { ...r, Metadata: { 'aws:cdk:path': `stack/${id}/${tag}` } },
    ]),
  );
  return {
    Resources: {
      ...withMetadata,
      CDKMetadata: {
        Type: 'AWS::CDK::Metadata',
        Properties: { Analytics: `v2:deflate64:${tag}` },
        Metadata: { 'aws:cdk:path': 'stack/CDKMetadata/Default' },
      },
    },
    Parameters: { BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>', Default: tag } },
    Rules: { CheckBootstrapVersion: { Assertions: [] } },
  };
}

/**
 * Writes a cdk.out-like cloud assembly: `<stack>.template.json` per stack and, unless `manifest` is false,
 * a `manifest.json` whose `aws:cloudformation:stack` artifacts name them (plus an asset manifest and the
 * tree artifact aws-cdk also writes).
 */
export function writeCloudAssembly(root: string, stacks: Record<string, unknown>, manifest = true): string {
  const artifacts: Record<string, unknown> = {};
  for (const [name, template] of Object.entries(stacks)) {
    fs.writeFileSync(path.join(root, `${name}.template.json`), JSON.stringify(template, null, 1));
    artifacts[`${name}.assets`] = { type: 'cdk:asset-manifest', properties: { file: `${name}.assets.json` } };
    artifacts[name] = {
      type: 'aws:cloudformation:stack',
      environment: 'aws://unknown-account/us-east-1',
      properties: { templateFile: `${name}.template.json`, validateOnSynth: false },
      displayName: name,
    };
  }
  artifacts.Tree = { type: 'cdk:tree', properties: { file: 'tree.json' } };
  if (manifest) {
    fs.writeFileSync(path.join(root, 'manifest.json'), JSON.stringify({ version: '55.0.0', artifacts }));
  }
  return root;
}

/** Diffs parsed CloudFormation templates (`{ 'aws-dev': cfnTemplate(...) }`) without touching the file system. */
export function diffTemplates(
  base: Record<string, unknown>,
  head: Record<string, unknown>,
  allow: string[] = [],
): PlanDiffReport {
  return diffOutputs(
    parseSynthOutput(base, 'base', 'cloudformation'),
    parseSynthOutput(head, 'head', 'cloudformation'),
    { allow },
  );
}

/** Diffs one stack named `aws-dev` given as the resources of base and head. */
export function diffAwsDev(base: CfnResources, head: CfnResources, allow: string[] = []): PlanDiffReport {
  return diffTemplates({ 'aws-dev': cfnTemplate(base) }, { 'aws-dev': cfnTemplate(head, 'v2') }, allow);
}

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

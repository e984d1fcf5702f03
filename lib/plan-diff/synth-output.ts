import * as fs from 'node:fs';
import * as path from 'node:path';
import { Problems } from '../../constructs/core/errors';
import { compareStrings, type JsonObject, type JsonValue } from '../../constructs/core/json';
import { UsageError } from '../cli/exit';
import { isJsonObject, withoutMetadata } from './json';

/** One resource or data source block of a stack, without cdktf's `//` metadata. */
export interface TerraformBlock {
  /** Terraform address: `<type>.<name>` for resources, `data.<type>.<name>` for data sources. */
  readonly address: string;
  /** Resource type, e.g. `azurerm_key_vault`. */
  readonly type: string;
  /** Logical name (cdktf's construct path plus hash). */
  readonly name: string;
  /** The block's arguments, without `//` keys at any depth. */
  readonly body: JsonObject;
}

/** A Terraform `moved` block as cdktf writes it (`moveTo`, `moveToId`, `moveFromId`). */
export interface MovedBlock {
  readonly from: string;
  readonly to: string;
}

/** The parts of one stack's `cdk.tf.json` the diff reads. */
export interface StackConfig {
  /** Managed resources by address. */
  readonly resources: ReadonlyMap<string, TerraformBlock>;
  /** Data sources by address (`data.<type>.<name>`). */
  readonly dataSources: ReadonlyMap<string, TerraformBlock>;
  /** Top-level `moved` blocks. */
  readonly moved: readonly MovedBlock[];
}

/** A synthesized cdktf output: one {@link StackConfig} per stack name. */
export interface SynthOutput {
  readonly stacks: ReadonlyMap<string, StackConfig>;
}

function readBlocks(
  section: JsonValue | undefined,
  sectionName: 'resource' | 'data',
  problems: Problems,
): Map<string, TerraformBlock> {
  const blocks = new Map<string, TerraformBlock>();
  if (section === undefined) return blocks;
  if (!isJsonObject(section)) {
    problems.add(sectionName, `must be an object of <type>.<name> blocks, got ${JSON.stringify(section)}`);
    return blocks;
  }
  for (const [type, byName] of Object.entries(section)) {
    if (!isJsonObject(byName)) {
      problems.add(`${sectionName}.${type}`, 'must be an object of named blocks');
      continue;
    }
    for (const [name, body] of Object.entries(byName)) {
      if (!isJsonObject(body)) {
        problems.add(`${sectionName}.${type}.${name}`, 'must be an object of arguments');
        continue;
      }
      const address = sectionName === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
      blocks.set(address, { address, type, name, body: withoutMetadata(body) as JsonObject });
    }
  }
  return blocks;
}

function readMoved(section: JsonValue | undefined, problems: Problems): MovedBlock[] {
  if (section === undefined) return [];
  if (!Array.isArray(section)) {
    problems.add('moved', 'must be a list of { "from": <address>, "to": <address> }');
    return [];
  }
  const moved: MovedBlock[] = [];
  section.forEach((entry: JsonValue, i: number) => {
    if (isJsonObject(entry) && typeof entry.from === 'string' && typeof entry.to === 'string') {
      moved.push({ from: entry.from, to: entry.to });
    } else {
      problems.add(
        `moved[${i}]`,
        `must be { "from": <address>, "to": <address> }, got ${JSON.stringify(entry)}`,
      );
    }
  });
  return moved;
}

/**
 * Reads the resources, data sources and `moved` blocks of one parsed `cdk.tf.json`.
 *
 * @param json the parsed file
 * @param where the file name, used in error messages
 * @throws ValidationError (exit code 2) listing every malformed section
 */
export function parseStackConfig(json: unknown, where: string): StackConfig {
  const problems = new Problems();
  if (!isJsonObject(json)) {
    problems.add(
      '',
      `must be a JSON object (a cdktf stack), got ${Array.isArray(json) ? 'a list' : typeof json}`,
    );
    problems.throwIfAny(where);
  }
  const root = json as JsonObject;
  const resources = readBlocks(root.resource, 'resource', problems);
  const dataSources = readBlocks(root.data, 'data', problems);
  const moved = readMoved(root.moved, problems);
  problems.throwIfAny(where);
  return { resources, dataSources, moved };
}

/**
 * Builds a {@link SynthOutput} from parsed stacks, e.g. in tests: `{ dev: <cdk.tf.json object> }`.
 *
 * @param where a label for error messages (a directory name)
 */
export function parseSynthOutput(
  stacks: Readonly<Record<string, unknown>>,
  where = 'synth output',
): SynthOutput {
  const out = new Map<string, StackConfig>();
  for (const name of Object.keys(stacks).sort(compareStrings)) {
    out.set(name, parseStackConfig(stacks[name], `${where}: stack ${name}`));
  }
  return { stacks: out };
}

function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file}: invalid JSON (${(error as Error).message})`);
  }
}

/** Stack name -> stack file, from `manifest.json` when present, else from `stacks/<name>/cdk.tf.json`. */
function findStackFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const manifestFile = path.join(dir, 'manifest.json');
  if (fs.existsSync(manifestFile)) {
    const manifest = readJsonFile(manifestFile);
    const stacks = isJsonObject(manifest) ? manifest.stacks : undefined;
    if (!isJsonObject(stacks)) {
      throw new UsageError(
        `${manifestFile}: "stacks" must be an object of stacks (is this a cdktf manifest?)`,
      );
    }
    for (const [name, entry] of Object.entries(stacks)) {
      const relative =
        isJsonObject(entry) && typeof entry.synthesizedStackPath === 'string'
          ? entry.synthesizedStackPath
          : path.join('stacks', name, 'cdk.tf.json');
      files.set(name, path.join(dir, relative));
    }
    return files;
  }
  const stacksDir = path.join(dir, 'stacks');
  if (!fs.existsSync(stacksDir)) return files;
  for (const entry of fs.readdirSync(stacksDir, { withFileTypes: true })) {
    if (entry.isDirectory()) files.set(entry.name, path.join(stacksDir, entry.name, 'cdk.tf.json'));
  }
  return files;
}

/**
 * Loads a cdktf synth output directory (`cdktf.out`): every `stacks/<stack>/cdk.tf.json`, listed by
 * `manifest.json` when it exists.
 *
 * @throws UsageError (exit code 2) naming the path when the directory is missing, holds no stack, or a
 *   file cannot be read or is not valid JSON; ValidationError (exit code 2) when a stack is malformed.
 */
export function loadSynthOutput(dir: string): SynthOutput {
  if (!fs.existsSync(dir))
    throw new UsageError(`${dir}: directory not found (expected a cdktf synth output)`);
  if (!fs.statSync(dir).isDirectory())
    throw new UsageError(`${dir}: not a directory (expected a cdktf synth output)`);
  const files = findStackFiles(dir);
  if (files.size === 0) {
    throw new UsageError(
      `${dir}: no stacks found (expected ${path.join(dir, 'stacks', '<stack>', 'cdk.tf.json')})`,
    );
  }
  const stacks = new Map<string, StackConfig>();
  for (const name of [...files.keys()].sort(compareStrings)) {
    const file = files.get(name)!;
    if (!fs.existsSync(file)) {
      const hcl = file.replace(/\.json$/, '');
      const hint = fs.existsSync(hcl) ? ' (HCL output is not supported: synthesize JSON)' : '';
      throw new UsageError(`${file}: stack file not found${hint}`);
    }
    stacks.set(name, parseStackConfig(readJsonFile(file), file));
  }
  return { stacks };
}

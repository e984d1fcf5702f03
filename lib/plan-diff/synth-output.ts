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

/**
 * What a synth output holds: `cdktf` (`cdktf.out`: `stacks/<stack>/cdk.tf.json`, Terraform resources by
 * address) or `cloudformation` (an aws-cdk cloud assembly, `cdk.out`: `<stack>.template.json`, resources by
 * logical ID).
 */
export type SynthFormat = 'cdktf' | 'cloudformation';

/** A synthesized output: one {@link StackConfig} per stack name. */
export interface SynthOutput {
  readonly stacks: ReadonlyMap<string, StackConfig>;
  /** @default 'cdktf' */
  readonly format?: SynthFormat;
}

/** The format of a synth output (`cdktf` when not given). */
export const formatOf = (output: SynthOutput): SynthFormat => output.format ?? 'cdktf';

/** How a format is named in messages. */
export const FORMAT_NAMES: Readonly<Record<SynthFormat, string>> = {
  cdktf: 'a cdktf synth output (cdktf.out)',
  cloudformation: 'an AWS cloud assembly (cdk.out)',
};

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
 * Builds a {@link SynthOutput} from parsed stacks, e.g. in tests: `{ dev: <cdk.tf.json object> }`, or with
 * `format: 'cloudformation'`, `{ 'aws-dev': <template object> }`.
 *
 * @param where a label for error messages (a directory name)
 * @param format what the stacks are
 */
export function parseSynthOutput(
  stacks: Readonly<Record<string, unknown>>,
  where = 'synth output',
  format: SynthFormat = 'cdktf',
): SynthOutput {
  const out = new Map<string, StackConfig>();
  const parse = format === 'cdktf' ? parseStackConfig : parseTemplate;
  for (const name of Object.keys(stacks).sort(compareStrings)) {
    out.set(name, parse(stacks[name], `${where}: stack ${name}`));
  }
  return format === 'cdktf' ? { stacks: out } : { stacks: out, format };
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
function findStackFiles(dir: string, manifest: JsonObject | undefined): Map<string, string> {
  const files = new Map<string, string>();
  if (manifest !== undefined) {
    const manifestFile = path.join(dir, 'manifest.json');
    const stacks = manifest.stacks;
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

/** The resource aws-cdk adds to every stack for its usage analytics; never a change a reviewer reads. */
export const CDK_METADATA_TYPE = 'AWS::CDK::Metadata';

/** Resource attributes of a CloudFormation resource that the diff ignores (construct paths, asset paths). */
const IGNORED_RESOURCE_KEYS = new Set(['Type', 'Metadata']);

/**
 * Reads the resources of one parsed CloudFormation template (`<stack>.template.json`): address and name
 * are the logical ID, type the `Type`, body everything else but `Metadata` (`Properties`, `DeletionPolicy`,
 * `UpdateReplacePolicy`, `DependsOn`, `Condition`, ...). aws-cdk's `AWS::CDK::Metadata` resource is left
 * out. Parameters, rules, conditions and outputs are not compared.
 *
 * @param json the parsed template
 * @param where the file name, used in error messages
 * @throws ValidationError (exit code 2) listing every malformed resource
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resources-section-structure.html
 */
export function parseTemplate(json: unknown, where: string): StackConfig {
  const problems = new Problems();
  const resources = new Map<string, TerraformBlock>();
  if (!isJsonObject(json)) {
    problems.add(
      '',
      `must be a JSON object (a CloudFormation template), got ${Array.isArray(json) ? 'a list' : typeof json}`,
    );
    problems.throwIfAny(where);
  }
  const section = (json as JsonObject).Resources;
  if (section !== undefined && !isJsonObject(section)) {
    problems.add('Resources', `must be an object of resources by logical ID, got ${JSON.stringify(section)}`);
  }
  for (const [logicalId, resource] of Object.entries(isJsonObject(section) ? section : {})) {
    if (!isJsonObject(resource) || typeof resource.Type !== 'string' || resource.Type === '') {
      problems.add(`Resources.${logicalId}`, 'must be an object with a "Type" string');
      continue;
    }
    if (resource.Type === CDK_METADATA_TYPE) continue;
    const body: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(resource))
      if (v !== undefined && !IGNORED_RESOURCE_KEYS.has(k)) body[k] = v;
    resources.set(logicalId, { address: logicalId, type: resource.Type, name: logicalId, body });
  }
  problems.throwIfAny(where);
  return { resources, dataSources: new Map(), moved: [] };
}

/** The artifact type of a CloudFormation stack in a cloud assembly manifest. */
const STACK_ARTIFACT = 'aws:cloudformation:stack';
/** The artifact type of a nested cloud assembly (an aws-cdk `Stage`). */
const NESTED_ASSEMBLY_ARTIFACT = 'cdk:cloud-assembly';
/** How aws-cdk names the templates of nested stacks (assets of their parent, not stacks of their own). */
const NESTED_TEMPLATE = /\.nested\.template\.json$/;

/**
 * Stack name -> template file of a cloud assembly: from the `aws:cloudformation:stack` artifacts of
 * `manifest.json` (name: `properties.stackName`, else the artifact id; file: `properties.templateFile`), or
 * without a manifest from every `<stack>.template.json`.
 *
 * @see https://github.com/aws/aws-cdk-cli/tree/main/packages/@aws-cdk/cloud-assembly-schema
 */
function findTemplateFiles(dir: string, manifest: JsonObject | undefined): Map<string, string> {
  const files = new Map<string, string>();
  if (manifest === undefined) {
    for (const file of fs.readdirSync(dir).sort(compareStrings)) {
      if (file.endsWith('.template.json') && !NESTED_TEMPLATE.test(file))
        files.set(file.slice(0, -'.template.json'.length), path.join(dir, file));
    }
    return files;
  }
  const manifestFile = path.join(dir, 'manifest.json');
  const problems: string[] = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts as JsonObject)) {
    if (!isJsonObject(artifact)) continue;
    const properties = isJsonObject(artifact.properties) ? artifact.properties : {};
    if (artifact.type === NESTED_ASSEMBLY_ARTIFACT) {
      const nested = typeof properties.directoryName === 'string' ? properties.directoryName : id;
      problems.push(
        `${manifestFile}: artifact "${id}" is a nested cloud assembly (an aws-cdk Stage), which plan:diff does not read; compare ${path.join(dir, nested)} on its own`,
      );
      continue;
    }
    if (artifact.type !== STACK_ARTIFACT) continue;
    if (typeof properties.templateFile !== 'string') {
      problems.push(`${manifestFile}: artifact "${id}" has no properties.templateFile`);
      continue;
    }
    const name = typeof properties.stackName === 'string' ? properties.stackName : id;
    files.set(name, path.join(dir, properties.templateFile));
  }
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return files;
}

/** What the directory holds, by its contents, and its parsed `manifest.json` if it has one. */
function detectFormat(dir: string): { format: SynthFormat; manifest?: JsonObject } {
  const manifestFile = path.join(dir, 'manifest.json');
  if (fs.existsSync(manifestFile)) {
    const manifest = readJsonFile(manifestFile);
    if (isJsonObject(manifest) && isJsonObject(manifest.artifacts))
      return { format: 'cloudformation', manifest };
    if (isJsonObject(manifest) && manifest.stacks !== undefined) return { format: 'cdktf', manifest };
    throw new UsageError(
      `${manifestFile}: neither a cdktf manifest ("stacks") nor a cloud assembly manifest ("artifacts")`,
    );
  }
  const hasStacks = fs.existsSync(path.join(dir, 'stacks'));
  const hasTemplates = fs.readdirSync(dir).some((f) => f.endsWith('.template.json'));
  if (hasStacks && hasTemplates) {
    throw new UsageError(
      `${dir}: holds both cdktf stacks (stacks/) and CloudFormation templates (*.template.json); pass cdktf.out and cdk.out separately`,
    );
  }
  return { format: hasTemplates ? 'cloudformation' : 'cdktf' };
}

/**
 * Loads a synth output directory, whichever it is by its contents:
 * - a cdktf synth output (`cdktf.out`): every `stacks/<stack>/cdk.tf.json`, listed by `manifest.json`
 *   (`stacks`) when it exists;
 * - an aws-cdk cloud assembly (`cdk.out`): every `<stack>.template.json`, listed by `manifest.json`
 *   (`artifacts` of type `aws:cloudformation:stack`) when it exists.
 *
 * @throws UsageError (exit code 2) naming the path when the directory is missing, holds no stack (or both
 *   kinds), or a file cannot be read or is not valid JSON; ValidationError (exit code 2) when a stack is
 *   malformed.
 */
export function loadSynthOutput(dir: string): SynthOutput {
  const expected = 'expected a cdktf synth output or an AWS cloud assembly';
  if (!fs.existsSync(dir)) throw new UsageError(`${dir}: directory not found (${expected})`);
  if (!fs.statSync(dir).isDirectory()) throw new UsageError(`${dir}: not a directory (${expected})`);
  const { format, manifest } = detectFormat(dir);
  const files = format === 'cdktf' ? findStackFiles(dir, manifest) : findTemplateFiles(dir, manifest);
  if (files.size === 0) {
    throw new UsageError(
      `${dir}: no stacks found (expected ${path.join(dir, 'stacks', '<stack>', 'cdk.tf.json')} or ${path.join(dir, '<stack>.template.json')})`,
    );
  }
  const stacks = new Map<string, StackConfig>();
  for (const name of [...files.keys()].sort(compareStrings)) {
    const file = files.get(name)!;
    if (!fs.existsSync(file)) {
      const hcl = file.replace(/\.json$/, '');
      const hint =
        format === 'cdktf' && fs.existsSync(hcl) ? ' (HCL output is not supported: synthesize JSON)' : '';
      throw new UsageError(`${file}: stack file not found${hint}`);
    }
    const json = readJsonFile(file);
    stacks.set(name, format === 'cdktf' ? parseStackConfig(json, file) : parseTemplate(json, file));
  }
  return { stacks, format };
}

import { existsSync, readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { Problems, show, ValidationError } from '../../constructs/core/errors';
import {
  checkNameRule,
  NAMING_RULES,
  type NamedResourceKind,
  Naming,
} from '../../constructs/core/naming-rules';
import { selectCloud, validateAwsSingletons } from './clouds';
import type { EnvironmentConfig, LoadedConfig } from './environment';
import {
  configFileSchema,
  DEFAULT_CLOUD,
  ENVIRONMENT_NAME,
  environmentSchema,
  type RawEnvironment,
} from './schema';
import { unwrap } from './schema-node';
import { byProfile, DEFAULT_PROFILE, type ResolveContext } from './sections/context';
import { resolveEvaluation } from './sections/evaluation';
import { resolveGateway } from './sections/gateway';
import { resolveLogging } from './sections/logging';
import { resolveModels } from './sections/models';
import { resolveMonitoring } from './sections/monitoring';
import { resolveNetwork, resolveNetworkMode, validateNetworkOverlaps } from './sections/network';
import { resolvePipeline } from './sections/pipeline';
import { resolveSearch } from './sections/search';
import { validateEnvironment } from './validate';

/** The config file used when neither an argument nor `LLMOPS_CONFIG` names one. */
export const DEFAULT_CONFIG_FILE = 'config/environments.yaml';

/**
 * How the config is parsed: issues carry their input (the messages show the value); no compiled fast path.
 * zod compiles a parser per object schema with `new Function` on its first parse, which a file parsed once
 * per process never earns back (loading the default config: about 15 ms less without it).
 */
const PARSE = { reportInput: true, jitless: true } as const;

/** Tags every resource carries; `owner` comes from config, the rest are added. */
export const REQUIRED_TAGS = ['environment', 'workload', 'owner', 'managed-by'] as const;

/**
 * The config file to read: the argument, else `LLMOPS_CONFIG` (relative to the current directory), else the
 * default. An empty `LLMOPS_CONFIG` counts as unset.
 */
export function configFilePath(file?: string): string {
  return file ?? (process.env.LLMOPS_CONFIG || DEFAULT_CONFIG_FILE);
}

/**
 * Reads, validates and resolves the environment config file.
 *
 * @throws ValidationError naming the file and every problem at once (exit code 2 in every command):
 * a missing file, YAML/JSON that does not parse or has duplicate keys, unknown keys, wrong types,
 * out-of-range values, cross-field errors.
 */
export function loadConfig(file?: string): LoadedConfig {
  const path = configFilePath(file);
  if (!existsSync(path)) {
    throw new ValidationError(`Cannot read environment config ${path}`, [
      { path: '', message: `file not found (set LLMOPS_CONFIG or create ${DEFAULT_CONFIG_FILE})` },
    ]);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const message =
      code === 'EISDIR'
        ? 'is a directory: name the YAML or JSON file itself'
        : code === 'EACCES'
          ? 'permission denied: the file is not readable'
          : (e as Error).message;
    throw new ValidationError(`Cannot read environment config ${path}`, [{ path: '', message }]);
  }
  return parseConfig(text, path);
}

/** Validates and resolves config text (YAML or JSON). `file` names it in errors. */
export function parseConfig(text: string, file: string): LoadedConfig {
  const subject = `Invalid environment config ${file}`;
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ValidationError(
      subject,
      doc.errors.map((e) => {
        // The first line reads "<what> at line L, column C:"; the source excerpt after it is noise on one line.
        const where = e.message.split('\n')[0]!.replace(/:$/, '');
        if (e.code !== 'DUPLICATE_KEY') return { path: '', message: where };
        const keyPath = keyPathAt(doc.contents, e.pos[0]);
        const at = where.replace(/^.* at line/, 'line');
        return keyPath
          ? {
              path: keyPath.join('.'),
              message: `duplicate key ${JSON.stringify(keyPath.at(-1))} at ${at}: each key may appear only once`,
            }
          : { path: '', message: where };
      }),
    );
  }
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) {
    throw new ValidationError(subject, [
      { path: '', message: 'the file is empty: it must declare environments' },
    ]);
  }
  const problems = new Problems();
  const top = configFileSchema.safeParse(data, PARSE);
  if (!top.success) problems.addAll(top.error.issues.flatMap((i) => toProblems(i, '', configFileSchema)));
  // Keep going with the environments whose names are valid, so one run reports every problem.
  const fileData = top.success ? top.data : salvage(data);
  if (!fileData) problems.throwIfAny(subject);
  const environments: Record<string, EnvironmentConfig> = {};
  Object.entries(fileData!.environments).forEach(([name, rawEnv], index) => {
    // `dev:` with nothing under it takes every default.
    // Blocks of the other cloud inherited from defaults are dropped; written in the environment, reported.
    const cloudProblems = new Problems(`environments.${name}`);
    const merged = selectCloud(
      environmentSchema,
      deepMerge(fileData!.defaults ?? {}, rawEnv ?? {}),
      rawEnv ?? {},
      cloudProblems,
    );
    problems.addAll(cloudProblems.all);
    let parsed = environmentSchema.safeParse(merged, PARSE);
    if (!parsed.success) {
      problems.addAll(
        parsed.error.issues.flatMap((i) => toProblems(i, `environments.${name}`, environmentSchema)),
      );
      // Unknown keys carry no meaning: without them the cross-field checks can still run and report too.
      const cleaned = withoutUnknownKeys(merged, parsed.error.issues);
      if (cleaned === undefined) return;
      parsed = environmentSchema.safeParse(cleaned, PARSE);
      if (!parsed.success) return;
    }
    const envProblems = new Problems(`environments.${name}`);
    const env = resolveEnvironment(name, parsed.data, index, envProblems);
    validateEnvironment(env, envProblems);
    problems.addAll(envProblems.all);
    environments[name] = env;
  });
  problems.addAll(validateNetworkOverlaps(environments));
  problems.addAll(validateAwsSingletons(environments));
  problems.throwIfAny(subject);
  return { file, environments };
}

/** The parts of a file that failed the top-level schema that can still be checked: validly named environments. */
function salvage(
  data: unknown,
): { defaults?: Record<string, unknown>; environments: Record<string, unknown> } | undefined {
  if (!isPlainObject(data) || !isPlainObject(data.environments)) return undefined;
  const environments = Object.fromEntries(
    Object.entries(data.environments).filter(([name]) => ENVIRONMENT_NAME.test(name)),
  );
  return { defaults: isPlainObject(data.defaults) ? data.defaults : undefined, environments };
}

/** `value` without the keys zod reported as unknown, or undefined when there are other issues too. */
function withoutUnknownKeys(value: unknown, issues: readonly z.core.$ZodIssue[]): unknown {
  if (!issues.every((i) => i.code === 'unrecognized_keys')) return undefined;
  const copy = structuredClone(value);
  for (const issue of issues) {
    const target = issue.path.reduce<unknown>(
      (v, key) => (isPlainObject(v) ? v[key as string] : undefined),
      copy,
    );
    if (isPlainObject(target) && issue.code === 'unrecognized_keys')
      for (const key of issue.keys) delete target[key];
  }
  return copy;
}

/** The key path (`['environments', 'dev']`) of the map key starting at `offset`. */
function keyPathAt(node: unknown, offset: number, path: readonly string[] = []): string[] | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if ((pair.key as YamlNode | null)?.range?.[0] === offset) return [...path, key];
      const found = keyPathAt(pair.value, offset, [...path, key]);
      if (found) return found;
    }
  } else if (isSeq(node)) {
    for (const [i, item] of node.items.entries()) {
      const found = keyPathAt(item, offset, [...path, String(i)]);
      if (found) return found;
    }
  }
  return undefined;
}

function resolveEnvironment(
  name: string,
  raw: RawEnvironment,
  index: number,
  problems: Problems,
): EnvironmentConfig {
  const profile = raw.profile ?? DEFAULT_PROFILE;
  const cloud = raw.cloud ?? DEFAULT_CLOUD;
  // The environment's region: Azure's `location`, AWS's `aws.region` (each required on its cloud).
  const location = (cloud === 'aws' ? raw.aws?.region : raw.location) ?? '';
  const ctx: ResolveContext = {
    name,
    profile,
    cloud,
    region: location,
    networkMode: resolveNetworkMode(raw.network, profile),
  };
  if (cloud === 'azure' && raw.location === undefined)
    problems.add('location', 'is required in an Azure environment (an Azure region, e.g. swedencentral)');
  if (cloud === 'aws' && raw.aws === undefined)
    problems.add('aws.region', 'is required in an AWS environment (cloud: aws): e.g. us-east-1');
  if (
    cloud === 'aws' &&
    raw.aws?.account?.manageSingletons === false &&
    !raw.aws.account.githubOidcProviderArn
  ) {
    problems.add(
      'aws.account.githubOidcProviderArn',
      'is required when manageSingletons is false: the GitHub OIDC provider exists once per account, created by the environment that manages the singletons; give its ARN',
    );
  }
  if (cloud === 'azure' && name.includes('-')) {
    problems.add(
      '',
      `environment name ${show(name)} has a hyphen: Azure environment names are letters and digits only (they are part of storage account names); hyphens are allowed in AWS environments`,
    );
  }
  // Azure resource names: an AWS environment lets CloudFormation name its resources.
  const naming =
    cloud === 'azure' && location
      ? new Naming({ workload: raw.workload, environment: name, location, seed: raw.namingSeed })
      : undefined;
  const nameOf = (kind: NamedResourceKind, qualifier?: string): string => {
    if (!naming) return '';
    try {
      return naming.name(kind, qualifier);
    } catch (e) {
      problems.add(
        'workload',
        `${(e as Error).message.replace(/^Naming: /, '')} (derived from workload ${show(raw.workload)} and environment ${show(name)}: shorten one)`,
      );
      return '';
    }
  };
  const resourceGroupName = raw.azure?.resourceGroupName ?? nameOf('resourceGroup');
  // Every name the stacks derive must be legal, so a too long workload + environment fails here (exit 2),
  // not half-way through synth.
  for (const kind of Object.keys(NAMING_RULES) as NamedResourceKind[]) {
    if (kind !== 'resourceGroup') nameOf(kind);
  }
  const stateAccount = raw.state?.storageAccountName ?? nameOf('storageAccount', STATE_STORAGE_QUALIFIER);
  // Names given explicitly obey the same Azure rules as derived ones.
  for (const [kind, name, path] of [
    ['resourceGroup', raw.azure?.resourceGroupName, 'azure.resourceGroupName'],
    ['resourceGroup', raw.state?.resourceGroupName, 'state.resourceGroupName'],
    ['storageAccount', raw.state?.storageAccountName, 'state.storageAccountName'],
  ] as const) {
    const problem = name === undefined ? undefined : checkNameRule(kind, name);
    if (problem) problems.add(path, problem.message);
  }
  const stateGroup = raw.state?.resourceGroupName;
  if (stateGroup !== undefined && stateGroup !== resourceGroupName) {
    problems.add(
      'state.resourceGroupName',
      `${show(stateGroup)} is not the environment resource group ${show(resourceGroupName)}, where bootstrap-${name} creates the state account: remove the key or set it to ${show(resourceGroupName)}`,
    );
  }
  const preventDestroy = raw.protection?.preventDestroy ?? byProfile(ctx, 'preventDestroy');
  if (!preventDestroy && !raw.protection?.reason?.trim()) {
    problems.add(
      'protection.reason',
      'is required when preventDestroy is false: say why this environment may lose data',
    );
  }
  const locks = raw.protection?.locks ?? byProfile(ctx, 'locks');
  const customerManagedKeys = raw.protection?.customerManagedKeys ?? byProfile(ctx, 'customerManagedKeys');
  // A protection the profile turns on, turned off, needs a reason.
  const weakened = [
    ...(byProfile(ctx, 'locks') && !locks ? ['locks'] : []),
    ...(byProfile(ctx, 'customerManagedKeys') && !customerManagedKeys ? ['customerManagedKeys'] : []),
  ];
  if (preventDestroy && weakened.length > 0 && !raw.protection?.reason?.trim()) {
    problems.add(
      'protection.reason',
      `is required when a production environment sets ${weakened.map((w) => `${w}: false`).join(' and ')}: say why (it is printed with the suppressed policy rule)`,
    );
  }
  if (!raw.tags?.owner?.trim())
    problems.add('tags.owner', 'is required: the team or person accountable for the environment');
  return {
    name,
    cloud,
    profile,
    location,
    workload: raw.workload,
    namingSeed: raw.namingSeed,
    tags: { ...raw.tags, environment: name, workload: raw.workload, 'managed-by': 'llmops-platform' },
    requiredTags: REQUIRED_TAGS,
    zoneRedundant: byProfile(ctx, 'zoneRedundant'),
    network: resolveNetwork(raw.network, ctx),
    protection: {
      preventDestroy,
      locks,
      customerManagedKeys,
      reason: raw.protection?.reason?.trim() || undefined,
    },
    storageReplication: byProfile(ctx, 'storageReplication'),
    state: raw.state
      ? {
          backend: 'azurerm',
          resourceGroupName: raw.state.resourceGroupName ?? resourceGroupName,
          storageAccountName: stateAccount,
          containerName: raw.state.containerName ?? 'tfstate',
          key: raw.state.key ?? `${name}.tfstate`,
        }
      : { backend: 'local', path: `../../../terraform.${name}.tfstate` },
    bootstrapState: { backend: 'local', path: `../../../terraform.bootstrap-${name}.tfstate` },
    logging: resolveLogging(raw.logging, ctx),
    models: resolveModels(raw.models, ctx),
    search: resolveSearch(raw.search, ctx),
    gateway: resolveGateway(raw.gateway, ctx),
    monitoring: resolveMonitoring(raw.monitoring, ctx),
    evaluation: resolveEvaluation(raw.evaluation, ctx),
    pipeline: resolvePipeline(raw.pipeline, ctx, index),
    azure: { subscriptionId: raw.azure?.subscriptionId, resourceGroupName },
    ...(cloud === 'aws' && raw.aws
      ? {
          aws: {
            region: raw.aws.region,
            accountId: raw.aws.account?.id,
            manageSingletons: raw.aws.account?.manageSingletons ?? true,
            githubOidcProviderArn: raw.aws.account?.githubOidcProviderArn,
          },
        }
      : {}),
  };
}

/** Qualifier of the bootstrap stack's state storage account name. */
const STATE_STORAGE_QUALIFIER = 'tf';

/** The bootstrap stack's state storage account: `st<workload><env>tf<suffix>`. Throws when it breaks the rule. */
export function stateStorageName(naming: Naming): string {
  return naming.name('storageAccount', STATE_STORAGE_QUALIFIER);
}

/** Objects merge key by key; arrays and scalars from `over` replace those of `base`. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = k in base ? deepMerge(base[k], v) : v;
    return out;
  }
  return over === undefined ? base : over;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `environments.prod.models.azure.secondaryLocations[0]`: keys joined with dots, list indexes in brackets. */
function configPath(prefix: string, segments: readonly PropertyKey[]): string {
  let path = prefix;
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else path = path ? `${path}.${String(segment)}` : String(segment);
  }
  return path;
}

/** Turns a zod issue into problems whose messages name the value and what is allowed. */
function toProblems(
  issue: z.core.$ZodIssue,
  prefix: string,
  schema: z.ZodType,
): { path: string; message: string }[] {
  const path = configPath(prefix, issue.path);
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type':
      return [
        input === undefined
          ? { path, message: `is required (${issue.expected})` }
          : {
              path,
              message: `${show(input)} is not a valid ${issue.expected === 'int' ? 'integer' : issue.expected}`,
            },
      ];
    case 'unrecognized_keys': {
      const allowed = allowedKeys(schema, issue.path);
      const hint = allowed ? ` (allowed: ${allowed.join(', ')})` : '';
      return issue.keys.map((k) => ({
        path: [path, k].filter(Boolean).join('.'),
        message: `unknown key${hint}`,
      }));
    }
    case 'invalid_value':
      if (issue.message && !issue.message.startsWith('Invalid option'))
        return [{ path, message: issue.message }];
      return [
        {
          path,
          message: `${show(input)} is not one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`,
        },
      ];
    case 'too_small':
      return [
        {
          path,
          // an exclusive bound (`.positive()`) is not itself allowed: "0 is too small: minimum 0" would mislead
          message: `${show(input)} is too small: ${issue.inclusive === false ? 'must be greater than' : 'minimum'} ${String(issue.minimum)}${issue.origin === 'string' ? ' characters' : ''}`,
        },
      ];
    case 'too_big':
      return [
        {
          path,
          message: `${show(input)} is too large: ${issue.inclusive === false ? 'must be less than' : 'maximum'} ${String(issue.maximum)}${issue.origin === 'string' ? ' characters' : ''}`,
        },
      ];
    case 'invalid_key':
      return [{ path, message: issue.issues.map((i) => i.message).join('; ') }];
    default: {
      // Custom messages (regex checks) usually quote the value already: do not quote it twice.
      if (input === undefined || issue.message.includes(show(input)))
        return [{ path, message: issue.message }];
      return [{ path, message: `${show(input)}: ${issue.message}` }];
    }
  }
}

/** The keys the object schema at `path` declares, for "unknown key" messages. */
function allowedKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] | undefined {
  let node = unwrap(schema);
  for (const segment of path) {
    if (!node) return undefined;
    if (node.def.type === 'object') node = node.def.shape?.[String(segment)];
    else if (node.def.type === 'record') node = node.def.valueType;
    else if (node.def.type === 'array') node = node.def.element;
    else return undefined;
    node = unwrap(node);
  }
  return node?.def.type === 'object' ? Object.keys(node.def.shape ?? {}) : undefined;
}

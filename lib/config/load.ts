import { existsSync, readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { Problems, show, ValidationError } from '../../constructs/core/errors';
import { Naming, type NamedResourceKind } from '../../constructs/core/naming';
import type { EnvironmentConfig, LoadedConfig } from './environment';
import { configFileSchema, environmentSchema, type RawEnvironment } from './schema';
import type { ResolveContext } from './sections/context';
import { resolveEvaluation } from './sections/evaluation';
import { resolveGateway } from './sections/gateway';
import { resolveModels } from './sections/models';
import { resolveMonitoring } from './sections/monitoring';
import { resolveNetwork, resolveNetworkMode } from './sections/network';
import { resolvePipeline } from './sections/pipeline';
import { resolveSearch } from './sections/search';
import { validateEnvironment } from './validate';

/** The config file used when neither an argument nor `LLMOPS_CONFIG` names one. */
export const DEFAULT_CONFIG_FILE = 'config/environments.yaml';

/** Tags every resource carries; `owner` comes from config, the rest are added. */
export const REQUIRED_TAGS = ['environment', 'workload', 'owner', 'managed-by'] as const;

/** The config file to read: the argument, else `LLMOPS_CONFIG` (relative to the current directory), else the default. */
export function configFilePath(file?: string): string {
  return file ?? process.env.LLMOPS_CONFIG ?? DEFAULT_CONFIG_FILE;
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
  return parseConfig(readFileSync(path, 'utf8'), path);
}

/** Validates and resolves config text (YAML or JSON). `file` names it in errors. */
export function parseConfig(text: string, file: string): LoadedConfig {
  const subject = `Invalid environment config ${file}`;
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ValidationError(
      subject,
      doc.errors.map((e) => ({ path: '', message: e.message.replace(/\s+/g, ' ').trim() })),
    );
  }
  const data: unknown = doc.toJS();
  const problems = new Problems();
  const top = configFileSchema.safeParse(data, { reportInput: true });
  if (!top.success) {
    problems.addAll(top.error.issues.map((i) => toProblem(i, '')));
    problems.throwIfAny(subject);
  }
  const fileData = top.data!;
  const environments: Record<string, EnvironmentConfig> = {};
  Object.entries(fileData.environments).forEach(([name, rawEnv], index) => {
    const merged = deepMerge(fileData.defaults ?? {}, rawEnv);
    const parsed = environmentSchema.safeParse(merged, { reportInput: true });
    if (!parsed.success) {
      problems.addAll(parsed.error.issues.map((i) => toProblem(i, `environments.${name}`)));
      return;
    }
    const envProblems = new Problems(`environments.${name}`);
    const env = resolveEnvironment(name, parsed.data, index, envProblems);
    validateEnvironment(env, envProblems);
    problems.addAll(envProblems.all);
    environments[name] = env;
  });
  problems.throwIfAny(subject);
  return { file, environments };
}

function resolveEnvironment(name: string, raw: RawEnvironment, index: number, problems: Problems): EnvironmentConfig {
  const profile = raw.profile ?? 'production';
  const ctx: ResolveContext = { name, profile, networkMode: resolveNetworkMode(raw.network, profile) };
  const production = profile === 'production';
  const naming = new Naming({ workload: raw.workload, environment: name, location: raw.location, seed: raw.namingSeed });
  const nameOf = (kind: NamedResourceKind, path: string): string => {
    try {
      return naming.name(kind);
    } catch (e) {
      problems.add(path, `${(e as Error).message.replace(/^Naming: /, '')} (derived from workload ${show(raw.workload)} and environment ${show(name)}: shorten one)`);
      return '';
    }
  };
  const resourceGroupName = raw.azure?.resourceGroupName ?? nameOf('resourceGroup', 'workload');
  const stateAccount = raw.state?.storageAccountName ?? stateStorageName(naming, problems);
  const preventDestroy = raw.protection?.preventDestroy ?? true;
  if (!preventDestroy && !raw.protection?.reason?.trim()) {
    problems.add('protection.reason', 'is required when preventDestroy is false: say why this environment may lose data');
  }
  if (raw.tags?.owner === undefined) problems.add('tags.owner', 'is required: the team or person accountable for the environment');
  return {
    name,
    profile,
    location: raw.location,
    workload: raw.workload,
    namingSeed: raw.namingSeed,
    tags: { ...raw.tags, environment: name, workload: raw.workload, 'managed-by': 'llmops-platform' },
    requiredTags: REQUIRED_TAGS,
    zoneRedundant: production,
    network: resolveNetwork(raw.network, ctx),
    protection: { preventDestroy, reason: raw.protection?.reason?.trim() || undefined },
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
    logging: { retentionDays: raw.logging?.retentionDays ?? (production ? 90 : 30), dailyQuotaGb: raw.logging?.dailyQuotaGb },
    models: resolveModels(raw.models, ctx),
    search: resolveSearch(raw.search, ctx),
    gateway: resolveGateway(raw.gateway, ctx),
    monitoring: resolveMonitoring(raw.monitoring, ctx),
    evaluation: resolveEvaluation(raw.evaluation, ctx),
    pipeline: resolvePipeline(raw.pipeline, ctx, index),
    azure: { subscriptionId: raw.azure?.subscriptionId, resourceGroupName },
  };
}

/** The bootstrap stack's state storage account: `st<workload><env>tf<suffix>`. */
export function stateStorageName(naming: Naming, problems?: Problems): string {
  try {
    return naming.name('storageAccount', 'tf');
  } catch (e) {
    problems?.add('workload', `${(e as Error).message.replace(/^Naming: /, '')}: shorten the workload or environment name`);
    return '';
  }
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

/** Turns a zod issue into a problem whose message names the value and what is allowed. */
function toProblem(issue: z.core.$ZodIssue, prefix: string): { path: string; message: string } {
  const segments = issue.path.map(String);
  const path = [prefix, ...segments].filter(Boolean).join('.');
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type':
      return input === undefined
        ? { path, message: `is required (${issue.expected})` }
        : { path, message: `${show(input)} is not a valid ${issue.expected === 'int' ? 'integer' : issue.expected}` };
    case 'unrecognized_keys':
      return {
        path,
        message: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`,
      };
    case 'invalid_value':
      if (issue.message && !issue.message.startsWith('Invalid option')) return { path, message: issue.message };
      return { path, message: `${show(input)} is not one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` };
    case 'too_small':
      return { path, message: `${show(input)} is too small: minimum ${String(issue.minimum)}${issue.origin === 'string' ? ' characters' : ''}` };
    case 'too_big':
      return { path, message: `${show(input)} is too large: maximum ${String(issue.maximum)}${issue.origin === 'string' ? ' characters' : ''}` };
    case 'invalid_key':
      return { path, message: issue.issues.map((i) => i.message).join('; ') };
    default:
      return { path, message: input === undefined ? issue.message : `${show(input)}: ${issue.message}` };
  }
}

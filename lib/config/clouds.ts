import type { z } from 'zod';
import type { Problem, Problems } from '../../constructs/core/errors';
import type { EnvironmentConfig } from './environment';
import { CLOUDS, type Cloud, DEFAULT_CLOUD } from './schema';
import { type SchemaNode, unwrap } from './schema-node';

/**
 * Keys that belong to one cloud only, beside the `azure:` / `aws:` blocks: an AWS environment has no Azure
 * region (`location`) and no Terraform state (`state`: CloudFormation keeps its own).
 */
const CLOUD_ONLY_KEYS: Readonly<Record<Cloud, readonly (readonly string[])[]>> = {
  azure: [['location'], ['state']],
  aws: [],
};

/** What to say about a key of the other cloud written in an environment, by its last segment. */
const WHY: Readonly<Record<string, (cloud: Cloud) => string>> = {
  location: () => 'is the Azure region: an AWS environment names its region in aws.region',
  state: () => 'is Terraform state in Azure Storage: CloudFormation keeps the state of an AWS environment',
};

/**
 * Every place the schema declares a `<cloud>:` block, as key paths (`*` stands for a record key or list
 * item): `[['network', 'azure'], ['models', 'deployments', '*', 'azure'], ['azure']]`. Read from the
 * schema itself, so a block added to a section is covered without a list to keep.
 */
export function cloudBlockPaths(schema: z.ZodType, cloud: Cloud): string[][] {
  const found: string[][] = [];
  const seen = new Set<SchemaNode>();
  const visit = (start: SchemaNode | undefined, path: string[]): void => {
    const node = unwrap(start);
    if (!node || seen.has(node)) return;
    seen.add(node);
    if (node.def.type === 'object') {
      for (const [key, child] of Object.entries(node.def.shape ?? {})) {
        if (key === cloud) found.push([...path, key]);
        else visit(child, [...path, key]);
      }
    } else if (node.def.type === 'record') visit(node.def.valueType, [...path, '*']);
    else if (node.def.type === 'array') visit(node.def.element, [...path, '*']);
  };
  visit(unwrap(schema), []);
  return found;
}

/** The environment's cloud: its own `cloud`, else the one in `defaults`, else {@link DEFAULT_CLOUD}. */
export function cloudOf(merged: unknown): Cloud {
  const cloud = isPlainObject(merged) ? merged.cloud : undefined;
  return (CLOUDS as readonly unknown[]).includes(cloud) ? (cloud as Cloud) : DEFAULT_CLOUD;
}

/**
 * Keeps the blocks of the environment's cloud: removes every block and key of the other cloud from the
 * merged environment (those inherited from `defaults` are ignored) and reports each one written in the
 * environment itself (`own`), naming its path: an `azure:` block in an AWS environment is a mistake, not
 * a default to ignore.
 *
 * @returns the merged environment without the other cloud's blocks (a copy; the input is not changed)
 */
export function selectCloud(schema: z.ZodType, merged: unknown, own: unknown, problems: Problems): unknown {
  const cloud = cloudOf(merged);
  const other = CLOUDS.find((c) => c !== cloud)!;
  const paths = otherCloudPaths(schema, other);
  const copy = structuredClone(merged);
  for (const path of paths) {
    for (const found of matches(own, path)) {
      const why = WHY[found.at(-1)!]?.(cloud) ?? `is a block of the ${other} rendering`;
      problems.add(found.join('.'), `${why}; this environment says cloud: ${cloud} (remove the key)`);
    }
    for (const found of matches(copy, path)) removeAt(copy, found);
  }
  return copy;
}

/** The paths of `cloud`'s blocks and keys in `schema`, walked once per schema and cloud (not per environment). */
const pathsBySchema = new WeakMap<z.ZodType, Partial<Record<Cloud, readonly (readonly string[])[]>>>();

function otherCloudPaths(schema: z.ZodType, cloud: Cloud): readonly (readonly string[])[] {
  const byCloud = pathsBySchema.get(schema) ?? {};
  pathsBySchema.set(schema, byCloud);
  byCloud[cloud] ??= [...cloudBlockPaths(schema, cloud), ...CLOUD_ONLY_KEYS[cloud]];
  return byCloud[cloud];
}

/** The concrete key paths in `value` that `pattern` (with `*` wildcards) matches. */
function matches(value: unknown, pattern: readonly string[], at: string[] = []): string[][] {
  if (pattern.length === 0) return [at];
  if (!isPlainObject(value) && !Array.isArray(value)) return [];
  const [head, ...rest] = pattern as [string, ...string[]];
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [String(i), v])
    : Object.entries(value);
  return entries
    .filter(([key]) => head === '*' || key === head)
    .flatMap(([key, child]) =>
      rest.length === 0 ? (child === undefined ? [] : [[...at, key]]) : matches(child, rest, [...at, key]),
    );
}

function removeAt(root: unknown, path: readonly string[]): void {
  const parent = path.slice(0, -1).reduce<unknown>((v, key) => (v as Record<string, unknown>)[key], root);
  if (isPlainObject(parent)) delete parent[path.at(-1)!];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Checks the AWS environments against each other: at most one per account and region manages the
 * account-and-region singletons (invocation logging, transaction search, API Gateway's CloudWatch role):
 * a second would overwrite the first's settings, and deleting either would switch them off for both.
 * Environments without `aws.account.id` deploy to whatever account their credentials name, so only those
 * that name one can be compared. Returns problems with full paths.
 */
export function validateAwsSingletons(environments: Readonly<Record<string, EnvironmentConfig>>): Problem[] {
  const owners = new Map<string, string>();
  // The GitHub OIDC provider is per account (IAM is global): only one environment may create it.
  const providers = new Map<string, string>();
  const problems: Problem[] = [];
  for (const env of Object.values(environments)) {
    const aws = env.aws;
    if (!aws?.manageSingletons || aws.accountId === undefined) continue;
    const key = `${aws.accountId}/${aws.region}`;
    const owner = owners.get(key);
    if (owner === undefined) owners.set(key, env.name);
    else {
      problems.push({
        path: `environments.${env.name}.aws.account.manageSingletons`,
        message: `${owner} already manages the singletons of account ${aws.accountId} in ${aws.region}: set false here and name the GitHub OIDC provider in aws.account.githubOidcProviderArn`,
      });
      continue;
    }
    if (aws.githubOidcProviderArn !== undefined) continue;
    const creator = providers.get(aws.accountId);
    if (creator === undefined) providers.set(aws.accountId, env.name);
    else {
      problems.push({
        path: `environments.${env.name}.aws.account.githubOidcProviderArn`,
        message: `is required: ${creator} creates the GitHub OIDC provider of account ${aws.accountId} (one per account, in every region); name it here (arn:aws:iam::${aws.accountId}:oidc-provider/token.actions.githubusercontent.com)`,
      });
    }
  }
  return problems;
}

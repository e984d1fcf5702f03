/**
 * Schema-change safety for search indexes: a committed lock file records the schema deployed for each
 * index in each environment, and a change Azure cannot apply in place fails before it reaches Azure.
 *
 * Azure AI Search updates an index in place only for additive changes: new fields, a `retrievable`
 * toggle, new or changed vector profiles, vectorizers, semantic configurations, scoring profiles, CORS.
 * Deleting a field, or changing a field's name, type, `key`, `searchable`, `filterable`, `sortable`,
 * `facetable`, analyzer, dimensions or vector profile needs the index dropped and rebuilt, which an
 * infrastructure deploy must never do to a live index. The safe path is a new index version (`docs-v2`)
 * deployed next to the old one, readers moved over, then the old one removed from config.
 *
 * ## The lock file
 *
 * `config/index-schema.lock.json`, committed. Shape (version 1):
 *
 * ```json
 * {
 *   "environments": {
 *     "prod": {
 *       "docs": {
 *         "fields": [
 *           { "facetable": false, "filterable": false, "key": false, "name": "content",
 *             "searchable": true, "sortable": false, "type": "Edm.String" },
 *           { "dimensions": 3072, "facetable": false, "filterable": false, "key": false,
 *             "name": "contentVector", "searchable": true, "sortable": false,
 *             "type": "Collection(Edm.Single)", "vectorSearchProfile": "default" }
 *         ]
 *       }
 *     }
 *   },
 *   "version": 1
 * }
 * ```
 *
 * An index encrypted with a customer-managed key also records `"customerManagedKey": true`: encryption is
 * set when an index is created, so adding or removing it is a change that needs a new index version.
 *
 * Each field records its REST name and EDM type and every attribute Azure cannot change in place
 * (`key`, `searchable`, `filterable`, `sortable`, `facetable`, and when set `analyzer`, `dimensions`,
 * `vectorSearchProfile`). `retrievable` is not recorded since it can change in place. Sub-fields of
 * complex fields are recorded as `parent/child` with their own attributes; a complex field itself records
 * only its name and type. Fields are sorted by name, object keys sorted, 2-space JSON with a trailing
 * newline, so regenerating an unchanged lock changes nothing.
 *
 * Workflow: CI runs {@link compareWithLock} for every configured index; after a deploy, `npm run
 * index:lock` rewrites the environment's entry with {@link updateLock} and the result is committed.
 *
 * @see https://learn.microsoft.com/azure/search/search-howto-reindex
 */

import { readFileSync } from 'node:fs';
import { type Problem, Problems, show, ValidationError } from '../core/errors';
import { type SearchFieldBody, toIndexBody } from './index-schema/body';
import type { SearchIndexDefinition } from './index-schema/definition';
import { isUnresolved } from './index-schema/validation';

/** Where the lock file lives, relative to the repository root. */
export const INDEX_LOCK_FILE = 'config/index-schema.lock.json';

/** The lock file format version this module reads and writes. */
export const INDEX_LOCK_VERSION = 1;

/** One field as deployed. Attribute flags are present on every non-complex field. */
export interface LockedField {
  /** REST field name; sub-fields of complex fields are `parent/child`. */
  readonly name: string;
  /** EDM type, e.g. `Edm.String`, `Collection(Edm.Single)`. */
  readonly type: string;
  readonly key?: boolean;
  readonly searchable?: boolean;
  readonly filterable?: boolean;
  readonly sortable?: boolean;
  readonly facetable?: boolean;
  /** Analyzer name, when one is set. */
  readonly analyzer?: string;
  /** Vector dimensions, for vector fields. */
  readonly dimensions?: number;
  /** Vector search profile, for vector fields. */
  readonly vectorSearchProfile?: string;
}

/** The deployed schema of one index. */
export interface LockedIndex {
  /** Fields sorted by name. */
  readonly fields: readonly LockedField[];
  /** Present (true) when the index is encrypted with a customer-managed key; set only at creation. */
  readonly customerManagedKey?: true;
}

/** The lock file: deployed index schemas by environment name, then by index name. */
export interface IndexSchemaLock {
  readonly version: typeof INDEX_LOCK_VERSION;
  readonly environments: Readonly<Record<string, Readonly<Record<string, LockedIndex>>>>;
}

/** An empty lock, the starting point for a repository without a lock file. */
export function emptyLock(): IndexSchemaLock {
  return { version: INDEX_LOCK_VERSION, environments: {} };
}

const BOOLEAN_ATTRIBUTES = ['key', 'searchable', 'filterable', 'sortable', 'facetable'] as const;
const STRING_ATTRIBUTES = ['analyzer', 'vectorSearchProfile'] as const;
const FIELD_KEYS: ReadonlySet<string> = new Set([
  'name',
  'type',
  ...BOOLEAN_ATTRIBUTES,
  ...STRING_ATTRIBUTES,
  'dimensions',
]);

function byName<T extends { readonly name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function lockedFields(fields: readonly SearchFieldBody[], prefix: string): LockedField[] {
  const out: LockedField[] = [];
  for (const field of fields) {
    const name = `${prefix}${field.name}`;
    if (field.fields) {
      out.push({ name, type: field.type });
      out.push(...lockedFields(field.fields, `${name}/`));
      continue;
    }
    out.push({
      name,
      type: field.type,
      key: field.key ?? false,
      searchable: field.searchable ?? false,
      filterable: field.filterable ?? false,
      sortable: field.sortable ?? false,
      facetable: field.facetable ?? false,
      ...(field.analyzer !== undefined ? { analyzer: field.analyzer } : {}),
      ...(field.dimensions !== undefined ? { dimensions: field.dimensions } : {}),
      ...(field.vectorSearchProfile !== undefined ? { vectorSearchProfile: field.vectorSearchProfile } : {}),
    });
  }
  return out;
}

/**
 * What the lock records for an index: every field's type and the attributes Azure cannot change in
 * place, taken from the exact body {@link toIndexBody} deploys (so defaults are resolved the same way).
 */
export function lockEntryFor(def: SearchIndexDefinition): LockedIndex {
  const body = toIndexBody(def);
  return {
    ...(body.encryptionKey ? { customerManagedKey: true as const } : {}),
    fields: lockedFields(body.fields, '').sort(byName),
  };
}

/**
 * A new lock with `envName`'s entry replaced by the given indexes (indexes no longer configured drop out;
 * an environment with no index drops out). Other environments are kept as they are.
 *
 * This records whatever it is given, breaking changes included: run {@link compareWithLock} first.
 */
export function updateLock(
  lock: IndexSchemaLock,
  envName: string,
  indexes: readonly SearchIndexDefinition[],
): IndexSchemaLock {
  const environments: Record<string, Readonly<Record<string, LockedIndex>>> = { ...lock.environments };
  delete environments[envName];
  if (indexes.length > 0) {
    const entry: Record<string, LockedIndex> = {};
    for (const def of [...indexes].sort(byName)) entry[def.name] = lockEntryFor(def);
    environments[envName] = entry;
  }
  return { version: INDEX_LOCK_VERSION, environments: sortKeys(environments) };
}

/** The suggested name of the next version of an index: `docs` -> `docs-v2`, `docs-v2` -> `docs-v3`. */
export function nextIndexVersionName(indexName: string): string {
  const match = /^(.*)-v(\d+)$/.exec(indexName);
  return match ? `${match[1]}-v${Number(match[2]) + 1}` : `${indexName}-v2`;
}

function remedy(indexName: string): string {
  const next = nextIndexVersionName(indexName);
  return (
    `The search service (Azure AI Search, OpenSearch Serverless) cannot apply this change to an existing index. Publish a new index version (e.g. ${show(next)}) ` +
    `alongside ${show(indexName)}, move readers to it, then remove ${show(indexName)} from config`
  );
}

function describe(value: unknown): string {
  return value === undefined ? 'none' : show(value);
}

/**
 * The breaking changes between the locked (deployed) schema of an index and its new definition, as
 * problems. An index (or environment) with no lock entry is new: nothing to compare, no problem.
 *
 * Breaking: a field removed (a rename is a removal), a field's type changed, the key moved to another
 * field, `searchable`/`filterable`/`sortable`/`facetable` changed (Azure documents any revision of these
 * as needing a rebuild, turning one on or off alike), the analyzer set, removed or changed, vector
 * dimensions changed, or an existing vector field's profile changed. Additive changes pass: new fields,
 * `retrievable` toggles, new profiles, algorithms, vectorizers and semantic configurations.
 *
 * Each message names the environment, index, field, old and new value, and the way out: a new index
 * version next to the old one.
 */
export function compareWithLock(
  envName: string,
  indexName: string,
  def: SearchIndexDefinition,
  lock: IndexSchemaLock,
): Problem[] {
  const env = Object.hasOwn(lock.environments, envName) ? lock.environments[envName] : undefined;
  const locked = env && Object.hasOwn(env, indexName) ? env[indexName] : undefined;
  if (!locked) return [];

  const problems = new Problems(`environments.${envName}.${indexName}`);
  const where = `${envName}/${indexName}`;
  const fix = remedy(indexName);
  const current = new Map(lockEntryFor(def).fields.map((f) => [f.name, f]));

  const wasEncrypted = locked.customerManagedKey === true;
  const isEncrypted = def.encryptionKey !== undefined;
  if (wasEncrypted !== isEncrypted) {
    problems.add(
      'customerManagedKey',
      `${where}: customer-managed key encryption ${isEncrypted ? 'added to' : 'removed from'} the index; encryption is set when an index is created (the service ignores removing it). ${fix}`,
    );
  }

  const oldKey = locked.fields.find((f) => f.key === true)?.name;
  const newKey = [...current.values()].find((f) => f.key === true)?.name;
  if (oldKey !== newKey) {
    problems.add(
      'key',
      `${where}: key field changed from ${describe(oldKey)} to ${describe(newKey)}. ${fix}`,
    );
  }

  for (const old of locked.fields) {
    const path = `fields.${old.name}`;
    const label = `${where}: field ${show(old.name)}`;
    const now = current.get(old.name);
    if (!now) {
      problems.add(path, `${label} (${old.type}) was removed (or renamed). ${fix}`);
      continue;
    }
    if (isUnresolved(now.type)) continue;
    if (now.type !== old.type) {
      problems.add(`${path}.type`, `${label}: type changed from ${old.type} to ${now.type}. ${fix}`);
      continue;
    }
    for (const attr of BOOLEAN_ATTRIBUTES) {
      if (attr === 'key') continue;
      const before = old[attr] ?? false;
      const after = now[attr] ?? false;
      if (before !== after) {
        problems.add(`${path}.${attr}`, `${label}: ${attr} changed from ${before} to ${after}. ${fix}`);
      }
    }
    const changes: [keyof LockedField, string][] = [
      ['analyzer', 'analyzer'],
      ['dimensions', 'vector dimensions'],
      ['vectorSearchProfile', 'vector profile'],
    ];
    for (const [attr, what] of changes) {
      const before = old[attr];
      const after = now[attr];
      if (isUnresolved(after) || before === after) continue;
      problems.add(
        `${path}.${attr}`,
        `${label}: ${what} changed from ${describe(before)} to ${describe(after)}. ${fix}`,
      );
    }
  }
  return [...problems.all];
}

// ---------------------------------------------------------------------------------------------------------
// Reading and writing
// ---------------------------------------------------------------------------------------------------------

function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out as T;
  }
  return value;
}

/**
 * The lock as file content: keys sorted at every level, fields sorted by name, 2-space indentation and a
 * trailing newline. The same lock always serializes to the same bytes.
 */
export function serializeLock(lock: IndexSchemaLock): string {
  const environments: Record<string, Record<string, LockedIndex>> = {};
  for (const [env, indexes] of Object.entries(lock.environments)) {
    environments[env] = {};
    for (const [name, index] of Object.entries(indexes)) {
      environments[env][name] = {
        ...(index.customerManagedKey ? { customerManagedKey: true as const } : {}),
        fields: [...index.fields].sort(byName),
      };
    }
  }
  return `${JSON.stringify(sortKeys({ version: lock.version, environments }), null, 2)}\n`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${show(value)}`;
}

function checkLockedField(value: unknown, path: string, problems: Problems): void {
  if (!isObject(value)) {
    problems.add(path, `must be an object with name and type, got ${typeName(value)}`);
    return;
  }
  for (const key of Object.keys(value)) {
    problems.check(
      FIELD_KEYS.has(key),
      `${path}.${key}`,
      `unknown field attribute ${show(key)}; allowed: ${[...FIELD_KEYS].join(', ')}`,
    );
  }
  for (const key of ['name', 'type'] as const) {
    problems.check(
      typeof value[key] === 'string' && value[key] !== '',
      `${path}.${key}`,
      `must be a non-empty string, got ${typeName(value[key])}`,
    );
  }
  for (const attr of BOOLEAN_ATTRIBUTES) {
    if (value[attr] !== undefined) {
      problems.check(
        typeof value[attr] === 'boolean',
        `${path}.${attr}`,
        `must be true or false, got ${typeName(value[attr])}`,
      );
    }
  }
  for (const attr of STRING_ATTRIBUTES) {
    if (value[attr] !== undefined) {
      problems.check(
        typeof value[attr] === 'string',
        `${path}.${attr}`,
        `must be a string, got ${typeName(value[attr])}`,
      );
    }
  }
  if (value.dimensions !== undefined) {
    problems.check(
      typeof value.dimensions === 'number' && Number.isInteger(value.dimensions) && value.dimensions > 0,
      `${path}.dimensions`,
      `must be a positive integer, got ${typeName(value.dimensions)}`,
    );
  }
}

function checkLock(data: unknown, problems: Problems): void {
  if (!isObject(data)) {
    problems.add('', `must be a JSON object with "version" and "environments", got ${typeName(data)}`);
    return;
  }
  for (const key of Object.keys(data)) {
    problems.check(
      key === 'version' || key === 'environments',
      key,
      `unknown key ${show(key)}; allowed: version, environments`,
    );
  }
  problems.check(
    data.version === INDEX_LOCK_VERSION,
    'version',
    `version ${show(data.version)} is not supported; this tool reads version ${INDEX_LOCK_VERSION}`,
  );
  if (!isObject(data.environments)) {
    problems.add(
      'environments',
      `must be an object keyed by environment name, got ${typeName(data.environments)}`,
    );
    return;
  }
  for (const [env, indexes] of Object.entries(data.environments)) {
    const envPath = `environments.${env}`;
    if (!isObject(indexes)) {
      problems.add(envPath, `must be an object keyed by index name, got ${typeName(indexes)}`);
      continue;
    }
    for (const [indexName, index] of Object.entries(indexes)) {
      const indexPath = `${envPath}.${indexName}`;
      if (!isObject(index) || !Array.isArray(index.fields)) {
        problems.add(indexPath, `must be an object with a "fields" array, got ${typeName(index)}`);
        continue;
      }
      for (const key of Object.keys(index)) {
        problems.check(
          key === 'fields' || key === 'customerManagedKey',
          `${indexPath}.${key}`,
          `unknown key ${show(key)}; allowed: fields, customerManagedKey`,
        );
      }
      if ('customerManagedKey' in index) {
        problems.check(
          index.customerManagedKey === true,
          `${indexPath}.customerManagedKey`,
          `must be true when present (absent: Microsoft-managed keys), got ${show(index.customerManagedKey)}`,
        );
      }
      const seen = new Set<string>();
      index.fields.forEach((field, i) => {
        const fieldPath = `${indexPath}.fields[${i}]`;
        checkLockedField(field, fieldPath, problems);
        const name = isObject(field) ? field.name : undefined;
        if (typeof name === 'string') {
          problems.check(!seen.has(name), `${fieldPath}.name`, `field ${show(name)} is listed twice`);
          seen.add(name);
        }
      });
    }
  }
}

/**
 * Parses lock file content. Throws a {@link ValidationError} listing every problem (with its path) when
 * the content is not JSON or not a version-1 lock.
 *
 * @param source the file name shown in the error, e.g. `config/index-schema.lock.json`
 */
export function parseLock(text: string, source: string = INDEX_LOCK_FILE): IndexSchemaLock {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ValidationError(`Invalid index schema lock ${source}`, [
      { path: '', message: `not valid JSON: ${reason}` },
    ]);
  }
  const problems = new Problems();
  checkLock(data, problems);
  problems.throwIfAny(`Invalid index schema lock ${source}`);
  return data as IndexSchemaLock;
}

/** Options of {@link readLock}. */
export interface ReadLockOptions {
  /**
   * Return an empty lock when the file does not exist (first run of `npm run index:lock`).
   * @default false - a missing lock file is an error, so deleting it cannot silently disable the check
   */
  readonly missingOk?: boolean;
}

/**
 * Reads and checks a lock file. Throws a {@link ValidationError} naming the file when it is missing
 * (unless `missingOk`), unreadable, not JSON, or malformed; the error lists every problem with its path.
 *
 * @param path the lock file, e.g. {@link INDEX_LOCK_FILE}; shown as given in errors
 */
export function readLock(path: string, opts: ReadLockOptions = {}): IndexSchemaLock {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && opts.missingOk) return emptyLock();
    const message =
      code === 'ENOENT'
        ? 'file not found; create it with `npm run index:lock`'
        : `cannot read the file: ${error instanceof Error ? error.message : String(error)}`;
    throw new ValidationError(`Invalid index schema lock ${path}`, [{ path: '', message }]);
  }
  return parseLock(text, path);
}

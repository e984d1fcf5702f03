/**
 * The search index schema lock, applied to the environment config: the synth-time check (an index
 * change the search service cannot apply in place fails synth with exit 1) and `npm run index:lock` (records the
 * current definitions in `config/index-schema.lock.json`).
 */

import { writeFileSync } from 'node:fs';
import { openSearchLockDefinition } from '../../constructs/aws/search/index-lock-input';
import { formatProblem, type Problem, Problems, show } from '../../constructs/core/errors';
import {
  compareWithLock,
  INDEX_LOCK_FILE,
  type IndexSchemaLock,
  type LockedIndex,
  lockEntryFor,
  readLock,
  serializeLock,
  updateLock,
} from '../../constructs/search/index-lock';
import type { SearchIndexDefinition } from '../../constructs/search/index-schema/definition';
import { CheckFailedError, ExitCode, parseFlags, UsageError } from '../cli/exit';
import type { EnvironmentConfig, LoadedConfig } from '../config/environment';
import {
  CONFIG_EMBEDDING_TARGET,
  type ConfiguredIndex,
  configEncryptionKey,
  searchIndexDefinitions,
} from './indexes';

/**
 * What the lock records of an index: its definition, and on AWS also the vector methods OpenSearch cannot
 * change on an existing index (space type, `m`, `ef_construction`), folded into the profile names by
 * `openSearchLockDefinition`.
 */
export function lockDefinition(env: EnvironmentConfig, index: ConfiguredIndex): SearchIndexDefinition {
  return env.cloud === 'aws' ? openSearchLockDefinition(index.definition) : index.definition;
}

/** The definitions of an environment's indexes, from config alone (no construct tree, no credentials). */
export function configuredIndexes(env: EnvironmentConfig): ConfiguredIndex[] {
  const problems = new Problems(`environments.${env.name}`);
  const indexes = searchIndexDefinitions(env, CONFIG_EMBEDDING_TARGET, problems, configEncryptionKey(env));
  // loadConfig already rejected invalid indexes; reaching this is a bug, not bad input.
  if (!problems.empty) {
    throw new Error(
      `search indexes of ${env.name} are invalid:\n${problems.all.map(formatProblem).join('\n')}`,
    );
  }
  return indexes;
}

/**
 * Every change, in every environment, that the search service cannot apply to a deployed index: each configured index
 * compared with its lock entry (`compareWithLock`). An index or environment with no lock entry is new and
 * passes; an index removed from config is not a problem (removing it is the last step of a new version).
 */
export function indexLockProblems(config: LoadedConfig, lock: IndexSchemaLock): Problem[] {
  const problems: Problem[] = [];
  for (const env of Object.values(config.environments)) {
    for (const index of configuredIndexes(env)) {
      problems.push(...compareWithLock(env.name, index.name, lockDefinition(env, index), lock));
    }
  }
  return problems;
}

/**
 * The synth-time check: reads the lock (a missing or malformed lock is bad input, exit 2) and throws a
 * {@link CheckFailedError} (exit 1) listing every breaking change, each naming the new index version to
 * publish.
 *
 * @param lockFile the lock file, relative to the working directory
 */
export function checkIndexLock(config: LoadedConfig, lockFile: string = INDEX_LOCK_FILE): void {
  const problems = indexLockProblems(config, readLock(lockFile));
  if (problems.length === 0) return;
  throw new CheckFailedError(
    `Search index schema check failed: ${problems.length} change${problems.length === 1 ? '' : 's'} the search service cannot apply to a deployed index (compared with ${lockFile}):\n` +
      `${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}\n` +
      'Deployed indexes are never dropped and rebuilt by a deploy. Keep the old index in config, add the new version next to it, ' +
      'move readers over, then remove the old one and run `npm run index:lock`.',
  );
}

/** Usage of `npm run index:lock`. */
export const INDEX_LOCK_USAGE =
  'usage: index:lock [--env <environment>]... [--accept-breaking] [--lock <file>]';

/** What the index:lock command needs from its surroundings; tests inject fakes. */
export interface IndexLockCommandDeps {
  /** Loads the environment config (`loadConfig` from `lib/config/load.ts`). */
  readonly loadConfig: () => LoadedConfig;
  /** Where the summary goes. @default process.stdout */
  readonly stdout?: (text: string) => void;
}

function describeEntry(
  lock: IndexSchemaLock,
  envName: string,
  indexName: string,
  definition: SearchIndexDefinition,
): string {
  const env = Object.hasOwn(lock.environments, envName) ? lock.environments[envName] : undefined;
  const before = env && Object.hasOwn(env, indexName) ? env[indexName] : undefined;
  if (!before) return 'new';
  // Serializing normalizes key and field order, so equal entries give equal text.
  const text = (entry: LockedIndex) => serializeLock({ version: 1, environments: { e: { i: entry } } });
  return text(before) === text(lockEntryFor(definition)) ? 'unchanged' : 'updated';
}

/**
 * `npm run index:lock`: records the current index definitions of every environment (or of each `--env`)
 * in the lock file, to be committed after the indexes are deployed.
 *
 * Refuses (exit 1) to record a change the search service cannot apply in place unless `--accept-breaking` says the
 * index really was rebuilt (e.g. a dev index deleted by hand). Without `--env`, environments no longer in
 * config are dropped from the lock. Exit 2 for bad input: an unknown flag or environment, an invalid
 * config or lock file.
 */
export function indexLockMain(argv: readonly string[], deps: IndexLockCommandDeps): ExitCode {
  const stdout = deps.stdout ?? ((text: string) => process.stdout.write(text));
  const { switches, multi, values } = parseFlags(argv, {
    values: ['lock'],
    switches: ['accept-breaking'],
    multi: ['env'],
  });
  const lockFile = values.lock ?? INDEX_LOCK_FILE;
  const config = deps.loadConfig();
  const known = Object.keys(config.environments);
  const unknown = multi.env.filter((e) => !known.includes(e));
  if (unknown.length > 0) {
    throw new UsageError(
      `--env ${unknown.map((e) => show(e)).join(', ')}: not in ${config.file} (environments: ${known.join(', ')}) (${INDEX_LOCK_USAGE})`,
    );
  }
  const selected = multi.env.length > 0 ? [...new Set(multi.env)] : known;
  const lock = readLock(lockFile, { missingOk: true });

  const breaking: Problem[] = [];
  const perEnv = selected.map((name) => {
    const env = config.environments[name]!;
    const indexes = configuredIndexes(env);
    for (const index of indexes)
      breaking.push(...compareWithLock(name, index.name, lockDefinition(env, index), lock));
    return { env, name, indexes };
  });
  if (breaking.length > 0 && !switches['accept-breaking']) {
    throw new CheckFailedError(
      `${lockFile} not written: it would record ${breaking.length} change${breaking.length === 1 ? '' : 's'} the search service cannot apply in place:\n` +
        `${breaking.map((p) => `  - ${formatProblem(p)}`).join('\n')}\n` +
        'Publish a new index version instead; pass --accept-breaking only if the index was really deleted and rebuilt.',
    );
  }

  let next = lock;
  const lines: string[] = [];
  for (const { env, name, indexes } of perEnv) {
    const configured = new Set(indexes.map((i) => i.name));
    for (const index of indexes)
      lines.push(
        `${name}/${index.name}: ${describeEntry(lock, name, index.name, lockDefinition(env, index))}`,
      );
    const previous = Object.hasOwn(lock.environments, name) ? Object.keys(lock.environments[name]!) : [];
    for (const gone of previous.filter((i) => !configured.has(i)).sort())
      lines.push(`${name}/${gone}: removed`);
    next = updateLock(
      next,
      name,
      indexes.map((i) => lockDefinition(env, i)),
    );
  }
  if (multi.env.length === 0) {
    for (const gone of Object.keys(lock.environments)
      .filter((e) => !known.includes(e))
      .sort()) {
      const { [gone]: _dropped, ...rest } = next.environments;
      next = { version: next.version, environments: rest };
      lines.push(`${gone}: environment removed`);
    }
  }
  try {
    writeFileSync(lockFile, serializeLock(next));
  } catch (error) {
    throw new UsageError(`cannot write ${lockFile}: ${(error as Error).message}`);
  }
  stdout(`${lines.map((l) => `  ${l}\n`).join('')}wrote ${lockFile}\n`);
  return ExitCode.Success;
}

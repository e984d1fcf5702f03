#!/usr/bin/env node
// Runs a compiled command (`node scripts/run.js synth` runs dist/bin/synth.js), building first only when
// a source is newer than the last build: a no-op `tsc` costs a quarter of a second on every command,
// about as much as synthesizing the default environments. Plain JavaScript, so it runs before any build.

const { spawnSync } = require('node:child_process');
const {
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  mkdirSync,
} = require('node:fs');
const { dirname, join } = require('node:path');

const root = join(__dirname, '..');
const stamp = join(root, 'dist', '.build-stamp');
// .ts sources and the .json data they import (compiled into dist/ with them)
const SOURCE_DIRS = ['bin', 'lib', 'constructs'];
const SOURCE_FILES = [
  'tsconfig.json',
  'tsconfig.build.json',
  'package-lock.json',
  'scripts/run.js',
  // read by lib/workflows/mutation.ts and copied into dist/ by the build
  'stryker.config.json',
];

function newestSource() {
  let newest = 0;
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      // .json: data files the sources import (constructs/**/data/*.json), which the build copies into dist/
      else if (/\.(ts|json|js)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of SOURCE_DIRS) if (existsSync(join(root, dir))) visit(join(root, dir));
  for (const file of SOURCE_FILES)
    if (existsSync(join(root, file))) newest = Math.max(newest, statSync(join(root, file)).mtimeMs);
  return newest;
}

function isFresh() {
  return existsSync(stamp) && statSync(stamp).mtimeMs >= newestSource();
}

function ensureBuilt() {
  if (isFresh()) return;
  // One build at a time: two commands (or two jest workers running compiled entries) started together would
  // otherwise both write dist/, and one could run a file the other is halfway through writing.
  const built = withBuildLock(() => {
    if (isFresh()) return true; // built by the one that held the lock
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
      stdio: 'inherit',
    });
    if (result.status !== 0) return false;
    require('./copy-assets.js'); // the router Lambda code the gateway construct deploys from dist/
    mkdirSync(join(root, 'dist'), { recursive: true });
    writeFileSync(stamp, '');
    return true;
  });
  if (!built) {
    process.stderr.write('error: the build failed (see the TypeScript errors above)\n');
    process.exit(1);
  }
}

/**
 * Runs `build` (returns its result) holding a lock: a directory (mkdir is atomic) with the holder's pid in
 * it. A lock whose holder has died (a build stopped with Ctrl-C), names this very process (a pid reused in a
 * fresh container) or never got its pid is removed by one waiter at a time, under a second lock.
 */
function withBuildLock(build) {
  const lock = join(root, 'node_modules', '.cache', 'llmops-platform', 'build.lock');
  mkdirSync(dirname(lock), { recursive: true });
  let told = false;
  for (const started = Date.now(); ; ) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    const holder = lockHolder(lock);
    if (isStale(lock, holder)) {
      removeStaleLock(lock, holder);
      continue;
    }
    if (!told && process.stderr.isTTY && Date.now() - started > 1000) {
      process.stderr.write(`waiting for the build of process ${holder ?? '(starting)'} to finish\n`);
      told = true;
    }
    sleep(100);
  }
  try {
    return build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** No live holder: a dead pid, this process's own, or no pid ten seconds after the lock was made. */
function isStale(lock, holder) {
  if (holder === undefined) return olderThanTenSeconds(lock);
  return holder === process.pid || !isRunning(holder);
}

/** Whether `path` was made more than ten seconds ago (false once it is gone). */
function olderThanTenSeconds(path) {
  return Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 10_000;
}

/**
 * Removes the lock `holder` left, unless someone took it meanwhile: under `<lock>.takeover` (itself stale
 * after ten seconds), the lock is checked again before it goes. A waiter that finds the takeover lock taken
 * sleeps and tries again.
 */
function removeStaleLock(lock, holder) {
  const takeover = `${lock}.takeover`;
  try {
    mkdirSync(takeover);
  } catch (error) {
    if (error.code !== 'EEXIST') throw error;
    if (olderThanTenSeconds(takeover)) rmSync(takeover, { recursive: true, force: true });
    sleep(100);
    return;
  }
  try {
    if (lockHolder(lock) === holder && isStale(lock, holder)) rmSync(lock, { recursive: true, force: true });
  } finally {
    rmSync(takeover, { recursive: true, force: true });
  }
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function lockHolder(lock) {
  try {
    return Number(readFileSync(join(lock, 'pid'), 'utf8')) || undefined;
  } catch {
    return undefined; // being created or removed
  }
}

function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

const command = process.argv[2];
// `node scripts/run.js --build`: only bring dist/ up to date (the tests that run compiled commands use it).
if (command === '--build') {
  ensureBuilt();
  process.exit(0);
}
if (!command || !/^[a-z-]+$/.test(command) || !existsSync(join(root, 'bin', `${command}.ts`))) {
  process.stderr.write(
    `usage: node scripts/run.js <command> [args...]; no command ${JSON.stringify(command ?? '')} in bin/\n`,
  );
  process.exit(2);
}
ensureBuilt();
process.argv.splice(2, 1); // the command sees only its own arguments
// The entries that synthesize set up their own V8 code cache and compiler tiers (lib/cli/short-run.ts).
require(join(root, 'dist', 'bin', `${command}.js`));

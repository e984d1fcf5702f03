import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** The repository root. */
export const REPO = join(__dirname, '../..');

let built = false;

/**
 * Brings `dist/` up to date the way every `npm run` command does (rebuilt only when a source is newer than
 * the last build), so a test that runs a compiled entry runs what the sources say. Safe from two jest workers
 * at once: scripts/run.js builds under a lock, and the second finds the build done.
 *
 * @returns the build's exit status and stderr, for the caller to assert (`{ status: 0, stderr: '' }`)
 */
export function buildDist(): { status: number | null; stderr: string } {
  if (built) return { status: 0, stderr: '' };
  const build = spawnSync(process.execPath, [join(REPO, 'scripts/run.js'), '--build'], {
    cwd: REPO,
    encoding: 'utf8',
  });
  built = build.status === 0;
  return { status: build.status, stderr: build.stderr };
}

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';

/** How jest was asked to treat snapshots: `none` under `--ci`, `new` by default, `all` with `-u`. */
function updateMode(): 'all' | 'new' | 'none' {
  const state = expect.getState().snapshotState as unknown as { _updateSnapshot?: 'all' | 'new' | 'none' };
  return state._updateSnapshot ?? 'none';
}

/** The first line where two texts differ (1-based), with both lines, for a readable failure. */
function firstDifference(expected: string, received: string) {
  const a = expected.split('\n');
  const b = received.split('\n');
  const line = a.findIndex((l, i) => l !== b[i]);
  const at = line === -1 ? a.length : line;
  return { line: at + 1, snapshot: a[at], received: b[at], snapshotLines: a.length, receivedLines: b.length };
}

/**
 * A snapshot kept as a file of its own (`path`), so a reviewer opens one stack by name and a pull request
 * shows its diff: written when missing (not under `--ci`) or under `npm run test:update`, compared
 * otherwise. On a difference the failure names the first differing line; `npm run plan:diff` says what
 * changed in resource terms.
 */
export function expectFileSnapshot(path: string, text: string): void {
  const mode = updateMode();
  const name = relative(process.cwd(), path);
  if (!existsSync(path)) {
    if (mode === 'none') throw new Error(`${name}: no snapshot file (run npm run test:update and commit it)`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return;
  }
  const snapshot = readFileSync(path, 'utf8');
  if (snapshot === text) return;
  if (mode === 'all') {
    writeFileSync(path, text);
    return;
  }
  expect({ file: name, ...firstDifference(snapshot, text) }).toEqual({ file: name, differs: false });
}

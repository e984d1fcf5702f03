/**
 * jest runs one file per test folder (test/helpers/suite.ts): a `*.spec.ts` in a folder without its
 * `<folder>.test.ts` would never run, and a second `*.test.ts` would pay the module loading the layout
 * saves. These tests keep the layout whole.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { specFiles } from '../helpers/suite';

const TEST_ROOT = join(__dirname, '..');

/** Every folder under test/ (test/ itself included), with its files. */
function folders(): { dir: string; files: string[] }[] {
  const out: { dir: string; files: string[] }[] = [];
  const walk = (dir: string) => {
    const entries = readdirSync(dir, { withFileTypes: true });
    out.push({ dir, files: entries.filter((e) => e.isFile()).map((e) => e.name) });
    for (const e of entries) if (e.isDirectory() && e.name !== '__snapshots__') walk(join(dir, e.name));
  };
  walk(TEST_ROOT);
  return out;
}

/** The one test file a folder may have: its path under test/ with `-` for `/` (`test/aws/models` -> `aws-models.test.ts`). */
const entryName = (dir: string) => `${relative(TEST_ROOT, dir).replaceAll('/', '-')}.test.ts`;

describe('the test layout: one jest file per folder', () => {
  test('every folder with specs has exactly its own entry file, which runs them', () => {
    const problems: string[] = [];
    for (const { dir, files } of folders()) {
      const specs = files.filter((f) => f.endsWith('.spec.ts'));
      const entries = files.filter((f) => f.endsWith('.test.ts'));
      const where = relative(join(TEST_ROOT, '..'), dir) || 'test';
      if (specs.length === 0) {
        if (entries.length > 0) problems.push(`${where}: ${entries.join(', ')} without a *.spec.ts to run`);
        continue;
      }
      if (entries.length !== 1 || entries[0] !== entryName(dir))
        problems.push(`${where}: test files [${entries.join(', ')}], expected exactly [${entryName(dir)}]`);
      for (const entry of entries) {
        if (!/^\s*specsOf\(__dirname\);\s*$/m.test(readFileSync(join(dir, entry), 'utf8')))
          problems.push(`${where}/${entry}: does not call specsOf(__dirname)`);
      }
    }
    expect(problems).toEqual([]);
  });

  test('no spec imports another (its tests would run under the importer) and no snapshot file belongs to a spec', () => {
    const problems: string[] = [];
    for (const { dir, files } of folders()) {
      const where = relative(join(TEST_ROOT, '..'), dir) || 'test';
      for (const spec of files.filter((f) => f.endsWith('.spec.ts'))) {
        const text = readFileSync(join(dir, spec), 'utf8');
        for (const [, imported, required] of text.matchAll(
          /(?:from|import) '([^']+\.spec)(?:\.ts)?'|require\('([^']+\.spec)(?:\.ts)?'\)/g,
        ))
          problems.push(`${where}/${spec}: imports ${imported ?? required}`);
      }
      // Snapshots are the folder's (`<folder>.test.ts.snap`); a spec's own would be a second, stale copy
      // (`npm run spec` keeps its snapshots under node_modules/.cache).
      const snapshots = join(dir, '__snapshots__');
      const snapFiles = existsSync(snapshots)
        ? readdirSync(snapshots).filter((f) => f.endsWith('.snap'))
        : [];
      for (const file of snapFiles)
        if (file !== `${entryName(dir)}.snap`)
          problems.push(`${where}/__snapshots__/${file}: not the folder's`);
    }
    expect(problems).toEqual([]);
  });

  test('the layout is in use: specs in many folders, each found by specFiles', () => {
    const withSpecs = folders().filter(({ files }) => files.some((f) => f.endsWith('.spec.ts')));
    expect(withSpecs.length).toBeGreaterThan(20);
    expect(specFiles(__dirname)).toContain('test-layout.spec.ts');
    expect(specFiles(__dirname)).toEqual([...specFiles(__dirname)].sort());
  });
});

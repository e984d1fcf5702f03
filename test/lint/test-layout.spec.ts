/**
 * jest runs one file per top-level test folder (test/helpers/suite.ts): a `*.spec.ts` under a folder
 * without its `<folder>.test.ts` would never run, and a second `*.test.ts` would pay the module loading the
 * layout saves. These tests keep the layout whole.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { specFiles } from '../helpers/suite';

const TEST_ROOT = join(__dirname, '..');
const REPO = join(TEST_ROOT, '..');

/** Every file below test/, as paths relative to the repository (`test/aws/models/guardrail.spec.ts`). */
function testTree(): string[] {
  return readdirSync(TEST_ROOT, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(REPO, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** The folders directly under test/ (each may have one test file, named after it). */
function topFolders(): string[] {
  return readdirSync(TEST_ROOT, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

describe('the test layout: one jest file per top-level folder', () => {
  test('every folder with specs below it has exactly its own test file, which runs them; none elsewhere', () => {
    const problems: string[] = [];
    const entries = testTree().filter((path) => path.endsWith('.test.ts'));
    for (const folder of topFolders()) {
      const specs = specFiles(join(TEST_ROOT, folder));
      const own = `test/${folder}/${folder}.test.ts`;
      if (specs.length > 0 && !entries.includes(own))
        problems.push(`test/${folder}: no ${own} runs its specs`);
      if (specs.length === 0 && entries.includes(own)) problems.push(`${own}: no *.spec.ts below it to run`);
      if (
        entries.includes(own) &&
        !/^\s*specsOf\(__dirname\);\s*$/m.test(readFileSync(join(REPO, own), 'utf8'))
      )
        problems.push(`${own}: does not call specsOf(__dirname)`);
    }
    for (const entry of entries) {
      const [, folder, name] = entry.split('/');
      if (name !== `${folder}.test.ts`)
        problems.push(`${entry}: a test file other than test/<folder>/<folder>.test.ts`);
    }
    expect(problems).toEqual([]);
  });

  test("no spec imports another (its tests would run twice) and each snapshot file is its folder test file's", () => {
    const problems: string[] = [];
    for (const path of testTree()) {
      if (path.endsWith('.spec.ts')) {
        const text = readFileSync(join(REPO, path), 'utf8');
        for (const [, imported, required] of text.matchAll(
          /(?:from|import) '([^']+\.spec)(?:\.ts)?'|require\('([^']+\.spec)(?:\.ts)?'\)/g,
        ))
          problems.push(`${path}: imports ${imported ?? required}`);
      }
      // Snapshots are the folder's (`<folder>.test.ts.snap`); any other would be a second, stale copy
      // (`npm run spec` keeps its snapshots under node_modules/.cache).
      const snapshot = /^test\/([^/]+)\/__snapshots__\/([^/]+)\.snap$/.exec(path);
      if (path.endsWith('.snap') && snapshot?.[2] !== `${snapshot?.[1]}.test.ts`)
        problems.push(`${path}: not a folder test file's snapshot`);
    }
    expect(problems).toEqual([]);
  });

  test('the layout is in use: specs in many folders, nested ones found with their path', () => {
    const withSpecs = topFolders().filter((folder) => specFiles(join(TEST_ROOT, folder)).length > 0);
    expect(withSpecs.length).toBeGreaterThan(20);
    expect(specFiles(__dirname)).toContain('test-layout.spec.ts');
    expect(specFiles(join(TEST_ROOT, 'aws'))).toContain('models/guardrail.spec.ts');
    const all = specFiles(join(TEST_ROOT, 'aws'));
    expect(all).toEqual([...all].sort());
  });
});

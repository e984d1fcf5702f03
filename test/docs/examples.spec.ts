import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { constructFolders } from '../helpers/construct-folders';
import { type CodeBlock, typeScriptBlocks } from './code-blocks';

/**
 * Every TypeScript example of the documentation compiles against the real constructs, so an example
 * cannot rot when an API changes. Each block becomes a file of a generated project inside the
 * repository (so `cdktf`, `constructs` and the provider resolve from its node_modules), whose tsconfig
 * maps the package's entry points `llmops-platform/constructs/<capability>` to the sources; one `tsc` run
 * checks them all, and each error names the Markdown file and line.
 */

const REPO = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(__dirname, 'fixtures');
const BUILD_INFO = path.join(REPO, 'node_modules', '.cache', 'llmops-platform', 'docs-examples.tsbuildinfo');
/**
 * Blocks that are not compiled need a written reason, and there should be few of them: today one, the
 * pattern in constructs/network/README.md whose `...` stands for any construct's props.
 */
const MAX_FRAGMENTS = 1;

/**
 * The construct folders with an index.ts: the package's entry points, `gateway` as well as the nested
 * `aws/gateway` (constructFolders, the list package.json's `exports` is checked against).
 */
function capabilities(): string[] {
  return constructFolders(REPO).filter((folder) =>
    fs.existsSync(path.join(REPO, 'constructs', folder, 'index.ts')),
  );
}

function documentationFiles(): string[] {
  // The README of every construct folder, nested ones (constructs/aws/<capability>/README.md) included.
  const constructReadmes = constructFolders(REPO)
    .filter((folder) => fs.existsSync(path.join(REPO, 'constructs', folder, 'README.md')))
    .map((folder) => `constructs/${folder}/README.md`);
  const docs = fs
    .readdirSync(path.join(REPO, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`);
  return ['README.md', 'CONTRIBUTING.md', ...constructReadmes, ...docs].sort();
}

const blocks: CodeBlock[] = documentationFiles().flatMap((file) =>
  typeScriptBlocks(file, fs.readFileSync(path.join(REPO, file), 'utf8')),
);
const compiled = blocks.filter((block) => block.fragmentReason === undefined);

/** A generated file and how its lines map back to the documentation. */
interface Source {
  readonly block: CodeBlock;
  /** Lines taken by the fixture before the block. */
  readonly fixtureLines: number;
}

function fixtureText(name: string): string {
  const file = path.join(FIXTURES, `${name}.ts-fixture`);
  if (!fs.existsSync(file)) {
    throw new Error(`fixture=${name}: no file ${path.relative(REPO, file)}`);
  }
  return fs.readFileSync(file, 'utf8').replace(/\n$/, '');
}

function writeProject(dir: string): Map<string, Source> {
  const sources = new Map<string, Source>();
  for (const block of compiled) {
    const name = `${block.file.replace(/\.md$/, '').replace(/[^A-Za-z0-9]+/g, '-')}-L${block.line}.ts`;
    const fixture = block.fixture === undefined ? undefined : fixtureText(block.fixture);
    const fixtureLines = fixture === undefined ? 0 : fixture.split('\n').length;
    // `export {}` makes every file a module: the blocks' top-level names do not clash.
    const text = `${fixture === undefined ? '' : `${fixture}\n`}${block.code}\nexport {};\n`;
    fs.writeFileSync(path.join(dir, name), text);
    sources.set(name, { block, fixtureLines });
  }
  const tsconfig = {
    compilerOptions: {
      target: 'es2022',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      lib: ['es2022'],
      types: ['node'],
      strict: true,
      esModuleInterop: true,
      resolveJsonModule: true,
      skipLibCheck: true,
      noEmit: true,
      // The package's `exports`, mapped to the sources: one entry point per capability folder (nested
      // ones too: `llmops-platform/constructs/aws/models`), and deep paths to one module
      // (`llmops-platform/constructs/core/diagnostics`, `llmops-platform/constructs/aws/models/guardrail`).
      paths: {
        ...Object.fromEntries(
          capabilities().map((capability) => [
            `llmops-platform/constructs/${capability}`,
            [`../constructs/${capability}/index.ts`],
          ]),
        ),
        'llmops-platform/constructs/*': ['../constructs/*.ts'],
      },
      // A block of docs/ about the app imports its modules as a script at the repository root would
      // (`./lib/plan-diff`): relative imports also resolve from the root.
      rootDirs: ['.', '..'],
    },
    files: [...sources.keys()],
  };
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  return sources;
}

/** `tsc` diagnostics, each with the Markdown file and line it comes from. */
function compile(dir: string, sources: Map<string, Source>): string[] {
  let output: string;
  try {
    // Incremental, with the build info of the previous run: the constructs and libraries it checked are
    // not checked again unless they changed (tsc compares their content); the blocks, in a new scratch
    // folder each run, always are. About a third of the check's CPU time.
    const args = ['-p', '.', '--pretty', 'false', '--incremental', '--tsBuildInfoFile', BUILD_INFO];
    output = execFileSync(path.join(REPO, 'node_modules', '.bin', 'tsc'), args, {
      cwd: dir,
      encoding: 'utf8',
      stdio: 'pipe',
    });
  } catch (error) {
    // tsc exits 2 when it reports errors; a failure without any output (tsc missing) must not pass.
    const failed = error as { stdout?: string; stderr?: string };
    output = `${failed.stdout ?? ''}${failed.stderr ?? ''}`;
    if (output.trim() === '') output = `tsc failed without output: ${String(error)}`;
  }
  return output
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith(' '))
    .map((line) => {
      const located = /^(.+?)\((\d+),(\d+)\): (.*)$/.exec(line);
      const source = located ? sources.get(path.basename(located[1] ?? '')) : undefined;
      if (!located || !source) return line;
      // Generated line fixtureLines + 1 is the block's first line, the one after its fence.
      const generatedLine = Number(located[2]);
      const where =
        generatedLine > source.fixtureLines
          ? `${source.block.file}:${source.block.line + generatedLine - source.fixtureLines}`
          : `test/docs/fixtures/${source.block.fixture}.ts-fixture:${generatedLine} (for ${source.block.file}:${source.block.line})`;
      return `${where}:${located[3]} ${located[4]}`;
    });
}

describe('TypeScript examples in the documentation', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(REPO, '.docs-examples-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('every compiled block type-checks against the constructs', () => {
    // GIVEN every TypeScript block that is not marked as a fragment
    expect(compiled.length).toBeGreaterThan(0);
    // WHEN tsc checks them all in one run
    const errors = compile(dir, writeProject(dir));
    // THEN it reports nothing
    expect(errors).toEqual([]);
  }, 60_000);

  test('blocks left uncompiled are few and say why', () => {
    const fragments = blocks.filter((block) => block.fragmentReason !== undefined);
    for (const fragment of fragments) {
      expect({ at: `${fragment.file}:${fragment.line}`, reason: fragment.fragmentReason }).toEqual({
        at: `${fragment.file}:${fragment.line}`,
        reason: expect.stringMatching(/\w{3,}/),
      });
    }
    expect(fragments.length).toBeLessThanOrEqual(MAX_FRAGMENTS);
  });

  test('every fixture is used by a block', () => {
    const used = new Set(compiled.map((block) => block.fixture));
    const unused = fs
      .readdirSync(FIXTURES)
      .map((file) => file.replace(/\.ts-fixture$/, ''))
      .filter((name) => !used.has(name));
    expect(unused).toEqual([]);
  });
});

describe('typeScriptBlocks', () => {
  const markdown = [
    '# Title', // 1
    '```ts', // 2
    'const a = 1;', // 3
    '```', // 4
    '````markdown', // 5
    '```ts', // 6
    'nested, not a block of its own', // 7
    '```', // 8
    '````', // 9
    '1. step', // 10
    '   ```typescript fixture=stack', // 11
    '   const b = 2;', // 12
    '     const c = 3;', // 13
    '   ```', // 14
    '<!-- fragment: shows one prop -->', // 15
    '```ts', // 16
    '...', // 17
    '```', // 18
    '```bash', // 19
    'npm test', // 20
    '```', // 21
  ].join('\n');

  test('finds ts and typescript blocks with their fence line, fixture and fragment reason', () => {
    expect(typeScriptBlocks('x.md', markdown)).toEqual([
      { file: 'x.md', line: 2, code: 'const a = 1;' },
      { file: 'x.md', line: 11, code: 'const b = 2;\n  const c = 3;', fixture: 'stack' },
      { file: 'x.md', line: 16, code: '...', fragmentReason: 'shows one prop' },
    ]);
  });
});

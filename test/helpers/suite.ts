/**
 * One jest test file per top-level test folder. The tests of a folder are written in `*.spec.ts` files, one
 * concern each (nested folders too: `test/aws/models/*.spec.ts`); the folder's `<name>.test.ts` is the only
 * file jest runs, and it runs every spec below it with `specsOf(__dirname)`.
 *
 * Why: jest gives every test file its own module registry, so each file loads cdktf, the provider bindings
 * or aws-cdk-lib afresh (about 0.25 s per file on the 2-core machines for cdktf, about 1 s for aws-cdk-lib;
 * for 160 of the 190 files more than their tests take). The specs of one folder share one registry, so a
 * folder pays that once (docs/testing.md, BENCHMARKS.md).
 *
 * Each spec runs inside a `describe` named after its path below the folder: the hooks it declares at its
 * top level (`beforeAll`, `afterEach`, ...) apply to its own tests only, and
 * `npx jest test/policy -t tls-minimum` runs one spec's tests. `npm run spec -- <file.spec.ts>` runs a spec
 * as a test file of its own.
 */
import { readdirSync } from 'node:fs';
import { join, sep } from 'node:path';

/** The `*.spec.ts` files below `dir`, as paths relative to it (`models/guardrail.spec.ts`), sorted. */
export function specFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.spec.ts'))
    .map((path) => path.split(sep).join('/'))
    .sort();
}

/** Registers every spec below `dir` (the calling test file's `__dirname`), each in a `describe` of its path. */
export function specsOf(dir: string): void {
  const specs = specFiles(dir);
  if (specs.length === 0) throw new Error(`${dir} has no *.spec.ts file to run`);
  for (const spec of specs) {
    describe(spec, () => {
      // Loaded through jest's module registry (transformed like any test file), while the describe
      // collects: what the spec declares belongs to this block. A spec that throws while it loads fails
      // as one test of its own; the folder's other specs still run.
      try {
        require(join(dir, spec));
      } catch (error) {
        test('loads', () => {
          throw error;
        });
      }
    });
  }
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { typeScriptBlocks } from '../docs/code-blocks';

const REPO = join(__dirname, '..', '..');

test("the README's consumer stack is examples/package-consumer/main.ts as written (which test:package runs)", () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const consumer = readFileSync(join(REPO, 'examples/package-consumer/main.ts'), 'utf8');
  const blocks = typeScriptBlocks('README.md', readme).filter((b) =>
    b.code.includes("from 'llmops-platform/constructs/policy'"),
  );
  expect(blocks.map((b) => b.code.trimEnd())).toEqual([consumer.trimEnd()]);
});

test("docs/aws.md's consumer stack is examples/package-consumer/aws.ts as written (which test:package runs)", () => {
  const doc = readFileSync(join(REPO, 'docs/aws.md'), 'utf8');
  const consumer = readFileSync(join(REPO, 'examples/package-consumer/aws.ts'), 'utf8');
  const blocks = typeScriptBlocks('docs/aws.md', doc).filter((b) =>
    b.code.includes("from 'llmops-platform/constructs/aws/policy'"),
  );
  expect(blocks.map((b) => b.code.trimEnd())).toEqual([consumer.trimEnd()]);
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UsageError } from '../../lib/cli/exit';
import { compareSynthOutputs, synthCompareMain } from '../../lib/synth-compare/compare';

function synthDir(stacks: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-compare-'));
  for (const [name, body] of Object.entries(stacks)) {
    fs.mkdirSync(path.join(dir, 'stacks', name), { recursive: true });
    fs.writeFileSync(path.join(dir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(body));
  }
  return dir;
}

const stack = (metadata: string, sku: string) => ({
  '//': { metadata: { version: metadata } },
  resource: { azurerm_search_service: { search: { '//': { path: metadata }, sku } } },
});

describe('synth:compare', () => {
  test('metadata-only differences are unchanged (exit 0)', () => {
    const base = synthDir({ dev: stack('0.20', 'basic') });
    const head = synthDir({ dev: stack('0.21', 'basic') });
    const out: string[] = [];
    expect(compareSynthOutputs(base, head)).toEqual([]);
    expect(synthCompareMain(['--base', base, '--head', head], (t) => out.push(t))).toBe(0);
  });

  test('a changed argument, a missing and an extra stack are each reported (exit 1)', () => {
    const base = synthDir({ dev: stack('x', 'basic'), prod: stack('x', 'standard') });
    const head = synthDir({ dev: stack('x', 'standard'), staging: stack('x', 'basic') });
    const out: string[] = [];
    expect(synthCompareMain(['--base', base, '--head', head], (t) => out.push(t))).toBe(1);
    expect(out).toEqual([
      'changed: dev: line 5: base "        \\"sku\\": \\"basic\\"", head "        \\"sku\\": \\"standard\\""\n',
      'changed: prod: missing in head\n',
      'changed: staging: missing in base\n',
    ]);
  });

  test('a directory without stacks/ or a missing flag is a usage error (exit 2)', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-compare-'));
    expect(() => compareSynthOutputs(empty, empty)).toThrow(UsageError);
    expect(() => synthCompareMain(['--base', empty])).toThrow('missing --head');
  });
});

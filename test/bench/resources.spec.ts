import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countResources } from '../../lib/bench/resources';

test('countResources counts the resources of every stack, stacks sorted, a stack without resources as 0', () => {
  // GIVEN a synth output with two stacks written out of order
  const out = mkdtempSync(join(tmpdir(), 'bench-resources-'));
  try {
    const stacks = {
      prod: { resource: { azurerm_resource_group: { a: {}, b: {} }, azurerm_key_vault: { kv: {} } } },
      dev: { output: {} },
    };
    for (const [name, body] of Object.entries(stacks)) {
      mkdirSync(join(out, 'stacks', name), { recursive: true });
      writeFileSync(join(out, 'stacks', name, 'cdk.tf.json'), JSON.stringify(body));
    }
    // WHEN counted THEN
    const counts = countResources(out);
    expect(Object.entries(counts)).toEqual([
      ['dev', 0],
      ['prod', 3],
    ]);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Resources per stack in a synth output directory (`<outdir>/stacks/<stack>/cdk.tf.json`), stacks sorted. */
export function countResources(outdir: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const stack of readdirSync(join(outdir, 'stacks')).sort()) {
    const json = JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as {
      resource?: Record<string, Record<string, unknown>>;
    };
    counts[stack] = Object.values(json.resource ?? {}).reduce(
      (n, byName) => n + Object.keys(byName).length,
      0,
    );
  }
  return counts;
}

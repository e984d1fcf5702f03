import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

/**
 * Writes `<dir>/environments-<n>.yaml`: the `defaults` of the config file `source` and `n` environments
 * named `env00`, `env01`, ..., cycling through the shapes of its environments. Each private environment
 * gets its own /16 (`10.<100 + i>.0.0/16`) so no two share address space. Returns the file's path.
 */
export function generatedConfig(n: number, dir: string, source: string): string {
  const file = join(dir, `environments-${n}.yaml`);
  const parsed = parse(readFileSync(source, 'utf8')) as {
    defaults?: unknown;
    environments: Record<string, unknown>;
  };
  const shapes = Object.values(parsed.environments);
  const environments: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    const shape = structuredClone(shapes[i % shapes.length]) as {
      network?: { azure?: Record<string, unknown> };
    };
    if (shape.network?.azure) {
      const net = `10.${100 + i}`;
      shape.network.azure.addressSpace = `${net}.0.0/16`;
      shape.network.azure.subnets = {
        privateEndpoints: `${net}.1.0/24`,
        apim: `${net}.2.0/24`,
        agents: `${net}.3.0/24`,
      };
    }
    environments[`env${String(i).padStart(2, '0')}`] = shape;
  }
  writeFileSync(file, stringify({ defaults: parsed.defaults, environments }));
  return file;
}

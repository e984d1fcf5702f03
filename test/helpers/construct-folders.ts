import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The construct folders under `constructs/`, each an entry point of the package: a folder with modules of
 * its own (`gateway`), or, for a folder that only groups others (`aws`), each of its subfolders
 * (`aws/gateway`). Sorted.
 */
export function constructFolders(repo: string): string[] {
  const root = join(repo, 'constructs');
  const visit = (relative: string): string[] => {
    const entries = readdirSync(join(root, relative), { withFileTypes: true });
    if (entries.some((e) => e.isFile() && e.name.endsWith('.ts'))) return [relative];
    return entries
      .filter((e) => e.isDirectory())
      .flatMap((e) => visit(relative ? `${relative}/${e.name}` : e.name));
  };
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => visit(e.name))
    .sort();
}

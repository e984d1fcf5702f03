/**
 * `npm run schema`: writes the files generated from the config schema and the profile defaults:
 * `config/environments.schema.json` (from the zod schema) and the profile table in `README.md` (from
 * `lib/config/profile-defaults.ts`). `--check` exits 1 when a committed file is stale.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { CheckFailedError, ExitCode, parseFlags, runMain } from '../lib/cli/exit';
import { configJsonSchemaText } from '../lib/config/json-schema';
import { README_FILE, withProfileTable } from '../lib/config/profile-table';

const SCHEMA_FILE = 'config/environments.schema.json';

runMain((argv) => {
  const { switches } = parseFlags(argv, { values: [], switches: ['check'] });
  const readme = readFileSync(README_FILE, 'utf8');
  const generated: [file: string, current: string | undefined, text: string][] = [
    [
      SCHEMA_FILE,
      existsSync(SCHEMA_FILE) ? readFileSync(SCHEMA_FILE, 'utf8') : undefined,
      configJsonSchemaText(),
    ],
    [README_FILE, readme, withProfileTable(readme)],
  ];
  if (switches.check) {
    const stale = generated.filter(([, current, text]) => current !== text).map(([file]) => file);
    if (stale.length > 0) {
      throw new CheckFailedError(
        `${stale.join(' and ')} ${stale.length > 1 ? 'are' : 'is'} stale: run npm run schema and commit the result`,
      );
    }
    return ExitCode.Success;
  }
  for (const [file, current, text] of generated) {
    if (current === text) continue;
    writeFileSync(file, text);
    process.stdout.write(`wrote ${file}\n`);
  }
  return ExitCode.Success;
});

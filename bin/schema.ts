/**
 * `npm run schema`: writes `config/environments.schema.json` from the zod schema.
 * `--check` exits 1 when the committed file is stale.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { CheckFailedError, ExitCode, parseFlags, runMain } from '../lib/cli/exit';
import { configJsonSchemaText } from '../lib/config/json-schema';

const FILE = 'config/environments.schema.json';

runMain((argv) => {
  const { switches } = parseFlags(argv, { values: [], switches: ['check'] });
  const text = configJsonSchemaText();
  if (switches.check) {
    if (!existsSync(FILE) || readFileSync(FILE, 'utf8') !== text) {
      throw new CheckFailedError(`${FILE} is stale: run npm run schema and commit the result`);
    }
    return ExitCode.Success;
  }
  writeFileSync(FILE, text);
  process.stdout.write(`wrote ${FILE}\n`);
  return ExitCode.Success;
});

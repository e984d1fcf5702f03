import { z } from 'zod';
import { configFileSchema, environmentNameSchema, environmentSchema } from './schema';

/**
 * The JSON Schema of the environment config file, generated from the zod schema, for editor completion
 * (`# yaml-language-server: $schema=./environments.schema.json`). Committed as
 * `config/environments.schema.json`; a test fails when it is stale (`npm run schema` regenerates it).
 */
export function configJsonSchema(): Record<string, unknown> {
  // Required keys may come from `defaults`, so an environment entry on its own is partial too; the
  // loader checks the merged result. One object for both places, so the JSON Schema holds it once.
  const partialEnvironment = environmentSchema.partial();
  const fileSchema = z
    .strictObject({
      $schema: z.string().optional(),
      defaults: partialEnvironment.optional().describe('Deep-merged under every environment.'),
      environments: z.record(environmentNameSchema, partialEnvironment),
    })
    .describe(configFileSchema.description ?? '');
  return z.toJSONSchema(fileSchema, {
    target: 'draft-2020-12',
    unrepresentable: 'any',
    reused: 'ref',
  }) as Record<string, unknown>;
}

/** The committed file's text: 2-space JSON with a trailing newline. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}

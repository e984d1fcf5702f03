import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import { configJsonSchema, configJsonSchemaText } from '../../lib/config/json-schema';

const REPO = join(__dirname, '../..');

describe('config/environments.schema.json', () => {
  test('is up to date with the zod schema (run `npm run schema` when this fails)', () => {
    // GIVEN the committed file WHEN the schema is generated again THEN nothing differs
    expect(readFileSync(join(REPO, 'config/environments.schema.json'), 'utf8')).toBe(configJsonSchemaText());
  });

  test('accepts the default config file, so editors show no false errors', () => {
    // GIVEN the JSON Schema an editor uses
    const validate = new Ajv2020({ allErrors: true, strict: false, validateFormats: false }).compile(
      configJsonSchema(),
    );
    // WHEN the shipped config is checked against it
    const ok = validate(parse(readFileSync(join(REPO, 'config/environments.yaml'), 'utf8')));
    // THEN it passes
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  test('rejects what the loader rejects: an unknown key and a region that does not exist', () => {
    const validate = new Ajv2020({ allErrors: true, strict: false, validateFormats: false }).compile(
      configJsonSchema(),
    );
    const bad = {
      environments: {
        prod: { location: 'mars', workload: 'llmops', namingSeed: 'x', tags: { owner: 'me' }, foo: 1 },
      },
    };
    expect(validate(bad)).toBe(false);
    const messages = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        '/environments/prod/location must be equal to one of the allowed values',
        '/environments/prod must NOT have additional properties',
      ]),
    );
  });

  test('documents the sections with descriptions for editor completion', () => {
    const text = configJsonSchemaText();
    expect(text).toContain('Picks the defaults: development (cheap, public) or production');
    expect(text).toContain('Pinned model version');
  });
});

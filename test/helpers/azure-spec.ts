/**
 * Validates azapi request bodies against the Azure REST JSON Schemas vendored in `spec/azure/`, and
 * checks the search-index rules JSON Schema cannot express (see `spec/azure/README.md`).
 *
 * Strings containing `${` are Terraform references unknown at synth time; they satisfy every constraint.
 * This is done honestly rather than by filtering messages: every subschema that describes a value
 * (property values, array items, additional properties) is wrapped as
 * `anyOf: [<unresolved reference>, <original>]`, so a reference passes exactly where a value goes and
 * every other error is the one the original schema gives. Discriminator tests (`if`) are left as they
 * are and `else` is guarded, so an unresolved discriminator selects no branch. Keywords the vendored
 * schemas do not use (`propertyNames`, `dependentSchemas`, `unevaluated*`) are not wrapped.
 */

import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';

const SPEC_DIR = path.join(__dirname, '../../spec/azure');
const UNRESOLVED_KEYWORD = 'x-unresolved-reference';

type Schema = Record<string, unknown>;

function isToken(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}

function isSchemaObject(value: unknown): value is Schema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Wraps a value-describing subschema so an unresolved reference satisfies it. */
function wrap(schema: unknown): unknown {
  if (!isSchemaObject(schema)) return schema; // boolean schemas (`additionalProperties: false`)
  return { anyOf: [{ [UNRESOLVED_KEYWORD]: true }, transform(schema)] };
}

/** Recursively wraps every value position inside a schema object (not the object itself). */
function transform(schema: Schema): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    switch (key) {
      case 'properties':
      case 'patternProperties':
      case '$defs':
        out[key] = Object.fromEntries(
          Object.entries(value as Schema).map(([k, v]) => [k, key === '$defs' ? transformAny(v) : wrap(v)]),
        );
        break;
      case 'items':
      case 'additionalProperties':
      case 'contains':
        out[key] = wrap(value);
        break;
      case 'prefixItems':
        out[key] = (value as unknown[]).map(wrap);
        break;
      case 'allOf':
      case 'anyOf':
      case 'oneOf':
        out[key] = (value as unknown[]).map(transformAny);
        break;
      case 'else':
        // `else` applies only when the condition fails even with unresolved references accepted: an
        // unresolved discriminator selects neither branch.
        out[key] =
          'if' in schema ? { if: transformAny(schema.if), else: transformAny(value) } : transformAny(value);
        break;
      case 'then':
      case 'not':
        out[key] = transformAny(value);
        break;
      default:
        // `if` stays as it is: an unresolved discriminator must not select a branch.
        out[key] = value;
    }
  }
  return out;
}

function transformAny(schema: unknown): unknown {
  return isSchemaObject(schema) ? transform(schema) : schema;
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
ajv.addKeyword({
  keyword: UNRESOLVED_KEYWORD,
  schemaType: 'boolean',
  validate: (_schema: boolean, data: unknown) => isToken(data),
  errors: false,
});

const validators = new Map<string, ValidateFunction>();

/** File name of the vendored schema for an azapi type, e.g. `Microsoft.Search-searchServices-indexes@2024-07-01.schema.json`. */
export function azureSpecFileName(typeAtVersion: string): string {
  return `${typeAtVersion.replace(/\//g, '-')}.schema.json`;
}

function validatorFor(typeAtVersion: string): ValidateFunction {
  const cached = validators.get(typeAtVersion);
  if (cached) return cached;
  if (!/^[^@]+@[^@]+$/.test(typeAtVersion)) {
    throw new Error(`azapi type ${JSON.stringify(typeAtVersion)} must be "<resource type>@<api-version>"`);
  }
  const file = path.join(SPEC_DIR, azureSpecFileName(typeAtVersion));
  if (!existsSync(file)) {
    throw new Error(
      `no vendored schema for ${typeAtVersion} (spec/azure/${azureSpecFileName(typeAtVersion)}): it has not been checked, which is not the same as valid`,
    );
  }
  const schema = transform(JSON.parse(readFileSync(file, 'utf8')) as Schema);
  const validate = ajv.compile(schema);
  validators.set(typeAtVersion, validate);
  return validate;
}

/** Errors produced by the wrappers themselves: the failed reference branch and the wrapper `anyOf`. */
function isWrapperError(error: ErrorObject, all: readonly ErrorObject[]): boolean {
  if (error.keyword === UNRESOLVED_KEYWORD) return true;
  if (error.keyword !== 'anyOf') return false;
  const branch = `${error.schemaPath}/0/${UNRESOLVED_KEYWORD}`;
  return all.some((e) => e.instancePath === error.instancePath && e.schemaPath === branch);
}

const COMPOSITE = new Set(['anyOf', 'oneOf', 'if', 'not']);

function isUnder(child: string, parent: string): boolean {
  return child === parent || child.startsWith(`${parent}/`);
}

/**
 * Drops errors that only restate a more precise one: a failed `anyOf`/`oneOf`/`if` when a concrete error
 * sits at or below it, and the `must be null` of a nullable alternative when another error sits at or
 * below it.
 */
function dropEchoes(errors: readonly ErrorObject[]): ErrorObject[] {
  const concrete = errors.filter((e) => !COMPOSITE.has(e.keyword));
  return errors.filter((e) => {
    if (COMPOSITE.has(e.keyword)) return !concrete.some((c) => isUnder(c.instancePath, e.instancePath));
    if (e.keyword === 'type' && e.params.type === 'null') {
      return !concrete.some((c) => c !== e && isUnder(c.instancePath, e.instancePath));
    }
    return true;
  });
}

function readable(error: ErrorObject): string {
  const where = error.instancePath || '/';
  let message = error.message ?? error.keyword;
  if (error.keyword === 'additionalProperties')
    message += ` (${JSON.stringify(error.params.additionalProperty)})`;
  if (error.keyword === 'if' && error.params.failingKeyword)
    message = `must match "${error.params.failingKeyword}" schema`;
  return `${where}: ${message}`;
}

/**
 * Validates an azapi `body` against `spec/azure/<type with / replaced by ->@<version>.schema.json` and
 * returns readable errors, e.g. `/fields/3/type: must be equal to one of the allowed values`; an empty
 * array means valid. Unresolved references (strings containing `${`) satisfy every constraint.
 * Compiled validators are cached per type.
 *
 * @param typeAtVersion the azapi `type`, e.g. `Microsoft.Search/searchServices/indexes@2024-07-01`
 * @throws when no schema is vendored for the type: unchecked is not valid
 */
export function validateAgainstAzureSpec(typeAtVersion: string, body: unknown): string[] {
  const validate = validatorFor(typeAtVersion);
  if (validate(body)) return [];
  const errors = (validate.errors ?? []).filter((e, _i, all) => !isWrapperError(e, all));
  return [...new Set(dropEchoes(errors).map(readable))];
}

// ---------------------------------------------------------------------------------------------------------
// Search index rules JSON Schema cannot express
// ---------------------------------------------------------------------------------------------------------

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function asObject(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function namesOf(items: unknown): Set<unknown> {
  return new Set(asArray(items).map((item) => asObject(item).name));
}

/**
 * Checks a search index body (api-version 2024-07-01) for the service rules listed in
 * `spec/azure/README.md` that JSON Schema cannot express, independently of the construct's own
 * validation: exactly one top-level `key: true` field, of type `Edm.String` (and no key sub-field); every
 * field's `vectorSearchProfile` names a profile; every profile's `algorithm`, `vectorizer` and
 * `compression` name defined entries; semantic `fieldName`s name top-level fields; `defaultConfiguration`
 * names a configuration. Unresolved references are not checked. Returns readable problems, `[]` if none.
 */
export function searchIndexSemanticProblems(body: unknown): string[] {
  const problems: string[] = [];
  const index = asObject(body);
  const fields = asArray(index.fields).map(asObject);
  const vectorSearch = asObject(index.vectorSearch);
  const profiles = namesOf(vectorSearch.profiles);
  const algorithms = namesOf(vectorSearch.algorithms);
  const vectorizers = namesOf(vectorSearch.vectorizers);
  const compressions = namesOf(vectorSearch.compressions);

  const keys = fields.map((f, i) => [f, i] as const).filter(([f]) => f.key === true);
  if (keys.length !== 1) {
    problems.push(`/fields: exactly one top-level field must have key: true, found ${keys.length}`);
  }
  for (const [field, i] of keys) {
    if (field.type !== 'Edm.String' && !isToken(field.type)) {
      problems.push(`/fields/${i}/type: the key field must be Edm.String, got ${JSON.stringify(field.type)}`);
    }
  }

  const walk = (list: Record<string, unknown>[], at: string, topLevel: boolean): void => {
    list.forEach((field, i) => {
      const here = `${at}/${i}`;
      if (!topLevel && field.key === true)
        problems.push(`${here}/key: only a top-level field can be the key`);
      const profile = field.vectorSearchProfile;
      if (profile !== undefined && profile !== null && !isToken(profile) && !profiles.has(profile)) {
        problems.push(
          `${here}/vectorSearchProfile: profile ${JSON.stringify(profile)} is not defined in vectorSearch.profiles`,
        );
      }
      walk(asArray(field.fields).map(asObject), `${here}/fields`, false);
    });
  };
  walk(fields, '/fields', true);

  asArray(vectorSearch.profiles)
    .map(asObject)
    .forEach((profile, i) => {
      const refs: [string, Set<unknown>, string][] = [
        ['algorithm', algorithms, 'algorithms'],
        ['vectorizer', vectorizers, 'vectorizers'],
        ['compression', compressions, 'compressions'],
      ];
      for (const [prop, defined, section] of refs) {
        const ref = profile[prop];
        if (ref === undefined || ref === null || isToken(ref)) continue;
        if (!defined.has(ref)) {
          problems.push(
            `/vectorSearch/profiles/${i}/${prop}: ${JSON.stringify(ref)} is not defined in vectorSearch.${section}`,
          );
        }
      }
    });

  const semantic = asObject(index.semantic);
  const fieldNames = new Set(fields.map((f) => f.name));
  const configurations = asArray(semantic.configurations).map(asObject);
  configurations.forEach((config, i) => {
    const prioritized = asObject(config.prioritizedFields);
    const refs: [string, unknown][] = [];
    if (prioritized.titleField !== undefined && prioritized.titleField !== null) {
      refs.push(['titleField', asObject(prioritized.titleField).fieldName]);
    }
    for (const list of ['prioritizedContentFields', 'prioritizedKeywordsFields']) {
      asArray(prioritized[list]).forEach((f, j) => {
        refs.push([`${list}/${j}`, asObject(f).fieldName]);
      });
    }
    for (const [where, fieldName] of refs) {
      if (isToken(fieldName) || fieldNames.has(fieldName)) continue;
      problems.push(
        `/semantic/configurations/${i}/prioritizedFields/${where}: ${JSON.stringify(fieldName)} is not a top-level field`,
      );
    }
  });
  const defaultConfiguration = semantic.defaultConfiguration;
  if (defaultConfiguration !== undefined && defaultConfiguration !== null && !isToken(defaultConfiguration)) {
    if (!configurations.some((c) => c.name === defaultConfiguration)) {
      problems.push(
        `/semantic/defaultConfiguration: ${JSON.stringify(defaultConfiguration)} is not a configuration`,
      );
    }
  }
  return problems;
}

/**
 * Validation of an index definition against the Azure AI Search naming rules and limits, reporting every
 * problem at once.
 *
 * @see https://learn.microsoft.com/rest/api/searchservice/naming-rules
 */

import { type Problem, Problems, show } from '../../core/errors';
import {
  type AzureOpenAIVectorizerDefinition,
  EMBEDDING_MODEL_DIMENSIONS,
  MAX_VECTOR_DIMENSIONS,
  MIN_VECTOR_DIMENSIONS,
  SCALAR_FIELD_TYPES,
  type SearchFieldDefinition,
  type SearchIndexDefinition,
  VECTOR_ELEMENT_TYPES,
  type VectorSearchMetric,
} from './definition';
import { isCollectionEdmType, isComplexEdmType, isStringEdmType, isVectorEdmType, toEdmType } from './edm';

/** Whether a value is an unresolved Terraform/cdktf reference (a string containing `${`), unknown until apply. */
export function isUnresolved(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}

const HNSW_RANGES = { m: [4, 10], efConstruction: [100, 1000], efSearch: [100, 1000] } as const;
const METRICS: readonly VectorSearchMetric[] = ['cosine', 'euclidean', 'dotProduct', 'hamming'];

/** Options of {@link validateIndexDefinition}. */
export interface ValidateIndexOptions {
  /**
   * Output size of the embedding deployment that fills the index; every vector field must match it.
   * @default not checked (vector fields are still checked against their vectorizer's dimensions)
   */
  readonly embeddingDimensions?: number;
  /**
   * Prefix for problem paths, e.g. `search.indexes.docs`.
   * @default '' - paths start at the definition
   */
  readonly path?: string;
}

const INDEX_NAME = /^[a-z0-9](?:[a-z0-9-]{0,126}[a-z0-9])$/;
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,127}$/;
const FRIENDLY_TYPES = [
  ...Object.keys(SCALAR_FIELD_TYPES),
  ...[...Object.keys(SCALAR_FIELD_TYPES), ...Object.keys(VECTOR_ELEMENT_TYPES)].map(
    (t) => `collection(${t})`,
  ),
];

function checkIndexName(name: unknown, problems: Problems): void {
  if (isUnresolved(name)) return;
  if (typeof name !== 'string' || !INDEX_NAME.test(name) || name.includes('--')) {
    problems.add(
      'name',
      `index name ${show(name)} is not allowed: use 2-128 lowercase letters, digits and dashes, starting and ending with a letter or digit, without "--"`,
    );
  }
}

function checkFieldName(name: unknown, path: string, problems: Problems): void {
  if (isUnresolved(name)) return;
  if (typeof name !== 'string' || !FIELD_NAME.test(name)) {
    problems.add(
      `${path}.name`,
      `field name ${show(name)} is not allowed: use 1-128 letters, digits and underscores, starting with a letter`,
    );
  } else if (name.toLowerCase().startsWith('azuresearch')) {
    problems.add(
      `${path}.name`,
      `field name ${show(name)} is not allowed: names starting with "azureSearch" are reserved`,
    );
  }
}

function checkDimensions(value: unknown, path: string, what: string, problems: Problems): boolean {
  return problems.check(
    typeof value === 'number' &&
      Number.isInteger(value) &&
      value >= MIN_VECTOR_DIMENSIONS &&
      value <= MAX_VECTOR_DIMENSIONS,
    path,
    `${what} ${show(value)} must be an integer from ${MIN_VECTOR_DIMENSIONS} to ${MAX_VECTOR_DIMENSIONS}`,
  );
}

interface ValidationContext {
  readonly def: SearchIndexDefinition;
  readonly problems: Problems;
  readonly options: ValidateIndexOptions;
}

function checkVectorField(
  field: SearchFieldDefinition,
  path: string,
  edm: string,
  ctx: ValidationContext,
): void {
  const { problems, def, options } = ctx;
  const label = `vector field ${show(field.name)}`;
  if (!field.vector) {
    problems.add(`${path}.vector`, `${label} has type ${edm} but no vector: { dimensions, profile }`);
    return;
  }
  problems.check(field.searchable !== false, `${path}.searchable`, `${label} must be searchable, got false`);
  for (const attr of ['filterable', 'sortable', 'facetable', 'key'] as const) {
    problems.check(field[attr] !== true, `${path}.${attr}`, `${label} cannot be ${attr}`);
  }
  problems.check(field.analyzer === undefined, `${path}.analyzer`, `${label} cannot have an analyzer`);

  const { dimensions, profile } = field.vector;
  if (checkDimensions(dimensions, `${path}.vector.dimensions`, `${label}: dimensions`, problems)) {
    if (options.embeddingDimensions !== undefined) {
      problems.check(
        dimensions === options.embeddingDimensions,
        `${path}.vector.dimensions`,
        `${label}: dimensions ${dimensions} must equal the embedding deployment's ${options.embeddingDimensions}`,
      );
    }
  }
  if (isUnresolved(profile)) return;
  const profiles = def.vectorSearch?.profiles ?? {};
  const profileDef = Object.hasOwn(profiles, profile) ? profiles[profile] : undefined;
  if (!profileDef) {
    problems.add(
      `${path}.vector.profile`,
      `${label}: profile ${show(profile)} is not defined; vectorSearch.profiles has ${listNames(profiles)}`,
    );
    return;
  }
  const vectorizers = def.vectorSearch?.vectorizers ?? {};
  const vectorizer =
    profileDef.vectorizer !== undefined && Object.hasOwn(vectorizers, profileDef.vectorizer)
      ? vectorizers[profileDef.vectorizer]
      : undefined;
  if (vectorizer && typeof dimensions === 'number' && typeof vectorizer.dimensions === 'number') {
    problems.check(
      dimensions === vectorizer.dimensions,
      `${path}.vector.dimensions`,
      `${label}: dimensions ${dimensions} must equal the ${vectorizer.dimensions} dimensions of vectorizer ${show(profileDef.vectorizer)} (profile ${show(profile)})`,
    );
  }
}

function checkSimpleField(field: SearchFieldDefinition, path: string, edm: string, problems: Problems): void {
  const label = `field ${show(field.name)} (${edm})`;
  if (field.vector) {
    problems.add(
      `${path}.vector`,
      `${label}: only vector types (collection(single), collection(half), collection(int16), collection(sbyte), collection(byte)) take vector options`,
    );
  }
  problems.check(
    field.searchable !== true || isStringEdmType(edm),
    `${path}.searchable`,
    `${label} cannot be searchable: only string and vector fields are`,
  );
  problems.check(
    field.sortable !== true || !isCollectionEdmType(edm),
    `${path}.sortable`,
    `${label} cannot be sortable: collections are not`,
  );
  problems.check(
    field.facetable !== true || !edm.includes('Edm.GeographyPoint'),
    `${path}.facetable`,
    `${label} cannot be facetable: geography points are not`,
  );
  if (field.analyzer !== undefined) {
    problems.check(
      isStringEdmType(edm) && field.searchable === true,
      `${path}.analyzer`,
      `${label}: analyzer ${show(field.analyzer)} applies only to searchable string fields`,
    );
  }
}

function checkFields(
  fields: readonly SearchFieldDefinition[] | undefined,
  basePath: string,
  topLevel: boolean,
  ctx: ValidationContext,
): void {
  const { problems } = ctx;
  if (!Array.isArray(fields) || fields.length === 0) {
    problems.add(
      basePath,
      topLevel ? 'an index needs at least one field' : 'a complex field needs at least one sub-field',
    );
    return;
  }
  const seen = new Map<string, number>();
  fields.forEach((field, i) => {
    const path = `${basePath}[${i}]`;
    checkFieldName(field.name, path, problems);
    if (typeof field.name === 'string' && !isUnresolved(field.name)) {
      const first = seen.get(field.name);
      if (first !== undefined) {
        problems.add(
          `${path}.name`,
          `field name ${show(field.name)} is already used by ${basePath}[${first}]`,
        );
      } else {
        seen.set(field.name, i);
      }
    }
    const edm = typeof field.type === 'string' ? toEdmType(field.type) : undefined;
    if (!edm) {
      problems.add(
        `${path}.type`,
        `field ${show(field.name)}: type ${show(field.type)} is not a field type; use one of ${FRIENDLY_TYPES.join(', ')} (or the Edm.* / Collection(Edm.*) names)`,
      );
      return;
    }
    if (field.key === true) {
      if (!topLevel) {
        problems.add(
          `${path}.key`,
          `field ${show(field.name)}: the key must be a top-level field, not a sub-field`,
        );
      } else {
        problems.check(
          edm === 'Edm.String',
          `${path}.type`,
          `key field ${show(field.name)} must be of type string (Edm.String), got ${edm}`,
        );
        problems.check(
          field.retrievable !== false,
          `${path}.retrievable`,
          `key field ${show(field.name)} must be retrievable, got false`,
        );
      }
    }
    if (isComplexEdmType(edm)) {
      for (const attr of [
        'key',
        'searchable',
        'filterable',
        'sortable',
        'facetable',
        'retrievable',
        'analyzer',
        'vector',
      ] as const) {
        problems.check(
          field[attr] === undefined,
          `${path}.${attr}`,
          `complex field ${show(field.name)} cannot set ${attr}: attributes go on its sub-fields`,
        );
      }
      checkFields(field.fields, `${path}.fields`, false, ctx);
      return;
    }
    problems.check(
      field.fields === undefined,
      `${path}.fields`,
      `field ${show(field.name)} (${edm}) cannot have sub-fields: only complex fields do`,
    );
    if (isVectorEdmType(edm)) {
      if (!topLevel) {
        problems.add(
          `${path}.type`,
          `vector field ${show(field.name)} must be a top-level field in api-version 2024-07-01`,
        );
      }
      checkVectorField(field, path, edm, ctx);
    } else {
      checkSimpleField(field, path, edm, problems);
    }
  });
}

function checkKeyCount(def: SearchIndexDefinition, problems: Problems): void {
  if (!Array.isArray(def.fields)) return;
  const keys = def.fields.filter((f) => f.key === true).map((f) => f.name);
  problems.check(
    keys.length === 1,
    'fields',
    keys.length === 0
      ? 'an index needs exactly one key field (key: true, type string); found none'
      : `an index needs exactly one key field; found ${keys.length}: ${keys.map((k) => show(k)).join(', ')}`,
  );
}

function listNames(record: Readonly<Record<string, unknown>> | undefined): string {
  const names = Object.keys(record ?? {});
  return names.length === 0 ? 'none' : names.map((n) => show(n)).join(', ');
}

function checkIntRange(
  value: unknown,
  [min, max]: readonly [number, number],
  path: string,
  what: string,
  problems: Problems,
): void {
  if (value === undefined) return;
  problems.check(
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max,
    path,
    `${what} ${show(value)} must be an integer from ${min} to ${max}`,
  );
}

function checkVectorSearch(ctx: ValidationContext): void {
  const { def, problems } = ctx;
  const vs = def.vectorSearch;
  const hasVectorFields = (def.fields ?? []).some((f) => f.vector !== undefined);
  if (!vs) {
    problems.check(
      !hasVectorFields,
      'vectorSearch',
      'vector fields need a vectorSearch section with algorithms and profiles',
    );
    return;
  }
  for (const [name, algorithm] of Object.entries(vs.algorithms ?? {})) {
    const path = `vectorSearch.algorithms.${name}`;
    const kind = algorithm.kind ?? 'hnsw';
    if (
      !problems.check(
        kind === 'hnsw' || kind === 'exhaustiveKnn',
        `${path}.kind`,
        `algorithm kind ${show(kind)} must be "hnsw" or "exhaustiveKnn"`,
      )
    ) {
      continue;
    }
    if (algorithm.metric !== undefined) {
      problems.check(
        METRICS.includes(algorithm.metric),
        `${path}.metric`,
        `metric ${show(algorithm.metric)} must be one of ${METRICS.join(', ')}`,
      );
    }
    for (const param of ['m', 'efConstruction', 'efSearch'] as const) {
      if (kind === 'hnsw') {
        checkIntRange(algorithm[param], HNSW_RANGES[param], `${path}.${param}`, `HNSW ${param}`, problems);
      } else {
        problems.check(
          algorithm[param] === undefined,
          `${path}.${param}`,
          `${param} applies only to kind "hnsw", not "${kind}"`,
        );
      }
    }
  }
  for (const [name, profile] of Object.entries(vs.profiles ?? {})) {
    const path = `vectorSearch.profiles.${name}`;
    if (!isUnresolved(profile.algorithm)) {
      problems.check(
        Object.hasOwn(vs.algorithms ?? {}, profile.algorithm),
        `${path}.algorithm`,
        `profile ${show(name)}: algorithm ${show(profile.algorithm)} is not defined; vectorSearch.algorithms has ${listNames(vs.algorithms)}`,
      );
    }
    if (profile.vectorizer !== undefined && !isUnresolved(profile.vectorizer)) {
      problems.check(
        Object.hasOwn(vs.vectorizers ?? {}, profile.vectorizer),
        `${path}.vectorizer`,
        `profile ${show(name)}: vectorizer ${show(profile.vectorizer)} is not defined; vectorSearch.vectorizers has ${listNames(vs.vectorizers)}`,
      );
    }
  }
  for (const [name, vectorizer] of Object.entries(vs.vectorizers ?? {})) {
    checkVectorizer(name, vectorizer, `vectorSearch.vectorizers.${name}`, problems);
  }
}

function checkVectorizer(
  name: string,
  v: AzureOpenAIVectorizerDefinition,
  path: string,
  problems: Problems,
): void {
  const label = `vectorizer ${show(name)}`;
  if (!isUnresolved(v.endpoint)) {
    let ok = false;
    try {
      ok = typeof v.endpoint === 'string' && new URL(v.endpoint).protocol === 'https:';
    } catch {
      ok = false;
    }
    problems.check(
      ok,
      `${path}.endpoint`,
      `${label}: endpoint ${show(v.endpoint)} must be an https URL, e.g. https://<account>.openai.azure.com`,
    );
  }
  if (!isUnresolved(v.deploymentName)) {
    problems.check(
      typeof v.deploymentName === 'string' && v.deploymentName.length > 0,
      `${path}.deploymentName`,
      `${label}: deploymentName ${show(v.deploymentName)} must name the embedding deployment`,
    );
  }
  const model = Object.hasOwn(EMBEDDING_MODEL_DIMENSIONS, v.modelName)
    ? EMBEDDING_MODEL_DIMENSIONS[v.modelName]
    : undefined;
  if (!model) {
    problems.add(
      `${path}.modelName`,
      `${label}: modelName ${show(v.modelName)} must be one of ${Object.keys(EMBEDDING_MODEL_DIMENSIONS).join(', ')} (api-version 2024-07-01)`,
    );
  }
  if (checkDimensions(v.dimensions, `${path}.dimensions`, `${label}: dimensions`, problems) && model) {
    problems.check(
      model.fixed ? v.dimensions === model.max : v.dimensions <= model.max,
      `${path}.dimensions`,
      model.fixed
        ? `${label}: ${v.modelName} always returns ${model.max} dimensions, got ${v.dimensions}`
        : `${label}: ${v.modelName} returns at most ${model.max} dimensions, got ${v.dimensions}`,
    );
  }
}

function checkSemantic(ctx: ValidationContext): void {
  const { def, problems } = ctx;
  const semantic = def.semantic;
  if (!semantic) return;
  const topLevel = new Map<string, string | undefined>();
  for (const f of def.fields ?? [])
    topLevel.set(f.name, typeof f.type === 'string' ? toEdmType(f.type) : undefined);
  const configurations = semantic.configurations ?? {};
  for (const [name, config] of Object.entries(configurations)) {
    const path = `semantic.configurations.${name}`;
    const refs: [string, string][] = [];
    if (config.titleField !== undefined) refs.push([`${path}.titleField`, config.titleField]);
    (config.contentFields ?? []).forEach((f, i) => {
      refs.push([`${path}.contentFields[${i}]`, f]);
    });
    (config.keywordsFields ?? []).forEach((f, i) => {
      refs.push([`${path}.keywordsFields[${i}]`, f]);
    });
    problems.check(
      refs.length > 0,
      path,
      `semantic configuration ${show(name)} needs at least one of titleField, contentFields, keywordsFields`,
    );
    for (const [refPath, fieldName] of refs) {
      if (isUnresolved(fieldName)) continue;
      if (!topLevel.has(fieldName)) {
        problems.add(
          refPath,
          `semantic configuration ${show(name)}: field ${show(fieldName)} is not a top-level field of the index`,
        );
        continue;
      }
      const edm = topLevel.get(fieldName);
      if (edm) {
        problems.check(
          isStringEdmType(edm),
          refPath,
          `semantic configuration ${show(name)}: field ${show(fieldName)} is ${edm}; the semantic ranker reads only string fields`,
        );
      }
    }
  }
  if (semantic.defaultConfiguration !== undefined && !isUnresolved(semantic.defaultConfiguration)) {
    problems.check(
      Object.hasOwn(configurations, semantic.defaultConfiguration),
      'semantic.defaultConfiguration',
      `defaultConfiguration ${show(semantic.defaultConfiguration)} is not a configuration; semantic.configurations has ${listNames(configurations)}`,
    );
  }
}

/**
 * Checks an index definition against Azure's rules and returns every problem found, each with a path.
 *
 * Checked: the index name; field names (legal, unique per level, not `azureSearch*`); field types;
 * exactly one top-level key field, of type string and retrievable; attributes legal for the type
 * (searchable only on string/vector fields, no sortable collections, no facetable geography points,
 * analyzers only on searchable strings, none on complex fields); vector fields searchable and not
 * filterable/sortable/facetable, dimensions 2..3072 and equal to their vectorizer's and to
 * `embeddingDimensions`; every referenced profile, algorithm and vectorizer exists; HNSW parameters in
 * range; vectorizer endpoint, deployment, model and dimensions; semantic configurations name real
 * top-level string fields and `defaultConfiguration` names a configuration. Values that are unresolved
 * tokens (strings containing `${`) are not checked.
 *
 * @see https://learn.microsoft.com/rest/api/searchservice/naming-rules
 */
export function validateIndexDefinition(
  def: SearchIndexDefinition,
  opts: ValidateIndexOptions = {},
): Problem[] {
  const problems = new Problems(opts.path ?? '');
  const ctx: ValidationContext = { def, problems, options: opts };
  checkIndexName(def.name, problems);
  checkFields(def.fields, 'fields', true, ctx);
  checkKeyCount(def, problems);
  checkVectorSearch(ctx);
  checkSemantic(ctx);
  return [...problems.all];
}

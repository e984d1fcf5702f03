/**
 * From the `search` section of the environment config to typed index definitions, and the
 * environment-level checks of that section. The search capability (deploy) and the index schema lock
 * (synth check, `npm run index:lock`) build definitions with the same function, so what is locked is
 * exactly what is deployed.
 */

import {
  toOpenSearchIndex,
  withBedrockMetadataField,
  withoutVectorizers,
} from '../../constructs/aws/search/index-mappings';
import { type Problems, show } from '../../constructs/core/errors';
import { DEFAULT_VECTORIZER_NAME, defaultRagIndex } from '../../constructs/search/index-schema/default-index';
import {
  type AzureOpenAIVectorizerDefinition,
  EMBEDDING_MODEL_DIMENSIONS,
  type EmbeddingModelName,
  type SearchEncryptionKeyDefinition,
  type SearchFieldDefinition,
  type SearchFieldType,
  type SearchIndexDefinition,
  type VectorSearchDefinition,
} from '../../constructs/search/index-schema/definition';
import { validateIndexDefinition } from '../../constructs/search/index-schema/validation';
import { searchCapacityProblems } from '../../constructs/search/search-tiers';
import type { EnvironmentConfig } from '../config/environment';
import type { SearchFieldConfig, SearchIndexConfig } from '../config/sections/search';

/**
 * Where the vectorizers of the built definitions point. The capability passes the model endpoint's
 * Azure OpenAI endpoint and deployment names (references); config-only callers pass
 * {@link CONFIG_EMBEDDING_TARGET}.
 */
export interface EmbeddingTarget {
  /** The model account's Azure OpenAI endpoint (`resourceUri`). */
  readonly endpoint: string;
  /** The deployment name Azure knows for a key of `models.deployments`. */
  deploymentName(key: string): string;
}

/**
 * The target used when only the config is known (validation, the schema lock): the endpoint is an
 * unresolved reference, as it is at synth time; the lock records no vectorizer settings.
 */
export const CONFIG_EMBEDDING_TARGET: EmbeddingTarget = {
  endpoint: `\${models.openAiEndpoint}`,
  deploymentName: (key) => key,
};

/**
 * The encryption key of an environment's indexes when only the config is known (the schema lock): present
 * when `protection.customerManagedKeys` is on, with unresolved references, as at synth time.
 */
export function configEncryptionKey(
  env: Pick<EnvironmentConfig, 'protection' | 'cloud'>,
): SearchEncryptionKeyDefinition | undefined {
  // OpenSearch Serverless encrypts per collection (the AWS search capability gives the collection a key).
  return env.cloud === 'azure' && env.protection.customerManagedKeys
    ? {
        keyVaultUri: `\${keyVault.vaultUri}`,
        keyName: `\${encryptionKey.name}`,
        keyVersion: `\${encryptionKey.version}`,
        userAssignedIdentityId: `\${encryptionKey.identityId}`,
      }
    : undefined;
}

/** One index built from config. */
export interface ConfiguredIndex {
  /** The index name (its key in `search.indexes`). */
  readonly name: string;
  /** The key of `models.deployments` that fills the index. */
  readonly embeddingDeployment: string;
  /** Dimensions of that deployment. */
  readonly embeddingDimensions: number;
  /** The full definition. */
  readonly definition: SearchIndexDefinition;
}

type Models = EnvironmentConfig['models'];

function embeddingDeploymentOf(
  models: Models,
  index: SearchIndexConfig,
  path: string,
  problems: Problems,
): string | undefined {
  if (index.embeddingDeployment !== undefined) return index.embeddingDeployment;
  const embeddings = Object.entries(models.deployments)
    .filter(([, d]) => d.role === 'embedding')
    .map(([key]) => key);
  if (embeddings.length === 1) return embeddings[0];
  problems.add(
    `${path}.embeddingDeployment`,
    embeddings.length === 0
      ? 'the index needs an embedding deployment and models.deployments has none with role embedding: add one'
      : `models.deployments has several embedding deployments (${embeddings.map((e) => show(e)).join(', ')}): name one`,
  );
  return undefined;
}

function vectorizerFor(
  models: Models,
  cloud: EnvironmentConfig['cloud'],
  key: string,
  target: EmbeddingTarget,
  path: string,
  problems: Problems,
): AzureOpenAIVectorizerDefinition | undefined {
  const deployment = Object.hasOwn(models.deployments, key) ? models.deployments[key] : undefined;
  if (!deployment) {
    problems.add(
      path,
      `${show(key)} is not a key of models.deployments (declared: ${
        Object.keys(models.deployments)
          .map((d) => show(d))
          .join(', ') || 'none'
      })`,
    );
    return undefined;
  }
  const label = `models.deployments.${key}`;
  const ok = [
    problems.check(
      deployment.role === 'embedding',
      path,
      `${label} has role ${show(deployment.role)}; a vectorizer needs role "embedding"`,
    ),
    problems.check(
      deployment.dimensions !== undefined,
      path,
      `${label} declares no dimensions; set models.deployments.${key}.dimensions`,
    ),
    // AWS: OpenSearch Serverless has no integrated vectorizer (the Bedrock knowledge base embeds with the
    // deployment's model, checked by validateModels); the definition keeps the deployment for the lock.
    problems.check(
      cloud === 'aws' || Object.hasOwn(EMBEDDING_MODEL_DIMENSIONS, deployment.model),
      path,
      `${label} runs ${show(deployment.model)}; the AI Search azureOpenAI vectorizer (2024-07-01) accepts ${Object.keys(EMBEDDING_MODEL_DIMENSIONS).join(', ')}`,
    ),
  ].every(Boolean);
  if (!ok) return undefined;
  return {
    endpoint: target.endpoint,
    deploymentName: target.deploymentName(key),
    modelName: deployment.model as EmbeddingModelName,
    dimensions: deployment.dimensions!,
  };
}

function toField(field: SearchFieldConfig, dimensions: number): SearchFieldDefinition {
  const { vector, fields, type, ...rest } = field;
  return {
    ...rest,
    type: type as SearchFieldType,
    ...(vector ? { vector: { profile: vector.profile, dimensions: vector.dimensions ?? dimensions } } : {}),
    ...(fields ? { fields: fields.map((f) => toField(f, dimensions)) } : {}),
  };
}

function customDefinition(
  name: string,
  index: SearchIndexConfig,
  ctx: {
    models: Models;
    cloud: EnvironmentConfig['cloud'];
    target: EmbeddingTarget;
    path: string;
    problems: Problems;
    embedding: string;
    dimensions: number;
  },
): SearchIndexDefinition | undefined {
  const { path, problems } = ctx;
  if (!index.fields) {
    problems.add(
      path,
      'declare template: rag, or the index fields (with vectorSearch and semantic as needed)',
    );
    return undefined;
  }
  let vectorSearch: VectorSearchDefinition | undefined;
  if (index.vectorSearch) {
    const vectorizers: Record<string, AzureOpenAIVectorizerDefinition> = {};
    let ok = true;
    for (const [vName, v] of Object.entries(index.vectorSearch.vectorizers ?? {})) {
      const key = v.deployment ?? ctx.embedding;
      const resolved = vectorizerFor(
        ctx.models,
        ctx.cloud,
        key,
        ctx.target,
        `${path}.vectorSearch.vectorizers.${vName}.deployment`,
        problems,
      );
      if (resolved) vectorizers[vName] = resolved;
      else ok = false;
    }
    if (!ok) return undefined;
    vectorSearch = {
      algorithms: index.vectorSearch.algorithms,
      profiles: index.vectorSearch.profiles,
      vectorizers,
    };
  }
  return {
    name,
    fields: index.fields.map((f) => toField(f, ctx.dimensions)),
    ...(vectorSearch ? { vectorSearch } : {}),
    ...(index.semantic ? { semantic: index.semantic } : {}),
  };
}

/**
 * The index definitions of an environment, in config order: `{template: rag}` expands to the default RAG
 * index (vectorizer `embedding` on the index's embedding deployment), a full definition maps field by
 * field (vector dimensions default to the embedding deployment's, vectorizers name a deployment).
 *
 * Every problem is added to `problems` (paths relative to the environment, e.g.
 * `search.indexes.docs-v1.fields[2].type`); an index with problems is left out of the result.
 */
export function searchIndexDefinitions(
  env: Pick<EnvironmentConfig, 'search' | 'models' | 'cloud'>,
  target: EmbeddingTarget,
  problems: Problems,
  encryptionKey?: SearchEncryptionKeyDefinition,
): ConfiguredIndex[] {
  const result: ConfiguredIndex[] = [];
  for (const [name, index] of Object.entries(env.search.indexes)) {
    const path = `search.indexes.${name}`;
    const before = problems.all.length;
    const embedding = embeddingDeploymentOf(env.models, index, path, problems);
    if (embedding === undefined) continue;
    const vectorizer = vectorizerFor(
      env.models,
      env.cloud,
      embedding,
      target,
      `${path}.embeddingDeployment`,
      problems,
    );
    if (!vectorizer) continue;

    let definition: SearchIndexDefinition | undefined;
    if (index.template === 'rag') {
      for (const key of ['fields', 'vectorSearch', 'semantic'] as const) {
        problems.check(
          index[key] === undefined,
          `${path}.${key}`,
          `template "rag" defines the whole index; remove ${key}, or remove template to declare a full definition`,
        );
      }
      definition = defaultRagIndex(name, { name: DEFAULT_VECTORIZER_NAME, ...vectorizer });
    } else {
      definition = customDefinition(name, index, {
        models: env.models,
        cloud: env.cloud,
        target,
        path,
        problems,
        embedding,
        dimensions: vectorizer.dimensions,
      });
    }
    if (!definition) continue;
    // AWS: no integrated vectorizer (the knowledge base embeds), plus the field Bedrock writes metadata to.
    if (env.cloud === 'aws') definition = withBedrockMetadataField(withoutVectorizers(definition));
    if (encryptionKey) definition = { ...definition, encryptionKey };
    for (const p of validateIndexDefinition(definition, {
      path,
      embeddingDimensions: vectorizer.dimensions,
    })) {
      problems.add(p.path, p.message);
    }
    if (env.cloud === 'aws' && problems.all.length === before) {
      // what OpenSearch Serverless cannot do (exhaustive KNN, hamming, non-float vectors, ...) is bad input too
      for (const p of toOpenSearchIndex(definition, { path, embeddingDimensions: vectorizer.dimensions })
        .problems) {
        problems.add(p.path, p.message);
      }
    }
    if (problems.all.length > before) continue;
    result.push({
      name,
      embeddingDeployment: embedding,
      embeddingDimensions: vectorizer.dimensions,
      definition,
    });
  }
  return result;
}

/**
 * Cross-field checks of the `search` section: tier, replicas, partitions and semantic ranker against the
 * tier's limits (`search.azure.*`), and every index: its embedding deployment (exists, role embedding,
 * dimensions, a model the vectorizer accepts) and its definition (`validateIndexDefinition`).
 * Called by `validateEnvironment`; `problems` is prefixed `environments.<env>`.
 */
export function validateSearch(env: EnvironmentConfig, problems: Problems): void {
  const { sku, replicas, partitions, semanticRanker } = env.search;
  const azureProblems =
    env.cloud === 'azure'
      ? searchCapacityProblems({ sku, replicas, partitions, semanticRanker }, 'search.azure')
      : [];
  for (const p of azureProblems) problems.add(p.path, p.message);
  searchIndexDefinitions(env, CONFIG_EMBEDDING_TARGET, problems);
}

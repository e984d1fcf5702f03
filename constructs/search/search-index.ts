import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { AzapiDataPlaneResource, type JsonObject } from '../core/azapi';
import type { IModelEndpoint } from '../core/contracts';
import { type Problem, Problems, show } from '../core/errors';
import { applyProtection, type ProtectionProps } from '../core/props';
import { SEARCH_INDEX_AZAPI_TYPE, type SearchIndexBody, toIndexBody } from './index-schema/body';
import { DEFAULT_VECTORIZER_NAME, defaultRagIndex } from './index-schema/default-index';
import {
  type AzureOpenAIVectorizerDefinition,
  EMBEDDING_MODEL_DIMENSIONS,
  type EmbeddingModelName,
  type SearchIndexDefinition,
} from './index-schema/definition';
import { validateIndexDefinition } from './index-schema/validation';
import type { ISearchIndexRegistration, SearchService } from './search-service';

export { DEFAULT_VECTORIZER_NAME } from './index-schema/default-index';

/**
 * The `azureOpenAI` vectorizer settings for an embedding deployment of `models`: the account's Azure
 * OpenAI endpoint, the deployment name, its model and dimensions. Use it inside a custom definition's
 * `vectorSearch.vectorizers`.
 *
 * @throws ValidationError when the deployment does not exist, is not an embedding deployment, has no
 * dimensions, or runs a model the 2024-07-01 vectorizer does not accept.
 */
export function embeddingVectorizer(
  models: IModelEndpoint,
  deploymentName: string,
): AzureOpenAIVectorizerDefinition {
  const problems = new Problems();
  const vectorizer = resolveEmbedding(models, deploymentName, 'embeddingDeployment', problems);
  problems.throwIfAny(`Invalid embedding deployment ${show(deploymentName)} of ${show(models.accountName)}`);
  return vectorizer!;
}

function resolveEmbedding(
  models: IModelEndpoint,
  deploymentName: string,
  path: string,
  problems: Problems,
): AzureOpenAIVectorizerDefinition | undefined {
  const deployments = models.deployments;
  const deployment = Object.hasOwn(deployments, deploymentName) ? deployments[deploymentName] : undefined;
  if (!deployment) {
    const names = Object.keys(deployments);
    problems.add(
      path,
      `${show(deploymentName)} is not a deployment of the model endpoint; it has ${names.length ? names.map((n) => show(n)).join(', ') : 'none'}`,
    );
    return undefined;
  }
  const label = `deployment ${show(deploymentName)}`;
  const ok = [
    problems.check(
      deployment.role === 'embedding',
      path,
      `${label} serves ${deployment.role}; the vectorizer needs an embedding deployment`,
    ),
    problems.check(
      deployment.dimensions !== undefined,
      path,
      `${label} declares no dimensions; vector fields must match the embedding size`,
    ),
    problems.check(
      Object.hasOwn(EMBEDDING_MODEL_DIMENSIONS, deployment.modelName),
      path,
      `${label} runs ${show(deployment.modelName)}; the azureOpenAI vectorizer (2024-07-01) accepts ${Object.keys(EMBEDDING_MODEL_DIMENSIONS).join(', ')}`,
    ),
  ].every(Boolean);
  if (!ok) return undefined;
  return {
    endpoint: models.openAiEndpoint,
    deploymentName: deployment.deploymentName,
    modelName: deployment.modelName as EmbeddingModelName,
    dimensions: deployment.dimensions!,
  };
}

/** Properties of {@link SearchIndex}. */
export interface SearchIndexProps extends ProtectionProps {
  /** The service the index lives on. */
  readonly service: SearchService;
  /**
   * Index name: 2-128 lowercase letters, digits and dashes. Forces replacement (and a replacement loses
   * every document): publish breaking schema changes as a new name, e.g. `docs-v2`.
   */
  readonly name: string;
  /**
   * The model endpoint whose embedding deployment fills the index and vectorizes queries. The search
   * service's identity is granted inference on it and the index waits for that grant.
   */
  readonly models: IModelEndpoint;
  /** Deployment (a key of `models.deployments`) that embeds the documents; every vector field has its dimensions. */
  readonly embeddingDeployment: string;
  /**
   * The schema. Build vectorizers with {@link embeddingVectorizer}.
   * @default the default RAG index (`defaultRagIndex`) with one vectorizer `embedding` on `embeddingDeployment`
   */
  readonly definition?: Omit<SearchIndexDefinition, 'name'>;
}

/**
 * A search index, created and updated through the service's data plane by the azapi provider
 * (`azapi_data_plane_resource`, type {@link SEARCH_INDEX_AZAPI_TYPE}, parent `<service>.search.windows.net`),
 * so the plan shows schema changes and `cdktf deploy` applies them.
 *
 * The definition is validated when the construct is created (one string key, legal names, vector
 * dimensions equal to the embedding deployment's, every profile, algorithm and vectorizer referenced
 * defined). Whether a change can be applied to the deployed index in place is checked at synth against
 * `config/index-schema.lock.json` (see `index-lock.ts`).
 *
 * The deploying principal needs Search Service Contributor on the service, and network access to its
 * data plane (in a private environment: a runner inside the virtual network).
 */
export class SearchIndex extends Construct implements ISearchIndexRegistration {
  /** The `azapi_data_plane_resource`. */
  public readonly resource: AzapiDataPlaneResource;
  /** The index name. */
  public readonly indexName: string;
  /** The full definition deployed. */
  public readonly definition: SearchIndexDefinition;
  /** The REST body sent (api-version 2024-07-01). */
  public readonly body: SearchIndexBody;
  /** The service the index lives on. */
  public readonly service: SearchService;

  constructor(scope: Construct, id: string, props: SearchIndexProps) {
    super(scope, id);
    const problems = new Problems('props');
    const vectorizer = resolveEmbedding(
      props.models,
      props.embeddingDeployment,
      'embeddingDeployment',
      problems,
    );
    const definition: SearchIndexDefinition | undefined = props.definition
      ? { ...props.definition, name: props.name }
      : vectorizer && defaultRagIndex(props.name, { name: DEFAULT_VECTORIZER_NAME, ...vectorizer });
    if (definition) {
      problems.addAll(
        validateIndexDefinition(definition, {
          path: props.definition ? 'props.definition' : 'props',
          embeddingDimensions: vectorizer?.dimensions,
        }).map(renameIndexNameProblem),
      );
    }
    problems.throwIfAny(`Invalid SearchIndex "${this.node.path}"`);

    this.indexName = props.name;
    this.definition = definition!;
    this.body = toIndexBody(this.definition);
    this.service = props.service;
    props.service.registerIndex(this);

    const dependsOn: ITerraformDependable[] = [
      ...props.service.dataPlaneDependencies,
      props.service.enableIntegratedVectorization(props.models),
    ];
    this.resource = new AzapiDataPlaneResource(this, 'Default', {
      type: SEARCH_INDEX_AZAPI_TYPE,
      name: props.name,
      parentId: props.service.dataPlaneHost,
      body: this.body as unknown as JsonObject,
      dependsOn,
    });
    applyProtection(this.resource, props);
  }

  /** `https://<service>.search.windows.net/indexes/<name>`: the index URL clients call. */
  get indexEndpoint(): string {
    return `${this.service.endpoint}/indexes/${this.indexName}`;
  }
}

/** The definition's `name` is `props.name` here: report it under that prop. */
function renameIndexNameProblem(problem: Problem): Problem {
  return problem.path === 'props.definition.name'
    ? { path: 'props.name', message: problem.message }
    : problem;
}

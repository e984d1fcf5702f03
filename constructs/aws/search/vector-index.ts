import { Annotations, DefaultStackSynthesizer, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CfnIndex } from 'aws-cdk-lib/aws-opensearchserverless';
import { Construct } from 'constructs';
import { Problems } from '../../core/errors';
import type { SearchFieldDefinition, SearchIndexDefinition } from '../../search/index-schema/definition';
import { isVectorEdmType, toEdmType } from '../../search/index-schema/edm';
import { type OpenSearchFieldMapping, type OpenSearchIndexBody, toOpenSearchIndex } from './index-mappings';
import type { VectorCollection } from './vector-collection';

/** Props of {@link VectorIndex}. */
export interface VectorIndexProps {
  /** The collection the index lives in. */
  readonly collection: VectorCollection;
  /**
   * The cloud-neutral index definition (`SearchIndexDefinition`, e.g. `defaultRagIndex(...)`), the same one
   * the Azure rendering and the index-schema lock use. Its name is the index name; changing it replaces
   * the index (a new index version, see `constructs/search/index-lock.ts`).
   */
  readonly definition: SearchIndexDefinition;
  /**
   * Output size of the embedding model that fills the index; every vector field must have this many
   * dimensions.
   * @default not checked here (the knowledge base checks its model against the index)
   */
  readonly embeddingDimensions?: number;
  /**
   * ARN of the role CloudFormation creates, updates and deletes the index with; it is added to the
   * collection's data access policy with index management permissions.
   * @default the CloudFormation execution role of the stack's `DefaultStackSynthesizer` (`cdk bootstrap`'s
   *   `cdk-<qualifier>-cfn-exec-role-<account>-<region>`); required with any other synthesizer
   */
  readonly deploymentRoleArn?: string;
  /**
   * What happens to the index (and its documents) when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The vector fields of an index: name and dimensions. */
export interface VectorFieldInfo {
  readonly name: string;
  readonly dimensions: number;
}

/**
 * A vector index in an OpenSearch Serverless collection (`AWS::OpenSearchServerless::Index`), with
 * mappings built from the cloud-neutral index definition by {@link toOpenSearchIndex}: vector fields as
 * `knn_vector` with method `hnsw` on engine `faiss` (space type from the metric, `m` and `ef_construction`
 * from the algorithm), `ef_search` as the index setting `knn.algo_param.ef_search`, `index.knn: true`.
 *
 * CloudFormation updates mappings in place, and OpenSearch accepts only additions (new fields), so the
 * index-schema lock applies unchanged: a breaking change needs a new index version.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-opensearchserverless-index.html
 */
export class VectorIndex extends Construct {
  /** The index name. */
  public readonly indexName: string;
  /** The definition the index was built from (for the index-schema lock). */
  public readonly definition: SearchIndexDefinition;
  /** The mappings and settings deployed. */
  public readonly body: OpenSearchIndexBody;
  /** The collection holding the index. */
  public readonly collection: VectorCollection;
  /** The L1 index. */
  public readonly resource: CfnIndex;

  constructor(scope: Construct, id: string, props: VectorIndexProps) {
    super(scope, id);
    const problems = new Problems();
    const result = toOpenSearchIndex(props.definition, {
      path: 'props.definition',
      ...(props.embeddingDimensions !== undefined ? { embeddingDimensions: props.embeddingDimensions } : {}),
    });
    problems.addAll(result.problems);
    const synthesizer = Stack.of(this).synthesizer;
    const deploymentRoleArn =
      props.deploymentRoleArn ??
      // The synthesizer's ARN keeps ${AWS::Partition} / ${AWS::AccountId} placeholders in an
      // environment-agnostic stack; Fn::Sub resolves them in the template.
      (synthesizer instanceof DefaultStackSynthesizer
        ? Fn.sub(synthesizer.cloudFormationExecutionRoleArn)
        : undefined);
    if (deploymentRoleArn === undefined) {
      problems.add(
        'props.deploymentRoleArn',
        `the stack's synthesizer (${synthesizer.constructor.name}) has no known CloudFormation execution role; pass the ARN of the role that deploys the stack`,
      );
    }
    problems.throwIfAny(`Invalid VectorIndex "${id}"`);
    const body = result.body!;
    for (const c of result.textCompromises) {
      Annotations.of(this).addWarningV2(
        '@llmops/search:textCompromise',
        `field "${c.field}" is searchable and ${c.attributes.join(', ')}: mapped as text (CloudFormation has no multi-fields), so exact-match filters, facets and sorting on it need a separate non-searchable field`,
      );
    }

    this.definition = props.definition;
    this.body = body;
    this.collection = props.collection;
    this.indexName = props.definition.name;
    props.collection.addPrincipalArn('indexManagement', deploymentRoleArn!);

    this.resource = new CfnIndex(this, 'Resource', {
      collectionEndpoint: props.collection.collectionEndpoint,
      indexName: this.indexName,
      mappings: { properties: body.mappings.properties as Record<string, CfnIndex.PropertyMappingProperty> },
      settings: { index: body.settings.index },
    });
    // Index operations need the data access policy (and the collection) to exist first.
    this.resource.node.addDependency(props.collection.accessPolicy);
    this.resource.node.addDependency(props.collection.resource);
    this.resource.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
  }

  /** The vector fields (top-level `knn_vector` mappings) with their dimensions. */
  public get vectorFields(): VectorFieldInfo[] {
    return Object.entries(this.body.mappings.properties)
      .filter(([, m]) => m.type === 'knn_vector')
      .map(([name, m]) => ({ name, dimensions: m.dimension! }));
  }

  /** The definition's top-level field named `name`, with its mapping, if any. */
  public field(
    name: string,
  ): { readonly definition: SearchFieldDefinition; readonly mapping: OpenSearchFieldMapping } | undefined {
    const definition = this.definition.fields.find((f) => f.name === name);
    const mapping = this.body.mappings.properties[name];
    return definition && mapping ? { definition, mapping } : undefined;
  }

  /** Whether the definition's field `name` is a vector field. */
  public isVectorField(name: string): boolean {
    const f = this.definition.fields.find((x) => x.name === name);
    const edm = f ? toEdmType(f.type) : undefined;
    return edm !== undefined && isVectorEdmType(edm);
  }
}

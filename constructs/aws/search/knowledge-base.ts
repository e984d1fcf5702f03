import { ArnFormat, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import { CfnDataSource, CfnKnowledgeBase } from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { Problems, show } from '../../core/errors';
import { BEDROCK_METADATA_FIELD } from './index-mappings';
import type { VectorIndex } from './vector-index';

/**
 * Knowledge base names: 1-100 letters, digits, `_` and `-`, no two separators in a row, starting with a
 * letter or digit.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-bedrock-knowledgebase.html#cfn-bedrock-knowledgebase-name
 */
const KB_NAME = /^([0-9a-zA-Z][_-]?){1,100}$/;
/** A Bedrock model id with a version, e.g. `amazon.titan-embed-text-v2:0`. */
const MODEL_ID = /^[a-z0-9-]+\.[a-z0-9.-]+(:\d+)?$/;

/** The embedding model a knowledge base embeds chunks and queries with. */
export interface KnowledgeBaseEmbeddingModel {
  /**
   * Versioned foundation model id, e.g. `amazon.titan-embed-text-v2:0`; the ARN is built for the stack's
   * region. Give this or `modelArn`.
   * @default none
   */
  readonly modelId?: string;
  /**
   * Model ARN (a foundation model, or an inference profile in front of one). May be a token.
   * @default the foundation model ARN of `modelId` in the stack's region
   */
  readonly modelArn?: string;
  /**
   * Output size of the model as configured; must equal the index's vector field dimensions. Sent as the
   * model's `dimensions` (Titan Text Embeddings V2 takes 256, 512 or 1024).
   */
  readonly dimensions: number;
}

/** Props of {@link KnowledgeBase}. */
export interface KnowledgeBaseProps {
  /** Knowledge base name: 1-100 letters, digits, `_` and `-`. Changing it replaces the knowledge base. */
  readonly knowledgeBaseName: string;
  /** The vector index the knowledge base writes to and reads from. */
  readonly index: VectorIndex;
  /** The embedding model. */
  readonly embeddingModel: KnowledgeBaseEmbeddingModel;
  /**
   * The index field holding the chunk embedding (a vector field).
   * @default the index's only vector field
   */
  readonly vectorField?: string;
  /**
   * The index field holding the chunk text (a searchable string field).
   * @default 'content' - the field of the default RAG index
   */
  readonly textField?: string;
  /**
   * The index field Bedrock stores its chunk metadata in (a string field that is neither searchable nor
   * filterable; `withBedrockMetadataField` adds one to a definition).
   * @default 'AMAZON_BEDROCK_METADATA'
   */
  readonly metadataField?: string;
  /**
   * The bucket holding the documents. Its encryption key, when it has one, gets a decrypt grant.
   * @default a new bucket: KMS-encrypted with a rotating key, versioned, public access blocked, TLS only,
   *   retained
   */
  readonly bucket?: s3.IBucket;
  /**
   * Key prefixes of the data source (only objects under them are ingested).
   * @default the whole bucket
   */
  readonly inclusionPrefixes?: readonly string[];
  /**
   * What happens to the new bucket and its key when they leave the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Bucket that receives the S3 server access logs of the new documents bucket (who read or wrote which
   * document). Ignored when `bucket` is given.
   * @default - no server access logs (cdk-nag AwsSolutions-S1 then asks for an acknowledgement)
   */
  readonly serverAccessLogsBucket?: s3.IBucket;
}

/**
 * A Bedrock knowledge base (`AWS::Bedrock::KnowledgeBase`, type `VECTOR`) over an OpenSearch Serverless
 * vector index, with an S3 data source (`AWS::Bedrock::DataSource`, `dataDeletionPolicy: RETAIN`) and the
 * service role Bedrock assumes.
 *
 * The service role trusts `bedrock.amazonaws.com` only for knowledge bases of this account
 * (`aws:SourceAccount`, `aws:SourceArn`), may invoke the embedding model, call the collection
 * (`aoss:APIAccessAll`, and it is added to the collection's data access policy with read-write access),
 * list and read the bucket, and decrypt with the bucket's key.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/kb-permissions.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-bedrock-knowledgebase.html
 */
export class KnowledgeBase extends Construct {
  /** The knowledge base id. */
  public readonly knowledgeBaseId: string;
  /** The knowledge base ARN. */
  public readonly knowledgeBaseArn: string;
  /** The data source id. */
  public readonly dataSourceId: string;
  /** The documents bucket. */
  public readonly bucket: s3.IBucket;
  /** The role Bedrock assumes. */
  public readonly role: iam.Role;
  /** The embedding model ARN. */
  public readonly embeddingModelArn: string;
  /** The L1 knowledge base. */
  public readonly resource: CfnKnowledgeBase;
  /** The L1 data source. */
  public readonly dataSource: CfnDataSource;

  constructor(scope: Construct, id: string, props: KnowledgeBaseProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const problems = new Problems('props');
    const { index, embeddingModel: model } = props;

    const name = props.knowledgeBaseName;
    if (!Token.isUnresolved(name)) {
      problems.check(
        KB_NAME.test(name),
        'knowledgeBaseName',
        `${show(name)} is not a knowledge base name: use 1-100 letters, digits, "_" and "-", starting with a letter or digit, no two "_"/"-" in a row`,
      );
    }
    problems.check(
      (model.modelId === undefined) !== (model.modelArn === undefined),
      'embeddingModel',
      'give exactly one of modelId and modelArn',
    );
    if (model.modelId !== undefined && !Token.isUnresolved(model.modelId)) {
      problems.check(
        MODEL_ID.test(model.modelId),
        'embeddingModel.modelId',
        `${show(model.modelId)} is not a Bedrock model id (provider.model:version, e.g. "amazon.titan-embed-text-v2:0")`,
      );
    }

    const vectorFields = index.vectorFields;
    const vectorField = props.vectorField ?? (vectorFields.length === 1 ? vectorFields[0]!.name : undefined);
    const vector = vectorFields.find((f) => f.name === vectorField);
    if (!vector) {
      problems.add(
        'vectorField',
        props.vectorField === undefined
          ? `index ${show(index.indexName)} has ${vectorFields.length} vector fields (${vectorFields.map((f) => show(f.name)).join(', ') || 'none'}); name one in vectorField`
          : `${show(props.vectorField)} is not a vector field of index ${show(index.indexName)}`,
      );
    } else {
      problems.check(
        model.dimensions === vector.dimensions,
        'embeddingModel.dimensions',
        `${model.dimensions} must equal the ${vector.dimensions} dimensions of vector field ${show(vector.name)} in index ${show(index.indexName)}`,
      );
    }
    const textField = props.textField ?? 'content';
    const text = index.field(textField);
    problems.check(
      text?.mapping.type === 'text' && text.definition.searchable === true,
      'textField',
      `${show(textField)} must be a searchable string field of index ${show(index.indexName)}`,
    );
    const metadataField = props.metadataField ?? BEDROCK_METADATA_FIELD;
    const metadata = index.field(metadataField);
    problems.check(
      metadata?.mapping.type === 'text' && metadata.mapping.index === false,
      'metadataField',
      `${show(metadataField)} must be a string field of index ${show(index.indexName)} that is not searchable, filterable, facetable or sortable (add it with withBedrockMetadataField)`,
    );
    problems.throwIfAny(`Invalid KnowledgeBase "${id}"`);

    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonbedrock.html#amazonbedrock-resources-for-iam-policies
    this.embeddingModelArn =
      model.modelArn ??
      stack.formatArn({
        service: 'bedrock',
        account: '',
        resource: 'foundation-model',
        resourceName: model.modelId!,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });

    this.bucket =
      props.bucket ??
      this.createBucket(props.removalPolicy ?? RemovalPolicy.RETAIN, props.serverAccessLogsBucket);

    // Trust policy with confused-deputy conditions, as the Bedrock service-role page gives it.
    // https://docs.aws.amazon.com/bedrock/latest/userguide/kb-permissions.html#kb-permissions-trust
    this.role = new iam.Role(this, 'ServiceRole', {
      description: `Bedrock knowledge base ${name}`,
      assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'bedrock',
              resource: 'knowledge-base',
              resourceName: '*',
              arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
            }),
          },
        },
      }),
    });
    // https://docs.aws.amazon.com/bedrock/latest/userguide/kb-permissions.html#kb-permissions-access-models
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: [this.embeddingModelArn] }),
    );
    index.collection.grantReadWrite(this.role);
    // ListBucket on the bucket, GetObject on its objects, limited to the bucket owner's account.
    // https://docs.aws.amazon.com/bedrock/latest/userguide/kb-permissions.html#kb-permissions-s3
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringEquals: { 'aws:ResourceAccount': stack.account } },
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [this.bucket.arnForObjects('*')],
        conditions: { StringEquals: { 'aws:ResourceAccount': stack.account } },
      }),
    );
    this.bucket.encryptionKey?.grantDecrypt(this.role);
    // cdk-nag AwsSolutions-IAM5 flags `<bucket>/*`: the knowledge base ingests every document of its data
    // source bucket, so the object wildcard is the grant's meaning.
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5',
      reason:
        'the service role reads every object of the one data source bucket (s3:GetObject on <bucket>/*), which is what ingestion does',
    });

    this.resource = new CfnKnowledgeBase(this, 'Resource', {
      name,
      roleArn: this.role.roleArn,
      knowledgeBaseConfiguration: {
        type: 'VECTOR',
        vectorKnowledgeBaseConfiguration: {
          embeddingModelArn: this.embeddingModelArn,
          embeddingModelConfiguration: {
            bedrockEmbeddingModelConfiguration: { dimensions: model.dimensions },
          },
        },
      },
      storageConfiguration: {
        type: 'OPENSEARCH_SERVERLESS',
        opensearchServerlessConfiguration: {
          collectionArn: index.collection.collectionArn,
          vectorIndexName: index.indexName,
          fieldMapping: { vectorField: vectorField!, textField, metadataField },
        },
      },
    });
    // Bedrock checks at creation that it can reach the index: the index, the data access policy naming
    // the role, and the role's IAM policy must exist first.
    this.resource.node.addDependency(index);
    this.resource.node.addDependency(index.collection.accessPolicy);
    this.resource.node.addDependency(this.role);

    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-bedrock-datasource.html
    this.dataSource = new CfnDataSource(this, 'DataSource', {
      name: 'documents',
      knowledgeBaseId: this.resource.attrKnowledgeBaseId,
      // RETAIN: deleting the data source leaves the vectors in the index (nothing lost by a stack change).
      dataDeletionPolicy: 'RETAIN',
      dataSourceConfiguration: {
        type: 'S3',
        s3Configuration: {
          bucketArn: this.bucket.bucketArn,
          ...(props.inclusionPrefixes ? { inclusionPrefixes: [...props.inclusionPrefixes] } : {}),
        },
      },
    });

    this.knowledgeBaseId = this.resource.attrKnowledgeBaseId;
    this.knowledgeBaseArn = this.resource.attrKnowledgeBaseArn;
    this.dataSourceId = this.dataSource.attrDataSourceId;
  }

  /**
   * Lets `grantee` query the knowledge base: `bedrock:Retrieve` and `bedrock:RetrieveAndGenerate` on its
   * ARN. `RetrieveAndGenerate` also needs `bedrock:InvokeModel` on the generating model (granted by the
   * models capability).
   *
   * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonbedrock.html
   */
  public grantRetrieve(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['bedrock:Retrieve', 'bedrock:RetrieveAndGenerate'],
      resourceArns: [this.knowledgeBaseArn],
    });
  }

  /**
   * Lets `grantee` start and watch ingestion jobs (`bedrock:StartIngestionJob`, `bedrock:GetIngestionJob`,
   * `bedrock:ListIngestionJobs` on the knowledge base) and upload documents (write to the bucket).
   */
  public grantIngest(grantee: iam.IGrantable): iam.Grant {
    this.bucket.grantReadWrite(grantee);
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['bedrock:StartIngestionJob', 'bedrock:GetIngestionJob', 'bedrock:ListIngestionJobs'],
      resourceArns: [this.knowledgeBaseArn],
    });
  }

  private createBucket(removalPolicy: RemovalPolicy, serverAccessLogsBucket?: s3.IBucket): s3.Bucket {
    const key = new kms.Key(this, 'DocumentsKey', {
      description: 'Documents of the knowledge base',
      enableKeyRotation: true,
      removalPolicy,
    });
    return new s3.Bucket(this, 'Documents', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy,
      ...(serverAccessLogsBucket
        ? { serverAccessLogsBucket, serverAccessLogsPrefix: `${this.node.path}/` }
        : {}),
    });
  }
}

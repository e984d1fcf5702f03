import { App, LegacyStackSynthesizer, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import {
  bedrockRagIndex,
  toOpenSearchIndex,
  VectorCollection,
  VectorIndex,
} from '../../../constructs/aws/search';
import type { SearchIndexDefinition } from '../../../constructs/search/index-schema';
import { awsStack, TEST_REGION, templateOf } from '../../helpers/aws';
import { exactly } from '../../helpers/errors';

function collectionIn(stack: Stack): VectorCollection {
  return new VectorCollection(stack, 'Collection', { collectionName: 'rag-dev' });
}

const minimal = (fields: SearchIndexDefinition['fields'], extra: Partial<SearchIndexDefinition> = {}) =>
  ({
    name: 'docs',
    fields: [{ name: 'id', type: 'string', key: true }, ...fields],
    vectorSearch: {
      algorithms: { hnsw: { kind: 'hnsw', m: 8, efConstruction: 200, efSearch: 300, metric: 'dotProduct' } },
      profiles: { default: { algorithm: 'hnsw' } },
    },
    ...extra,
  }) as SearchIndexDefinition;

describe('VectorIndex', () => {
  test('the default RAG index: every field mapped, faiss HNSW with the definition parameters, knn on, retained', () => {
    // GIVEN
    const stack = awsStack();
    const collection = collectionIn(stack);
    // WHEN
    const index = new VectorIndex(stack, 'Index', {
      collection,
      definition: bedrockRagIndex('docs-v1', 1024),
      embeddingDimensions: 1024,
    });
    // THEN
    expect(index.indexName).toBe('docs-v1');
    const template = templateOf(stack);
    template.hasResource('AWS::OpenSearchServerless::Index', {
      Properties: {
        IndexName: 'docs-v1',
        CollectionEndpoint: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Collection'), 'CollectionEndpoint'] },
        Mappings: {
          Properties: {
            id: { Type: 'keyword' },
            content: { Type: 'text' },
            title: { Type: 'text' },
            source: { Type: 'keyword' },
            parentId: { Type: 'keyword' },
            chunkOrdinal: { Type: 'integer' },
            page: { Type: 'integer' },
            keywords: { Type: 'text' },
            lastUpdated: { Type: 'date' },
            contentVector: {
              Type: 'knn_vector',
              Dimension: 1024,
              Method: {
                Name: 'hnsw',
                Engine: 'faiss',
                SpaceType: 'l2',
                Parameters: { M: 4, EfConstruction: 400 },
              },
            },
            AMAZON_BEDROCK_METADATA: { Type: 'text', Index: false },
          },
        },
        Settings: { Index: { Knn: true, KnnAlgoParamEfSearch: 500 } },
      },
      DependsOn: Match.arrayWith([Match.stringLikeRegexp('^CollectionAccessPolicy')]),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    // `keywords` is searchable and filterable/facetable: CloudFormation has no multi-fields, so it is text.
    Annotations.fromStack(stack).hasWarning(
      '/Test/Index',
      Match.stringLikeRegexp('field "keywords" is searchable and filterable, facetable: mapped as text'),
    );
  });

  test('the deployment role (the bootstrap cfn-exec-role) gets index management in the data access policy', () => {
    const stack = awsStack();
    new VectorIndex(stack, 'Index', {
      collection: collectionIn(stack),
      definition: bedrockRagIndex('docs', 1024),
    });
    const template = templateOf(stack);
    template.hasResourceProperties('AWS::OpenSearchServerless::AccessPolicy', {
      Policy: {
        'Fn::Join': [
          '',
          [
            Match.stringLikeRegexp(
              '"Description":"indexManagement access".*"Permission":\\["aoss:CreateIndex","aoss:DescribeIndex","aoss:UpdateIndex","aoss:DeleteIndex"\\]',
            ),
            {
              'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/cdk-hnb659fds-cfn-exec-role-\${AWS::AccountId}-${TEST_REGION}`,
            },
            '"]}]',
          ],
        ],
      },
    });
  });

  test('an explicit deployment role, dotProduct, complex and collection fields, analyzers', () => {
    const stack = awsStack();
    const index = new VectorIndex(stack, 'Index', {
      collection: collectionIn(stack),
      deploymentRoleArn: 'arn:aws:iam::111122223333:role/deployer',
      definition: minimal([
        { name: 'body', type: 'string', searchable: true, analyzer: 'de.microsoft' },
        { name: 'score', type: 'double', filterable: true },
        { name: 'flag', type: 'boolean' },
        { name: 'where', type: 'geographyPoint' },
        { name: 'author', type: 'complex', fields: [{ name: 'name', type: 'string', filterable: true }] },
        { name: 'refs', type: 'collection(complex)', fields: [{ name: 'url', type: 'string' }] },
        { name: 'vec', type: 'collection(single)', vector: { dimensions: 256, profile: 'default' } },
      ]),
    });
    expect(index.vectorFields).toEqual([{ name: 'vec', dimensions: 256 }]);
    templateOf(stack).hasResourceProperties('AWS::OpenSearchServerless::Index', {
      Mappings: {
        Properties: {
          id: { Type: 'keyword' },
          body: { Type: 'text', Analyzer: 'german' },
          score: { Type: 'double' },
          flag: { Type: 'boolean' },
          where: { Type: 'geo_point' },
          author: { Type: 'object', Properties: { name: { Type: 'keyword' } } },
          refs: { Type: 'nested', Properties: { url: { Type: 'text', Index: false } } },
          vec: {
            Type: 'knn_vector',
            Dimension: 256,
            Method: { Engine: 'faiss', SpaceType: 'innerproduct', Parameters: { M: 8, EfConstruction: 200 } },
          },
        },
      },
      Settings: { Index: { Knn: true, KnnAlgoParamEfSearch: 300 } },
    });
  });

  test('fails when the stack synthesizer has no known execution role and no deploymentRoleArn is given', () => {
    const stack = new Stack(new App(), 'Legacy', {
      env: { region: TEST_REGION },
      synthesizer: new LegacyStackSynthesizer(),
    });
    expect(
      () =>
        new VectorIndex(stack, 'Index', {
          collection: collectionIn(stack),
          definition: bedrockRagIndex('docs', 8),
        }),
    ).toThrow(
      exactly(
        [
          'Invalid VectorIndex "Index":',
          "  - props.deploymentRoleArn: the stack's synthesizer (LegacyStackSynthesizer) has no known CloudFormation execution role; pass the ARN of the role that deploys the stack",
        ].join('\n'),
      ),
    );
  });

  test('fails on a dimension mismatch with the embedding model, naming the field', () => {
    const stack = awsStack();
    expect(
      () =>
        new VectorIndex(stack, 'Index', {
          collection: collectionIn(stack),
          definition: bedrockRagIndex('docs-v1', 1536),
          embeddingDimensions: 1024,
        }),
    ).toThrow(
      exactly(
        [
          'Invalid VectorIndex "Index":',
          `  - props.definition.fields[9].vector.dimensions: vector field "contentVector": dimensions 1536 must equal the embedding deployment's 1024`,
        ].join('\n'),
      ),
    );
  });

  test('fails on everything OpenSearch Serverless cannot do, listing every problem at once', () => {
    const stack = awsStack();
    const definition: SearchIndexDefinition = {
      name: 'docs',
      fields: [
        { name: 'id', type: 'string', key: true },
        { name: 'body', type: 'string', searchable: true, analyzer: 'ja.microsoft' },
        { name: 'half', type: 'collection(half)', vector: { dimensions: 8, profile: 'brute' } },
        { name: 'a', type: 'collection(single)', vector: { dimensions: 8, profile: 'fast' } },
        { name: 'b', type: 'collection(single)', vector: { dimensions: 8, profile: 'slow' } },
        { name: 'bits', type: 'collection(single)', vector: { dimensions: 8, profile: 'bits' } },
      ],
      vectorSearch: {
        algorithms: {
          exact: { kind: 'exhaustiveKnn' },
          fast: { efSearch: 100 },
          slow: { efSearch: 900 },
          ham: { metric: 'hamming' },
        },
        profiles: {
          brute: { algorithm: 'exact' },
          fast: { algorithm: 'fast' },
          slow: { algorithm: 'slow' },
          bits: { algorithm: 'ham' },
        },
      },
      encryptionKey: {
        keyVaultUri: 'https://kv.vault.azure.net/',
        keyName: 'k',
        keyVersion: '1',
        userAssignedIdentityId: '/subscriptions/x',
      },
    };
    expect(() => new VectorIndex(stack, 'Index', { collection: collectionIn(stack), definition })).toThrow(
      exactly(
        [
          'Invalid VectorIndex "Index":',
          '  - props.definition.encryptionKey: a customer-managed key per index has no OpenSearch Serverless mapping; encryption is per collection (VectorCollection kmsKey)',
          '  - props.definition.fields[1].analyzer: field "body": analyzer "ja.microsoft" has no OpenSearch built-in equivalent; use one of standard.lucene, simple, whitespace, stop, keyword, en.lucene, en.microsoft, de.lucene, de.microsoft, fr.lucene, fr.microsoft, es.lucene, es.microsoft, it.lucene, it.microsoft, pt.lucene, pt.microsoft, nl.lucene, nl.microsoft',
          '  - props.definition.fields[2].type: vector field "half": type Collection(Edm.Half) has no OpenSearch Serverless mapping here; use collection(single) (32-bit float vectors, what Bedrock embedding models return)',
          '  - props.definition.fields[5].vector.profile: vector field "bits": metric "hamming" needs binary vectors, which this index definition cannot declare; use cosine, euclidean or dotProduct',
          '  - props.definition.vectorSearch.algorithms: efSearch differs between vector fields (100 for "a"; 900 for "b"; 500 for "bits"); OpenSearch Serverless takes one index-level value (index.knn.algo_param.ef_search)',
        ].join('\n'),
      ),
    );
  });

  test('refuses exhaustiveKnn with its reason', () => {
    const result = toOpenSearchIndex(
      minimal([{ name: 'v', type: 'collection(single)', vector: { dimensions: 8, profile: 'default' } }], {
        vectorSearch: {
          algorithms: { x: { kind: 'exhaustiveKnn' } },
          profiles: { default: { algorithm: 'x' } },
        },
      }),
    );
    expect(result.problems).toEqual([
      {
        path: 'fields[1].vector.profile',
        message:
          'vector field "v": algorithm kind "exhaustiveKnn" has no OpenSearch Serverless mapping; use "hnsw" (exhaustive k-NN is a query option in OpenSearch, not an index setting)',
      },
    ]);
  });

  test('ignores Azure vectorizers and semantic configuration; the index schema rules still apply', () => {
    const result = toOpenSearchIndex({
      name: 'Docs',
      fields: [{ name: 'id', type: 'string', key: true }],
      semantic: { configurations: { default: { contentFields: ['id'] } } },
    });
    expect(result.problems).toEqual([
      {
        path: 'name',
        message:
          'index name "Docs" is not allowed: use 2-128 lowercase letters, digits and dashes, starting and ending with a letter or digit, without "--"',
      },
    ]);
  });
});

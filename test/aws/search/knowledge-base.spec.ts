import type { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  bedrockRagIndex,
  KnowledgeBase,
  VectorCollection,
  VectorIndex,
} from '../../../constructs/aws/search';
import { awsStack, templateOf } from '../../helpers/aws';
import { exactly } from '../../helpers/errors';

const TITAN_V2 = { modelId: 'amazon.titan-embed-text-v2:0', dimensions: 1024 } as const;

function indexIn(stack: Stack, dimensions = 1024): VectorIndex {
  const collection = new VectorCollection(stack, 'Collection', { collectionName: 'rag-dev' });
  return new VectorIndex(stack, 'Index', { collection, definition: bedrockRagIndex('docs-v1', dimensions) });
}

describe('KnowledgeBase', () => {
  test('defaults: VECTOR knowledge base on the index, field mapping of the default index, after the index', () => {
    // GIVEN
    const stack = awsStack();
    const index = indexIn(stack);
    // WHEN
    new KnowledgeBase(stack, 'Kb', { knowledgeBaseName: 'docs', index, embeddingModel: TITAN_V2 });
    // THEN
    const template = templateOf(stack);
    template.hasResource('AWS::Bedrock::KnowledgeBase', {
      Properties: {
        Name: 'docs',
        RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^KbServiceRole'), 'Arn'] },
        KnowledgeBaseConfiguration: {
          Type: 'VECTOR',
          VectorKnowledgeBaseConfiguration: {
            EmbeddingModelArn: {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0',
                ],
              ],
            },
            EmbeddingModelConfiguration: { BedrockEmbeddingModelConfiguration: { Dimensions: 1024 } },
          },
        },
        StorageConfiguration: {
          Type: 'OPENSEARCH_SERVERLESS',
          OpensearchServerlessConfiguration: {
            CollectionArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Collection'), 'Arn'] },
            VectorIndexName: 'docs-v1',
            FieldMapping: {
              VectorField: 'contentVector',
              TextField: 'content',
              MetadataField: 'AMAZON_BEDROCK_METADATA',
            },
          },
        },
      },
      // arrayWith is ordered; CloudFormation sorts DependsOn by logical id.
      DependsOn: Match.arrayWith([
        Match.stringLikeRegexp('^CollectionAccessPolicy'),
        Match.stringLikeRegexp('^Index'),
        Match.stringLikeRegexp('^KbServiceRoleDefaultPolicy'),
      ]),
    });
    template.hasResourceProperties('AWS::Bedrock::DataSource', {
      KnowledgeBaseId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Kb'), 'KnowledgeBaseId'] },
      DataDeletionPolicy: 'RETAIN',
      DataSourceConfiguration: {
        Type: 'S3',
        S3Configuration: { BucketArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^KbDocuments'), 'Arn'] } },
      },
    });
  });

  test('the documents bucket is KMS-encrypted with a rotating key, versioned, private, TLS-only and retained', () => {
    const stack = awsStack();
    new KnowledgeBase(stack, 'Kb', {
      knowledgeBaseName: 'docs',
      index: indexIn(stack),
      embeddingModel: TITAN_V2,
    });
    const template = templateOf(stack);
    template.hasResource('AWS::S3::Bucket', {
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^KbDocumentsKey'), 'Arn'] },
              },
            },
          ],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      },
      DeletionPolicy: 'Retain',
    });
    template.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true },
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ],
      },
    });
  });

  test('the service role trusts Bedrock for this account only and may invoke the model, read the bucket and call the collection', () => {
    const stack = awsStack();
    new KnowledgeBase(stack, 'Kb', {
      knowledgeBaseName: 'docs',
      index: indexIn(stack),
      embeddingModel: TITAN_V2,
    });
    const template = templateOf(stack);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'bedrock.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: {
                'aws:SourceArn': {
                  'Fn::Join': [
                    '',
                    [
                      'arn:',
                      { Ref: 'AWS::Partition' },
                      ':bedrock:us-east-1:',
                      { Ref: 'AWS::AccountId' },
                      ':knowledge-base/*',
                    ],
                  ],
                },
              },
            },
          },
        ],
      },
    });
    const inAccount = { StringEquals: { 'aws:ResourceAccount': { Ref: 'AWS::AccountId' } } };
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^KbServiceRole') }],
      PolicyDocument: {
        Statement: [
          {
            Action: 'bedrock:InvokeModel',
            Effect: 'Allow',
            Resource: {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0',
                ],
              ],
            },
          },
          {
            Action: 'aoss:APIAccessAll',
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Collection'), 'Arn'] },
          },
          {
            Action: 's3:ListBucket',
            Effect: 'Allow',
            Condition: inAccount,
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^KbDocuments'), 'Arn'] },
          },
          {
            Action: 's3:GetObject',
            Effect: 'Allow',
            Condition: inAccount,
            Resource: {
              'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^KbDocuments'), 'Arn'] }, '/*']],
            },
          },
          {
            Action: 'kms:Decrypt',
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^KbDocumentsKey'), 'Arn'] },
          },
        ],
      },
    });
    // The role is in the collection's data access policy with read-write access.
    template.hasResourceProperties('AWS::OpenSearchServerless::AccessPolicy', {
      Policy: {
        'Fn::Join': [
          '',
          Match.arrayWith([
            Match.stringLikeRegexp(
              '"Description":"readWrite access".*"aoss:WriteDocument"\\]}\\],"Principal":\\["$',
            ),
            { 'Fn::GetAtt': [Match.stringLikeRegexp('^KbServiceRole'), 'Arn'] },
          ]),
        ],
      },
    });
  });

  test('an existing bucket, a model ARN and inclusion prefixes', () => {
    const stack = awsStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Existing', 'corp-docs');
    new KnowledgeBase(stack, 'Kb', {
      knowledgeBaseName: 'docs',
      index: indexIn(stack),
      bucket,
      inclusionPrefixes: ['handbook/'],
      embeddingModel: {
        modelArn: 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abc',
        dimensions: 1024,
      },
    });
    const template = templateOf(stack);
    template.resourceCountIs('AWS::S3::Bucket', 0);
    template.hasResourceProperties('AWS::Bedrock::DataSource', {
      DataSourceConfiguration: {
        S3Configuration: {
          BucketArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::corp-docs']] },
          InclusionPrefixes: ['handbook/'],
        },
      },
    });
    template.hasResourceProperties('AWS::Bedrock::KnowledgeBase', {
      KnowledgeBaseConfiguration: {
        VectorKnowledgeBaseConfiguration: {
          EmbeddingModelArn: 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abc',
        },
      },
    });
  });

  test('grantRetrieve allows Retrieve and RetrieveAndGenerate on the knowledge base ARN only', () => {
    const stack = awsStack();
    const kb = new KnowledgeBase(stack, 'Kb', {
      knowledgeBaseName: 'docs',
      index: indexIn(stack),
      embeddingModel: TITAN_V2,
    });
    const app = new iam.Role(stack, 'App', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    expect(kb.grantRetrieve(app).success).toBe(true);
    templateOf(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^App') }],
      PolicyDocument: {
        Statement: [
          {
            Action: ['bedrock:Retrieve', 'bedrock:RetrieveAndGenerate'],
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Kb'), 'KnowledgeBaseArn'] },
          },
        ],
      },
    });
  });

  test('fails when the embedding dimensions differ from the index vector field', () => {
    const stack = awsStack();
    expect(
      () =>
        new KnowledgeBase(stack, 'Kb', {
          knowledgeBaseName: 'docs',
          index: indexIn(stack, 1536),
          embeddingModel: TITAN_V2,
        }),
    ).toThrow(
      exactly(
        [
          'Invalid KnowledgeBase "Kb":',
          '  - props.embeddingModel.dimensions: 1024 must equal the 1536 dimensions of vector field "contentVector" in index "docs-v1"',
        ].join('\n'),
      ),
    );
  });

  test('fails on a bad name, model and field mapping, listing every problem', () => {
    const stack = awsStack();
    expect(
      () =>
        new KnowledgeBase(stack, 'Kb', {
          knowledgeBaseName: 'my docs!',
          index: indexIn(stack),
          embeddingModel: { modelId: 'Titan Embeddings', dimensions: 1024 },
          vectorField: 'content',
          textField: 'source',
          metadataField: 'title',
        }),
    ).toThrow(
      exactly(
        [
          'Invalid KnowledgeBase "Kb":',
          '  - props.knowledgeBaseName: "my docs!" is not a knowledge base name: use 1-100 letters, digits, "_" and "-", starting with a letter or digit, no two "_"/"-" in a row',
          '  - props.embeddingModel.modelId: "Titan Embeddings" is not a Bedrock model id (provider.model:version, e.g. "amazon.titan-embed-text-v2:0")',
          '  - props.vectorField: "content" is not a vector field of index "docs-v1"',
          '  - props.textField: "source" must be a searchable string field of index "docs-v1"',
          '  - props.metadataField: "title" must be a string field of index "docs-v1" that is not searchable, filterable, facetable or sortable (add it with withBedrockMetadataField)',
        ].join('\n'),
      ),
    );
  });

  test('fails when both or neither of modelId and modelArn are given', () => {
    const stack = awsStack();
    expect(
      () =>
        new KnowledgeBase(stack, 'Kb', {
          knowledgeBaseName: 'docs',
          index: indexIn(stack),
          embeddingModel: { dimensions: 1024 },
        }),
    ).toThrow(
      exactly(
        [
          'Invalid KnowledgeBase "Kb":',
          '  - props.embeddingModel: give exactly one of modelId and modelArn',
        ].join('\n'),
      ),
    );
  });
});

import { RemovalPolicy } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { VectorCollection } from '../../../constructs/aws/search';
import { awsStack, templateOf } from '../../helpers/aws';
import { exactly } from '../../helpers/errors';

/** The parsed JSON document of the one resource of `type` whose policy type is `policyType`. */
function policyDocument(template: ReturnType<typeof templateOf>, type: string, policyType: string): unknown {
  const resources = Object.values(template.findResources(type, { Properties: { Type: policyType } }));
  expect(resources).toHaveLength(1);
  const policy = (resources[0] as { Properties: { Policy: unknown } }).Properties.Policy;
  expect(typeof policy).toBe('string');
  return JSON.parse(policy as string);
}

describe('VectorCollection', () => {
  test('defaults: VECTORSEARCH with standby replicas, AWS-owned key, private with Bedrock access, retained', () => {
    // GIVEN
    const stack = awsStack();
    // WHEN
    const collection = new VectorCollection(stack, 'Collection', { collectionName: 'rag-dev' });
    collection.grantRead(new iam.ArnPrincipal('arn:aws:iam::111122223333:role/reader'));
    // THEN
    const template = templateOf(stack);
    template.hasResource('AWS::OpenSearchServerless::Collection', {
      Properties: { Name: 'rag-dev', Type: 'VECTORSEARCH', StandbyReplicas: 'ENABLED' },
      DependsOn: Match.arrayWith([
        Match.stringLikeRegexp('^CollectionEncryptionPolicy'),
        Match.stringLikeRegexp('^CollectionNetworkPolicy'),
      ]),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(policyDocument(template, 'AWS::OpenSearchServerless::SecurityPolicy', 'encryption')).toEqual({
      Rules: [{ ResourceType: 'collection', Resource: ['collection/rag-dev'] }],
      AWSOwnedKey: true,
    });
    expect(policyDocument(template, 'AWS::OpenSearchServerless::SecurityPolicy', 'network')).toEqual([
      {
        Rules: [{ ResourceType: 'collection', Resource: ['collection/rag-dev'] }],
        AllowFromPublic: false,
        SourceServices: ['bedrock.amazonaws.com'],
      },
    ]);
  });

  test('all props: customer key, VPC endpoints, no standby replicas, destroy', () => {
    const stack = awsStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const collection = new VectorCollection(stack, 'Collection', {
      collectionName: 'rag-prod',
      kmsKey: key,
      vpcEndpointIds: ['vpce-0123abcd'],
      bedrockAccess: false,
      standbyReplicasEnabled: false,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    collection.addPrincipalArn('read', 'arn:aws:iam::111122223333:role/reader');

    const template = templateOf(stack);
    template.hasResource('AWS::OpenSearchServerless::Collection', {
      Properties: { StandbyReplicas: 'DISABLED' },
      DeletionPolicy: 'Delete',
    });
    // The key ARN is a token: the policy is an Fn::Join around it.
    template.hasResourceProperties('AWS::OpenSearchServerless::SecurityPolicy', {
      Type: 'encryption',
      Policy: {
        'Fn::Join': [
          '',
          [
            '{"Rules":[{"ResourceType":"collection","Resource":["collection/rag-prod"]}],"AWSOwnedKey":false,"KmsARN":"',
            { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
            '"}',
          ],
        ],
      },
    });
    expect(policyDocument(template, 'AWS::OpenSearchServerless::SecurityPolicy', 'network')).toEqual([
      {
        Rules: [{ ResourceType: 'collection', Resource: ['collection/rag-prod'] }],
        AllowFromPublic: false,
        SourceVPCEs: ['vpce-0123abcd'],
      },
    ]);
  });

  test('public access opens the endpoint to the internet and names no VPC endpoint or service', () => {
    const stack = awsStack();
    const collection = new VectorCollection(stack, 'Collection', {
      collectionName: 'rag-pub',
      publicAccess: true,
    });
    collection.addPrincipalArn('read', 'arn:aws:iam::111122223333:role/reader');
    expect(policyDocument(templateOf(stack), 'AWS::OpenSearchServerless::SecurityPolicy', 'network')).toEqual(
      [{ Rules: [{ ResourceType: 'collection', Resource: ['collection/rag-pub'] }], AllowFromPublic: true }],
    );
  });

  test('grants add the principal to the data access policy after construction, and aoss:APIAccessAll to its IAM policy', () => {
    // GIVEN
    const stack = awsStack();
    const collection = new VectorCollection(stack, 'Collection', { collectionName: 'rag-dev' });
    const app = new iam.Role(stack, 'App', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    // WHEN
    const grant = collection.grantRead(app);
    collection.grantReadWrite(new iam.ArnPrincipal('arn:aws:iam::111122223333:role/ingest'));
    collection.grantRead(app); // twice: listed once
    // THEN
    expect(grant.success).toBe(true);
    const template = templateOf(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^App') }],
      PolicyDocument: {
        Statement: [
          {
            Action: 'aoss:APIAccessAll',
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Collection'), 'Arn'] },
          },
        ],
      },
    });
    const policy = Object.values(template.findResources('AWS::OpenSearchServerless::AccessPolicy'))[0] as {
      Properties: { Policy: { 'Fn::Join': [string, unknown[]] } };
    };
    const parts = policy.Properties.Policy['Fn::Join'][1];
    const roleArn = parts.find((p) => typeof p === 'object');
    expect(roleArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^App/), 'Arn'] });
    const document = JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'APP_ROLE_ARN')).join(''));
    expect(document).toEqual([
      {
        Description: 'read access',
        Rules: [
          {
            ResourceType: 'collection',
            Resource: ['collection/rag-dev'],
            Permission: ['aoss:DescribeCollectionItems'],
          },
          {
            ResourceType: 'index',
            Resource: ['index/rag-dev/*'],
            Permission: ['aoss:DescribeIndex', 'aoss:ReadDocument'],
          },
        ],
        Principal: ['APP_ROLE_ARN'],
      },
      {
        Description: 'readWrite access',
        Rules: [
          {
            ResourceType: 'collection',
            Resource: ['collection/rag-dev'],
            Permission: ['aoss:DescribeCollectionItems'],
          },
          {
            ResourceType: 'index',
            Resource: ['index/rag-dev/*'],
            Permission: ['aoss:DescribeIndex', 'aoss:ReadDocument', 'aoss:WriteDocument'],
          },
        ],
        Principal: ['arn:aws:iam::111122223333:role/ingest'],
      },
    ]);
  });

  test('fails to grant a principal that has no single ARN, such as a service principal', () => {
    const stack = awsStack();
    const collection = new VectorCollection(stack, 'Collection', { collectionName: 'rag-dev' });
    expect(() => collection.grantRead(new iam.ServicePrincipal('lambda.amazonaws.com'))).toThrow(
      exactly(
        [
          'Invalid grant on VectorCollection:',
          '  - grantee: a data access policy names IAM roles or users by ARN; ServicePrincipal(lambda.amazonaws.com) has no single ARN',
        ].join('\n'),
      ),
    );
  });

  test('fails at synth when no principal was granted access', () => {
    const stack = awsStack();
    new VectorCollection(stack, 'Collection', { collectionName: 'rag-dev' });
    expect(() => templateOf(stack)).toThrow(
      exactly(
        [
          'Validation failed with the following errors:',
          '  [Test/Collection] VectorCollection "Collection" has no principal in its data access policy: call grantRead, grantReadWrite or grantIndexManagement',
        ].join('\n'),
      ),
    );
  });

  test('fails when the name, the network settings and the VPC endpoints are invalid, listing every problem', () => {
    const stack = awsStack();
    expect(
      () =>
        new VectorCollection(stack, 'Collection', {
          collectionName: 'Rag_Collection',
          publicAccess: true,
          vpcEndpointIds: ['endpoint-1'],
        }),
    ).toThrow(
      exactly(
        [
          'Invalid VectorCollection "Collection":',
          '  - props.collectionName: "Rag_Collection" is not a collection name: use 3-28 lowercase letters, digits and hyphens, starting with a letter',
          '  - props.vpcEndpointIds: VPC endpoints apply only to a non-public collection; remove them or set publicAccess: false',
          '  - props.vpcEndpointIds[0]: "endpoint-1" is not an OpenSearch Serverless VPC endpoint id (vpce-...)',
        ].join('\n'),
      ),
    );
  });

  test('fails when the name is too long or a private collection is unreachable', () => {
    const stack = awsStack();
    expect(
      () =>
        new VectorCollection(stack, 'Collection', {
          collectionName: 'a-collection-name-of-29-chars',
          bedrockAccess: false,
        }),
    ).toThrow(
      exactly(
        [
          'Invalid VectorCollection "Collection":',
          '  - props.collectionName: "a-collection-name-of-29-chars" is not a collection name: use 3-28 lowercase letters, digits and hyphens, starting with a letter',
          '  - props.bedrockAccess: a non-public collection without vpcEndpointIds and without bedrockAccess is unreachable',
        ].join('\n'),
      ),
    );
  });
});

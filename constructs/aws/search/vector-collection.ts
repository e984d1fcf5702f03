import { Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { CfnAccessPolicy, CfnCollection, CfnSecurityPolicy } from 'aws-cdk-lib/aws-opensearchserverless';
import { Construct } from 'constructs';
import { Problems, show, ValidationError } from '../../core/errors';

/**
 * Collection names: start with a lowercase letter, 3-28 lowercase letters, digits and hyphens.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-opensearchserverless-collection.html#cfn-opensearchserverless-collection-name
 */
const COLLECTION_NAME = /^[a-z][a-z0-9-]{2,27}$/;
// The three policies take the collection's name: policy names allow 3-32 lowercase letters, digits and
// hyphens starting with a letter, so every valid collection name is a valid policy name.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-opensearchserverless-securitypolicy.html
/** An OpenSearch Serverless VPC endpoint id (`AWS::OpenSearchServerless::VpcEndpoint` `Id`). */
const VPC_ENDPOINT_ID = /^vpce-[0-9a-z]{1,32}$/;

/**
 * Data-plane permissions of the data access policy, per access level: the minimum for each, never `aoss:*`.
 *
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-data-access.html#serverless-data-supported-permissions
 */
export const COLLECTION_ACCESS = {
  /** Query documents. */
  read: {
    collection: ['aoss:DescribeCollectionItems'],
    index: ['aoss:DescribeIndex', 'aoss:ReadDocument'],
  },
  /** Query, add, update and delete documents (ingestion, the knowledge base). */
  readWrite: {
    collection: ['aoss:DescribeCollectionItems'],
    index: ['aoss:DescribeIndex', 'aoss:ReadDocument', 'aoss:WriteDocument'],
  },
  /** Create, update and delete indexes (the principal that deploys `AWS::OpenSearchServerless::Index`). */
  indexManagement: {
    collection: ['aoss:DescribeCollectionItems'],
    index: ['aoss:CreateIndex', 'aoss:DescribeIndex', 'aoss:UpdateIndex', 'aoss:DeleteIndex'],
  },
} as const;

/** An access level of {@link COLLECTION_ACCESS}. */
export type CollectionAccessLevel = keyof typeof COLLECTION_ACCESS;

/** Props of {@link VectorCollection}. */
export interface VectorCollectionProps {
  /**
   * Collection name, also the name of its encryption, network and data access policies: 3-28 lowercase
   * letters, digits and hyphens, starting with a letter; unique in the account and region. Changing it
   * replaces the collection (and loses every index in it).
   */
  readonly collectionName: string;
  /**
   * Standby replicas in a second Availability Zone. Cannot change after creation (the service keeps the
   * original value).
   * @default true - the AWS default and what production needs; a development environment may turn it off
   *   to halve the minimum OCU cost
   * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-scaling.html
   */
  readonly standbyReplicasEnabled?: boolean;
  /**
   * Customer-managed KMS key for the collection (encryption policy `KmsARN`).
   * @default an AWS-owned key (`AWSOwnedKey: true`)
   * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-encryption.html
   */
  readonly kmsKey?: kms.IKey;
  /**
   * Whether the collection endpoint is reachable from the internet (still signed requests only).
   * @default false - reachable only through `vpcEndpointIds` and from Amazon Bedrock
   */
  readonly publicAccess?: boolean;
  /**
   * OpenSearch Serverless VPC endpoint ids (`vpce-...`, from `AWS::OpenSearchServerless::VpcEndpoint`) the
   * collection accepts traffic from when it is not public. May be tokens.
   * @default none - only Amazon Bedrock (when `bedrockAccess`) reaches the collection
   */
  readonly vpcEndpointIds?: readonly string[];
  /**
   * Whether Amazon Bedrock (a knowledge base) may reach a non-public collection (`SourceServices`).
   * @default true
   * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-network.html
   */
  readonly bedrockAccess?: boolean;
  /**
   * What happens to the collection when it leaves the stack.
   * @default RemovalPolicy.RETAIN - deleting a collection deletes every index and document in it
   */
  readonly removalPolicy?: RemovalPolicy;
}

interface AccessEntry {
  readonly level: CollectionAccessLevel;
  readonly principalArn: string;
}

/**
 * An OpenSearch Serverless collection of type `VECTORSEARCH` with its encryption, network and data access
 * policies.
 *
 * The data access policy is built lazily: `grantRead`, `grantReadWrite` and `grantIndexManagement` add a
 * principal to it (and `aoss:APIAccessAll` on the collection to the principal's IAM policy) at any time
 * before synthesis. Synthesis fails if no principal was granted access, since the policy needs one.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-opensearchserverless-collection.html
 */
export class VectorCollection extends Construct {
  /** The collection name. */
  public readonly collectionName: string;
  /** The collection ARN (`arn:aws:aoss:<region>:<account>:collection/<id>`). */
  public readonly collectionArn: string;
  /** The collection id. */
  public readonly collectionId: string;
  /** The data-plane endpoint, `https://<id>.<region>.aoss.amazonaws.com`. */
  public readonly collectionEndpoint: string;
  /** The L1 collection. */
  public readonly resource: CfnCollection;
  /** The data access policy; its document lists every principal granted access. */
  public readonly accessPolicy: CfnAccessPolicy;

  private readonly access: AccessEntry[] = [];

  constructor(scope: Construct, id: string, props: VectorCollectionProps) {
    super(scope, id);
    const problems = new Problems('props');
    const name = props.collectionName;
    if (!Token.isUnresolved(name)) {
      problems.check(
        COLLECTION_NAME.test(name),
        'collectionName',
        `${show(name)} is not a collection name: use 3-28 lowercase letters, digits and hyphens, starting with a letter`,
      );
    }
    const isPublic = props.publicAccess ?? false;
    const vpce = props.vpcEndpointIds ?? [];
    const bedrockAccess = props.bedrockAccess ?? true;
    if (isPublic) {
      problems.check(
        vpce.length === 0,
        'vpcEndpointIds',
        'VPC endpoints apply only to a non-public collection; remove them or set publicAccess: false',
      );
    } else {
      problems.check(
        vpce.length > 0 || bedrockAccess,
        'bedrockAccess',
        'a non-public collection without vpcEndpointIds and without bedrockAccess is unreachable',
      );
    }
    vpce.forEach((v, i) => {
      if (Token.isUnresolved(v)) return;
      problems.check(
        VPC_ENDPOINT_ID.test(v),
        `vpcEndpointIds[${i}]`,
        `${show(v)} is not an OpenSearch Serverless VPC endpoint id (vpce-...)`,
      );
    });
    problems.throwIfAny(`Invalid VectorCollection "${id}"`);

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const collectionRule = { ResourceType: 'collection', Resource: [`collection/${name}`] };

    // Encryption policy document: AWSOwnedKey or KmsARN.
    // https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-encryption.html#serverless-encryption-policies
    const encryption = new CfnSecurityPolicy(this, 'EncryptionPolicy', {
      name,
      type: 'encryption',
      description: `Encryption of collection ${name}`,
      policy: Stack.of(this).toJsonString({
        Rules: [collectionRule],
        ...(props.kmsKey ? { AWSOwnedKey: false, KmsARN: props.kmsKey.keyArn } : { AWSOwnedKey: true }),
      }),
    });
    encryption.applyRemovalPolicy(removalPolicy);

    // Network policy document: AllowFromPublic, SourceVPCEs, SourceServices. No dashboard rule: no
    // OpenSearch Dashboards access at all.
    // https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-network.html#serverless-network-policies
    const network = new CfnSecurityPolicy(this, 'NetworkPolicy', {
      name,
      type: 'network',
      description: `Network access to collection ${name}`,
      policy: Stack.of(this).toJsonString([
        {
          Rules: [collectionRule],
          AllowFromPublic: isPublic,
          ...(!isPublic && vpce.length > 0 ? { SourceVPCEs: vpce } : {}),
          ...(!isPublic && bedrockAccess ? { SourceServices: ['bedrock.amazonaws.com'] } : {}),
        },
      ]),
    });
    network.applyRemovalPolicy(removalPolicy);

    this.resource = new CfnCollection(this, 'Resource', {
      name,
      type: 'VECTORSEARCH',
      standbyReplicas: (props.standbyReplicasEnabled ?? true) ? 'ENABLED' : 'DISABLED',
      description: 'Vector store of the RAG knowledge base',
    });
    // A collection is created only when an encryption policy matches its name.
    this.resource.node.addDependency(encryption);
    this.resource.node.addDependency(network);
    this.resource.applyRemovalPolicy(removalPolicy);

    // https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-data-access.html#serverless-data-access-policies
    this.accessPolicy = new CfnAccessPolicy(this, 'AccessPolicy', {
      name,
      type: 'data',
      description: `Data access to collection ${name}`,
      policy: Lazy.string({ produce: () => this.accessPolicyDocument() }),
    });
    this.node.addValidation({
      validate: () =>
        this.access.length === 0
          ? [
              `VectorCollection "${id}" has no principal in its data access policy: call grantRead, grantReadWrite or grantIndexManagement`,
            ]
          : [],
    });

    this.collectionName = name;
    this.collectionArn = this.resource.attrArn;
    this.collectionId = this.resource.attrId;
    this.collectionEndpoint = this.resource.attrCollectionEndpoint;
  }

  /**
   * Lets `grantee` query documents: `aoss:APIAccessAll` on the collection (IAM) and
   * `aoss:DescribeCollectionItems`, `aoss:DescribeIndex`, `aoss:ReadDocument` in the data access policy.
   */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'read');
  }

  /**
   * Lets `grantee` query and write documents: `aoss:APIAccessAll` (IAM) and, in the data access policy,
   * `aoss:DescribeCollectionItems`, `aoss:DescribeIndex`, `aoss:ReadDocument`, `aoss:WriteDocument`.
   */
  public grantReadWrite(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'readWrite');
  }

  /**
   * Lets `grantee` create, update and delete indexes (the role CloudFormation deploys
   * `AWS::OpenSearchServerless::Index` with): `aoss:APIAccessAll` (IAM) and `aoss:CreateIndex`,
   * `aoss:DescribeIndex`, `aoss:UpdateIndex`, `aoss:DeleteIndex` in the data access policy.
   */
  public grantIndexManagement(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, 'indexManagement');
  }

  /**
   * Adds a principal, by ARN, to the data access policy only; for principals outside this app (e.g. the
   * deployment role) whose IAM policies are managed elsewhere. They also need `aoss:APIAccessAll` on
   * {@link collectionArn}.
   */
  public addPrincipalArn(level: CollectionAccessLevel, principalArn: string): void {
    const resolved = (arn: string) => JSON.stringify(Stack.of(this).resolve(arn));
    const key = resolved(principalArn);
    if (!this.access.some((a) => a.level === level && resolved(a.principalArn) === key)) {
      this.access.push({ level, principalArn });
    }
  }

  private grant(grantee: iam.IGrantable, level: CollectionAccessLevel): iam.Grant {
    this.addPrincipalArn(level, principalArnOf(grantee));
    // https://docs.aws.amazon.com/opensearch-service/latest/developerguide/security-iam-serverless.html
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['aoss:APIAccessAll'],
      resourceArns: [this.collectionArn],
    });
  }

  private accessPolicyDocument(): string {
    const levels = (Object.keys(COLLECTION_ACCESS) as CollectionAccessLevel[]).filter((level) =>
      this.access.some((a) => a.level === level),
    );
    return Stack.of(this).toJsonString(
      levels.map((level) => ({
        Description: `${level} access`,
        Rules: [
          {
            ResourceType: 'collection',
            Resource: [`collection/${this.collectionName}`],
            Permission: [...COLLECTION_ACCESS[level].collection],
          },
          {
            ResourceType: 'index',
            Resource: [`index/${this.collectionName}/*`],
            Permission: [...COLLECTION_ACCESS[level].index],
          },
        ],
        Principal: this.access.filter((a) => a.level === level).map((a) => a.principalArn),
      })),
    );
  }
}

/** The ARN a data access policy names for a grantee: a role's or user's ARN, or an `ArnPrincipal`'s. */
function principalArnOf(grantee: iam.IGrantable): string {
  const principal = grantee.grantPrincipal;
  if ('roleArn' in principal && typeof principal.roleArn === 'string') return principal.roleArn;
  if ('userArn' in principal && typeof principal.userArn === 'string') return principal.userArn;
  const aws = principal.policyFragment.principalJson.AWS;
  const arns = Array.isArray(aws) ? aws : aws === undefined ? [] : [aws];
  if (arns.length === 1 && typeof arns[0] === 'string') return arns[0];
  throw new ValidationError('Invalid grant on VectorCollection', [
    {
      path: 'grantee',
      message: `a data access policy names IAM roles or users by ARN; ${principal.toString()} has no single ARN`,
    },
  ]);
}

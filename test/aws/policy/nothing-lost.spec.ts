import { RemovalPolicy, type Stack } from 'aws-cdk-lib';
import {
  CfnManagedPolicy,
  ManagedPolicy,
  PolicyDocument,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { RetainRule } from '../../../constructs/aws/policy';
import { RESOURCE_TYPES } from '../../../constructs/core/resource-types';
import { findingsOf, goodBucket } from './fixtures';

describe('LLMOPS-AWS-RETAIN', () => {
  const RULE = 'LLMOPS-AWS-RETAIN';

  test('applies to exactly the registry types marked preventDestroy', () => {
    const rule = new RetainRule();
    for (const [type, facts] of Object.entries(RESOURCE_TYPES).filter(([t]) => t.startsWith('AWS::'))) {
      expect({ type, applies: rule.appliesTo(type) }).toEqual({
        type,
        applies: facts.preventDestroy === true,
      });
    }
  });

  test('passes for RemovalPolicy.RETAIN', () => {
    expect(findingsOf(RULE, (s) => new LogGroup(s, 'Logs', { removalPolicy: RemovalPolicy.RETAIN }))).toEqual(
      [],
    );
  });

  test('fails for DESTROY and for a bucket without UpdateReplacePolicy, naming what the registry says is lost', () => {
    // GIVEN a log group destroyed with the stack and a bucket retained on delete only
    const found = findingsOf(RULE, (stack) => {
      new LogGroup(stack, 'Logs', { removalPolicy: RemovalPolicy.DESTROY });
      const bucket = goodBucket(stack, 'Bucket');
      (bucket.node.defaultChild as CfnBucket).cfnOptions.updateReplacePolicy = undefined;
    });
    // THEN
    expect(found).toEqual([
      'error LLMOPS-AWS-RETAIN Test/Bucket/Resource (Bucket83908E77): stateful AWS::S3::Bucket (holds its objects (knowledge-base documents, invocation logs) and their versions; a replacement is a new, empty bucket) without UpdateReplacePolicy Retain; keep the construct default (removalPolicy: RemovalPolicy.RETAIN)',
      'error LLMOPS-AWS-RETAIN Test/Logs/Resource (Logs6819BB44): stateful AWS::Logs::LogGroup (holds the log events (prompt and response logs, traces) for their retention) without DeletionPolicy and UpdateReplacePolicy Retain; keep the construct default (removalPolicy: RemovalPolicy.RETAIN)',
    ]);
  });

  test('a throwaway environment acknowledges it for the whole stack with its reason', () => {
    const found = findingsOf(RULE, (s) => new LogGroup(s, 'Logs', { removalPolicy: RemovalPolicy.DESTROY }), [
      { ruleId: RULE, path: 'Test', reason: 'protection.retain: false - throwaway review environment' },
    ]);
    expect(found).toEqual([
      expect.stringMatching(/\| acknowledged: protection.retain: false - throwaway review environment$/),
    ]);
  });
});

describe('S3 rules', () => {
  test('pass for a versioned, blocked, TLS-only bucket', () => {
    for (const rule of [
      'LLMOPS-AWS-S3-VERSIONED',
      'LLMOPS-AWS-S3-PUBLIC-ACCESS-BLOCKED',
      'LLMOPS-AWS-S3-TLS-ONLY',
    ]) {
      expect({ rule, found: findingsOf(rule, (s) => goodBucket(s, 'Bucket')) }).toEqual({ rule, found: [] });
    }
  });

  test('fail for suspended versioning, a partial public access block and a bucket policy without the TLS denial', () => {
    // GIVEN a bucket that gets each one nearly right
    const build = (stack: Stack) => {
      const bucket = new Bucket(stack, 'Bucket', {
        blockPublicAccess: new BlockPublicAccess({ blockPublicAcls: true, ignorePublicAcls: true }),
      });
      (bucket.node.defaultChild as CfnBucket).versioningConfiguration = { status: 'Suspended' };
      bucket.addToResourcePolicy(
        new PolicyStatement({
          actions: ['s3:GetObject'],
          resources: [bucket.arnForObjects('*')],
          principals: [new ServicePrincipal('bedrock.amazonaws.com')],
        }),
      );
    };
    // THEN each rule names what to set
    expect(findingsOf('LLMOPS-AWS-S3-VERSIONED', build)).toEqual([
      'error LLMOPS-AWS-S3-VERSIONED Test/Bucket/Resource (Bucket83908E77): bucket is not versioned; set versioned: true (VersioningConfiguration.Status Enabled)',
    ]);
    expect(findingsOf('LLMOPS-AWS-S3-PUBLIC-ACCESS-BLOCKED', build)).toEqual([
      'error LLMOPS-AWS-S3-PUBLIC-ACCESS-BLOCKED Test/Bucket/Resource (Bucket83908E77): public access is not blocked (BlockPublicPolicy, RestrictPublicBuckets not true); set blockPublicAccess: BlockPublicAccess.BLOCK_ALL',
    ]);
    expect(findingsOf('LLMOPS-AWS-S3-TLS-ONLY', build)).toEqual([
      'error LLMOPS-AWS-S3-TLS-ONLY Test/Bucket/Resource (Bucket83908E77): no bucket policy denies requests without TLS; set enforceSSL: true (Deny s3:* to * when aws:SecureTransport is false)',
    ]);
  });
});

describe('LLMOPS-AWS-KMS-ROTATION', () => {
  const RULE = 'LLMOPS-AWS-KMS-ROTATION';

  test('passes for a rotated symmetric key and skips keys that cannot rotate', () => {
    const found = findingsOf(RULE, (stack) => {
      new Key(stack, 'Rotated', { enableKeyRotation: true });
      new Key(stack, 'Signing', { keySpec: KeySpec.ECC_NIST_P256, keyUsage: KeyUsage.SIGN_VERIFY });
    });
    expect(found).toEqual([]);
  });

  test('fails for a symmetric key without rotation', () => {
    expect(findingsOf(RULE, (s) => new Key(s, 'Key'))).toEqual([
      'error LLMOPS-AWS-KMS-ROTATION Test/Key/Resource (Key961B73FD): key rotation is off; set enableKeyRotation: true (EnableKeyRotation)',
    ]);
  });
});

describe('LLMOPS-AWS-IAM-NO-ADMIN', () => {
  const RULE = 'LLMOPS-AWS-IAM-NO-ADMIN';

  test('passes for scoped statements, and for * actions of one service or on named resources', () => {
    const found = findingsOf(RULE, (stack) => {
      const role = new Role(stack, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
      role.addToPolicy(new PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
      role.addToPolicy(new PolicyStatement({ actions: ['*'], resources: ['arn:aws:s3:::one-bucket'] }));
    });
    expect(found).toEqual([]);
  });

  test('fails for * on * in an inline policy, a managed policy, a role policy and AdministratorAccess', () => {
    // GIVEN each place a statement can live
    const found = findingsOf(RULE, (stack) => {
      const role = new Role(stack, 'Role', {
        assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
        managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')],
        inlinePolicies: {
          admin: new PolicyDocument({
            statements: [new PolicyStatement({ actions: ['*'], resources: ['*'] })],
          }),
        },
      });
      role.addToPolicy(new PolicyStatement({ actions: ['*'], resources: ['*'] }));
      new CfnManagedPolicy(stack, 'Managed', {
        policyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: '*:*', Resource: '*' }],
        },
      });
    });
    // THEN every one is named with where it is
    expect(found).toEqual([
      'error LLMOPS-AWS-IAM-NO-ADMIN Test/Managed (Managed): PolicyDocument statement 0 allows action "*" on resource "*"; grant the actions needed on the resources needed (a grant* method of the resource)',
      'error LLMOPS-AWS-IAM-NO-ADMIN Test/Role/DefaultPolicy/Resource (RoleDefaultPolicy5FFB7DAB): PolicyDocument statement 0 allows action "*" on resource "*"; grant the actions needed on the resources needed (a grant* method of the resource)',
      'error LLMOPS-AWS-IAM-NO-ADMIN Test/Role/Resource (Role1ABCC5F0): Policies[0] (admin) statement 0 allows action "*" on resource "*"; grant the actions needed on the resources needed (a grant* method of the resource)',
      'error LLMOPS-AWS-IAM-NO-ADMIN Test/Role/Resource (Role1ABCC5F0): ManagedPolicyArns attaches AdministratorAccess (* on *); attach least-privilege policies',
    ]);
  });
});

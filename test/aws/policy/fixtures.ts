import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CfnApplicationInferenceProfile, CfnGuardrail, CfnGuardrailVersion } from 'aws-cdk-lib/aws-bedrock';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { CfnAccessPolicy, CfnCollection, CfnSecurityPolicy } from 'aws-cdk-lib/aws-opensearchserverless';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import {
  type AwsPolicy,
  type AwsPolicyFinding,
  type AwsPolicyProps,
  AwsPolicy as Policy,
} from '../../../constructs/aws/policy';
import { TEST_REGION } from '../../helpers/aws';

/** A fresh app with one stack, `Test`, and the AWS policy applied with `props`. */
export function policyApp(props: AwsPolicyProps = {}): { app: App; stack: Stack; policy: AwsPolicy } {
  const app = new App();
  const stack = new Stack(app, 'Test', { env: { region: TEST_REGION } });
  return { app, stack, policy: Policy.apply(app, props) };
}

/** Synthesizes `app`; the error message when synth fails (the policy's report), else undefined. */
export function synthError(app: App): string | undefined {
  try {
    app.synth();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Findings as `<severity> <rule> <path> (<logical id>): <message>[ | acknowledged: <reason>]`. */
export function lines(findings: readonly AwsPolicyFinding[]): string[] {
  return findings.map((f) => {
    const where = f.logicalId ? `${f.path} (${f.logicalId})` : f.path;
    const ack = f.acknowledgedBecause === undefined ? '' : ` | acknowledged: ${f.acknowledgedBecause}`;
    return `${f.severity} ${f.ruleId} ${where}: ${f.message}${ack}`;
  });
}

/** A bucket that passes every rule but AwsSolutions-S1 (access logs) on its own. */
export function goodBucket(
  scope: Construct,
  id: string,
  props: { serverAccessLogsBucket?: Bucket } = {},
): Bucket {
  return new Bucket(scope, id, {
    versioned: true,
    enforceSSL: true,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    encryption: BucketEncryption.S3_MANAGED,
    removalPolicy: RemovalPolicy.RETAIN,
    ...props,
  });
}

/** A guardrail blocking the harm categories at HIGH, with a published version. */
export function goodGuardrail(scope: Construct): CfnGuardrail {
  const guardrail = new CfnGuardrail(scope, 'Guardrail', {
    name: 'strict',
    blockedInputMessaging: 'Blocked.',
    blockedOutputsMessaging: 'Blocked.',
    contentPolicyConfig: {
      filtersConfig: ['HATE', 'INSULTS', 'SEXUAL', 'VIOLENCE', 'MISCONDUCT'].map((type) => ({
        type,
        inputStrength: 'HIGH',
        outputStrength: 'HIGH',
      })),
    },
  });
  new CfnGuardrailVersion(scope, 'GuardrailVersion', { guardrailIdentifier: guardrail.attrGuardrailId });
  return guardrail;
}

/** An application inference profile copying from a versioned Claude model ID. */
export function goodProfile(scope: Construct, modelId = 'anthropic.claude-3-5-sonnet-20240620-v1:0'): void {
  new CfnApplicationInferenceProfile(scope, 'Profile', {
    inferenceProfileName: 'chat',
    modelSource: {
      copyFrom: `arn:${Stack.of(scope).partition}:bedrock:${TEST_REGION}::foundation-model/${modelId}`,
    },
  });
}

/** A VECTORSEARCH collection with its encryption, network (VPC endpoint) and data access policies. */
export function goodCollection(scope: Construct, reader: Role): CfnCollection {
  const encryption = new CfnSecurityPolicy(scope, 'Encryption', {
    name: 'rag-enc',
    type: 'encryption',
    policy: JSON.stringify({
      Rules: [{ ResourceType: 'collection', Resource: ['collection/rag'] }],
      AWSOwnedKey: true,
    }),
  });
  new CfnSecurityPolicy(scope, 'Network', {
    name: 'rag-net',
    type: 'network',
    policy: JSON.stringify([
      {
        Rules: [{ ResourceType: 'collection', Resource: ['collection/rag'] }],
        AllowFromPublic: false,
        SourceVPCEs: ['vpce-0123456789abcdef0'],
      },
    ]),
  });
  new CfnAccessPolicy(scope, 'Access', {
    name: 'rag-access',
    type: 'data',
    policy: Stack.of(scope).toJsonString([
      {
        Rules: [{ ResourceType: 'index', Resource: ['index/rag/*'], Permission: ['aoss:ReadDocument'] }],
        Principal: [reader.roleArn],
      },
    ]),
  });
  const collection = new CfnCollection(scope, 'Collection', { name: 'rag', type: 'VECTORSEARCH' });
  collection.addResourceDependency(encryption);
  collection.applyRemovalPolicy(RemovalPolicy.RETAIN);
  return collection;
}

/** A stack of every kind the rules check, all compliant; the access-log bucket needs AwsSolutions-S1. */
export function compliantStack(stack: Stack): void {
  const key = new Key(stack, 'Key', { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
  const logs = goodBucket(stack, 'AccessLogs');
  const docs = goodBucket(stack, 'Docs', { serverAccessLogsBucket: logs });
  const reader = new Role(stack, 'Reader', { assumedBy: new ServicePrincipal('bedrock.amazonaws.com') });
  docs.grantRead(reader);
  reader.addToPolicy(new PolicyStatement({ actions: ['kms:Decrypt'], resources: [key.keyArn] }));
  goodGuardrail(stack);
  goodProfile(stack);
  goodCollection(stack, reader);
}

/**
 * The findings of one rule on the stack `build` fills, as `lines()`, after synthesizing with the policy
 * and `acknowledgements`.
 */
export function findingsOf(
  ruleId: string,
  build: (stack: Stack) => void,
  acknowledgements: AwsPolicyProps['acknowledgements'] = [],
): string[] {
  const { app, stack, policy } = policyApp({ acknowledgements });
  build(stack);
  synthError(app);
  return lines(policy.findings.filter((f) => f.ruleId === ruleId));
}

import type { Stack } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnAccessPolicy, CfnCollection, CfnSecurityPolicy } from 'aws-cdk-lib/aws-opensearchserverless';
import { findingsOf, goodCollection } from './fixtures';

const ENCRYPTION = 'LLMOPS-AWS-AOSS-ENCRYPTION-POLICY';
const NETWORK = 'LLMOPS-AWS-AOSS-PUBLIC-NETWORK';
const DATA = 'LLMOPS-AWS-AOSS-DATA-ACCESS';

const reader = (stack: Stack) =>
  new Role(stack, 'Reader', { assumedBy: new ServicePrincipal('bedrock.amazonaws.com') });

describe(ENCRYPTION, () => {
  test('passes with a matching policy the collection depends on, a wildcard policy, or its own EncryptionConfig', () => {
    expect(findingsOf(ENCRYPTION, (s) => goodCollection(s, reader(s)))).toEqual([]);
    const others = findingsOf(ENCRYPTION, (stack) => {
      const policy = new CfnSecurityPolicy(stack, 'Enc', {
        name: 'all-rag',
        type: 'encryption',
        policy: JSON.stringify({
          Rules: [{ ResourceType: 'collection', Resource: ['collection/rag-*'] }],
          AWSOwnedKey: true,
        }),
      });
      new CfnCollection(stack, 'Wildcard', { name: 'rag-dev', type: 'VECTORSEARCH' }).addResourceDependency(
        policy,
      );
      new CfnCollection(stack, 'Inline', {
        name: 'inline',
        type: 'VECTORSEARCH',
        encryptionConfig: { awsOwnedKey: true },
      });
    });
    expect(others).toEqual([]);
  });

  test('fails without a matching policy, and when the collection does not depend on it', () => {
    // GIVEN a policy for another collection, and a matching policy the collection does not wait for
    const found = findingsOf(ENCRYPTION, (stack) => {
      new CfnSecurityPolicy(stack, 'Enc', {
        name: 'other',
        type: 'encryption',
        policy: JSON.stringify({
          Rules: [{ ResourceType: 'collection', Resource: ['collection/other'] }],
          AWSOwnedKey: true,
        }),
      });
      new CfnCollection(stack, 'Unencrypted', { name: 'rag', type: 'VECTORSEARCH' });
      new CfnCollection(stack, 'Racing', { name: 'other', type: 'VECTORSEARCH' });
    });
    // THEN
    expect(found).toEqual([
      'error LLMOPS-AWS-AOSS-ENCRYPTION-POLICY Test/Racing (Racing): collection does not depend on its encryption policy Enc; add the dependency (collection.addResourceDependency(policy)) so the policy exists first',
      'error LLMOPS-AWS-AOSS-ENCRYPTION-POLICY Test/Unencrypted (Unencrypted): no encryption policy (AWS::OpenSearchServerless::SecurityPolicy, Type encryption) covers collection/rag and the collection has no EncryptionConfig; add a policy whose rule lists it',
    ]);
  });
});

describe(NETWORK, () => {
  const publicPolicy = (stack: Stack) =>
    new CfnSecurityPolicy(stack, 'Net', {
      name: 'rag-net',
      type: 'network',
      policy: JSON.stringify([
        { Rules: [{ ResourceType: 'collection', Resource: ['collection/rag'] }], SourceVPCEs: ['vpce-1'] },
        { Rules: [{ ResourceType: 'dashboard', Resource: ['collection/rag'] }], AllowFromPublic: true },
      ]),
    });

  test('passes for a network policy reached through VPC endpoints', () => {
    expect(findingsOf(NETWORK, (s) => goodCollection(s, reader(s)))).toEqual([]);
  });

  test('fails for AllowFromPublic: true, naming the policy rule', () => {
    expect(findingsOf(NETWORK, publicPolicy)).toEqual([
      'error LLMOPS-AWS-AOSS-PUBLIC-NETWORK Test/Net (Net): network policy rule 1 sets AllowFromPublic: true; set it false and list SourceVPCEs (or acknowledge the rule with the reason the environment is public)',
    ]);
  });

  test('an acknowledgement with its reason covers it (a public development environment)', () => {
    const found = findingsOf(NETWORK, publicPolicy, [
      { ruleId: NETWORK, path: 'Test', reason: 'aws-dev is a public development environment' },
    ]);
    expect(found).toEqual([
      expect.stringMatching(/\| acknowledged: aws-dev is a public development environment$/),
    ]);
  });
});

describe(DATA, () => {
  test('passes for named permissions granted to a role (principal from a token)', () => {
    expect(findingsOf(DATA, (s) => goodCollection(s, reader(s)))).toEqual([]);
  });

  test('fails for aoss:* and for the principal *', () => {
    // GIVEN a data access policy with both wildcards
    const found = findingsOf(DATA, (stack) => {
      new CfnAccessPolicy(stack, 'Open', {
        name: 'open',
        type: 'data',
        policy: JSON.stringify([
          {
            Rules: [{ ResourceType: 'index', Resource: ['index/rag/*'], Permission: ['aoss:*'] }],
            Principal: ['*'],
          },
        ]),
      });
    });
    // THEN both are named
    expect(found).toEqual([
      'error LLMOPS-AWS-AOSS-DATA-ACCESS Test/Open (Open): data access policy entry 0 grants to principal "*"; name the roles that need access',
      'error LLMOPS-AWS-AOSS-DATA-ACCESS Test/Open (Open): data access policy entry 0 grants "aoss:*"; list the permissions needed (e.g. aoss:ReadDocument, aoss:WriteDocument, aoss:DescribeIndex)',
    ]);
  });
});

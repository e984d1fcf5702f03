import { App, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BedrockModel, Guardrail } from '../../../constructs/aws/models';
import { awsStack, templateOf } from '../../helpers/aws';
import { exactly } from '../../helpers/errors';
import { cfnText, cfnTexts } from './cfn-text';

const SONNET = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
const TITAN = 'amazon.titan-embed-text-v2:0';
const PROFILE = 'AWS::Bedrock::ApplicationInferenceProfile';

function only(stack: Stack, type: string): { logicalId: string; properties: Record<string, unknown> } {
  const resources = templateOf(stack).findResources(type);
  const ids = Object.keys(resources);
  expect(ids).toHaveLength(1);
  return { logicalId: ids[0], properties: resources[ids[0]].Properties };
}

/** The one policy statement of a role that was granted one thing. */
function grantedStatement(stack: Stack): { Action: string[]; Resource: unknown } {
  const policy = only(stack, 'AWS::IAM::Policy').properties as {
    PolicyDocument: { Statement: { Action: string[]; Resource: unknown }[] };
  };
  expect(policy.PolicyDocument.Statement).toHaveLength(1);
  return policy.PolicyDocument.Statement[0];
}

function role(stack: Stack): iam.Role {
  return new iam.Role(stack, 'App', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
}

describe('BedrockModel', () => {
  test('defaults: an in-Region model copies the foundation model of the stack Region, under a pinned name', () => {
    // GIVEN a stack in us-east-1 WHEN an embedding model is deployed without options
    const stack = awsStack();
    const model = new BedrockModel(stack, 'Embedding', { modelId: TITAN });

    // THEN one application inference profile copies the foundation model ARN, no tags
    const profile = only(stack, PROFILE);
    expect(profile.logicalId).toBe('EmbeddingBD3C52B8');
    expect(profile.properties.InferenceProfileName).toBe('Test-Embedding-02A60672-7d02d939');
    expect(cfnText((profile.properties.ModelSource as { CopyFrom: unknown }).CopyFrom)).toBe(
      `arn:<AWS::Partition>:bedrock:us-east-1::foundation-model/${TITAN}`,
    );
    expect(profile.properties.Tags).toBeUndefined();
    expect(model.role).toBe('embedding');
    expect(model.crossRegionProfileId).toBeUndefined();
    expect(stack.resolve(model.inferenceProfileArn)).toEqual({
      'Fn::GetAtt': [profile.logicalId, 'InferenceProfileArn'],
    });
    expect(stack.resolve(model.inferenceProfileId)).toEqual({
      'Fn::GetAtt': [profile.logicalId, 'InferenceProfileId'],
    });
  });

  test('a model change gets a new default name, so the replacement does not collide with the old profile', () => {
    const names = ['us', 'global'].map((crossRegion) => {
      const stack = awsStack();
      new BedrockModel(stack, 'Chat', { modelId: SONNET, crossRegion: crossRegion as 'us' | 'global' });
      return only(stack, PROFILE).properties.InferenceProfileName;
    });
    expect(names[0]).not.toBe(names[1]);
    expect(names.every((n) => /^Test-Chat-[0-9A-F]{8}-[0-9a-f]{8}$/.test(n as string))).toBe(true);
  });

  test('all props: a cross-region profile source, a given name and sorted cost tags', () => {
    // GIVEN Claude Sonnet 4.5 through the US profile, with cost tags
    const stack = awsStack();
    const model = new BedrockModel(stack, 'Chat', {
      modelId: SONNET,
      crossRegion: 'us',
      name: 'chat dev',
      tags: { environment: 'dev', 'cost-center': 'llm-42' },
    });
    Tags.of(stack).add('project', 'llmops');

    // THEN the profile copies the system-defined profile us.<model> of the stack's Region and account
    {
      const profile = only(stack, PROFILE).properties;
      expect(profile.InferenceProfileName).toBe('chat dev');
      expect(cfnText((profile.ModelSource as { CopyFrom: unknown }).CopyFrom)).toBe(
        `arn:<AWS::Partition>:bedrock:us-east-1:<AWS::AccountId>:inference-profile/us.${SONNET}`,
      );
      expect(profile.Tags).toEqual([
        { Key: 'cost-center', Value: 'llm-42' },
        { Key: 'environment', Value: 'dev' },
        { Key: 'project', Value: 'llmops' },
      ]);
    }
    expect(model.crossRegionProfileId).toBe(`us.${SONNET}`);
    expect(model.modelId).toBe(SONNET);
    expect(model.role).toBe('chat');
    expect(cfnTexts(stack.resolve(model.foundationModelArns))).toEqual(
      ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2'].map(
        (r) => `arn:<AWS::Partition>:bedrock:${r}::foundation-model/${SONNET}`,
      ),
    );
  });

  test('grantInvoke: invoke actions on the profile and the foundation model of the stack Region only', () => {
    const stack = awsStack();
    const model = new BedrockModel(stack, 'Embedding', { modelId: TITAN });
    const grant = model.grantInvoke(role(stack));

    const statement = grantedStatement(stack);
    expect(statement.Action).toEqual(['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream']);
    expect(statement).not.toHaveProperty('Condition');
    expect(cfnTexts(statement.Resource)).toEqual([
      '<EmbeddingBD3C52B8.InferenceProfileArn>',
      `arn:<AWS::Partition>:bedrock:us-east-1::foundation-model/${TITAN}`,
    ]);
    expect(grant.success).toBe(true);
  });

  test('grantInvoke through a geographic profile: the foundation model in every destination Region', () => {
    const stack = awsStack({ env: { region: 'eu-west-1' } });
    new BedrockModel(stack, 'Chat', { modelId: 'amazon.nova-pro-v1:0', crossRegion: 'eu' }).grantInvoke(
      role(stack),
    );

    expect(cfnTexts(grantedStatement(stack).Resource)).toEqual([
      '<Chat26DEB33F.InferenceProfileArn>',
      ...['eu-central-1', 'eu-north-1', 'eu-west-1', 'eu-west-3'].map(
        (r) => `arn:<AWS::Partition>:bedrock:${r}::foundation-model/amazon.nova-pro-v1:0`,
      ),
    ]);
  });

  test('grantInvoke through the global profile: the source Region and the Region-less foundation model ARN', () => {
    const stack = awsStack();
    new BedrockModel(stack, 'Chat', { modelId: SONNET, crossRegion: 'global' }).grantInvoke(role(stack));

    expect(cfnTexts(grantedStatement(stack).Resource)).toEqual([
      '<Chat26DEB33F.InferenceProfileArn>',
      `arn:<AWS::Partition>:bedrock:us-east-1::foundation-model/${SONNET}`,
      `arn:<AWS::Partition>:bedrock:::foundation-model/${SONNET}`,
    ]);
  });

  test('grantInvoke with a guardrail: only requests that apply its published version, which it may apply', () => {
    const stack = awsStack();
    const model = new BedrockModel(stack, 'Embedding', { modelId: TITAN });
    const guardrail = new Guardrail(stack, 'Strict');
    model.grantInvoke(role(stack), { guardrail });

    const policy = only(stack, 'AWS::IAM::Policy').properties as {
      PolicyDocument: { Statement: { Action: unknown; Resource: unknown; Condition?: unknown }[] };
    };
    const [invoke, apply] = policy.PolicyDocument.Statement;
    expect(invoke.Action).toEqual(['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream']);
    expect(cfnTexts(invoke.Resource)).toEqual([
      '<EmbeddingBD3C52B8.InferenceProfileArn>',
      `arn:<AWS::Partition>:bedrock:us-east-1::foundation-model/${TITAN}`,
    ]);
    const condition = invoke.Condition as { StringEquals: Record<string, unknown> };
    expect(Object.keys(condition)).toEqual(['StringEquals']);
    expect(cfnText(condition.StringEquals['bedrock:GuardrailIdentifier'])).toBe(
      '<Strict50189BC0.GuardrailArn>:<StrictVersion953080B9.Version>',
    );
    expect(apply).toEqual({
      Action: 'bedrock:ApplyGuardrail',
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': ['Strict50189BC0', 'GuardrailArn'] },
    });
    expect(policy.PolicyDocument.Statement).toHaveLength(2);
  });

  test('a model the catalog does not list: the grant names the model in every Region, and says so', () => {
    const stack = awsStack();
    const model = new BedrockModel(stack, 'Llama', {
      modelId: 'meta.llama3-1-70b-instruct-v1:0',
      crossRegion: 'us',
    });
    model.grantInvoke(role(stack));

    expect(cfnTexts(grantedStatement(stack).Resource)).toEqual([
      '<Llama4E7FDFEC.InferenceProfileArn>',
      'arn:<AWS::Partition>:bedrock:*::foundation-model/meta.llama3-1-70b-instruct-v1:0',
    ]);
    expect(model.role).toBeUndefined();
    Annotations.fromStack(stack).hasInfo(
      '/Test/Llama',
      Match.stringLikeRegexp(
        'destination Regions of us.meta.llama3-1-70b-instruct-v1:0 are not in data/bedrock-models.json',
      ),
    );
  });

  test('an environment-agnostic stack: ARNs take the Region at deploy time and the Region is not checked', () => {
    const stack = new Stack(new App(), 'Agnostic');
    new BedrockModel(stack, 'Chat', { modelId: SONNET, crossRegion: 'eu' });
    const profile = only(stack, PROFILE).properties;
    expect(cfnText((profile.ModelSource as { CopyFrom: unknown }).CopyFrom)).toBe(
      `arn:<AWS::Partition>:bedrock:<AWS::Region>:<AWS::AccountId>:inference-profile/eu.${SONNET}`,
    );
  });

  test('fails when the model ID, name and tags are invalid, naming every problem', () => {
    const stack = awsStack();
    expect(
      () =>
        new BedrockModel(stack, 'Chat', {
          modelId: 'gpt-4o',
          name: 'chat--dev!',
          tags: { 'aws:owner': 'me', team: 'a<b' },
        }),
    ).toThrow(
      exactly(
        [
          'Invalid BedrockModel "Test/Chat":',
          '  - props.modelId: "gpt-4o" is an Azure OpenAI model name, not a Bedrock model ID: an AWS environment names a versioned Bedrock model ID such as "anthropic.claude-sonnet-4-5-20250929-v1:0" or "amazon.titan-embed-text-v2:0"',
          '  - props.name: "chat--dev!" is not a valid inference profile name: 1-64 letters and digits, with single " ", "_" or "-" between them',
          '  - props.tags.aws:owner: "aws:owner" is reserved: tag keys starting with "aws:" are AWS\'s',
          '  - props.tags.team: "a<b" is not a valid tag value: 0-256 letters, digits, spaces and _ . : / = + - @',
        ].join('\n'),
      ),
    );
  });

  test('fails when the model is floating, or needs a cross-region profile the stack Region is not in', () => {
    const stack = awsStack();
    expect(() => new BedrockModel(stack, 'Floating', { modelId: 'amazon.nova-pro-v1' })).toThrow(
      exactly(
        [
          'Invalid BedrockModel "Test/Floating":',
          '  - props.modelId: "amazon.nova-pro-v1" is not pinned to a version: give the ID with its ":<version>" suffix, such as "anthropic.claude-sonnet-4-5-20250929-v1:0" or "amazon.titan-embed-text-v2:0" (floating IDs are not allowed)',
        ].join('\n'),
      ),
    );
    expect(() => new BedrockModel(stack, 'InRegion', { modelId: SONNET })).toThrow(
      exactly(
        [
          'Invalid BedrockModel "Test/InRegion":',
          `  - props.crossRegion: "${SONNET}" is served only through cross-region inference profiles: set crossRegion to one of us, eu, jp, au, global`,
        ].join('\n'),
      ),
    );
    expect(
      () => new BedrockModel(stack, 'Europe', { modelId: SONNET, crossRegion: 'eu', name: 'x'.repeat(65) }),
    ).toThrow(
      exactly(
        [
          'Invalid BedrockModel "Test/Europe":',
          `  - props.crossRegion: the "eu" profile of "${SONNET}" cannot be used from us-east-1: its Regions are eu-central-1, eu-north-1, eu-south-1, eu-south-2, eu-west-1, eu-west-3`,
          `  - props.name: "${'x'.repeat(65)}" is not a valid inference profile name: 1-64 letters and digits, with single " ", "_" or "-" between them`,
        ].join('\n'),
      ),
    );
  });
});

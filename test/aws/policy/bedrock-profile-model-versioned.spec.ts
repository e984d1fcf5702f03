import { CfnApplicationInferenceProfile } from 'aws-cdk-lib/aws-bedrock';
import { findingsOf, goodProfile } from './fixtures';

const RULE = 'LLMOPS-AWS-BEDROCK-PROFILE-MODEL-VERSIONED';

describe(RULE, () => {
  test.each([
    'anthropic.claude-3-5-sonnet-20240620-v1:0',
    'amazon.titan-embed-text-v2:0',
    'amazon.titan-embed-text-v1:2:8k',
    'cohere.embed-english-v3',
    'anthropic.claude-opus-4-6-v1',
  ])('passes for the versioned model ID %s', (modelId) => {
    expect(findingsOf(RULE, (s) => goodProfile(s, modelId))).toEqual([]);
  });

  test('passes for a cross-region inference profile of a versioned model', () => {
    const found = findingsOf(RULE, (stack) => {
      new CfnApplicationInferenceProfile(stack, 'Profile', {
        inferenceProfileName: 'chat',
        modelSource: {
          copyFrom: `arn:aws:bedrock:us-east-1:${stack.account}:inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0`,
        },
      });
    });
    expect(found).toEqual([]);
  });

  test('fails for a floating alias and for a source the template does not show', () => {
    // GIVEN a profile copying from an alias, and one copying from a parameter-like reference
    const found = findingsOf(RULE, (stack) => {
      goodProfile(stack, 'anthropic.claude-sonnet-latest');
      new CfnApplicationInferenceProfile(stack, 'Opaque', {
        inferenceProfileName: 'opaque',
        modelSource: { copyFrom: stack.resolve({ Ref: 'ModelArn' }) },
      });
      new CfnApplicationInferenceProfile(stack, 'NoVersion', {
        inferenceProfileName: 'nov',
        modelSource: { copyFrom: 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-instant' },
      });
    });
    // THEN each is named with what to do
    expect(found).toEqual([
      'error LLMOPS-AWS-BEDROCK-PROFILE-MODEL-VERSIONED Test/NoVersion (NoVersion): model ID "anthropic.claude-instant" is a floating alias; copy from a versioned model ID (e.g. anthropic.claude-3-5-sonnet-20240620-v1:0)',
      'error LLMOPS-AWS-BEDROCK-PROFILE-MODEL-VERSIONED Test/Opaque (Opaque): ModelSource.CopyFrom {"Ref":"ModelArn"} is not a foundation-model or inference-profile ARN the template shows; copy from the ARN of a versioned model ID',
      'error LLMOPS-AWS-BEDROCK-PROFILE-MODEL-VERSIONED Test/Profile (Profile): model ID "anthropic.claude-sonnet-latest" is a floating alias; copy from a versioned model ID (e.g. anthropic.claude-3-5-sonnet-20240620-v1:0)',
    ]);
  });
});

import type { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Guardrail, type GuardrailProps } from '../../../constructs/aws/models';
import { awsStack, templateOf } from '../../helpers/aws';
import { exactly } from '../../helpers/errors';
import { cfnTexts } from './cfn-text';

function resource(stack: Stack, type: string): { logicalId: string; body: Record<string, unknown> } {
  const resources = templateOf(stack).findResources(type);
  const ids = Object.keys(resources);
  expect(ids).toHaveLength(1);
  return { logicalId: ids[0], body: resources[ids[0]] };
}

const guardrailOf = (stack: Stack) => resource(stack, 'AWS::Bedrock::Guardrail');
const versionOf = (stack: Stack) => resource(stack, 'AWS::Bedrock::GuardrailVersion');

/** The version description a guardrail with these props publishes, in a fresh app. */
function versionDescription(props: GuardrailProps): string {
  const stack = awsStack();
  new Guardrail(stack, 'Strict', props);
  return (versionOf(stack).body.Properties as { Description: string }).Description;
}

describe('Guardrail', () => {
  test('defaults: the strict content filters, default messages, one published version', () => {
    // GIVEN a stack WHEN a guardrail is created without props
    const stack = awsStack();
    const guardrail = new Guardrail(stack, 'Strict');

    // THEN every harm category is HIGH both ways and prompt attacks HIGH on input, NONE on output
    const { logicalId, body } = guardrailOf(stack);
    expect(logicalId).toBe('Strict50189BC0');
    expect(body.Properties).toEqual({
      Name: 'Test-Strict-B416CCDC',
      BlockedInputMessaging: 'Sorry, this request was blocked by the content policy.',
      BlockedOutputsMessaging: 'Sorry, the response was blocked by the content policy.',
      ContentPolicyConfig: {
        FiltersConfig: [
          { Type: 'HATE', InputStrength: 'HIGH', OutputStrength: 'HIGH' },
          { Type: 'INSULTS', InputStrength: 'HIGH', OutputStrength: 'HIGH' },
          { Type: 'SEXUAL', InputStrength: 'HIGH', OutputStrength: 'HIGH' },
          { Type: 'VIOLENCE', InputStrength: 'HIGH', OutputStrength: 'HIGH' },
          { Type: 'MISCONDUCT', InputStrength: 'HIGH', OutputStrength: 'HIGH' },
          { Type: 'PROMPT_ATTACK', InputStrength: 'HIGH', OutputStrength: 'NONE' },
        ],
      },
    });

    // AND one version of it, published with the configuration hash, deleted when replaced
    const version = versionOf(stack);
    expect(version.logicalId).toBe('StrictVersion953080B9');
    expect(version.body).toEqual({
      Type: 'AWS::Bedrock::GuardrailVersion',
      Properties: {
        GuardrailIdentifier: { 'Fn::GetAtt': [logicalId, 'GuardrailId'] },
        Description: `llmops-platform: guardrail config sha256 ${guardrail.configHash()}`,
      },
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
    });
    expect(guardrail.configHash()).toMatch(/^[0-9a-f]{16}$/);
    expect(stack.resolve(guardrail.guardrailId)).toEqual({ 'Fn::GetAtt': [logicalId, 'GuardrailId'] });
    expect(stack.resolve(guardrail.guardrailArn)).toEqual({ 'Fn::GetAtt': [logicalId, 'GuardrailArn'] });
    expect(stack.resolve(guardrail.guardrailVersion)).toEqual({
      'Fn::GetAtt': [version.logicalId, 'Version'],
    });
    expect(Guardrail.STRICT).toEqual(guardrail.contentFilters);
  });

  test('all props: filters over the strict policy, grounding, messages, key, tags, retained versions', () => {
    const stack = awsStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new Guardrail(stack, 'Rag', {
      name: 'rag-prod',
      description: 'RAG answers for support',
      contentFilters: { INSULTS: { input: 'MEDIUM' }, MISCONDUCT: { input: 'NONE', output: 'NONE' } },
      contextualGrounding: { grounding: 0.85, relevance: 0.5 },
      blockedInputMessage: 'Blocked.',
      blockedOutputMessage: 'Withheld.',
      kmsKey: key,
      tags: { environment: 'prod' },
      retainReplacedVersions: true,
    });

    const { body } = guardrailOf(stack);
    expect(body.Properties).toEqual({
      Name: 'rag-prod',
      Description: 'RAG answers for support',
      BlockedInputMessaging: 'Blocked.',
      BlockedOutputsMessaging: 'Withheld.',
      ContentPolicyConfig: {
        // INSULTS keeps the strict output; MISCONDUCT switched off on both sides is left out
        FiltersConfig: [
          { Type: 'HATE', InputStrength: 'HIGH', OutputStrength: 'HIGH' },
          { Type: 'INSULTS', InputStrength: 'MEDIUM', OutputStrength: 'HIGH' },
          { Type: 'SEXUAL', InputStrength: 'HIGH', OutputStrength: 'HIGH' },
          { Type: 'VIOLENCE', InputStrength: 'HIGH', OutputStrength: 'HIGH' },
          { Type: 'PROMPT_ATTACK', InputStrength: 'HIGH', OutputStrength: 'NONE' },
        ],
      },
      ContextualGroundingPolicyConfig: {
        FiltersConfig: [
          { Type: 'GROUNDING', Threshold: 0.85 },
          { Type: 'RELEVANCE', Threshold: 0.5 },
        ],
      },
      KmsKeyArn: { 'Fn::GetAtt': ['Key961B73FD', 'Arn'] },
      Tags: [{ Key: 'environment', Value: 'prod' }],
    });
    expect(versionOf(stack).body).toMatchObject({ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Retain' });
  });

  test('the published version changes with the configuration and only with it', () => {
    const base: GuardrailProps = { contextualGrounding: { grounding: 0.8 } };
    const published = versionDescription(base);

    // unchanged configuration, including one written out that equals the default: same version
    expect(versionDescription({ ...base })).toBe(published);
    expect(versionDescription({ ...base, contentFilters: { HATE: { input: 'HIGH', output: 'HIGH' } } })).toBe(
      published,
    );
    // tags do not change what a version enforces
    expect(versionDescription({ ...base, tags: { owner: 'team-a' } })).toBe(published);

    // a filter strength, a threshold or a blocked message does
    const changed = [
      versionDescription({ ...base, contentFilters: { VIOLENCE: { output: 'MEDIUM' } } }),
      versionDescription({ contextualGrounding: { grounding: 0.9 } }),
      versionDescription({ ...base, blockedOutputMessage: 'No.' }),
    ];
    expect(new Set([published, ...changed]).size).toBe(4);
  });

  test('grantApply: ApplyGuardrail on the guardrail ARN', () => {
    const stack = awsStack();
    const guardrail = new Guardrail(stack, 'Strict');
    const app = new iam.Role(stack, 'App', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    guardrail.grantApply(app);

    const policy = resource(stack, 'AWS::IAM::Policy').body.Properties as {
      PolicyDocument: { Statement: unknown[] };
    };
    expect(policy.PolicyDocument.Statement).toEqual([
      {
        Action: 'bedrock:ApplyGuardrail',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': ['Strict50189BC0', 'GuardrailArn'] },
      },
    ]);
  });

  test('grantApply with a customer managed key: also kms:Decrypt on that key', () => {
    const stack = awsStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const guardrail = new Guardrail(stack, 'Strict', { kmsKey: key });
    const app = new iam.Role(stack, 'App', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    guardrail.grantApply(app);

    const statements = (
      resource(stack, 'AWS::IAM::Policy').body.Properties as {
        PolicyDocument: { Statement: { Action: string; Resource: unknown }[] };
      }
    ).PolicyDocument.Statement;
    expect(statements.map((s) => [s.Action, cfnTexts(s.Resource)])).toEqual([
      ['bedrock:ApplyGuardrail', ['<Strict50189BC0.GuardrailArn>']],
      ['kms:Decrypt', ['<Key961B73FD.Arn>']],
    ]);
  });

  test('fails when filters, thresholds, name and messages are invalid, naming every problem', () => {
    const stack = awsStack();
    expect(
      () =>
        new Guardrail(stack, 'Bad', {
          name: 'my guardrail',
          contentFilters: {
            PROMPT_ATTACK: { output: 'HIGH' },
            HATE: { input: 'EXTREME' as 'HIGH' },
            SELF_HARM: { input: 'HIGH' },
          } as GuardrailProps['contentFilters'],
          contextualGrounding: { grounding: 1, relevance: -0.1 },
          blockedInputMessage: '',
          tags: { 'aws:team': 'x' },
        }),
    ).toThrow(
      exactly(
        [
          'Invalid Guardrail "Test/Bad":',
          '  - props.contentFilters.SELF_HARM: "SELF_HARM" is not a content filter category: one of HATE, INSULTS, SEXUAL, VIOLENCE, MISCONDUCT, PROMPT_ATTACK',
          '  - props.contentFilters.HATE.input: "EXTREME" is not a filter strength: one of NONE, LOW, MEDIUM, HIGH',
          '  - props.contentFilters.PROMPT_ATTACK.output: "HIGH" is not allowed: prompt attacks are detected in prompts only, so Bedrock requires NONE on responses',
          '  - props.contextualGrounding.grounding: 1 is not a threshold: a number from 0 to 0.99',
          '  - props.contextualGrounding.relevance: -0.1 is not a threshold: a number from 0 to 0.99',
          '  - props.name: "my guardrail" is not a valid guardrail name: 1-50 letters, digits, "-" and "_"',
          '  - props.blockedInputMessage: "" is 0 characters long: 1-500 allowed',
          '  - props.tags.aws:team: "aws:team" is reserved: tag keys starting with "aws:" are AWS\'s',
        ].join('\n'),
      ),
    );
  });

  test('fails when nothing is filtered, or grounding names no threshold', () => {
    const stack = awsStack();
    const off = { input: 'NONE', output: 'NONE' } as const;
    expect(
      () =>
        new Guardrail(stack, 'Off', {
          contentFilters: {
            HATE: off,
            INSULTS: off,
            SEXUAL: off,
            VIOLENCE: off,
            MISCONDUCT: off,
            PROMPT_ATTACK: off,
          },
        }),
    ).toThrow(
      exactly(
        [
          'Invalid Guardrail "Test/Off":',
          '  - props.contentFilters: every filter is NONE and there is no contextual grounding: a guardrail needs at least one policy',
        ].join('\n'),
      ),
    );
    expect(() => new Guardrail(stack, 'Empty', { contextualGrounding: {} })).toThrow(
      exactly(
        [
          'Invalid Guardrail "Test/Empty":',
          '  - props.contextualGrounding: names no threshold: give grounding, relevance or both (0-0.99)',
        ].join('\n'),
      ),
    );
  });
});

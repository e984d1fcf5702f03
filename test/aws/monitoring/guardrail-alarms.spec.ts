import * as sns from 'aws-cdk-lib/aws-sns';
import { GuardrailAlarms } from '../../../constructs/aws/monitoring';
import { awsStack, templateOf } from '../../helpers/aws';
import { exactly } from '../../helpers/errors';

const ARN = 'arn:aws:bedrock:us-east-1:111122223333:guardrail/abc123xyz';

describe('GuardrailAlarms', () => {
  test('defaults: InvocationsIntervened by GuardrailArn and GuardrailVersion, Sum over 5 minutes above 10', () => {
    const stack = awsStack();
    const topic = new sns.Topic(stack, 'Topic');
    const topicRef = { Ref: stack.getLogicalId(topic.node.defaultChild as never) };
    const alarms = new GuardrailAlarms(stack, 'Guardrails', {
      guardrails: { strict: { guardrailArn: ARN, guardrailVersion: '3' } },
      topic,
    });
    expect(Object.keys(alarms.alarms)).toEqual(['guardrail-interventions-strict']);
    const template = templateOf(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Bedrock/Guardrails',
      MetricName: 'InvocationsIntervened',
      Dimensions: [
        { Name: 'GuardrailArn', Value: ARN },
        { Name: 'GuardrailVersion', Value: '3' },
      ],
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 10,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef],
      OKActions: [topicRef],
    });
  });

  test('all props: threshold and name', () => {
    const stack = awsStack();
    new GuardrailAlarms(stack, 'Guardrails', {
      guardrails: { strict: { guardrailArn: ARN, guardrailVersion: '1' } },
      topic: new sns.Topic(stack, 'Topic'),
      maxInterventionsPer5Minutes: 0,
      nameSuffix: 'llmops-aws-dev',
    });
    templateOf(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'guardrail-interventions-strict-llmops-aws-dev',
      Threshold: 0,
    });
  });

  test('fails when the ARN, version or threshold are invalid', () => {
    const stack = awsStack();
    expect(
      () =>
        new GuardrailAlarms(stack, 'Guardrails', {
          guardrails: { strict: { guardrailArn: 'abc123xyz', guardrailVersion: 'DRAFT' } },
          topic: new sns.Topic(stack, 'Topic'),
          maxInterventionsPer5Minutes: -1,
        }),
    ).toThrow(
      exactly(
        [
          'Invalid GuardrailAlarms "Test/Guardrails":',
          '  - props.guardrails.strict.guardrailArn: "abc123xyz" is not a guardrail ARN (arn:aws:bedrock:<region>:<account>:guardrail/<id>)',
          '  - props.guardrails.strict.guardrailVersion: "DRAFT" is not a published guardrail version (1 to 99999999; DRAFT is not watched)',
          '  - props.maxInterventionsPer5Minutes: -1 must be a number of at least 0',
        ].join('\n'),
      ),
    );
  });

  test('fails when there is no guardrail', () => {
    const stack = awsStack();
    expect(
      () => new GuardrailAlarms(stack, 'G', { guardrails: {}, topic: new sns.Topic(stack, 'Topic') }),
    ).toThrow(
      exactly(
        'Invalid GuardrailAlarms "Test/G":\n  - props.guardrails: {} has no guardrails: give at least one guardrail version to watch',
      ),
    );
  });
});

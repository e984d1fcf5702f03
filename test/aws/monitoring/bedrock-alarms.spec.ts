import { Match } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { BedrockAlarms } from '../../../constructs/aws/monitoring';
import { awsStack, templateOf } from '../../helpers/aws';
import { exactly } from '../../helpers/errors';

const PROFILE_ID = 'abc123def456';

function setup() {
  const stack = awsStack();
  const topic = new sns.Topic(stack, 'Topic');
  const topicRef = { Ref: stack.getLogicalId(topic.node.defaultChild as never) };
  return { stack, topic, topicRef };
}

describe('BedrockAlarms', () => {
  test('defaults: five alarms per deployment on AWS/Bedrock by ModelId, routed to the topic on ALARM and OK', () => {
    // GIVEN
    const { stack, topic, topicRef } = setup();
    // WHEN
    const alarms = new BedrockAlarms(stack, 'Bedrock', {
      models: { chat: { modelId: PROFILE_ID } },
      topic,
      tokenBudgetPerHour: 500000,
    });
    // THEN
    const template = templateOf(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 5);
    expect(Object.keys(alarms.alarms)).toEqual([
      'bedrock-server-errors-chat',
      'bedrock-throttles-chat',
      'bedrock-client-errors-chat',
      'bedrock-latency-p95-chat',
      'bedrock-token-budget-chat',
    ]);
    const single = (metricName: string, statistic: Record<string, string>, threshold: number) =>
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Bedrock',
        MetricName: metricName,
        Dimensions: [{ Name: 'ModelId', Value: PROFILE_ID }],
        ...statistic,
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: threshold,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [topicRef],
        OKActions: [topicRef],
      });
    single('InvocationServerErrors', { Statistic: 'Sum' }, 0);
    single('InvocationThrottles', { Statistic: 'Sum' }, 0);
    single('InvocationClientErrors', { Statistic: 'Sum' }, 10);
    single('InvocationLatency', { ExtendedStatistic: 'p95' }, 30000);
    const tokenMetric = (id: string, metricName: string) => ({
      Id: id,
      ReturnData: false,
      MetricStat: {
        Metric: {
          Namespace: 'AWS/Bedrock',
          MetricName: metricName,
          Dimensions: [{ Name: 'ModelId', Value: PROFILE_ID }],
        },
        Period: 3600,
        Stat: 'Sum',
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [
        Match.objectLike({ Expression: 'FILL(inputTokens, 0) + FILL(outputTokens, 0)', ReturnData: true }),
        tokenMetric('inputTokens', 'InputTokenCount'),
        tokenMetric('outputTokens', 'OutputTokenCount'),
      ],
      Threshold: 500000,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      EvaluationPeriods: 1,
      AlarmActions: [topicRef],
    });
  });

  test("a deployment's own minInvocationsPerHour: only that deployment gets a traffic-drop alarm", () => {
    const { stack, topic } = setup();
    const alarms = new BedrockAlarms(stack, 'Bedrock', {
      models: {
        chat: { modelId: 'anthropic.claude-sonnet-4-20250514-v1:0', minInvocationsPerHour: 3 },
        embedding: { modelId: 'amazon.titan-embed-text-v2:0' },
      },
      topic,
      tokenBudgetPerHour: 1000,
    });
    expect(Object.keys(alarms.alarms).filter((k) => k.startsWith('bedrock-traffic-drop'))).toEqual([
      'bedrock-traffic-drop-chat',
    ]);
    templateOf(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Invocations',
      Threshold: 3,
      Dimensions: [{ Name: 'ModelId', Value: 'anthropic.claude-sonnet-4-20250514-v1:0' }],
    });
  });

  test('all props: per-deployment budget, thresholds, traffic drop (missing data breaching), names', () => {
    const { stack, topic, topicRef } = setup();
    const alarms = new BedrockAlarms(stack, 'Bedrock', {
      models: {
        chat: { modelId: 'anthropic.claude-sonnet-4-20250514-v1:0', tokenBudgetPerHour: 2000 },
        embedding: { modelId: 'amazon.titan-embed-text-v2:0' },
      },
      topic,
      tokenBudgetPerHour: 1000,
      latencyP95Ms: 12000,
      clientErrorsPer5Minutes: 3,
      minInvocationsPerHour: 5,
      nameSuffix: 'llmops-aws-dev',
    });
    const template = templateOf(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 12);
    expect(Object.keys(alarms.alarms)).toContain('bedrock-traffic-drop-embedding');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'bedrock-traffic-drop-chat-llmops-aws-dev',
      Namespace: 'AWS/Bedrock',
      MetricName: 'Invocations',
      Dimensions: [{ Name: 'ModelId', Value: 'anthropic.claude-sonnet-4-20250514-v1:0' }],
      Statistic: 'Sum',
      Period: 3600,
      Threshold: 5,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [topicRef],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'bedrock-token-budget-chat-llmops-aws-dev',
      Threshold: 2000,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'bedrock-token-budget-embedding-llmops-aws-dev',
      Threshold: 1000,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'bedrock-latency-p95-chat-llmops-aws-dev',
      Threshold: 12000,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'bedrock-client-errors-embedding-llmops-aws-dev',
      Threshold: 3,
    });
  });

  test('fails when deployments, thresholds or the suffix are invalid, listing every problem', () => {
    const { stack, topic } = setup();
    expect(
      () =>
        new BedrockAlarms(stack, 'Bedrock', {
          models: { 'chat model': { modelId: '', tokenBudgetPerHour: -1 } },
          topic,
          tokenBudgetPerHour: 0,
          latencyP95Ms: Number.NaN,
          clientErrorsPer5Minutes: -2,
          minInvocationsPerHour: 0,
          nameSuffix: 'a b',
        }),
    ).toThrow(
      exactly(
        [
          'Invalid BedrockAlarms "Test/Bedrock":',
          `  - props.models.chat model: "chat model" must be 1-64 letters, digits, '_' and '-', starting with a letter or digit`,
          '  - props.models.chat model.modelId: "" must be a model ID, inference profile ID or ARN (1-1024 characters)',
          '  - props.models.chat model.tokenBudgetPerHour: -1 must be a number above 0',
          '  - props.tokenBudgetPerHour: 0 must be a number above 0',
          '  - props.latencyP95Ms: NaN must be a number above 0',
          '  - props.clientErrorsPer5Minutes: -2 must be a number of at least 0',
          '  - props.minInvocationsPerHour: 0 must be a number above 0',
          `  - props.nameSuffix: "a b" must be letters, digits, '_', '.', '-'`,
        ].join('\n'),
      ),
    );
  });

  test('fails when there is no deployment', () => {
    const { stack, topic } = setup();
    expect(() => new BedrockAlarms(stack, 'Bedrock', { models: {}, topic, tokenBudgetPerHour: 1 })).toThrow(
      exactly(
        'Invalid BedrockAlarms "Test/Bedrock":\n  - props.models: {} has no deployments: give at least one model to watch',
      ),
    );
  });
});

import * as sns from 'aws-cdk-lib/aws-sns';
import {
  NO_VARIANT,
  QUALITY_METRIC_DIMENSIONS,
  QualityDriftAlarms,
  qualityMetricDimensions,
} from '../../../constructs/aws/monitoring';
import { QualityFields } from '../../../constructs/monitoring/quality-contract';
import { awsStack, templateOf } from '../../helpers/aws';
import { exactly } from '../../helpers/errors';

const dims = (deployment: string, variant: string) => [
  { Name: 'gen_ai.request.model', Value: deployment },
  { Name: 'llmops.environment', Value: 'aws-dev' },
  { Name: 'llmops.evaluation.source', Value: 'continuous' },
  { Name: 'llmops.variant', Value: variant },
];
const stat = (id: string, metricName: string, dimensions: unknown, period: number, s: string) => ({
  Id: id,
  ReturnData: false,
  MetricStat: {
    Metric: { Namespace: 'LLMOps/Quality', MetricName: metricName, Dimensions: dimensions },
    Period: period,
    Stat: s,
  },
});

function setup() {
  const stack = awsStack();
  const topic = new sns.Topic(stack, 'Topic');
  return { stack, topic, topicRef: { Ref: stack.getLogicalId(topic.node.defaultChild as never) } };
}

describe('QualityDriftAlarms', () => {
  test('the score series are named by the Azure contract: metric = evaluation name, dimensions = contract properties', () => {
    expect(QUALITY_METRIC_DIMENSIONS).toEqual([
      QualityFields.deployment,
      QualityFields.variant,
      QualityFields.environment,
      QualityFields.source,
    ]);
    expect(
      qualityMetricDimensions({
        deployment: 'chat',
        variant: NO_VARIANT,
        environment: 'aws-dev',
        source: 'ci',
      }),
    ).toEqual({
      'gen_ai.request.model': 'chat',
      'llmops.variant': 'none',
      'llmops.environment': 'aws-dev',
      'llmops.evaluation.source': 'ci',
    });
  });

  test('defaults: a below-threshold and a drift alarm per metric and target over 6 h, at least 3 scores', () => {
    // GIVEN
    const { stack, topic, topicRef } = setup();
    // WHEN
    const q = new QualityDriftAlarms(stack, 'Quality', {
      topic,
      thresholds: {
        groundedness: { value: 4, direction: 'min' },
        violence_defect_rate: { value: 0.01, direction: 'max' },
        costPer1kAnswers: { value: 20, direction: 'max' },
      },
      targets: [{ deployment: 'chat' }, { deployment: 'chat', variant: 'candidate' }],
      environment: 'aws-dev',
    });
    // THEN: 3 below-threshold + 2 drift (cost has none) per target
    const template = templateOf(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 10);
    expect(Object.keys(q.alarms).sort()).toEqual(
      [
        'quality-costPer1kAnswers-below-threshold/chat/candidate',
        'quality-costPer1kAnswers-below-threshold/chat/none',
        'quality-groundedness-below-threshold/chat/candidate',
        'quality-groundedness-below-threshold/chat/none',
        'quality-groundedness-drift/chat/candidate',
        'quality-groundedness-drift/chat/none',
        'quality-violence_defect_rate-below-threshold/chat/candidate',
        'quality-violence_defect_rate-below-threshold/chat/none',
        'quality-violence_defect_rate-drift/chat/candidate',
        'quality-violence_defect_rate-drift/chat/none',
      ].sort(),
    );
    const d = dims('chat', 'none');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [
        {
          Id: 'expr_1',
          Expression: 'IF(n >= 3, mean, 4)',
          Label: 'groundedness (chat/none)',
          ReturnData: true,
        },
        stat('mean', 'groundedness', d, 21600, 'Average'),
        stat('n', 'groundedness', d, 21600, 'SampleCount'),
      ],
      Threshold: 4,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef],
      OKActions: [topicRef],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [
        {
          Id: 'expr_1',
          Expression: 'IF(n >= 3, mean, 0.01)',
          Label: 'violence_defect_rate (chat/candidate)',
          ReturnData: true,
        },
        stat('mean', 'violence_defect_rate', dims('chat', 'candidate'), 21600, 'Average'),
        stat('n', 'violence_defect_rate', dims('chat', 'candidate'), 21600, 'SampleCount'),
      ],
      Threshold: 0.01,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [
        {
          Id: 'expr_1',
          Expression: 'ANOMALY_DETECTION_BAND(m0, 2)',
          Label: 'Anomaly Detection Band',
          ReturnData: true,
        },
        { ...stat('m0', 'groundedness', d, 21600, 'Average'), ReturnData: true },
      ],
      ThresholdMetricId: 'expr_1',
      ComparisonOperator: 'LessThanLowerThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [
        {
          Id: 'expr_1',
          Expression: 'ANOMALY_DETECTION_BAND(m0, 2)',
          Label: 'Anomaly Detection Band',
          ReturnData: true,
        },
        { ...stat('m0', 'violence_defect_rate', d, 21600, 'Average'), ReturnData: true },
      ],
      ComparisonOperator: 'GreaterThanUpperThreshold',
    });
  });

  test('all props: window, samples, drift band and metrics, settings, names', () => {
    const { stack, topic } = setup();
    const q = new QualityDriftAlarms(stack, 'Quality', {
      topic,
      thresholds: { groundedness: { value: 4, direction: 'min' }, relevance: { value: 4, direction: 'min' } },
      targets: [{ deployment: 'chat', variant: 'control' }],
      environment: 'aws-dev',
      windowHours: 24,
      minSamples: 10,
      drift: { stdDevs: 3, metrics: ['relevance'] },
      settings: { 'quality-groundedness-below-threshold': { enabled: false } },
      nameSuffix: 'llmops-aws-dev',
    });
    expect(Object.keys(q.alarms)).toEqual([
      'quality-relevance-below-threshold/chat/control',
      'quality-relevance-drift/chat/control',
    ]);
    const template = templateOf(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'quality-relevance-below-threshold-chat-control-llmops-aws-dev',
      Metrics: [
        {
          Id: 'expr_1',
          Expression: 'IF(n >= 10, mean, 4)',
          Label: 'relevance (chat/control)',
          ReturnData: true,
        },
        stat('mean', 'relevance', dims('chat', 'control'), 86400, 'Average'),
        stat('n', 'relevance', dims('chat', 'control'), 86400, 'SampleCount'),
      ],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'quality-relevance-drift-chat-control-llmops-aws-dev',
      Metrics: [
        {
          Id: 'expr_1',
          Expression: 'ANOMALY_DETECTION_BAND(m0, 3)',
          Label: 'Anomaly Detection Band',
          ReturnData: true,
        },
        { ...stat('m0', 'relevance', dims('chat', 'control'), 86400, 'Average'), ReturnData: true },
      ],
    });
  });

  test('drift: false creates only below-threshold alarms', () => {
    const { stack, topic } = setup();
    new QualityDriftAlarms(stack, 'Quality', {
      topic,
      thresholds: { groundedness: { value: 4, direction: 'min' } },
      targets: [{ deployment: 'chat' }],
      environment: 'aws-dev',
      drift: false,
    });
    templateOf(stack).resourceCountIs('AWS::CloudWatch::Alarm', 1);
  });

  test('fails when thresholds, targets, windows or settings are invalid, listing every problem', () => {
    const { stack, topic } = setup();
    expect(
      () =>
        new QualityDriftAlarms(stack, 'Quality', {
          topic,
          thresholds: {
            groundedness: { value: 6, direction: 'max' },
            violence_defect_rate: { value: 0.5, direction: 'min' },
            '1bad': { value: 1, direction: 'min' },
          },
          targets: [{ deployment: 'chat' }, { deployment: 'chat', variant: 'none' }, { deployment: 'a b' }],
          environment: '',
          windowHours: 48,
          minSamples: 0,
          drift: { stdDevs: 0, metrics: ['coherence', '1bad'] },
          settings: { 'quality-fluency-drift': { enabled: false } },
          nameSuffix: 'x y',
        }),
    ).toThrow(
      exactly(
        [
          'Invalid QualityDriftAlarms "Test/Quality":',
          '  - props.thresholds.groundedness.direction: "max": groundedness is higher-is-better on the 1-5 scale; its direction must be "min"',
          "  - props.thresholds.groundedness.value: 6 is outside groundedness's range 1 to 5",
          '  - props.thresholds.violence_defect_rate.direction: "min": violence_defect_rate is lower-is-better (safety); its direction must be "max"',
          `  - props.thresholds.1bad: "1bad" is not a metric name: start with a letter, then letters, digits, '_', '.', '-' (at most 100)`,
          '  - props.targets[1]: "chat/none" is listed twice',
          `  - props.targets[2].deployment: "a b" is not a deployment name (letters, digits, '_', '.', ':', '-')`,
          `  - props.environment: "" is not an environment name (letters, digits, '_', '.', ':', '-')`,
          '  - props.windowHours: 48 must be a whole number of hours from 1 to 24 (a CloudWatch alarm period is at most one day)',
          '  - props.minSamples: 0 must be a whole number of at least 1',
          '  - props.drift.stdDevs: 0 must be a number of standard deviations above 0',
          '  - props.drift.metrics[0]: "coherence" has no threshold: add it to thresholds',
          '  - props.drift.metrics[1]: "1bad" is not a quality (1-5) or safety (defect rate) metric: drift applies only to those',
          '  - props.settings.quality-fluency-drift: unknown quality alert key "quality-fluency-drift" (known: quality-groundedness-below-threshold, quality-violence_defect_rate-below-threshold, quality-1bad-below-threshold, quality-coherence-drift, quality-1bad-drift)',
          `  - props.nameSuffix: "x y" must be letters, digits, '_', '.', '-'`,
        ].join('\n'),
      ),
    );
  });

  test('fails when there are no thresholds or targets', () => {
    const { stack, topic } = setup();
    expect(
      () =>
        new QualityDriftAlarms(stack, 'Quality', {
          topic,
          thresholds: {},
          targets: [],
          environment: 'aws-dev',
        }),
    ).toThrow(
      exactly(
        [
          'Invalid QualityDriftAlarms "Test/Quality":',
          '  - props.thresholds: {} has no thresholds: give the release thresholds the alarms watch',
          '  - props.targets: [] has no targets: give at least one deployment to watch',
        ].join('\n'),
      ),
    );
  });
});

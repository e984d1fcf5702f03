import * as sns from 'aws-cdk-lib/aws-sns';
import { CollectionAlarms } from '../../../constructs/aws/monitoring';
import { awsStack, templateOf } from '../../helpers/aws';
import { exactly } from '../../helpers/errors';

describe('CollectionAlarms', () => {
  test('defaults: search and ingestion errors above 0 and search latency above 5 s, by ClientId, CollectionId, CollectionName', () => {
    const stack = awsStack();
    const topic = new sns.Topic(stack, 'Topic');
    const topicRef = { Ref: stack.getLogicalId(topic.node.defaultChild as never) };
    const alarms = new CollectionAlarms(stack, 'Search', {
      collections: { docs: { collectionId: 'k2x9f0abcdef', collectionName: 'llmops-docs' } },
      topic,
    });
    expect(Object.keys(alarms.alarms)).toEqual([
      'aoss-search-errors-docs',
      'aoss-ingestion-errors-docs',
      'aoss-search-latency-docs',
    ]);
    const template = templateOf(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    const expectAlarm = (metricName: string, statistic: string, threshold: number) =>
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/AOSS',
        MetricName: metricName,
        Dimensions: [
          { Name: 'ClientId', Value: { Ref: 'AWS::AccountId' } },
          { Name: 'CollectionId', Value: 'k2x9f0abcdef' },
          { Name: 'CollectionName', Value: 'llmops-docs' },
        ],
        Statistic: statistic,
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: threshold,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [topicRef],
        OKActions: [topicRef],
      });
    expectAlarm('SearchRequestErrors', 'Sum', 0);
    expectAlarm('IngestionRequestErrors', 'Sum', 0);
    expectAlarm('SearchRequestLatency', 'Average', 5000);
  });

  test('all props: latency threshold and names', () => {
    const stack = awsStack();
    new CollectionAlarms(stack, 'Search', {
      collections: { docs: { collectionId: 'k2x9f0abcdef', collectionName: 'llmops-docs' } },
      topic: new sns.Topic(stack, 'Topic'),
      searchLatencyMs: 800,
      nameSuffix: 'llmops-aws-dev',
    });
    templateOf(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'aoss-search-latency-docs-llmops-aws-dev',
      Threshold: 800,
    });
  });

  test('fails when names, IDs or the latency threshold are invalid', () => {
    const stack = awsStack();
    expect(
      () =>
        new CollectionAlarms(stack, 'Search', {
          collections: { docs: { collectionId: 'NOT-AN-ID', collectionName: 'Docs' } },
          topic: new sns.Topic(stack, 'Topic'),
          searchLatencyMs: 0,
        }),
    ).toThrow(
      exactly(
        [
          'Invalid CollectionAlarms "Test/Search":',
          '  - props.collections.docs.collectionName: "Docs" is not a collection name (3-32 lowercase letters, digits, hyphens, starting with a letter)',
          '  - props.collections.docs.collectionId: "NOT-AN-ID" is not a collection ID (3-40 lowercase letters and digits)',
          '  - props.searchLatencyMs: 0 must be a number above 0',
        ].join('\n'),
      ),
    );
  });

  test('fails when there is no collection', () => {
    const stack = awsStack();
    expect(
      () => new CollectionAlarms(stack, 'S', { collections: {}, topic: new sns.Topic(stack, 'Topic') }),
    ).toThrow(
      exactly(
        'Invalid CollectionAlarms "Test/S":\n  - props.collections: {} has no collections: give at least one collection to watch',
      ),
    );
  });
});

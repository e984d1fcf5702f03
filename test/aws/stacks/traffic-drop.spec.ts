/**
 * `monitoring.aws.minInvocationsPerHour`: a traffic-drop alarm on each deployment's Bedrock `Invocations`,
 * only where the config asks for one.
 */
import { awsEnvironmentTemplate } from '../../helpers/aws';

function invocationAlarms(monitoring: string) {
  const template = awsEnvironmentTemplate(
    `cloud: aws\nprofile: development\naws: { region: us-east-1 }\n${monitoring}`,
  );
  return Object.values(
    template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'Invocations' } }),
  ).map((a) => a.Properties as Record<string, unknown>);
}

describe('the traffic-drop alarm of an AWS environment', () => {
  test('fires per deployment below the configured invocations per hour, and when there are none at all', () => {
    const alarms = invocationAlarms('monitoring: { aws: { minInvocationsPerHour: 10 } }');
    // The chat deployment only: the embedding model is called by the knowledge base through its foundation
    // model ARN, so its inference profile's Invocations have no data and the alarm would never clear.
    expect(alarms).toHaveLength(1);
    expect(JSON.stringify(alarms[0]!.Dimensions)).toContain('Modelchat');
    for (const alarm of alarms) {
      expect(alarm).toMatchObject({
        Namespace: 'AWS/Bedrock',
        Statistic: 'Sum',
        Period: 3600,
        ComparisonOperator: 'LessThanThreshold',
        Threshold: 10,
        TreatMissingData: 'breaching',
      });
    }
  });

  test('is not there by default, nor with 0', () => {
    expect(invocationAlarms('')).toEqual([]);
    expect(invocationAlarms('monitoring: { aws: { minInvocationsPerHour: 0 } }')).toEqual([]);
  });
});

/**
 * `monitoring.aws.minInvocationsPerHour`: a traffic-drop alarm on each deployment's Bedrock `Invocations`,
 * only where the config asks for one.
 */
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildAwsApp } from '../../../lib/aws/app';
import { parseConfig } from '../../../lib/config/load';

const config = (monitoring: string) => `defaults:
  workload: llmops
  namingSeed: test
  tags: { owner: test-team }
  pipeline: { github: { repository: contoso/llmops-platform } }
environments:
  aws-dev:
    cloud: aws
    profile: development
    aws: { region: us-east-1 }
${monitoring}`;

function invocationAlarms(monitoring: string) {
  const app = buildAwsApp(parseConfig(config(monitoring), 'config/test.yaml'));
  const template = Template.fromStack(app.node.findChild('aws-dev') as Stack);
  return Object.values(
    template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'Invocations' } }),
  ).map((a) => a.Properties as Record<string, unknown>);
}

describe('the traffic-drop alarm of an AWS environment', () => {
  test('fires per deployment below the configured invocations per hour, and when there are none at all', () => {
    const alarms = invocationAlarms('    monitoring: { aws: { minInvocationsPerHour: 10 } }\n');
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
    expect(invocationAlarms('    monitoring: { aws: { minInvocationsPerHour: 0 } }\n')).toEqual([]);
  });
});

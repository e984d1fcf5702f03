import * as sns from 'aws-cdk-lib/aws-sns';
import {
  BedrockAlarms,
  CollectionAlarms,
  GuardrailAlarms,
  OperationsDashboard,
  QualityDriftAlarms,
} from '../../../constructs/aws/monitoring';
import { awsStack, templateOf } from '../../helpers/aws';
import { exactly } from '../../helpers/errors';

function build(dashboardName?: string) {
  const stack = awsStack();
  const topic = new sns.Topic(stack, 'Topic');
  const bedrock = new BedrockAlarms(stack, 'Bedrock', {
    models: { chat: { modelId: 'anthropic.claude-sonnet-4-20250514-v1:0' } },
    topic,
    tokenBudgetPerHour: 1000,
  });
  const guardrails = new GuardrailAlarms(stack, 'Guardrails', {
    guardrails: {
      strict: { guardrailArn: 'arn:aws:bedrock:us-east-1:111122223333:guardrail/abc', guardrailVersion: '1' },
    },
    topic,
  });
  const collections = new CollectionAlarms(stack, 'Search', {
    collections: { docs: { collectionId: 'k2x9f0abcdef', collectionName: 'llmops-docs' } },
    topic,
  });
  const quality = new QualityDriftAlarms(stack, 'Quality', {
    topic,
    thresholds: { groundedness: { value: 4, direction: 'min' } },
    targets: [{ deployment: 'chat' }],
    environment: 'aws-dev',
  });
  const dashboard = new OperationsDashboard(stack, 'Dashboard', {
    dashboardName,
    bedrock,
    guardrails,
    collections,
    quality,
  });
  return { stack, dashboard };
}

/** The dashboard body with CloudFormation tokens rendered as `${Ref}` / `${Logical.Arn}` placeholders. */
function body(stack: ReturnType<typeof awsStack>): {
  widgets: { type: string; properties: Record<string, unknown> }[];
} {
  const resource = Object.values(templateOf(stack).findResources('AWS::CloudWatch::Dashboard'))[0]!;
  const parts = (resource.Properties.DashboardBody as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  const text = parts
    .map((p) => {
      if (typeof p === 'string') return p;
      const o = p as { Ref?: string; 'Fn::GetAtt'?: string[] };
      return o.Ref ? `\${${o.Ref}}` : `\${${o['Fn::GetAtt']!.join('.')}}`;
    })
    .join('');
  return JSON.parse(text);
}

describe('OperationsDashboard', () => {
  test('one dashboard with the alarm status row and a section per construct, every metric the alarms watch', () => {
    // GIVEN / WHEN
    const { stack } = build('llmops-aws-dev');
    // THEN
    templateOf(stack).hasResourceProperties('AWS::CloudWatch::Dashboard', {
      DashboardName: 'llmops-aws-dev',
    });
    const widgets = body(stack).widgets;
    const titles = widgets.map((w) => (w.properties.title ?? w.properties.markdown) as string);
    expect(titles).toEqual([
      'Alarms',
      '## Models (Amazon Bedrock)',
      'chat: invocations and errors',
      'chat: latency p95 (ms)',
      'chat: tokens',
      '## Content filters (Bedrock Guardrails)',
      'Guardrail interventions',
      '## Search (OpenSearch Serverless)',
      'docs: errors',
      'docs: search latency (ms)',
      '## Answer quality (continuous evaluation)',
      'groundedness (at least 4)',
    ]);
    // Every alarm in the status widget: 5 Bedrock + 1 guardrail + 3 search + 2 quality.
    expect((widgets[0]!.properties.alarms as unknown[]).length).toBe(11);
    const metricNames = JSON.stringify(widgets.map((w) => w.properties.metrics ?? []));
    for (const name of [
      'InvocationClientErrors',
      'InvocationServerErrors',
      'InvocationThrottles',
      'InvocationLatency',
      'InputTokenCount',
      'OutputTokenCount',
      'InvocationsIntervened',
      'SearchRequestErrors',
      'IngestionRequestErrors',
      'SearchRequestLatency',
      'LLMOps/Quality',
    ]) {
      expect(metricNames).toContain(name);
    }
    const quality = widgets.find((w) => w.properties.title === 'groundedness (at least 4)')!;
    expect(quality.properties.annotations).toEqual({
      horizontal: [{ value: 4, label: 'release threshold', yAxis: 'left' }],
    });
  });

  test('the body is the same on every synth', () => {
    expect(JSON.stringify(body(build().stack))).toBe(JSON.stringify(body(build().stack)));
  });

  test('fails when the name is invalid or there is nothing to show', () => {
    expect(() => new OperationsDashboard(awsStack(), 'Dashboard', { dashboardName: 'a b' })).toThrow(
      exactly(
        [
          'Invalid OperationsDashboard "Test/Dashboard":',
          `  - props.dashboardName: "a b" must be 1-255 letters, digits, '-' and '_'`,
          '  - props.bedrock: no sections: give at least one of bedrock, guardrails, collections, quality',
        ].join('\n'),
      ),
    );
  });
});

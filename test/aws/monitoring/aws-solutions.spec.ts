import { App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  AlertTopics,
  BedrockAlarms,
  CollectionAlarms,
  CostBudget,
  GuardrailAlarms,
  OperationsDashboard,
  QualityDriftAlarms,
} from '../../../constructs/aws/monitoring';
import { TEST_REGION } from '../../helpers/aws';

test('every monitoring construct with its defaults passes the cdk-nag AwsSolutions pack without acknowledgements', () => {
  // GIVEN the AwsSolutions pack as a validation plugin (synth throws on any error finding)
  const app = new App();
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new Stack(app, 'Monitoring', { env: { region: TEST_REGION } });
  // WHEN
  const topic = new AlertTopics(stack, 'Alerts', {
    actionGroups: { oncall: { emails: ['a@example.com'] } },
  }).topic('oncall');
  const bedrock = new BedrockAlarms(stack, 'Bedrock', {
    models: { chat: { modelId: 'abc123def456' } },
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
  new OperationsDashboard(stack, 'Dashboard', { bedrock, guardrails, collections, quality });
  new CostBudget(stack, 'Budget', { amount: 100, topic });
  // THEN
  expect(() => app.synth()).not.toThrow();
});

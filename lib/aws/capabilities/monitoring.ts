import type { Construct } from 'constructs';
import { AlertTopics } from '../../../constructs/aws/monitoring/alert-topics';
import { BedrockAlarms } from '../../../constructs/aws/monitoring/bedrock-alarms';
import { CollectionAlarms } from '../../../constructs/aws/monitoring/collection-alarms';
import { CostBudget } from '../../../constructs/aws/monitoring/cost-budget';
import { GuardrailAlarms } from '../../../constructs/aws/monitoring/guardrail-alarms';
import { OperationsDashboard } from '../../../constructs/aws/monitoring/operations-dashboard';
import {
  QualityDriftAlarms,
  type QualityTarget,
} from '../../../constructs/aws/monitoring/quality-drift-alarms';
import type { EnvironmentConfig } from '../../config/environment';
import { measuredThresholds } from '../../config/sections/evaluators';
import { awsName } from '../names';
import type { AwsModels } from './models';
import { removalPolicyOf } from './protection';
import type { AwsSearch } from './search';

/** What monitoring watches: the handles the other capabilities returned. */
export interface AwsMonitoringInputs {
  readonly env: EnvironmentConfig;
  readonly models: AwsModels;
  readonly search: AwsSearch;
}

/**
 * Monitoring of an AWS environment, from the `monitoring` and `evaluation` sections: an SNS topic per
 * action group (alarms notify the default group's), Bedrock alarms per deployment (errors, throttles,
 * latency, tokens against `tokenBudgetPerHour`, and too few invocations of a chat deployment when
 * `monitoring.aws.minInvocationsPerHour` is set), guardrail interventions, OpenSearch Serverless errors and
 * latency, answer-quality alarms on the evaluation scores under the same contract as Azure (thresholds of
 * `evaluation.thresholds`, deployment and variant dimensions), a dashboard, and the cost budget.
 */
export function addAwsMonitoring(scope: Construct, inputs: AwsMonitoringInputs): void {
  const { env, models, search } = inputs;
  const monitoring = env.monitoring;
  const topics = new AlertTopics(scope, 'Alerts', {
    actionGroups: Object.fromEntries(
      Object.entries(monitoring.actionGroups).map(([name, group]) => [
        name,
        { emails: group.emails, webhooks: group.webhooks, displayName: group.shortName },
      ]),
    ),
    nameSuffix: awsName(env),
    removalPolicy: removalPolicyOf(env),
  });
  const topic = topics.topic(monitoring.defaultActionGroup);
  const bedrock = new BedrockAlarms(scope, 'ModelAlarms', {
    models: Object.fromEntries(
      Object.entries(models.deployments).map(([name, model]) => [
        name,
        {
          modelId: model.inferenceProfileId,
          // Chat deployments only: they are called through their profile (the gateway); the embedding
          // model is called by the knowledge base through its foundation model ARN, so its profile's
          // Invocations have no data. 0: no traffic-drop alarm (the dashboard shows the invocations).
          minInvocationsPerHour:
            env.models.deployments[name]?.role === 'chat'
              ? monitoring.aws?.minInvocationsPerHour || undefined
              : undefined,
        },
      ]),
    ),
    topic,
    tokenBudgetPerHour: monitoring.tokenBudgetPerHour,
    nameSuffix: awsName(env),
  });
  const guardrails = new GuardrailAlarms(scope, 'GuardrailAlarms', {
    guardrails: Object.fromEntries(
      Object.entries(models.guardrails).map(([name, g]) => [
        name,
        { guardrailArn: g.guardrailArn, guardrailVersion: g.guardrailVersion },
      ]),
    ),
    topic,
    nameSuffix: awsName(env),
  });
  const collections = new CollectionAlarms(scope, 'SearchAlarms', {
    collections: {
      search: {
        collectionId: search.collection.collectionId,
        collectionName: search.collection.collectionName,
      },
    },
    topic,
    nameSuffix: awsName(env),
  });
  const quality = new QualityDriftAlarms(scope, 'QualityAlarms', {
    topic,
    // Alarms on what the evaluation publishes: a metric whose evaluator does not run has no data.
    thresholds: Object.fromEntries(
      Object.entries(measuredThresholds(env.evaluation)).map(([metric, t]) => [
        metric,
        { value: t.value, direction: t.direction },
      ]),
    ),
    targets: qualityTargets(env),
    environment: env.name,
    windowHours: monitoring.quality.windowHours,
    minSamples: monitoring.quality.minSamples,
    drift: monitoring.quality.drift.enabled ? {} : false,
    nameSuffix: awsName(env),
  });
  new OperationsDashboard(scope, 'Dashboard', {
    dashboardName: awsName(env),
    bedrock,
    guardrails,
    collections,
    quality,
  });
  if (monitoring.budget) {
    new CostBudget(scope, 'Budget', {
      amount: monitoring.budget.amount,
      budgetName: awsName(env),
      thresholdsPercent: monitoring.budget.thresholdsPercent,
      forecastThresholdsPercent: monitoring.budget.forecastThresholdsPercent,
      topic,
      tagFilter: { key: 'environment', value: env.name },
    });
  }
}

/**
 * The deployment and variant pairs the evaluation scores come from: every chat deployment (variant
 * `none`) and every variant of every experiment, as the Azure quality alerts split them.
 */
function qualityTargets(env: EnvironmentConfig): QualityTarget[] {
  const targets: QualityTarget[] = Object.entries(env.models.deployments)
    .filter(([, d]) => d.role === 'chat')
    .map(([deployment]) => ({ deployment }));
  for (const experiment of Object.values(env.gateway.experiments))
    for (const [variant, v] of Object.entries(experiment.variants))
      targets.push({ deployment: v.deployment, variant });
  return targets;
}

import { Construct } from 'constructs';
import { Problems } from '../../../constructs/core/errors';
import { ActionGroup } from '../../../constructs/monitoring/action-group';
import { BaselineAlerts, overridesFor } from '../../../constructs/monitoring/baseline-alerts';
import { ResourceGroupBudget } from '../../../constructs/monitoring/budget';
import { findMonitoredResources, type MonitoredResource } from '../../../constructs/monitoring/discovery';
import {
  QUALITY_ALERT_KINDS,
  QualityAlerts,
  qualityAlertKey,
} from '../../../constructs/monitoring/quality-alerts';
import { MonitoringWorkbook } from '../../../constructs/monitoring/workbook';
import { qualityWindow } from '../../config/sections/monitoring';
import type { EnvironmentStack } from '../environment-stack';

/** What {@link addMonitoring} created. */
export interface MonitoringHandles {
  /** Action groups by config name. */
  readonly actionGroups: Readonly<Record<string, ActionGroup>>;
  /** The group every alert and budget notification routes to (`monitoring.defaultActionGroup`). */
  readonly defaultActionGroup: ActionGroup;
  /** The resources found in the stack that got baseline alerts, in tree order. */
  readonly monitored: readonly MonitoredResource[];
  /** Baseline alerts by {@link MonitoredResource.key}. */
  readonly baselineAlerts: Readonly<Record<string, BaselineAlerts>>;
  /** Answer-quality alerts over the evaluation scores. */
  readonly qualityAlerts: QualityAlerts;
  /** The environment workbook. */
  readonly workbook: MonitoringWorkbook;
  /** The resource group budget; undefined when `monitoring.budget` is not set. */
  readonly budget?: ResourceGroupBudget;
}

/**
 * Monitoring of an environment from `env.monitoring`, under the construct `Monitoring`: action groups, the
 * baseline alerts of every resource in the stack the catalog knows (found by walking the construct tree, so
 * resources other capabilities add get their alerts without knowing about monitoring), answer-quality
 * alerts from `env.evaluation.thresholds`, the workbook, and the budget.
 *
 * Call it LAST in the stack constructor, after every capability: it sees only resources that exist when it
 * runs.
 */
export function addMonitoring(stack: EnvironmentStack): MonitoringHandles {
  const { env, naming } = stack;
  const m = env.monitoring;
  const monitored = findMonitoredResources(stack);
  const scope = new Construct(stack, 'Monitoring');

  const groupsScope = new Construct(scope, 'ActionGroups');
  const actionGroups: Record<string, ActionGroup> = {};
  for (const [name, group] of Object.entries(m.actionGroups)) {
    actionGroups[name] = new ActionGroup(groupsScope, name, {
      resourceGroup: stack.resourceGroup,
      name: naming.name('actionGroup', name),
      shortName: group.shortName,
      emails: group.emails,
      webhooks: group.webhooks,
    });
  }
  const defaultActionGroup = actionGroups[m.defaultActionGroup];
  if (!defaultActionGroup) {
    // Config validation reports this first; kept for stacks built from hand-made configs.
    const problems = new Problems(`environments.${env.name}`);
    problems.add(
      'monitoring.defaultActionGroup',
      `${JSON.stringify(m.defaultActionGroup)} is not a declared action group`,
    );
    problems.throwIfAny('Invalid monitoring config');
  }

  const alertsScope = new Construct(scope, 'BaselineAlerts');
  const baselineAlerts: Record<string, BaselineAlerts> = {};
  for (const target of monitored) {
    baselineAlerts[target.key] = new BaselineAlerts(alertsScope, target.key, {
      resourceGroup: stack.resourceGroup,
      target: target.resource,
      targetName: target.name,
      actionGroup: defaultActionGroup!,
      overrides: overridesFor(target.resourceType, m.alerts),
      provisioned: target.provisioned,
      tokenBudgetPerHour:
        target.resourceType === 'azurerm_cognitive_account' ? m.tokenBudgetPerHour : undefined,
    });
  }

  const window = qualityWindow(m.quality.windowHours);
  const qualitySettings = Object.fromEntries(
    Object.keys(env.evaluation.thresholds)
      .flatMap((metric) => QUALITY_ALERT_KINDS.map((kind) => qualityAlertKey(metric, kind)))
      .filter((key) => m.alerts[key] !== undefined)
      .map((key) => [key, { severity: m.alerts[key]!.severity, enabled: m.alerts[key]!.enabled }]),
  );
  const qualityAlerts = new QualityAlerts(scope, 'QualityAlerts', {
    resourceGroup: stack.resourceGroup,
    workspace: stack.observability.workspace,
    actionGroup: defaultActionGroup!,
    thresholds: env.evaluation.thresholds,
    nameSuffix: `${env.workload}-${env.name}`,
    window,
    minSamples: m.quality.minSamples,
    environment: env.name,
    drift: m.quality.drift.enabled
      ? {
          baselineWindow: qualityWindow(m.quality.drift.baselineHours),
          maxDrop: m.quality.drift.maxDrop,
          maxDefectRateRise: m.quality.drift.maxDefectRateRise,
        }
      : false,
    settings: qualitySettings,
  });

  const budget = m.budget
    ? new ResourceGroupBudget(scope, 'Budget', {
        resourceGroup: stack.resourceGroup,
        name: naming.name('budget'),
        amount: m.budget.amount,
        startDate: m.budget.startDate,
        thresholdsPercent: m.budget.thresholdsPercent,
        forecastThresholdsPercent: m.budget.forecastThresholdsPercent,
        actionGroups: [defaultActionGroup!],
      })
    : undefined;

  const workbook = new MonitoringWorkbook(scope, 'Workbook', {
    resourceGroup: stack.resourceGroup,
    environment: env.name,
    appInsights: stack.observability.appInsights,
    workspace: stack.observability.workspace,
    resources: monitored.map((r) => r.resource),
    qualityThresholds: env.evaluation.thresholds,
    qualityWindow: window,
    tokenBudgetPerHour: m.tokenBudgetPerHour,
    budget,
  });

  return {
    actionGroups,
    defaultActionGroup: defaultActionGroup!,
    monitored,
    baselineAlerts,
    qualityAlerts,
    workbook,
    budget,
  };
}

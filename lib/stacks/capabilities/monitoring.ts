import type { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { Problems } from '../../../constructs/core/errors';
import type { Observability } from '../../../constructs/logging/observability';
import type { ModelAccount } from '../../../constructs/models/model-account';
import { ActionGroup } from '../../../constructs/monitoring/action-group';
import { BaselineAlerts, overridesFor } from '../../../constructs/monitoring/baseline-alerts';
import { ResourceGroupBudget } from '../../../constructs/monitoring/budget';
import {
  isProvisionedSkuName,
  type MonitoredResource,
  monitoredResources,
  type WatchedResource,
} from '../../../constructs/monitoring/discovery';
import {
  QUALITY_ALERT_KINDS,
  QualityAlerts,
  qualityAlertKey,
} from '../../../constructs/monitoring/quality-alerts';
import { MonitoringWorkbook } from '../../../constructs/monitoring/workbook';
import { qualityWindow } from '../../config/sections/monitoring';
import type { EnvironmentInputs } from './inputs';

/** What {@link addMonitoring} reads besides the environment. */
export interface MonitoringInputs extends EnvironmentInputs {
  /** Application Insights (the workbook's source) and the workspace the quality alerts query. */
  readonly observability: Observability;
  /**
   * The resources to put baseline alerts on, taken from the other capabilities' handles; the alerts and
   * the workbook list them in this order. Model accounts go in through {@link watchModelAccount} (it
   * carries the PTU flag). Resources of a catalog type without alerts are skipped, any other type is an
   * error ({@link monitoredResources}).
   */
  readonly resources: readonly (TerraformResource | WatchedResource)[];
}

/** A model account to watch, provisioned when one of its deployments has a provisioned (PTU) SKU. */
export function watchModelAccount(account: ModelAccount): WatchedResource {
  return {
    resource: account.account,
    provisioned: Object.values(account.deployments).some((d) => isProvisionedSkuName(d.skuName)),
  };
}

/** What {@link addMonitoring} created. */
export interface MonitoringHandles {
  /** Action groups by config name. */
  readonly actionGroups: Readonly<Record<string, ActionGroup>>;
  /** The group every alert and budget notification routes to (`monitoring.defaultActionGroup`). */
  readonly defaultActionGroup: ActionGroup;
  /** The resources that got baseline alerts, in the order given. */
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
 * baseline alerts of every resource in `resources` the catalog has alerts for, answer-quality alerts from
 * `env.evaluation.thresholds`, the workbook, and the budget.
 *
 * It watches exactly the resources it is given, so a capability that adds a resource of a catalog type
 * hands it over through its handles (`test/stacks/monitoring-wiring.spec.ts` fails when one is missing).
 */
export function addMonitoring(parent: Construct, inputs: MonitoringInputs): MonitoringHandles {
  const { config: env, naming, resourceGroup, observability } = inputs;
  const m = env.monitoring;
  const monitored = monitoredResources(inputs.resources);
  const scope = new Construct(parent, 'Monitoring');

  const groupsScope = new Construct(scope, 'ActionGroups');
  const actionGroups: Record<string, ActionGroup> = {};
  for (const [name, group] of Object.entries(m.actionGroups)) {
    actionGroups[name] = new ActionGroup(groupsScope, name, {
      resourceGroup,
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
      resourceGroup,
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
    resourceGroup,
    workspace: observability.workspace,
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
        resourceGroup,
        name: naming.name('budget'),
        amount: m.budget.amount,
        startDate: m.budget.startDate,
        thresholdsPercent: m.budget.thresholdsPercent,
        forecastThresholdsPercent: m.budget.forecastThresholdsPercent,
        actionGroups: [defaultActionGroup!],
      })
    : undefined;

  const workbook = new MonitoringWorkbook(scope, 'Workbook', {
    resourceGroup,
    environment: env.name,
    appInsights: observability.appInsights,
    workspace: observability.workspace,
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

import { z } from 'zod';
import { Problems, show, ValidationError } from '../../../constructs/core/errors';
import {
  BASELINE_ALERTS,
  BASELINE_RESOURCE_TYPES,
  baselineAlertsFor,
  overridesFor,
} from '../../../constructs/monitoring/baseline-catalog';
import {
  budgetStartDateProblems,
  budgetThresholdProblems,
} from '../../../constructs/monitoring/budget-limits';
import {
  planQualityAlerts,
  QUALITY_ALERT_KINDS,
  qualityAlertKey,
} from '../../../constructs/monitoring/quality-alert-plan';
import type { QualityWindow } from '../../../constructs/monitoring/quality-queries';
import type { EnvironmentConfig } from '../environment';
import { defaultText, PROFILE_DEFAULTS } from '../profile-defaults';
import { byProfile, type ResolveContext } from './context';

/**
 * Hours a quality window may span, and the window each maps to. Scheduled query rules accept these windows
 * (and shorter minute windows, pointless for evaluation scores).
 */
export const QUALITY_WINDOW_HOURS: Readonly<Record<number, QualityWindow>> = {
  1: 'PT1H',
  2: 'PT2H',
  3: 'PT3H',
  4: 'PT4H',
  5: 'PT5H',
  6: 'PT6H',
  24: 'P1D',
  48: 'P2D',
};

/** The longest a scheduled query rule can look back (`query_time_range_override` P2D): window + drift baseline. */
export const MAX_QUALITY_LOOKBACK_HOURS = 48;

const allowedHours = Object.keys(QUALITY_WINDOW_HOURS).join(', ');

export const monitoringSchema = z
  .strictObject({
    actionGroups: z
      .record(
        z.string().regex(/^[a-z][a-z0-9-]{0,23}$/, {
          error: (iss) =>
            `action group name ${JSON.stringify(iss.input)} must be 1-24 lowercase letters, digits and hyphens, starting with a letter`,
        }),
        z.strictObject({
          shortName: z
            .string()
            .min(1)
            .max(12)
            .optional()
            .describe(
              "Shown in notifications, 1-12 characters (Azure's limit). Default: the first 12 characters of the group name.",
            ),
          emails: z.array(z.email()).optional().describe('Email receivers (common alert schema).'),
          webhooks: z
            .array(z.url({ protocol: /^https$/ }))
            .optional()
            .describe('HTTPS webhook receivers (common alert schema).'),
        }),
      )
      .optional()
      .describe(
        'Action groups keyed by name; every alert routes to `defaultActionGroup`. Default: platform (platform@example.com).',
      ),
    defaultActionGroup: z
      .string()
      .optional()
      .describe('The action group every alert and budget notification routes to. Default: the first group.'),
    alerts: z
      .record(
        z.string(),
        z.strictObject({
          threshold: z
            .number()
            .optional()
            .describe('Static threshold in the metric unit (baseline alerts only).'),
          severity: z.number().int().min(0).max(4).optional().describe('0 (critical) to 4 (verbose).'),
          enabled: z.boolean().optional(),
        }),
      )
      .optional()
      .describe(
        'Per-alert overrides keyed by alert key: baseline keys in docs/alerts.md, quality keys quality-<metric>-below-threshold and quality-<metric>-drift.',
      ),
    tokenBudgetPerHour: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(
        `Tokens per hour per model account before the token consumption alert fires. ${defaultText(PROFILE_DEFAULTS.tokenBudgetPerHour)}`,
      ),
    quality: z
      .strictObject({
        windowHours: z
          .number()
          .int()
          .optional()
          .describe(
            `Window of the mean score in quality alerts, in hours: one of ${allowedHours}. Default: 6.`,
          ),
        minSamples: z
          .number()
          .int()
          .min(1)
          .optional()
          .describe('Fewest scores per deployment/variant in a window before an alert can fire. Default: 3.'),
        drift: z
          .strictObject({
            enabled: z.boolean().optional().describe('Create drift alerts. Default: true.'),
            baselineHours: z
              .number()
              .int()
              .optional()
              .describe(
                `Baseline window before the recent window, in hours: one of ${allowedHours}; window + baseline at most 48. Default: 24.`,
              ),
            maxDrop: z
              .number()
              .positive()
              .optional()
              .describe('Largest tolerated drop of the mean, in score points (1-5 scale). Default: 0.5.'),
            maxDefectRateRise: z
              .number()
              .positive()
              .optional()
              .describe(
                'Largest tolerated rise of a content-safety defect rate (0-1) against the baseline. Default: 0.02.',
              ),
          })
          .optional(),
      })
      .optional()
      .describe(
        'Answer-quality alerts; thresholds come from evaluation.thresholds, shared with the release gate.',
      ),
    budget: z
      .strictObject({
        amount: z.number().positive().describe('Monthly budget in the billing currency.'),
        startDate: z.iso
          .date()
          .optional()
          .describe(
            'First day of the budget (YYYY-MM-01). Default: computed at plan time, the first of the month the budget ' +
              'is created in. Azure accepts a past start date on create only within the current month, so set it only ' +
              'for a budget created (or imported) in that month. Kept in lifecycle.ignore_changes: a later change has ' +
              'no effect on an existing budget.',
          ),
        thresholdsPercent: z
          .array(z.number())
          .optional()
          .describe('Notify at these percentages of actual cost. Default: [80, 100].'),
        forecastThresholdsPercent: z
          .array(z.number())
          .optional()
          .describe(
            'Notify at these percentages of forecast cost. Default: [100]. At most 5 notifications in total.',
          ),
      })
      .optional()
      .describe('Consumption budget of the environment resource group. Default: none.'),
    aws: z
      .strictObject({
        minInvocationsPerHour: z
          .number()
          .int()
          .min(0)
          .optional()
          .describe(
            'Fewest Bedrock invocations per deployment and hour; below it, or with no invocation at all, the traffic-drop alarm fires. Set it for deployments with steady traffic. Default: 0, no traffic-drop alarm.',
          ),
      })
      .optional(),
  })
  .describe('Alerts, action groups, workbook and budget.');

/** One action group, resolved. */
export interface ActionGroupConfig {
  readonly shortName: string;
  readonly emails: readonly string[];
  readonly webhooks: readonly string[];
}

/** A per-alert override (see `docs/alerts.md`). */
export interface AlertOverrideConfig {
  readonly threshold?: number;
  readonly severity?: number;
  readonly enabled?: boolean;
}

/** The monitoring section, with every default filled in. */
export interface MonitoringConfig {
  readonly actionGroups: Readonly<Record<string, ActionGroupConfig>>;
  readonly defaultActionGroup: string;
  readonly alerts: Readonly<Record<string, AlertOverrideConfig>>;
  readonly tokenBudgetPerHour: number;
  readonly quality: {
    readonly windowHours: number;
    readonly minSamples: number;
    readonly drift: {
      readonly enabled: boolean;
      readonly baselineHours: number;
      readonly maxDrop: number;
      readonly maxDefectRateRise: number;
    };
  };
  readonly budget?: {
    readonly amount: number;
    /** `YYYY-MM-01`, or undefined for the month of the plan that creates the budget. */
    readonly startDate?: string;
    readonly thresholdsPercent: readonly number[];
    readonly forecastThresholdsPercent: readonly number[];
  };
  /** AWS environments: fewest invocations per deployment and hour (0: no traffic-drop alarm). */
  readonly aws?: { readonly minInvocationsPerHour: number };
}

export function resolveMonitoring(
  raw: z.infer<typeof monitoringSchema> | undefined,
  ctx: ResolveContext,
): MonitoringConfig {
  const groups = raw?.actionGroups ?? { platform: { emails: ['platform@example.com'] } };
  const actionGroups: Record<string, ActionGroupConfig> = {};
  for (const [name, g] of Object.entries(groups)) {
    actionGroups[name] = {
      shortName: g.shortName ?? name.slice(0, 12),
      emails: g.emails ?? [],
      webhooks: g.webhooks ?? [],
    };
  }
  return {
    actionGroups,
    defaultActionGroup: raw?.defaultActionGroup ?? Object.keys(actionGroups)[0]!,
    alerts: raw?.alerts ?? {},
    tokenBudgetPerHour: raw?.tokenBudgetPerHour ?? byProfile(ctx, 'tokenBudgetPerHour'),
    quality: {
      windowHours: raw?.quality?.windowHours ?? 6,
      minSamples: raw?.quality?.minSamples ?? 3,
      drift: {
        enabled: raw?.quality?.drift?.enabled ?? true,
        baselineHours: raw?.quality?.drift?.baselineHours ?? 24,
        maxDrop: raw?.quality?.drift?.maxDrop ?? 0.5,
        maxDefectRateRise: raw?.quality?.drift?.maxDefectRateRise ?? 0.02,
      },
    },
    budget: raw?.budget
      ? {
          amount: raw.budget.amount,
          startDate: raw.budget.startDate,
          thresholdsPercent: raw.budget.thresholdsPercent ?? [80, 100],
          forecastThresholdsPercent: raw.budget.forecastThresholdsPercent ?? [100],
        }
      : undefined,
    aws:
      ctx.cloud === 'aws'
        ? {
            minInvocationsPerHour: raw?.aws?.minInvocationsPerHour ?? 0,
          }
        : undefined,
  };
}

/** The quality window of `hours`, or undefined when rules cannot use it. */
export function qualityWindow(hours: number): QualityWindow | undefined {
  return QUALITY_WINDOW_HOURS[hours];
}

/** Whether any model deployment of the environment is provisioned (PTU). */
export function hasProvisionedDeployment(env: EnvironmentConfig): boolean {
  return Object.values(env.models.deployments).some((d) => d.sku.includes('Provisioned'));
}

/** The quality alert keys the environment's thresholds produce (both kinds for every metric). */
function qualityKeys(env: EnvironmentConfig): Map<string, string> {
  const keys = new Map<string, string>();
  for (const metric of Object.keys(env.evaluation.thresholds)) {
    for (const kind of QUALITY_ALERT_KINDS) keys.set(qualityAlertKey(metric, kind), metric);
  }
  return keys;
}

/**
 * Cross-field checks of the monitoring section, every problem at once, at config paths
 * (`monitoring.alerts.kv-availability.threshold`, `evaluation.thresholds.groundedness.value`, ...):
 * action groups without receivers, unknown alert keys, override thresholds out of the metric's range or on
 * alerts that take no threshold, quality windows the rules cannot query, quality thresholds off the 1-5 scale,
 * and budget start dates and thresholds Azure rejects.
 */
export function validateMonitoring(env: EnvironmentConfig, problems: Problems): void {
  const m = env.monitoring;
  for (const [name, group] of Object.entries(m.actionGroups)) {
    problems.check(
      group.emails.length + group.webhooks.length > 0,
      `monitoring.actionGroups.${name}`,
      'has no receivers: give at least one of emails, webhooks, or alerts routed here notify nobody',
    );
  }
  validateAlertOverrides(env, problems);
  validateQuality(env, problems);
  if (m.budget) {
    if (m.budget.startDate !== undefined) {
      for (const message of budgetStartDateProblems(m.budget.startDate)) {
        problems.add('monitoring.budget.startDate', message);
      }
    }
    for (const [path, message] of budgetThresholdProblems(
      m.budget.thresholdsPercent,
      m.budget.forecastThresholdsPercent,
    )) {
      problems.add(`monitoring.budget.${path}`, message);
    }
  }
}

function validateAlertOverrides(env: EnvironmentConfig, problems: Problems): void {
  const m = env.monitoring;
  const baselineKeys = new Set(BASELINE_RESOURCE_TYPES.flatMap((t) => BASELINE_ALERTS[t].map((a) => a.key)));
  const quality = qualityKeys(env);
  for (const [key, override] of Object.entries(m.alerts)) {
    const metric = quality.get(key);
    if (metric !== undefined) {
      if (override.threshold !== undefined) {
        problems.add(
          `monitoring.alerts.${key}.threshold`,
          `${show(override.threshold)}: quality alerts take their threshold from evaluation.thresholds.${metric} (shared with the release gate); set it there`,
        );
      }
    } else if (!baselineKeys.has(key)) {
      problems.add(
        `monitoring.alerts.${key}`,
        `unknown alert key ${show(key)}: baseline keys are listed in docs/alerts.md; quality keys are quality-<metric>-below-threshold and quality-<metric>-drift for the metrics in evaluation.thresholds (${Object.keys(env.evaluation.thresholds).join(', ') || 'none'})`,
      );
    }
  }
  const provisioned = hasProvisionedDeployment(env);
  const seen = new Set<string>();
  for (const type of BASELINE_RESOURCE_TYPES) {
    try {
      baselineAlertsFor(type, {
        overrides: overridesFor(type, m.alerts),
        provisioned,
        tokenBudgetPerHour: type === 'azurerm_cognitive_account' ? m.tokenBudgetPerHour : undefined,
      });
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      for (const p of e.problems) {
        const path = `monitoring.${p.path.replace(/^overrides\./, 'alerts.')}`;
        const id = `${path}\u0000${p.message}`;
        if (seen.has(id)) continue;
        seen.add(id);
        problems.add(path, p.message);
      }
    }
  }
}

/** Props paths of `planQualityAlerts` problems -> config paths. */
function qualityConfigPath(path: string): string {
  if (path === 'window') return 'monitoring.quality.windowHours';
  if (path === 'minSamples') return 'monitoring.quality.minSamples';
  if (path === 'drift.baselineWindow') return 'monitoring.quality.drift.baselineHours';
  if (path === 'drift.maxDrop') return 'monitoring.quality.drift.maxDrop';
  if (path === 'drift.maxDefectRateRise') return 'monitoring.quality.drift.maxDefectRateRise';
  if (path.startsWith('thresholds.')) return `evaluation.${path}`;
  return `monitoring.quality.${path}`;
}

function validateQuality(env: EnvironmentConfig, problems: Problems): void {
  // Scheduled query rule windows: Azure only (AWS alarms take whole hours up to a day, checked in validate.ts;
  // their drift is an anomaly band, so baselineHours means nothing there).
  if (env.cloud === 'aws') return;
  const q = env.monitoring.quality;
  const window = qualityWindow(q.windowHours);
  const baseline = qualityWindow(q.drift.baselineHours);
  problems.check(
    window !== undefined,
    'monitoring.quality.windowHours',
    `${q.windowHours} is not a window scheduled query rules accept: use one of ${allowedHours} hours`,
  );
  let windowsOk = window !== undefined;
  if (q.drift.enabled) {
    windowsOk =
      problems.check(
        baseline !== undefined,
        'monitoring.quality.drift.baselineHours',
        `${q.drift.baselineHours} is not a window scheduled query rules accept: use one of ${allowedHours} hours`,
      ) && windowsOk;
    if (window !== undefined && baseline !== undefined) {
      windowsOk =
        problems.check(
          q.drift.baselineHours >= q.windowHours,
          'monitoring.quality.drift.baselineHours',
          `${q.drift.baselineHours} is shorter than windowHours ${q.windowHours}: the baseline must be at least as long as the recent window`,
        ) && windowsOk;
      windowsOk =
        problems.check(
          q.windowHours + q.drift.baselineHours <= MAX_QUALITY_LOOKBACK_HOURS,
          'monitoring.quality.drift.baselineHours',
          `windowHours ${q.windowHours} + baselineHours ${q.drift.baselineHours} = ${q.windowHours + q.drift.baselineHours} hours, more than the ${MAX_QUALITY_LOOKBACK_HOURS} hours a scheduled query rule can look back`,
        ) && windowsOk;
    }
  }
  if (!windowsOk) return;
  const found = new Problems();
  planQualityAlerts(found, {
    thresholds: env.evaluation.thresholds,
    window,
    minSamples: q.minSamples,
    environment: env.name,
    drift: q.drift.enabled
      ? { baselineWindow: baseline, maxDrop: q.drift.maxDrop, maxDefectRateRise: q.drift.maxDefectRateRise }
      : false,
  });
  for (const p of found.all) problems.add(qualityConfigPath(p.path), p.message);
}

import { Problems, show } from '../core/errors';
import {
  type AlertSeverity,
  BASELINE_RESOURCE_TYPES,
  type BaselineAlertDefinition,
  type BaselineCatalogData,
  type ExcludedAmbaAlert,
  type ResolvedBaselineAlert,
  type TerraformResourceType,
  thresholdRange,
} from './baseline-catalog-types';
import catalogFile from './data/baseline-catalog.json';

/**
 * The baseline metric alert catalog and the code that applies it: the entries are data, in
 * `data/baseline-catalog.json` (its shapes in `baseline-catalog-types.ts`, its rules in
 * `baseline-catalog-schema.ts`, checked by a test); this file reads them, applies per-environment
 * overrides ({@link baselineAlertsFor}) and checks that every deployed resource type is accounted for
 * ({@link uncoveredResourceTypes}).
 *
 * To change an alert, edit the JSON file and `docs/alerts.md`; a test fails until both agree.
 */

export * from './baseline-catalog-types';

/**
 * The data file, typed. Not validated here: zod would add a tenth of a second to every synth for a file that
 * changes only with the code; `test/monitoring/baseline-catalog-data.spec.ts` checks it against the schema
 * (`readBaselineCatalog`) on every test run.
 */
const CATALOG: BaselineCatalogData = catalogFile as unknown as BaselineCatalogData;

/**
 * Baseline metric alerts per azurerm resource type.
 *
 * `azurerm_log_analytics_workspace` is empty on purpose: for the workspace itself AMBA recommends only
 * activity-log alerts (delete, regenerate shared key); its metric alerts are virtual machine performance
 * counters (`Average_% Processor Time`, `Heartbeat`, ...) from the "metric alerts for logs" feature, which
 * need VM agents reporting to the workspace, and the platform runs no VMs. `azurerm_ai_foundry` is an ML
 * workspace of kind `hub`; its numbers come from the AMBA ARM templates, generated from the AMBA entries the
 * site lists as enabled. Resource types the environments deploy without baseline alerts are listed, each with
 * the reason, in {@link RESOURCE_TYPES_WITHOUT_BASELINE_ALERTS}.
 */
export const BASELINE_ALERTS: Readonly<Record<TerraformResourceType, readonly BaselineAlertDefinition[]>> =
  CATALOG.alerts;

/**
 * AMBA-recommended (`visible: true`) metric alerts for the catalog's namespaces that the catalog leaves out.
 * Together with {@link BASELINE_ALERTS} this accounts for every AMBA recommendation read.
 */
export const EXCLUDED_AMBA_ALERTS: readonly ExcludedAmbaAlert[] = CATALOG.excludedAmbaAlerts;

/**
 * Resource types an environment may deploy that get no baseline metric alerts, each with the reason. Keys are
 * Terraform types; azapi resources are keyed `azapi_resource:<ARM type>` (`azapi_data_plane_resource:...`),
 * without the API version. Together with {@link BASELINE_RESOURCE_TYPES} this accounts for every resource type
 * of every environment: a test synthesizes them and fails on a type in neither, so a capability that adds a
 * resource type must add its AMBA alerts to the catalog or its reason here.
 */
export const RESOURCE_TYPES_WITHOUT_BASELINE_ALERTS: Readonly<Record<string, string>> =
  CATALOG.resourceTypesWithoutBaselineAlerts;

/**
 * The key a resource has in the coverage check: its Terraform type, or for azapi resources
 * `<terraform type>:<ARM type>` without the API version (`azapi_resource:Microsoft.ApiManagement/service/backends`).
 * `azapi_update_resource` and `azapi_resource_action` are keyed by their Terraform type alone: they change a
 * resource that exists elsewhere.
 */
export function coverageKey(terraformType: string, armType?: unknown): string {
  if (
    (terraformType === 'azapi_resource' || terraformType === 'azapi_data_plane_resource') &&
    typeof armType === 'string'
  ) {
    return `${terraformType}:${armType.split('@')[0]}`;
  }
  return terraformType;
}

/**
 * The keys (see {@link coverageKey}) among `keys` that have neither baseline alerts in the catalog nor a reason
 * in {@link RESOURCE_TYPES_WITHOUT_BASELINE_ALERTS}, sorted and de-duplicated. Empty when every type is
 * accounted for.
 */
export function uncoveredResourceTypes(keys: Iterable<string>): string[] {
  const missing = new Set<string>();
  for (const key of keys) {
    const covered =
      (BASELINE_RESOURCE_TYPES as readonly string[]).includes(key) ||
      Object.hasOwn(RESOURCE_TYPES_WITHOUT_BASELINE_ALERTS, key);
    if (!covered) missing.add(key);
  }
  return [...missing].sort();
}

/** A per-environment change to one catalog alert, keyed by the alert's `key` in the config. */
export interface BaselineAlertOverride {
  /**
   * Static threshold in the metric's unit. Not allowed on dynamic-threshold alerts or on alerts whose
   * threshold comes from a config input (`thresholdFrom`).
   * @default the catalog's threshold
   */
  readonly threshold?: number;
  /**
   * Severity, 0 (critical) to 4 (verbose).
   * @default the catalog's severity
   */
  readonly severity?: number;
  /**
   * Whether to create the alert.
   * @default the catalog's `enabledByDefault` (true unless stated)
   */
  readonly enabled?: boolean;
}

/** Inputs of {@link baselineAlertsFor}. */
export interface BaselineAlertOptions {
  /**
   * Overrides keyed by alert `key`.
   * @default none
   */
  readonly overrides?: Readonly<Record<string, BaselineAlertOverride>>;
  /**
   * Whether the monitored model account has a provisioned (PTU) deployment; alerts with
   * `onlyWhen: 'provisioned'` are created only then.
   * @default false
   */
  readonly provisioned?: boolean;
  /**
   * Hourly token budget of the model account (prompt plus completion tokens); the threshold of
   * `openai-token-budget`. Required while that alert is enabled.
   * @default none
   */
  readonly tokenBudgetPerHour?: number;
  /**
   * Config location prefixed to problem paths, e.g. `environments.prod.monitoring`.
   * @default '' - paths read `overrides.<key>.<field>` and `tokenBudgetPerHour`
   */
  readonly configPath?: string;
}

const OVERRIDE_FIELDS = ['threshold', 'severity', 'enabled'] as const;

function checkThreshold(
  problems: Problems,
  path: string,
  alert: BaselineAlertDefinition,
  value: unknown,
): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    problems.add(path, `${show(value)} is not a number (${alert.key} takes a threshold in ${alert.unit})`);
    return;
  }
  const { min, max } = thresholdRange(alert.unit);
  if (value < min || value > max) {
    const allowed = max === Number.POSITIVE_INFINITY ? `at least ${min}` : `between ${min} and ${max}`;
    problems.add(
      path,
      `${value} is out of range for ${alert.metricName} (${alert.unit}): must be ${allowed}`,
    );
  }
}

function isSeverity(value: unknown): value is AlertSeverity {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 4;
}

/**
 * The alerts to create for one resource type in one environment: the catalog with overrides applied,
 * conditional and disabled alerts removed, and config-supplied thresholds filled in. Catalog order is kept.
 *
 * Every problem is reported at once, each naming the key, the value and what is allowed.
 *
 * @example
 * baselineAlertsFor('azurerm_search_service', { overrides: { 'search-latency': { threshold: 2, severity: 2 } } });
 * @throws ValidationError for an unknown resource type or key, an unknown override field, a threshold out of
 *   the metric's range or on a dynamic alert, a severity outside 0-4, a non-boolean `enabled`, enabling an
 *   alert whose condition does not hold, or a missing or invalid `tokenBudgetPerHour`.
 */
export function baselineAlertsFor(
  resourceType: TerraformResourceType,
  options: BaselineAlertOptions = {},
): ResolvedBaselineAlert[] {
  const problems = new Problems(options.configPath ?? '');
  const subject = `Invalid baseline alert settings for ${resourceType}`;
  const catalog = Object.hasOwn(BASELINE_ALERTS, resourceType) ? BASELINE_ALERTS[resourceType] : undefined;
  if (!catalog) {
    problems.add(
      '',
      `${show(resourceType)} has no baseline alerts (known: ${BASELINE_RESOURCE_TYPES.join(', ')})`,
    );
    problems.throwIfAny(subject);
    return [];
  }

  const overrides = options.overrides ?? {};
  const byKey = new Map(catalog.map((alert) => [alert.key, alert]));
  for (const [key, override] of Object.entries(overrides)) {
    const alert = byKey.get(key);
    if (!alert) {
      const known = catalog.map((a) => a.key).join(', ') || 'none';
      problems.add(
        `overrides.${key}`,
        `unknown alert key ${show(key)} for ${resourceType} (known: ${known})`,
      );
      continue;
    }
    checkOverride(problems, alert, override, options.provisioned ?? false);
  }

  const resolved: ResolvedBaselineAlert[] = [];
  for (const alert of catalog) {
    const override = overrides[alert.key] ?? {};
    const conditionHolds = alert.onlyWhen !== 'provisioned' || options.provisioned === true;
    const enabled = (override.enabled ?? alert.enabledByDefault ?? true) && conditionHolds;
    if (!enabled) continue;
    const severity = isSeverity(override.severity) ? override.severity : alert.severity;
    const { enabledByDefault: _enabled, onlyWhen: _onlyWhen, ...rest } = alert;
    if (rest.kind === 'dynamic') {
      resolved.push({ ...rest, severity });
      continue;
    }
    const { thresholdFrom, threshold: catalogThreshold, ...staticRest } = rest;
    let threshold = override.threshold ?? catalogThreshold;
    if (thresholdFrom === 'tokenBudgetPerHour') {
      threshold = checkTokenBudget(problems, alert.key, options.tokenBudgetPerHour);
    }
    if (threshold === undefined) continue;
    resolved.push({ ...staticRest, threshold, severity });
  }

  problems.throwIfAny(subject);
  return resolved;
}

/**
 * The overrides of an environment-wide map (keyed by alert key, as in the environment config's
 * `monitoring.alerts`) that belong to `resourceType`. Keys of other types and unknown keys are dropped;
 * config validation reports unknown keys.
 */
export function overridesFor(
  resourceType: TerraformResourceType,
  all: Readonly<Record<string, BaselineAlertOverride>>,
): Record<string, BaselineAlertOverride> {
  const keys = new Set(BASELINE_ALERTS[resourceType].map((a) => a.key));
  return Object.fromEntries(Object.entries(all).filter(([key]) => keys.has(key)));
}

function checkOverride(
  problems: Problems,
  alert: BaselineAlertDefinition,
  override: BaselineAlertOverride,
  provisioned: boolean,
): void {
  const base = `overrides.${alert.key}`;
  if (typeof override !== 'object' || override === null || Array.isArray(override)) {
    problems.add(base, `${show(override)} is not an object (allowed fields: ${OVERRIDE_FIELDS.join(', ')})`);
    return;
  }
  for (const field of Object.keys(override)) {
    if (!(OVERRIDE_FIELDS as readonly string[]).includes(field)) {
      problems.add(`${base}.${field}`, `unknown setting (allowed: ${OVERRIDE_FIELDS.join(', ')})`);
    }
  }
  if (override.threshold !== undefined) {
    if (alert.kind === 'dynamic') {
      problems.add(
        `${base}.threshold`,
        `${show(override.threshold)}: ${alert.key} uses a dynamic threshold that Azure learns; a static threshold ` +
          'cannot be set (allowed: severity, enabled)',
      );
    } else if (alert.thresholdFrom) {
      problems.add(
        `${base}.threshold`,
        `${show(override.threshold)}: ${alert.key} takes its threshold from ${alert.thresholdFrom}; set that instead`,
      );
    } else {
      checkThreshold(problems, `${base}.threshold`, alert, override.threshold);
    }
  }
  if (override.severity !== undefined && !isSeverity(override.severity)) {
    problems.add(
      `${base}.severity`,
      `${show(override.severity)} must be an integer from 0 (critical) to 4 (verbose)`,
    );
  }
  if (override.enabled !== undefined) {
    if (typeof override.enabled !== 'boolean') {
      problems.add(`${base}.enabled`, `${show(override.enabled)} must be true or false`);
    } else if (override.enabled && alert.onlyWhen === 'provisioned' && !provisioned) {
      problems.add(
        `${base}.enabled`,
        `true, but ${alert.key} applies only to accounts with a provisioned (PTU) deployment and provisioned is false`,
      );
    }
  }
}

function checkTokenBudget(problems: Problems, key: string, budget: number | undefined): number | undefined {
  if (budget === undefined) {
    problems.add(
      'tokenBudgetPerHour',
      `missing: ${key} takes its threshold from tokenBudgetPerHour; set a positive number of tokens or ` +
        `disable the alert with overrides.${key}.enabled: false`,
    );
    return undefined;
  }
  if (typeof budget !== 'number' || !Number.isInteger(budget) || budget <= 0) {
    problems.add('tokenBudgetPerHour', `${show(budget)} must be a positive whole number of tokens`);
    return undefined;
  }
  return budget;
}

/**
 * The alert scope for a monitored resource: its id plus the alert's {@link BaselineAlertDefinition.scopeSuffix}
 * (e.g. `<storage account id>/blobServices/default`). Works with unresolved Terraform tokens.
 */
export function alertScope(alert: Pick<BaselineAlertDefinition, 'scopeSuffix'>, resourceId: string): string {
  return `${resourceId}${alert.scopeSuffix ?? ''}`;
}

import { z } from 'zod';
import { show, ValidationError } from '../core/errors';
import {
  ALERT_CONDITIONS,
  ALERT_ORIGINS,
  ALERT_SEVERITIES,
  BASELINE_RESOURCE_TYPES,
  type BaselineAlertDefinition,
  type BaselineCatalogData,
  DYNAMIC_ALERT_OPERATORS,
  DYNAMIC_ALERT_SENSITIVITIES,
  durationMinutes,
  METRIC_ALERT_AGGREGATIONS,
  METRIC_ALERT_FREQUENCIES,
  METRIC_ALERT_OPERATORS,
  METRIC_ALERT_WINDOW_SIZES,
  METRIC_DIMENSION_OPERATORS,
  METRIC_UNITS,
  type TerraformResourceType,
  THRESHOLD_INPUTS,
  thresholdRange,
} from './baseline-catalog-types';
import { type MetricNamespace, SUPPORTED_METRICS } from './supported-metrics';

/**
 * The schema of `data/baseline-catalog.json` and the reader that checks the file against it. The types in
 * `baseline-catalog-types.ts` say what an entry holds; this file says which values are allowed, including
 * the rules that span fields (a frequency never longer than its window, a note on every adapted or project
 * alert, a threshold in its unit's range, keys unique across the catalog). The catalog module does not load
 * zod: `test/monitoring/baseline-catalog-data.spec.ts` runs {@link readBaselineCatalog} on the file.
 */

const KEY_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const METRIC_NAMESPACES = Object.keys(SUPPORTED_METRICS) as [MetricNamespace, ...MetricNamespace[]];
const text = z.string().trim().min(1);

const dimensionSchema = z.strictObject({
  name: text,
  operator: z.enum(METRIC_DIMENSION_OPERATORS),
  values: z.array(text).min(1),
});

const sourceSchema = z.strictObject({
  origin: z.enum(ALERT_ORIGINS),
  reference: text,
  note: text.optional(),
});

const alertBaseShape = {
  key: z.string().regex(KEY_PATTERN, 'must be kebab-case (lower-case letters and digits joined by "-")'),
  displayName: text,
  description: text,
  metricNamespace: z.enum(METRIC_NAMESPACES),
  metricName: text,
  unit: z.enum(METRIC_UNITS),
  aggregation: z.enum(METRIC_ALERT_AGGREGATIONS),
  windowSize: z.enum(METRIC_ALERT_WINDOW_SIZES),
  frequency: z.enum(METRIC_ALERT_FREQUENCIES),
  severity: z.literal(ALERT_SEVERITIES),
  dimensions: z.array(dimensionSchema).min(1).optional(),
  scopeSuffix: z
    .string()
    .regex(/^\/\S+$/, 'must start with "/" and hold no spaces')
    .optional(),
  onlyWhen: z.enum(ALERT_CONDITIONS).optional(),
  enabledByDefault: z.boolean().optional(),
  source: sourceSchema,
};

const staticAlertSchema = z.strictObject({
  ...alertBaseShape,
  kind: z.literal('static'),
  operator: z.enum(METRIC_ALERT_OPERATORS),
  threshold: z.number().optional(),
  thresholdFrom: z.enum(THRESHOLD_INPUTS).optional(),
});

const dynamicAlertSchema = z.strictObject({
  ...alertBaseShape,
  kind: z.literal('dynamic'),
  dynamic: z.strictObject({
    sensitivity: z.enum(DYNAMIC_ALERT_SENSITIVITIES),
    operator: z.enum(DYNAMIC_ALERT_OPERATORS),
    evaluationTotalCount: z.int().min(1),
    evaluationFailureCount: z.int().min(1),
  }),
});

const alertSchema = z
  .discriminatedUnion('kind', [staticAlertSchema, dynamicAlertSchema])
  .superRefine((alert, ctx) => {
    for (const problem of alertRuleProblems(alert)) ctx.addIssue({ code: 'custom', ...problem });
  });

/** The cross-field rules of one entry, each with the path of the field it concerns. */
function alertRuleProblems(alert: BaselineAlertDefinition): { path: string[]; message: string }[] {
  const problems: { path: string[]; message: string }[] = [];
  if ((durationMinutes(alert.frequency) ?? 0) > (durationMinutes(alert.windowSize) ?? 0)) {
    problems.push({
      path: ['frequency'],
      message: `${show(alert.frequency)} is longer than windowSize ${show(alert.windowSize)} (allowed: at most the window)`,
    });
  }
  if (alert.source.origin !== 'amba' && alert.source.note === undefined) {
    problems.push({
      path: ['source', 'note'],
      message: `is required when origin is ${show(alert.source.origin)} (say what changed and why)`,
    });
  }
  if (alert.kind === 'dynamic') {
    const { evaluationTotalCount: total, evaluationFailureCount: failures } = alert.dynamic;
    if (failures > total) {
      problems.push({
        path: ['dynamic', 'evaluationFailureCount'],
        message: `${failures} is more than evaluationTotalCount ${total} (allowed: 1 to ${total})`,
      });
    }
    return problems;
  }
  if ((alert.threshold === undefined) === (alert.thresholdFrom === undefined)) {
    problems.push({
      path: ['threshold'],
      message: 'a static alert needs exactly one of threshold and thresholdFrom',
    });
  }
  if (alert.threshold !== undefined) {
    const { min, max } = thresholdRange(alert.unit);
    if (alert.threshold < min || alert.threshold > max) {
      const allowed = max === Number.POSITIVE_INFINITY ? `at least ${min}` : `${min} to ${max}`;
      problems.push({
        path: ['threshold'],
        message: `${alert.threshold} is out of range for unit ${alert.unit} (allowed: ${allowed})`,
      });
    }
  }
  return problems;
}

const alertsShape = Object.fromEntries(
  BASELINE_RESOURCE_TYPES.map((type) => [type, z.array(alertSchema)]),
) as Record<TerraformResourceType, z.ZodArray<typeof alertSchema>>;

/** The schema of the whole data file. */
export const baselineCatalogSchema: z.ZodType<BaselineCatalogData> = z
  .strictObject({
    alerts: z.strictObject(alertsShape),
    excludedAmbaAlerts: z.array(
      z.strictObject({
        resourceType: z.enum(BASELINE_RESOURCE_TYPES),
        metricNamespace: text,
        metricName: text,
        reason: text,
      }),
    ),
    resourceTypesWithoutBaselineAlerts: z.record(text, text),
  })
  .superRefine((catalog, ctx) => {
    const seen = new Map<string, string>();
    for (const type of BASELINE_RESOURCE_TYPES) {
      catalog.alerts[type].forEach((alert, index) => {
        const first = seen.get(alert.key);
        if (first !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['alerts', type, index, 'key'],
            message: `${show(alert.key)} is already the key of an alert at ${first} (keys are unique across the catalog)`,
          });
        } else seen.set(alert.key, `alerts.${type}[${index}]`);
      });
    }
    for (const type of Object.keys(catalog.resourceTypesWithoutBaselineAlerts)) {
      if ((BASELINE_RESOURCE_TYPES as readonly string[]).includes(type)) {
        ctx.addIssue({
          code: 'custom',
          path: ['resourceTypesWithoutBaselineAlerts', type],
          message: `${show(type)} has baseline alerts; a type is either in alerts or here, not both`,
        });
      }
    }
  });

/**
 * Checks `data` (the parsed JSON of a catalog file) against {@link baselineCatalogSchema} and returns it typed.
 *
 * @param source the file name used in the error subject
 * @throws ValidationError listing every problem, each with its path in the file, the value and what is allowed
 */
export function readBaselineCatalog(
  data: unknown,
  source = 'data/baseline-catalog.json',
): BaselineCatalogData {
  const result = baselineCatalogSchema.safeParse(data, { reportInput: true });
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path
      .map((segment, i) =>
        typeof segment === 'number' ? `[${segment}]` : `${i ? '.' : ''}${String(segment)}`,
      )
      .join('');
    const input = (issue as { input?: unknown }).input;
    const quoted = input === undefined || issue.code === 'custom' ? '' : `${show(input)}: `;
    return { path, message: `${quoted}${issue.message}` };
  });
  throw new ValidationError(`Invalid baseline alert catalog ${source}`, problems);
}

import { metricCriteriaProblems } from '../../monitoring/supported-metrics';
import { PolicyRule, type SynthesizedResource } from '../engine';

/** Reads a string attribute; undefined when absent, not a string or an unresolved Terraform expression. */
function literal(value: unknown): string | undefined {
  return typeof value === 'string' && !value.includes('${') ? value : undefined;
}

/** A block that cdktf may write as an object or a list of objects, as a list. */
function blocks(value: unknown): Record<string, unknown>[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null);
}

/**
 * Metric alerts alert on a metric that exists: every `criteria` and `dynamic_criteria` block of an
 * `azurerm_monitor_metric_alert` names a metric namespace and metric of the supported-metrics table
 * (`constructs/monitoring/supported-metrics.ts`, read from Microsoft's "Supported metrics for <resource type>"
 * pages), an aggregation azurerm accepts and the metric supports, and only dimensions the metric has.
 *
 * `terraform validate` sees none of this: azurerm checks only that the namespace and name are not empty and that
 * the aggregation is one of `Average, Count, Minimum, Maximum, Total`
 * (terraform-provider-azurerm v4.55.0, `internal/services/monitor/monitor_metric_alert_resource.go`). An alert
 * on a retired metric (API Management `FailedRequests`) or with an unsupported aggregation (Key Vault
 * `ServiceApiHit` with `Average`) deploys and never fires. Values that are unresolved Terraform expressions are
 * not checked.
 *
 * @see https://learn.microsoft.com/azure/azure-monitor/reference/metrics-index
 */
export class MetricAlertDefinitionRule extends PolicyRule {
  readonly id = 'metric-alert-definition';
  readonly description =
    'Metric alert criteria use a supported metric, an aggregation it supports and only its dimensions.';

  appliesTo(resourceType: string): boolean {
    return resourceType === 'azurerm_monitor_metric_alert';
  }

  check(resource: SynthesizedResource): string | undefined {
    const problems: string[] = [];
    const criteria = blocks(resource.attributes.criteria).map((c, i) => [`criteria[${i}]`, c] as const);
    const dynamic = blocks(resource.attributes.dynamic_criteria).map((c) => ['dynamic_criteria', c] as const);
    for (const [path, block] of [...criteria, ...dynamic]) {
      const metricNamespace = literal(block.metric_namespace);
      const metricName = literal(block.metric_name);
      const aggregation = literal(block.aggregation);
      if (metricNamespace === undefined || metricName === undefined || aggregation === undefined) continue;
      const dimensionNames = blocks(block.dimension)
        .map((d) => literal(d.name))
        .filter((n): n is string => n !== undefined);
      for (const message of metricCriteriaProblems({
        metricNamespace,
        metricName,
        aggregation,
        dimensionNames,
      })) {
        problems.push(`${path}: ${message}`);
      }
    }
    return problems.length ? problems.join('; ') : undefined;
  }
}

import { BaselineAlerts } from '../../constructs/monitoring/baseline-alerts';
import { MetricAlertDefinitionRule, suppressPolicy } from '../../constructs/policy';
import { TEST_RESOURCE_GROUP } from '../helpers/synth';
import { findingsAfterSynth, rawResource, stackWith, synthError } from './helpers';

const APIM_METRICS =
  'https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-apimanagement-service-metrics';
const KV_METRICS =
  'https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-keyvault-vaults-metrics';
const PREFIX = '[policy metric-alert-definition] test/Alert (azurerm_monitor_metric_alert.Alert): ';

/** An `azurerm_monitor_metric_alert` as cdktf writes it: `criteria` a list, `dynamic_criteria` an object. */
function alertWith(criteria: Record<string, unknown>, kind: 'criteria' | 'dynamic_criteria' = 'criteria') {
  const stack = stackWith(new MetricAlertDefinitionRule());
  const block = {
    operator: 'GreaterThan',
    ...(kind === 'criteria' ? { threshold: 1 } : { alert_sensitivity: 'Medium' }),
    ...criteria,
  };
  const alert = rawResource(stack, 'Alert', 'azurerm_monitor_metric_alert', {
    name: 'a',
    [kind]: kind === 'criteria' ? [block] : block,
  });
  return { stack, alert };
}

describe('policy rule metric-alert-definition', () => {
  test('passes for the baseline alerts of every resource type the catalog covers', () => {
    // GIVEN the API Management and Key Vault baseline alerts (static and dynamic criteria, dimensions)
    const stack = stackWith(new MetricAlertDefinitionRule());
    for (const [id, type] of [
      ['Apim', 'azurerm_api_management'],
      ['Vault', 'azurerm_key_vault'],
      ['Account', 'azurerm_cognitive_account'],
    ] as const) {
      const target = rawResource(stack, id, type, { name: id.toLowerCase() });
      new BaselineAlerts(stack, `${id}Alerts`, {
        resourceGroup: TEST_RESOURCE_GROUP,
        target,
        targetName: id.toLowerCase(),
        actionGroup: { actionGroupId: 'ag-id' },
        tokenBudgetPerHour: type === 'azurerm_cognitive_account' ? 1000 : undefined,
      });
    }
    // THEN synth passes with no finding
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('passes for Requests filtered by GatewayResponseCodeCategory', () => {
    const { stack } = alertWith({
      metric_namespace: 'Microsoft.ApiManagement/service',
      metric_name: 'Requests',
      aggregation: 'Total',
      dimension: [{ name: 'GatewayResponseCodeCategory', operator: 'Include', values: ['5xx'] }],
    });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('fails for an alert on the retired API Management metric FailedRequests', () => {
    // GIVEN the alert the catalog emitted before the fix
    const { stack } = alertWith({
      metric_namespace: 'Microsoft.ApiManagement/service',
      metric_name: 'FailedRequests',
      aggregation: 'Total',
    });
    // THEN synth fails, naming the replacement
    expect(synthError(stack)).toContain(
      `${PREFIX}criteria[0]: metric "FailedRequests" of Microsoft.ApiManagement/service was retired on 31 August 2023 ` +
        '(https://learn.microsoft.com/azure/api-management/breaking-changes/metrics-retirement-aug-2023): use Requests ' +
        'filtered by GatewayResponseCodeCategory or BackendResponseCodeCategory',
    );
  });

  test('fails for Average on the Key Vault count metric ServiceApiHit', () => {
    const { stack } = alertWith({
      metric_namespace: 'Microsoft.KeyVault/vaults',
      metric_name: 'ServiceApiHit',
      aggregation: 'Average',
    });
    expect(synthError(stack)).toContain(
      `${PREFIX}criteria[0]: metric ServiceApiHit of Microsoft.KeyVault/vaults does not support aggregation "Average" ` +
        `(supported: Count; see ${KV_METRICS})`,
    );
  });

  test('checks dynamic_criteria too', () => {
    const { stack } = alertWith(
      {
        metric_namespace: 'Microsoft.KeyVault/vaults',
        metric_name: 'ServiceApiResult',
        aggregation: 'Average',
      },
      'dynamic_criteria',
    );
    expect(synthError(stack)).toContain(
      `${PREFIX}dynamic_criteria: metric ServiceApiResult of Microsoft.KeyVault/vaults does not support aggregation "Average"`,
    );
  });

  test('fails for an unknown metric, listing the known ones', () => {
    const { stack } = alertWith({
      metric_namespace: 'Microsoft.ApiManagement/service',
      metric_name: 'Latency',
      aggregation: 'Average',
    });
    expect(synthError(stack)).toContain(
      `${PREFIX}criteria[0]: metric "Latency" is not a supported metric of Microsoft.ApiManagement/service ` +
        `(known: Capacity, BackendDuration, Duration, Requests; see ${APIM_METRICS})`,
    );
  });

  test('fails for an unknown namespace', () => {
    const { stack } = alertWith({
      metric_namespace: 'Microsoft.Web/sites',
      metric_name: 'Http5xx',
      aggregation: 'Total',
    });
    expect(synthError(stack)).toContain(
      `${PREFIX}criteria[0]: metric namespace "Microsoft.Web/sites" is not in the supported-metrics table (known: `,
    );
  });

  test('fails for an aggregation azurerm rejects, citing the provider source', () => {
    const { stack } = alertWith({
      metric_namespace: 'Microsoft.ApiManagement/service',
      metric_name: 'Requests',
      aggregation: 'Sum',
    });
    expect(synthError(stack)).toContain(
      `${PREFIX}criteria[0]: aggregation "Sum" is not one azurerm accepts (Average, Count, Minimum, Maximum, Total; ` +
        'terraform-provider-azurerm v4.55.0 internal/services/monitor/monitor_metric_alert_resource.go)',
    );
  });

  test('fails for a dimension the metric does not have, reporting every problem at once', () => {
    const { stack } = alertWith({
      metric_namespace: 'Microsoft.ApiManagement/service',
      metric_name: 'Requests',
      aggregation: 'Average',
      dimension: [
        { name: 'StatusCode', operator: 'Include', values: ['500'] },
        { name: 'ApiId', operator: 'Include', values: ['*'] },
      ],
    });
    expect(synthError(stack)).toContain(
      `${PREFIX}criteria[0]: metric Requests of Microsoft.ApiManagement/service does not support aggregation "Average" ` +
        `(supported: Total, Maximum, Minimum; see ${APIM_METRICS}); criteria[0]: metric Requests of ` +
        'Microsoft.ApiManagement/service has no dimension "StatusCode" (dimensions: Location, Hostname, LastErrorReason, ' +
        'BackendResponseCode, GatewayResponseCode, BackendResponseCodeCategory, GatewayResponseCodeCategory, ApiId; ' +
        `see ${APIM_METRICS})`,
    );
  });

  test('skips values that are unresolved Terraform expressions', () => {
    const { stack } = alertWith({
      metric_namespace: `\${var.namespace}`,
      metric_name: 'Anything',
      aggregation: 'Total',
    });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('a suppression with a reason lets synth pass and is reported with the finding', () => {
    const { stack, alert } = alertWith({
      metric_namespace: 'Microsoft.Web/sites',
      metric_name: 'Http5xx',
      aggregation: 'Total',
    });
    suppressPolicy(
      alert,
      'metric-alert-definition',
      'app service alert reviewed against its Learn page by hand',
    );
    expect(findingsAfterSynth(stack)).toEqual([
      expect.objectContaining({
        ruleId: 'metric-alert-definition',
        suppressedBecause: 'app service alert reviewed against its Learn page by hand',
      }),
    ]);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '../../constructs/core/errors';
import {
  alertScope,
  BASELINE_ALERTS,
  BASELINE_RESOURCE_TYPES,
  type BaselineAlertDefinition,
  baselineAlertsFor,
  DYNAMIC_ALERT_OPERATORS,
  DYNAMIC_ALERT_SENSITIVITIES,
  durationMinutes,
  EXCLUDED_AMBA_ALERTS,
  METRIC_ALERT_AGGREGATIONS,
  METRIC_ALERT_FREQUENCIES,
  METRIC_ALERT_OPERATORS,
  METRIC_ALERT_WINDOW_SIZES,
  METRIC_DIMENSION_OPERATORS,
  type MetricUnit,
  RESOURCE_TYPES_WITHOUT_BASELINE_ALERTS,
  type ResolvedBaselineAlert,
  type TerraformResourceType,
  thresholdRange,
  uncoveredResourceTypes,
} from '../../constructs/monitoring/baseline-catalog';
import { metricCriteriaProblems, metricReference } from '../../constructs/monitoring/supported-metrics';

/**
 * The AMBA metric alerts marked `visible: true` (recommended), as read from the files named in each catalog
 * entry's `source.reference`. The catalog must account for every one of them.
 */
interface AmbaAlert {
  readonly namespace: string;
  readonly metric: string;
  readonly aggregation: string;
  readonly operator: string;
  readonly threshold: number | 'dynamic';
  readonly window: string;
  readonly frequency: string;
  readonly severity: number;
}
const amba = (
  namespace: string,
  metric: string,
  aggregation: string,
  operator: string,
  threshold: number | 'dynamic',
  window: string,
  frequency: string,
  severity: number,
): AmbaAlert => ({ namespace, metric, aggregation, operator, threshold, window, frequency, severity });

const CS = 'Microsoft.CognitiveServices/accounts';
const KV = 'Microsoft.KeyVault/vaults';
const SA = 'Microsoft.Storage/storageAccounts';
const BLOB = `${SA}/blobServices`;
const FILE = `${SA}/fileServices`;
const QUEUE = `${SA}/queueServices`;
const APIM = 'Microsoft.ApiManagement/service';
const ML = 'Microsoft.MachineLearningServices/workspaces';
const VNET = 'Microsoft.Network/virtualNetworks';
const PDNS = 'Microsoft.Network/privateDnsZones';

const AMBA_RECOMMENDED: Record<TerraformResourceType, readonly AmbaAlert[]> = {
  azurerm_cognitive_account: [
    amba(CS, 'AzureOpenAIContextTokensCacheMatchRate', 'Total', 'GreaterThan', 75, 'PT5M', 'PT1M', 2),
    amba(CS, 'AzureOpenAIProvisionedManagedUtilizationV2', 'Total', 'GreaterThan', 80, 'PT5M', 'PT1M', 2),
    amba(CS, 'AzureOpenAITimeToResponse', 'Total', 'GreaterThan', 200, 'PT5M', 'PT1M', 2),
  ],
  azurerm_search_service: [
    amba('Microsoft.Search/searchServices', 'SearchLatency', 'Average', 'GreaterThan', 5, 'PT5M', 'PT1M', 3),
    amba(
      'Microsoft.Search/searchServices',
      'ThrottledSearchQueriesPercentage',
      'Average',
      'GreaterThan',
      10,
      'PT5M',
      'PT1M',
      3,
    ),
  ],
  azurerm_api_management: [
    amba(APIM, 'Requests', 'Total', 'GreaterThan', 1, 'PT5M', 'PT1M', 3),
    amba(APIM, 'Capacity', 'Average', 'GreaterThan', 80, 'PT5M', 'PT1M', 3),
    amba(APIM, 'BackendDuration', 'Average', 'GreaterThan', 10000, 'PT5M', 'PT1M', 3),
    amba(APIM, 'FailedRequests', 'Total', 'GreaterThan', 1, 'PT5M', 'PT1M', 3),
    amba(APIM, 'Duration', 'Average', 'GreaterThan', 3000, 'PT5M', 'PT1M', 3),
    amba(APIM, 'UnauthorizedRequests', 'Total', 'GreaterThan', 1, 'PT5M', 'PT1M', 3),
    amba(APIM, 'TotalRequests', 'Total', 'GreaterThan', 0, 'PT1H', 'PT5M', 3),
  ],
  azurerm_key_vault: [
    amba(KV, 'Availability', 'Average', 'LessThan', 90, 'PT5M', 'PT1M', 1),
    amba(KV, 'SaturationShoebox', 'Average', 'GreaterThan', 75, 'PT5M', 'PT1M', 1),
    amba(KV, 'ServiceApiLatency', 'Average', 'GreaterThan', 1000, 'PT5M', 'PT5M', 3),
    amba(KV, 'ServiceApiResult', 'Average', 'GreaterThan', 'dynamic', 'PT5M', 'PT5M', 2),
    amba(KV, 'ServiceApiHit', 'Average', 'GreaterThanOrEqual', 80, 'PT5M', 'PT5M', 3),
  ],
  azurerm_storage_account: [
    amba(SA, 'Availability', 'Average', 'LessThan', 100, 'PT5M', 'PT5M', 1),
    amba(FILE, 'Transactions', 'Total', 'GreaterThanOrEqual', 1, 'PT15M', 'PT5M', 2),
    amba(QUEUE, 'QueueCount', 'Average', 'GreaterThan', 0, 'PT1H', 'PT1H', 0),
    amba(FILE, 'FileShareCount', 'Average', 'GreaterThan', 0, 'PT1H', 'PT1H', 3),
    amba(SA, 'UsedCapacity', 'Average', 'GreaterThan', 2251800000000000, 'PT1H', 'PT1H', 3),
    amba(SA, 'Egress', 'Total', 'GreaterThan', 60000000, 'PT5M', 'PT5M', 2),
    amba(SA, 'Ingress', 'Total', 'GreaterThan', 1073741824, 'PT5M', 'PT5M', 3),
    amba(BLOB, 'BlobCapacity', 'Average', 'GreaterThan', 107374182400, 'P1D', 'PT5M', 3),
    amba(BLOB, 'SuccessE2ELatency', 'Average', 'GreaterThan', 1000, 'PT5M', 'PT1M', 3),
    amba(BLOB, 'SuccessServerLatency', 'Average', 'GreaterThan', 1000, 'PT5M', 'PT1M', 2),
    amba(BLOB, 'BlobCount', 'Average', 'GreaterThan', 0, 'PT1H', 'PT1M', 3),
    amba(QUEUE, 'QueueMessageCount', 'Average', 'GreaterThan', 1000, 'PT1H', 'PT5M', 3),
    amba(QUEUE, 'QueueCapacity', 'Average', 'GreaterThan', 31457280, 'PT1H', 'PT5M', 4),
    amba(FILE, 'FileCapacity', 'Average', 'GreaterThan', 87960930222080, 'PT1H', 'PT15M', 3),
    amba(FILE, 'FileShareSnapshotCount', 'Average', 'GreaterThan', 190, 'PT1H', 'PT15M', 3),
    amba(FILE, 'Availability', 'Average', 'LessThanOrEqual', 99.9, 'PT5M', 'PT1M', 3),
    amba(FILE, 'FileShareCapacityQuota', 'Average', 'GreaterThan', 5222680231936, 'PT1H', 'PT5M', 4),
  ],
  // Only activity-log alerts (delete, regenerate shared key) are recommended for workspaces.
  azurerm_log_analytics_workspace: [],
  azurerm_ai_foundry: [
    amba(ML, 'Model Deploy Failed', 'Total', 'GreaterThan', 0, 'PT5M', 'PT1M', 3),
    amba(ML, 'Failed Runs', 'Total', 'GreaterThan', 0, 'PT5M', 'PT1M', 3),
    amba(ML, 'Not Responding Runs', 'Total', 'GreaterThan', 0, 'PT5M', 'PT1M', 3),
    amba(ML, 'Quota Utilization Percentage', 'Average', 'GreaterThan', 90, 'PT5M', 'PT1M', 3),
    amba(ML, 'Unusable Nodes', 'Total', 'GreaterThan', 0, 'PT5M', 'PT1M', 3),
  ],
  // A Foundry project is an ML workspace too: the same AMBA file.
  azurerm_ai_foundry_project: [
    amba(ML, 'Model Deploy Failed', 'Total', 'GreaterThan', 0, 'PT5M', 'PT1M', 3),
    amba(ML, 'Failed Runs', 'Total', 'GreaterThan', 0, 'PT5M', 'PT1M', 3),
    amba(ML, 'Not Responding Runs', 'Total', 'GreaterThan', 0, 'PT5M', 'PT1M', 3),
    amba(ML, 'Quota Utilization Percentage', 'Average', 'GreaterThan', 90, 'PT5M', 'PT1M', 3),
    amba(ML, 'Unusable Nodes', 'Total', 'GreaterThan', 0, 'PT5M', 'PT1M', 3),
  ],
  azurerm_virtual_network: [amba(VNET, 'IfUnderDDoSAttack', 'Maximum', 'GreaterThan', 0, 'PT5M', 'PT1M', 1)],
  azurerm_private_dns_zone: [
    amba(
      PDNS,
      'VirtualNetworkLinkCapacityUtilization',
      'Maximum',
      'GreaterThanOrEqual',
      80,
      'PT1H',
      'PT1H',
      2,
    ),
    amba(PDNS, 'QueryVolume', 'Total', 'GreaterThanOrEqual', 500, 'PT1H', 'PT1H', 4),
    amba(PDNS, 'RecordSetCapacityUtilization', 'Maximum', 'GreaterThanOrEqual', 80, 'PT1H', 'PT1H', 2),
    amba(
      PDNS,
      'VirtualNetworkWithRegistrationCapacityUtilization',
      'Maximum',
      'GreaterThanOrEqual',
      80,
      'PT1H',
      'PT1H',
      2,
    ),
    amba(PDNS, 'RecordSetCount', 'Maximum', 'GreaterThan', 18750, 'PT1H', 'PT1H', 2),
  ],
};

/** The Cognitive Services HTTP metrics Microsoft marks "do not use for Azure OpenAI service". */
const LEGACY_COGNITIVE_METRICS = [
  'Latency',
  'TotalErrors',
  'SuccessRate',
  'ServerErrors',
  'ClientErrors',
  'BlockedCalls',
  'TotalCalls',
  'SuccessfulCalls',
  'DataIn',
  'DataOut',
  'Ratelimit',
];

const ALL: Array<[TerraformResourceType, BaselineAlertDefinition]> = BASELINE_RESOURCE_TYPES.flatMap((type) =>
  BASELINE_ALERTS[type].map((alert): [TerraformResourceType, BaselineAlertDefinition] => [type, alert]),
);

function find(type: TerraformResourceType, key: string): BaselineAlertDefinition {
  const alert = BASELINE_ALERTS[type].find((a) => a.key === key);
  if (!alert) throw new Error(`no alert ${key} for ${type}`);
  return alert;
}

function keys(alerts: readonly ResolvedBaselineAlert[]): string[] {
  return alerts.map((a) => a.key);
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError)
      return error.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
    throw error;
  }
  throw new Error('expected a ValidationError');
}

const BUDGET = { tokenBudgetPerHour: 2_000_000 };

describe('BASELINE_ALERTS catalog', () => {
  test('has an entry for every resource type', () => {
    // GIVEN / WHEN the catalog
    // THEN every type of the brief is a key
    expect(Object.keys(BASELINE_ALERTS).sort()).toEqual([...BASELINE_RESOURCE_TYPES].sort());
  });

  test.each(BASELINE_RESOURCE_TYPES)('%s accounts for every AMBA-recommended metric alert', (type) => {
    // GIVEN the AMBA recommendations read for the type
    for (const rec of AMBA_RECOMMENDED[type]) {
      // WHEN looking it up in the catalog or in the documented exclusions
      const inCatalog = BASELINE_ALERTS[type].find(
        (a) => a.metricNamespace === rec.namespace && a.metricName === rec.metric,
      );
      const excluded = EXCLUDED_AMBA_ALERTS.find(
        (e) => e.resourceType === type && e.metricNamespace === rec.namespace && e.metricName === rec.metric,
      );
      // THEN it is exactly one of the two
      expect({
        metric: `${rec.namespace}/${rec.metric}`,
        covered: Boolean(inCatalog) !== Boolean(excluded),
      }).toEqual({
        metric: `${rec.namespace}/${rec.metric}`,
        covered: true,
      });
    }
  });

  test.each(BASELINE_RESOURCE_TYPES)('%s takes AMBA numbers unchanged where origin is "amba"', (type) => {
    for (const alert of BASELINE_ALERTS[type].filter((a) => a.source.origin === 'amba')) {
      const rec = AMBA_RECOMMENDED[type].find(
        (r) => r.namespace === alert.metricNamespace && r.metric === alert.metricName,
      );
      expect(rec).toBeDefined();
      expect({
        key: alert.key,
        aggregation: alert.aggregation,
        operator: alert.kind === 'static' ? alert.operator : alert.dynamic.operator,
        threshold: alert.kind === 'static' ? alert.threshold : 'dynamic',
        window: alert.windowSize,
        frequency: alert.frequency,
        severity: alert.severity,
      }).toEqual({
        key: alert.key,
        aggregation: rec?.aggregation,
        operator: rec?.operator,
        threshold: rec?.threshold,
        window: rec?.window,
        frequency: rec?.frequency,
        severity: rec?.severity,
      });
    }
  });

  test('AMBA recommendations adapted for the model account keep the AMBA threshold and severity', () => {
    // GIVEN the three AMBA Azure OpenAI recommendations, which AMBA aggregates with Total
    for (const rec of AMBA_RECOMMENDED.azurerm_cognitive_account) {
      const alert = BASELINE_ALERTS.azurerm_cognitive_account.find((a) => a.metricName === rec.metric);
      // THEN only the aggregation changed (the metrics support Minimum, Maximum, Average) and it says so
      expect(alert).toMatchObject({ kind: 'static', threshold: rec.threshold, severity: rec.severity });
      expect(alert?.aggregation).toBe('Average');
      expect(alert?.source.origin).toBe('amba-adapted');
      expect(alert?.source.note).toMatch(/Total/);
    }
  });

  test('the model account uses no legacy Cognitive Services HTTP metric', () => {
    const metrics = BASELINE_ALERTS.azurerm_cognitive_account.map((a) => a.metricName);
    expect(metrics.filter((m) => LEGACY_COGNITIVE_METRICS.includes(m))).toEqual([]);
  });

  test('the model account has the LLM-operations alerts', () => {
    const account = (key: string) => find('azurerm_cognitive_account', key);
    expect(account('openai-availability')).toMatchObject({
      metricName: 'AzureOpenAIAvailabilityRate',
      operator: 'LessThan',
      threshold: 90,
    });
    expect(account('openai-server-errors')).toMatchObject({
      metricName: 'AzureOpenAIRequests',
      dimensions: expect.arrayContaining([{ name: 'StatusCode', operator: 'StartsWith', values: ['5'] }]),
    });
    expect(account('openai-client-errors')).toMatchObject({
      metricName: 'AzureOpenAIRequests',
      kind: 'dynamic',
      dimensions: expect.arrayContaining([{ name: 'StatusCode', operator: 'StartsWith', values: ['4'] }]),
    });
    expect(account('openai-throttling')).toMatchObject({
      metricName: 'AzureOpenAIRequests',
      dimensions: expect.arrayContaining([{ name: 'StatusCode', operator: 'Include', values: ['429'] }]),
    });
    expect(account('openai-time-to-response').metricName).toBe('AzureOpenAITimeToResponse');
    expect(account('openai-normalized-ttft').metricName).toBe('AzureOpenAINormalizedTTFTInMS');
    expect(account('openai-token-budget')).toMatchObject({
      metricName: 'TokenTransaction',
      aggregation: 'Total',
      windowSize: 'PT1H',
      thresholdFrom: 'tokenBudgetPerHour',
    });
    expect(account('openai-ptu-utilization')).toMatchObject({
      metricName: 'AzureOpenAIProvisionedManagedUtilizationV2',
      onlyWhen: 'provisioned',
    });
    expect(account('openai-content-filter-blocks').metricName).toBe('RAIRejectedRequests');
    expect(account('openai-harmful-requests').metricName).toBe('RAIHarmfulRequests');
  });

  test('every static alert on an Azure OpenAI request metric aggregates with Total, the only one supported', () => {
    const countAlerts = BASELINE_ALERTS.azurerm_cognitive_account.filter((a) =>
      ['AzureOpenAIRequests', 'TokenTransaction', 'RAIRejectedRequests', 'RAIHarmfulRequests'].includes(
        a.metricName,
      ),
    );
    // availability, server errors, client errors, throttling, token budget, content filter, harmful requests
    expect(countAlerts.length).toBeGreaterThanOrEqual(6);
    for (const alert of countAlerts) {
      expect(`${alert.key}: ${alert.aggregation}`).toBe(`${alert.key}: Total`);
    }
  });

  test.each(ALL.map(([type, a]) => [`${type}/${a.key}`, a] as const))(
    '%s uses values azurerm accepts',
    (_, alert) => {
      expect(METRIC_ALERT_WINDOW_SIZES).toContain(alert.windowSize);
      expect(METRIC_ALERT_FREQUENCIES).toContain(alert.frequency);
      expect(METRIC_ALERT_AGGREGATIONS).toContain(alert.aggregation);
      expect(durationMinutes(alert.frequency)).toBeLessThanOrEqual(durationMinutes(alert.windowSize) ?? 0);
      expect([0, 1, 2, 3, 4]).toContain(alert.severity);
      for (const dimension of alert.dimensions ?? []) {
        expect(METRIC_DIMENSION_OPERATORS).toContain(dimension.operator);
        expect(dimension.values.length).toBeGreaterThan(0);
      }
      if (alert.kind === 'static') {
        expect(METRIC_ALERT_OPERATORS).toContain(alert.operator);
      } else {
        expect(DYNAMIC_ALERT_OPERATORS).toContain(alert.dynamic.operator);
        expect(DYNAMIC_ALERT_SENSITIVITIES).toContain(alert.dynamic.sensitivity);
        expect(Number.isInteger(alert.dynamic.evaluationTotalCount)).toBe(true);
        expect(alert.dynamic.evaluationFailureCount).toBeGreaterThanOrEqual(1);
        expect(alert.dynamic.evaluationFailureCount).toBeLessThanOrEqual(alert.dynamic.evaluationTotalCount);
      }
    },
  );

  test.each(ALL.map(([type, a]) => [`${type}/${a.key}`, a] as const))('%s is well-formed', (_, alert) => {
    expect(alert.key).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    expect(alert.displayName.length).toBeGreaterThan(0);
    expect(alert.description.length).toBeGreaterThan(0);
    if (alert.source.origin !== 'amba' || alert.enabledByDefault === false) {
      expect(alert.source.note?.length ?? 0).toBeGreaterThan(0);
    }
    if (alert.kind === 'static') {
      // exactly one of threshold and thresholdFrom
      expect((alert.threshold === undefined) !== (alert.thresholdFrom === undefined)).toBe(true);
      if (alert.threshold !== undefined) {
        const { min, max } = thresholdRange(alert.unit);
        expect(alert.threshold).toBeGreaterThanOrEqual(min);
        expect(alert.threshold).toBeLessThanOrEqual(max);
      }
    }
    // sub-resource namespaces need a scope below the resource, and only they have one
    const subResource = alert.metricNamespace.split('/').length > 2;
    expect(alert.scopeSuffix !== undefined).toBe(subResource);
    if (alert.scopeSuffix) expect(alert.metricNamespace.endsWith(alert.scopeSuffix.split('/')[1])).toBe(true);
  });

  test.each(ALL.map(([type, a]) => [`${type}/${a.key}`, a] as const))(
    "%s uses a metric, aggregation and dimensions of Microsoft's supported-metrics reference",
    (_, alert) => {
      // GIVEN the alert's criteria WHEN checked against the supported-metrics table THEN nothing is wrong
      expect(
        metricCriteriaProblems({
          metricNamespace: alert.metricNamespace,
          metricName: alert.metricName,
          aggregation: alert.aggregation,
          dimensionNames: (alert.dimensions ?? []).map((d) => d.name),
        }),
      ).toEqual([]);
    },
  );

  test('API Management failures alert on Requests by response code, not on the retired metrics', () => {
    // GIVEN the gateway failure alerts THEN they use Requests filtered by response code (the legacy metrics
    // FailedRequests and UnauthorizedRequests were retired in August 2023)
    expect(find('azurerm_api_management', 'apim-failed-requests')).toMatchObject({
      metricName: 'Requests',
      aggregation: 'Total',
      dimensions: [{ name: 'GatewayResponseCodeCategory', operator: 'Include', values: ['5xx'] }],
    });
    expect(find('azurerm_api_management', 'apim-unauthorized-requests')).toMatchObject({
      metricName: 'Requests',
      aggregation: 'Total',
      dimensions: [{ name: 'GatewayResponseCode', operator: 'Include', values: ['401', '403'] }],
    });
    const metrics = BASELINE_ALERTS.azurerm_api_management.map((a) => a.metricName);
    expect(metrics.filter((m) => m !== 'Requests' && m.endsWith('Requests'))).toEqual([]);
  });

  test('Key Vault API hit and result alerts count, the only aggregation those metrics support', () => {
    expect(find('azurerm_key_vault', 'kv-api-hits').aggregation).toBe('Count');
    expect(find('azurerm_key_vault', 'kv-api-results').aggregation).toBe('Count');
  });

  test('keys are unique per resource type and across the catalog', () => {
    const all = ALL.map(([, a]) => a.key);
    expect(new Set(all).size).toBe(all.length);
  });

  test('every exclusion gives a reason', () => {
    expect(EXCLUDED_AMBA_ALERTS.length).toBeGreaterThan(0);
    for (const excluded of EXCLUDED_AMBA_ALERTS) expect(excluded.reason.length).toBeGreaterThan(10);
  });
});

describe('baselineAlertsFor', () => {
  test('returns the catalog values when there are no overrides', () => {
    // WHEN
    const alerts = baselineAlertsFor('azurerm_search_service');
    // THEN
    expect(alerts).toEqual([
      expect.objectContaining({ key: 'search-latency', kind: 'static', threshold: 5, severity: 3 }),
      expect.objectContaining({
        key: 'search-throttled-queries',
        kind: 'static',
        threshold: 10,
        severity: 3,
      }),
    ]);
  });

  test('leaves out alerts disabled by default and drops resolution-only fields', () => {
    const alerts = baselineAlertsFor('azurerm_api_management');
    expect(keys(alerts)).toEqual([
      'apim-capacity',
      'apim-backend-duration',
      'apim-duration',
      'apim-failed-requests',
      'apim-unauthorized-requests',
    ]);
    for (const alert of alerts) {
      expect(alert).not.toHaveProperty('enabledByDefault');
      expect(alert).not.toHaveProperty('onlyWhen');
      expect(alert).not.toHaveProperty('thresholdFrom');
    }
  });

  test('returns nothing for the Log Analytics workspace', () => {
    expect(baselineAlertsFor('azurerm_log_analytics_workspace')).toEqual([]);
  });

  test('applies threshold, severity and enabled overrides', () => {
    // GIVEN
    const overrides = {
      'search-latency': { threshold: 2, severity: 2 },
      'search-throttled-queries': { enabled: false },
    };
    // WHEN
    const alerts = baselineAlertsFor('azurerm_search_service', { overrides });
    // THEN
    expect(alerts).toEqual([expect.objectContaining({ key: 'search-latency', threshold: 2, severity: 2 })]);
  });

  test('enables an alert that is off by default', () => {
    const alerts = baselineAlertsFor('azurerm_storage_account', {
      overrides: { 'blob-count': { enabled: true } },
    });
    expect(keys(alerts)).toContain('blob-count');
  });

  test('changes the severity of a dynamic alert and keeps its dynamic settings', () => {
    const alerts = baselineAlertsFor('azurerm_key_vault', {
      overrides: { 'kv-api-results': { severity: 1 } },
    });
    expect(alerts.find((a) => a.key === 'kv-api-results')).toMatchObject({
      kind: 'dynamic',
      severity: 1,
      dynamic: {
        sensitivity: 'Medium',
        operator: 'GreaterThan',
        evaluationTotalCount: 4,
        evaluationFailureCount: 4,
      },
    });
  });

  test('takes the token budget threshold from tokenBudgetPerHour', () => {
    const alerts = baselineAlertsFor('azurerm_cognitive_account', BUDGET);
    expect(alerts.find((a) => a.key === 'openai-token-budget')).toMatchObject({
      kind: 'static',
      threshold: 2_000_000,
    });
  });

  test('creates provisioned-only alerts only for accounts with a PTU deployment', () => {
    // GIVEN / WHEN
    const standard = keys(baselineAlertsFor('azurerm_cognitive_account', BUDGET));
    const provisioned = keys(
      baselineAlertsFor('azurerm_cognitive_account', { ...BUDGET, provisioned: true }),
    );
    const withCache = keys(
      baselineAlertsFor('azurerm_cognitive_account', {
        ...BUDGET,
        provisioned: true,
        overrides: { 'openai-prompt-cache-match-rate': { enabled: true } },
      }),
    );
    // THEN
    expect(standard).not.toContain('openai-ptu-utilization');
    expect(provisioned).toContain('openai-ptu-utilization');
    expect(provisioned).not.toContain('openai-prompt-cache-match-rate');
    expect(withCache).toContain('openai-prompt-cache-match-rate');
  });

  test('needs no token budget when the budget alert is disabled', () => {
    const alerts = baselineAlertsFor('azurerm_cognitive_account', {
      overrides: { 'openai-token-budget': { enabled: false } },
    });
    expect(keys(alerts)).not.toContain('openai-token-budget');
  });

  test('fails when a key is unknown', () => {
    const problems = problemsOf(() =>
      baselineAlertsFor('azurerm_search_service', { overrides: { 'search-latncy': { threshold: 2 } } }),
    );
    expect(problems).toEqual([
      'overrides.search-latncy: unknown alert key "search-latncy" for azurerm_search_service ' +
        '(known: search-latency, search-throttled-queries)',
    ]);
  });

  test('fails when a percentage threshold is above 100', () => {
    const problems = problemsOf(() =>
      baselineAlertsFor('azurerm_key_vault', { overrides: { 'kv-availability': { threshold: 120 } } }),
    );
    expect(problems).toEqual([
      'overrides.kv-availability.threshold: 120 is out of range for Availability (Percent): must be between 0 and 100',
    ]);
  });

  test('fails when a threshold is negative', () => {
    const problems = problemsOf(() =>
      baselineAlertsFor('azurerm_key_vault', { overrides: { 'kv-api-latency': { threshold: -1 } } }),
    );
    expect(problems).toEqual([
      'overrides.kv-api-latency.threshold: -1 is out of range for ServiceApiLatency (MilliSeconds): must be at least 0',
    ]);
  });

  test('fails when a threshold is not a number', () => {
    const overrides = { 'search-latency': { threshold: '5' as unknown as number } };
    expect(problemsOf(() => baselineAlertsFor('azurerm_search_service', { overrides }))).toEqual([
      'overrides.search-latency.threshold: "5" is not a number (search-latency takes a threshold in Seconds)',
    ]);
  });

  test('fails when a severity is outside 0-4 or not whole', () => {
    const problems = problemsOf(() =>
      baselineAlertsFor('azurerm_search_service', {
        overrides: { 'search-latency': { severity: 5 }, 'search-throttled-queries': { severity: 1.5 } },
      }),
    );
    expect(problems).toEqual([
      'overrides.search-latency.severity: 5 must be an integer from 0 (critical) to 4 (verbose)',
      'overrides.search-throttled-queries.severity: 1.5 must be an integer from 0 (critical) to 4 (verbose)',
    ]);
  });

  test('fails when enabled is not a boolean', () => {
    const overrides = { 'search-latency': { enabled: 'yes' as unknown as boolean } };
    expect(problemsOf(() => baselineAlertsFor('azurerm_search_service', { overrides }))).toEqual([
      'overrides.search-latency.enabled: "yes" must be true or false',
    ]);
  });

  test('fails when an override has an unknown field', () => {
    const overrides = { 'search-latency': { treshold: 2 } as never };
    expect(problemsOf(() => baselineAlertsFor('azurerm_search_service', { overrides }))).toEqual([
      'overrides.search-latency.treshold: unknown setting (allowed: threshold, severity, enabled)',
    ]);
  });

  test('fails when an override is not an object', () => {
    const overrides = { 'search-latency': 2 as never };
    expect(problemsOf(() => baselineAlertsFor('azurerm_search_service', { overrides }))).toEqual([
      'overrides.search-latency: 2 is not an object (allowed fields: threshold, severity, enabled)',
    ]);
  });

  test('fails when a threshold is set on a dynamic alert', () => {
    const overrides = { 'kv-api-results': { threshold: 10 } };
    expect(problemsOf(() => baselineAlertsFor('azurerm_key_vault', { overrides }))).toEqual([
      'overrides.kv-api-results.threshold: 10: kv-api-results uses a dynamic threshold that Azure learns; ' +
        'a static threshold cannot be set (allowed: severity, enabled)',
    ]);
  });

  test('fails when a threshold is set on the token budget alert', () => {
    const overrides = { 'openai-token-budget': { threshold: 10 } };
    expect(
      problemsOf(() => baselineAlertsFor('azurerm_cognitive_account', { ...BUDGET, overrides })),
    ).toEqual([
      'overrides.openai-token-budget.threshold: 10: openai-token-budget takes its threshold from ' +
        'tokenBudgetPerHour; set that instead',
    ]);
  });

  test('fails when the token budget is missing', () => {
    expect(problemsOf(() => baselineAlertsFor('azurerm_cognitive_account'))).toEqual([
      'tokenBudgetPerHour: missing: openai-token-budget takes its threshold from tokenBudgetPerHour; set a ' +
        'positive number of tokens or disable the alert with overrides.openai-token-budget.enabled: false',
    ]);
  });

  test.each([0, -5, 1.5])('fails when the token budget is %p', (budget) => {
    expect(
      problemsOf(() => baselineAlertsFor('azurerm_cognitive_account', { tokenBudgetPerHour: budget })),
    ).toEqual([`tokenBudgetPerHour: ${budget} must be a positive whole number of tokens`]);
  });

  test('fails when a provisioned-only alert is enabled for an account without PTU deployment', () => {
    const overrides = { 'openai-ptu-utilization': { enabled: true } };
    expect(
      problemsOf(() => baselineAlertsFor('azurerm_cognitive_account', { ...BUDGET, overrides })),
    ).toEqual([
      'overrides.openai-ptu-utilization.enabled: true, but openai-ptu-utilization applies only to accounts with ' +
        'a provisioned (PTU) deployment and provisioned is false',
    ]);
  });

  test('fails when the resource type is unknown', () => {
    expect(problemsOf(() => baselineAlertsFor('azurerm_redis_cache' as TerraformResourceType))).toEqual([
      `"azurerm_redis_cache" has no baseline alerts (known: ${BASELINE_RESOURCE_TYPES.join(', ')})`,
    ]);
  });

  test('reports every problem at once, under the config path', () => {
    // GIVEN three bad settings
    const run = () =>
      baselineAlertsFor('azurerm_cognitive_account', {
        configPath: 'environments.prod.monitoring',
        overrides: { 'openai-availability': { threshold: 101, severity: 7 }, nope: {} },
      });
    // WHEN / THEN all of them are reported, with the full path, in one error
    expect(run).toThrow(ValidationError);
    expect(run).toThrow(/Invalid baseline alert settings for azurerm_cognitive_account/);
    expect(problemsOf(run).map((p) => p.split(':')[0])).toEqual([
      'environments.prod.monitoring.overrides.openai-availability.threshold',
      'environments.prod.monitoring.overrides.openai-availability.severity',
      'environments.prod.monitoring.overrides.nope',
      'environments.prod.monitoring.tokenBudgetPerHour',
    ]);
  });
});

describe('alertScope', () => {
  test('appends the sub-resource for blob metrics and nothing otherwise', () => {
    const id = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st';
    expect(alertScope(find('azurerm_storage_account', 'blob-e2e-latency'), id)).toBe(
      `${id}/blobServices/default`,
    );
    expect(alertScope(find('azurerm_storage_account', 'storage-availability'), id)).toBe(id);
  });
});

describe('durationMinutes', () => {
  test.each([
    ['PT1M', 1],
    ['PT30M', 30],
    ['PT6H', 360],
    ['P1D', 1440],
    ['P2D', 2880],
    ['PT1H30M', undefined],
    ['1h', undefined],
  ])('%s is %p minutes', (duration, minutes) => {
    expect(durationMinutes(duration)).toBe(minutes);
  });
});

const UNIT_SUFFIX: Record<MetricUnit, string> = {
  Percent: ' %',
  MilliSeconds: ' ms',
  Seconds: ' s',
  Bytes: ' bytes',
  Count: '',
};

/** Renders the catalog table of docs/alerts.md; the test below keeps the document in sync with the code. */
function catalogMarkdown(): string {
  const origin = { amba: 'AMBA', 'amba-adapted': 'AMBA, adapted', project: 'project addition' } as const;
  const out: string[] = [];
  for (const type of BASELINE_RESOURCE_TYPES) {
    out.push(`### \`${type}\``, '');
    const alerts = BASELINE_ALERTS[type];
    if (alerts.length === 0) {
      out.push('No metric alerts: AMBA recommends only activity-log alerts for this type (see below).', '');
      continue;
    }
    out.push(
      '| Key | Metric | Aggregation | Condition | Window / every | Sev | Created | Source |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const a of alerts) {
      const metric = a.dimensions?.length
        ? `${a.metricName} (${a.dimensions
            .filter((d) => d.values.join() !== '*')
            .map((d) => `${d.name} ${d.operator} ${d.values.join(', ')}`)
            .concat(a.dimensions.some((d) => d.values.join() === '*') ? ['per deployment'] : [])
            .join('; ')})`
        : a.metricName;
      const condition =
        a.kind === 'dynamic'
          ? `${a.dynamic.operator} dynamic (${a.dynamic.sensitivity}, ${a.dynamic.evaluationFailureCount} of ${a.dynamic.evaluationTotalCount})`
          : `${a.operator} ${a.thresholdFrom ? `\`${a.thresholdFrom}\` (config)` : `${a.threshold}${UNIT_SUFFIX[a.unit]}`}`;
      const created =
        a.enabledByDefault === false ? 'off' : a.onlyWhen === 'provisioned' ? 'PTU only' : 'yes';
      const source = `${origin[a.source.origin]}${a.source.note ? ' [note]' : ''}`;
      out.push(
        `| \`${a.key}\` | ${metric} | ${a.aggregation} | ${condition} | ${a.windowSize} / ${a.frequency} | ${a.severity} | ${created} | ${source} |`,
      );
    }
    out.push('');
    const notes = alerts.filter((a) => a.source.note);
    if (notes.length > 0) {
      out.push(...notes.map((a) => `- \`${a.key}\`: ${a.source.note}`), '');
    }
    const references = [...new Set(alerts.map((a) => a.source.reference))];
    out.push(`Sources: ${references.map((r) => `\`${r}\``).join(', ')}.`, '');
    const metricPages = [...new Set(alerts.map((a) => metricReference(a.metricNamespace)))];
    out.push(`Metrics checked against: ${metricPages.join(', ')}.`, '');
  }
  return out.join('\n').trimEnd();
}

/** Renders the table of resource types without baseline alerts in docs/alerts.md. */
function exemptionsMarkdown(): string {
  const out = ['| Resource type | Why it has no baseline metric alerts |', '| --- | --- |'];
  for (const [type, reason] of Object.entries(RESOURCE_TYPES_WITHOUT_BASELINE_ALERTS).sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    out.push(`| \`${type}\` | ${reason} |`);
  }
  return out.join('\n');
}

/** The text between `<!-- BEGIN name ... -->` and `<!-- END name -->` of docs/alerts.md. */
function generatedSection(doc: string, name: string): string | undefined {
  const begin = new RegExp(`<!-- BEGIN ${name} [^>]*-->`).exec(doc);
  const end = doc.indexOf(`<!-- END ${name} -->`);
  if (!begin || end === -1) return undefined;
  return doc.slice(begin.index + begin[0].length, end).trim();
}

describe('docs/alerts.md', () => {
  test('lists every catalog alert as in the code', () => {
    // GIVEN the document and the table rendered from the catalog
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'alerts.md'), 'utf8');
    const begin =
      '<!-- BEGIN baseline-catalog (generated from constructs/monitoring/data/baseline-catalog.json) -->';
    const end = '<!-- END baseline-catalog -->';
    const section = doc.slice(doc.indexOf(begin) + begin.length, doc.indexOf(end)).trim();
    // THEN they are the same; on a catalog change, paste the expected text between the markers
    expect(doc).toContain(begin);
    expect(section).toBe(catalogMarkdown());
  });

  test('lists every resource type without baseline alerts, with the reason, as in the code', () => {
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'alerts.md'), 'utf8');
    expect(generatedSection(doc, 'unmonitored-types')).toBe(exemptionsMarkdown());
  });
});

/** Every `.ts` file below `dir`, recursively. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Terraform types of the azurerm resources a source file can create (value imports, not types or data sources). */
function createdAzurermTypes(text: string): string[] {
  const types: string[] = [];
  for (const m of text.matchAll(
    /import\s+(type\s+)?\{([^}]*)\}\s+from\s+'@cdktf\/provider-azurerm\/lib\/([a-z0-9-]+)'/g,
  )) {
    const [, typeOnly, specifiers, module] = m;
    const values = specifiers!
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s && !s.startsWith('type '));
    if (typeOnly || values.length === 0 || module === 'provider' || module!.startsWith('data-')) continue;
    types.push(`azurerm_${module!.replace(/-/g, '_')}`);
  }
  return types;
}

describe('baseline alert coverage of the constructs', () => {
  test('every azurerm resource type a construct can create has baseline alerts or a documented reason', () => {
    // GIVEN every azurerm resource type the constructs import to create
    const root = join(__dirname, '..', '..', 'constructs');
    const types = new Set(sourceFiles(root).flatMap((f) => createdAzurermTypes(readFileSync(f, 'utf8'))));
    // WHEN checked against the catalog and the reasons THEN none is missing
    expect(types.size).toBeGreaterThan(30);
    expect(uncoveredResourceTypes(types)).toEqual([]);
  });
});

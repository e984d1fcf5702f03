import { ModelMetrics, modelMetric, throttledRequests } from '../../constructs/models/metrics';
import {
  type MetricNamespaceReference,
  SUPPORTED_METRICS,
} from '../../constructs/monitoring/supported-metrics';

describe('ModelMetrics', () => {
  test("the names are current metrics of the namespace in Microsoft's supported-metrics reference", () => {
    const reference: MetricNamespaceReference = SUPPORTED_METRICS[ModelMetrics.namespace];
    const { namespace, dimensions, ...metrics } = ModelMetrics;
    expect(namespace).toBe('Microsoft.CognitiveServices/accounts');
    // The table holds the metrics alerts may use (checked against Microsoft's page); the one name it
    // lacks is read by no alert.
    const names = Object.values(metrics);
    expect(names.filter((name) => !(name in reference.metrics))).toEqual(['RAIAbusiveUsersCount']);
    expect(names.filter((name) => Object.keys(reference.retired ?? {}).includes(name))).toEqual([]);
    // AND the dimensions split the request count: by deployment and by status code (429 is throttling)
    expect(reference.metrics[metrics.requests].dimensions).toEqual(
      expect.arrayContaining([dimensions.deploymentName, dimensions.statusCode]),
    );
  });

  test('the legacy Cognitive Services HTTP metrics are not offered', () => {
    const names = Object.values(ModelMetrics as Record<string, unknown>).filter((v) => typeof v === 'string');
    for (const legacy of ['Latency', 'TotalErrors', 'SuccessRate', 'TotalCalls'])
      expect(names).not.toContain(legacy);
  });

  test('modelMetric selects a metric for all deployments, or filters by deployment name', () => {
    // GIVEN / WHEN
    const all = modelMetric(ModelMetrics.tokenTransaction);
    const some = modelMetric(ModelMetrics.timeToResponse, ['chat', 'chat-mini']);

    // THEN
    expect(all).toEqual({
      metricNamespace: 'Microsoft.CognitiveServices/accounts',
      metricName: 'TokenTransaction',
      dimension: [],
    });
    expect(some).toEqual({
      metricNamespace: 'Microsoft.CognitiveServices/accounts',
      metricName: 'AzureOpenAITimeToResponse',
      dimension: [{ name: 'ModelDeploymentName', operator: 'Include', values: ['chat', 'chat-mini'] }],
    });
  });

  test('throttledRequests is AzureOpenAIRequests with status code 429', () => {
    expect(throttledRequests(['chat'])).toEqual({
      metricNamespace: 'Microsoft.CognitiveServices/accounts',
      metricName: 'AzureOpenAIRequests',
      dimension: [
        { name: 'ModelDeploymentName', operator: 'Include', values: ['chat'] },
        { name: 'StatusCode', operator: 'Include', values: ['429'] },
      ],
    });
  });
});

import { ModelMetrics, modelMetric, throttledRequests } from '../../constructs/models/metrics';

describe('ModelMetrics', () => {
  test('names are the Azure OpenAI metrics of Microsoft.CognitiveServices/accounts', () => {
    expect(ModelMetrics).toEqual({
      namespace: 'Microsoft.CognitiveServices/accounts',
      requests: 'AzureOpenAIRequests',
      availabilityRate: 'AzureOpenAIAvailabilityRate',
      timeToResponse: 'AzureOpenAITimeToResponse',
      timeToFirstToken: 'AzureOpenAINormalizedTTFTInMS',
      timeToLastToken: 'AzureOpenAITTLTInMS',
      promptTokens: 'ProcessedPromptTokens',
      generatedTokens: 'GeneratedTokens',
      tokenTransaction: 'TokenTransaction',
      provisionedUtilization: 'AzureOpenAIProvisionedManagedUtilizationV2',
      raiRejected: 'RAIRejectedRequests',
      raiHarmful: 'RAIHarmfulRequests',
      raiAbusiveUsers: 'RAIAbusiveUsersCount',
      dimensions: { deploymentName: 'ModelDeploymentName', statusCode: 'StatusCode' },
    });
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

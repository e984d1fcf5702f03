import { AZURE_OPENAI_DIMENSIONS, AZURE_OPENAI_NAMESPACE } from '../platform-metrics';
import {
  kql,
  metrics,
  TIME_RANGE,
  text,
  WORKBOOK_SECTIONS,
  type WorkbookInputs,
  type WorkbookItem,
} from './items';

/**
 * The traffic section: model account requests by status, availability and latency (platform metrics), the
 * gateway's requests, errors, throttling and latency (its logs) and capacity, and AI Search latency and
 * throttling.
 */
export function trafficSection(inputs: WorkbookInputs): WorkbookItem[] {
  const items: WorkbookItem[] = [
    text(
      'section-traffic',
      `## ${WORKBOOK_SECTIONS['section-traffic']}\nModel account requests by HTTP status (429 is throttling, 5xx server errors), availability and latency from the Azure OpenAI metrics; the gateway's view from its logs.`,
    ),
  ];
  const models = inputs.modelAccountIds ?? [];
  if (models.length > 0) {
    items.push(
      metrics('traffic-model-requests', 'Model requests by status code', AZURE_OPENAI_NAMESPACE, models, [
        { metric: 'AzureOpenAIRequests', aggregation: 'Total', splitBy: AZURE_OPENAI_DIMENSIONS.statusCode },
      ]),
      metrics(
        'traffic-model-availability',
        'Model availability (%) by deployment',
        AZURE_OPENAI_NAMESPACE,
        models,
        [
          {
            metric: 'AzureOpenAIAvailabilityRate',
            aggregation: 'Average',
            splitBy: AZURE_OPENAI_DIMENSIONS.deployment,
          },
        ],
      ),
      metrics(
        'traffic-model-latency',
        'Model latency (ms): time to response, normalized time to first token',
        AZURE_OPENAI_NAMESPACE,
        models,
        [
          { metric: 'AzureOpenAITimeToResponse', aggregation: 'Average' },
          { metric: 'AzureOpenAINormalizedTTFTInMS', aggregation: 'Average' },
        ],
      ),
    );
  }
  const gateways = inputs.apiManagementIds ?? [];
  if (gateways.length > 0) {
    items.push(
      kql(
        'traffic-gateway',
        'Gateway requests, server errors and throttled requests',
        [
          'ApiManagementGatewayLogs',
          `| summarize requests = count(), serverErrors = countif(ResponseCode >= 500), throttled = countif(ResponseCode == 429) by bin(TimeGenerated, {${TIME_RANGE}:grain})`,
        ].join('\n'),
        inputs.workspaceId,
        'timechart',
      ),
      kql(
        'traffic-gateway-latency',
        'Gateway latency (ms): p50 and p95 of total and backend time',
        [
          'ApiManagementGatewayLogs',
          `| summarize p50Total = percentile(TotalTime, 50), p95Total = percentile(TotalTime, 95), p95Backend = percentile(BackendTime, 95) by bin(TimeGenerated, {${TIME_RANGE}:grain})`,
        ].join('\n'),
        inputs.workspaceId,
        'timechart',
      ),
      metrics(
        'traffic-gateway-capacity',
        'Gateway capacity (%)',
        'Microsoft.ApiManagement/service',
        gateways,
        [{ metric: 'Capacity', aggregation: 'Average' }],
      ),
    );
  }
  const search = inputs.searchServiceIds ?? [];
  if (search.length > 0) {
    items.push(
      metrics(
        'traffic-search',
        'AI Search latency (s) and throttled queries (%)',
        'Microsoft.Search/searchServices',
        search,
        [
          { metric: 'SearchLatency', aggregation: 'Average' },
          { metric: 'ThrottledSearchQueriesPercentage', aggregation: 'Average' },
        ],
      ),
    );
  }
  return items;
}

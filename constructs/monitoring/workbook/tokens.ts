import { kqlProperty, kqlString } from '../kql';
import { AZURE_OPENAI_DIMENSIONS, AZURE_OPENAI_NAMESPACE, GATEWAY_TOKEN_METRICS } from '../platform-metrics';
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
 * The tokens section: tokens per model deployment (platform metrics) and, through the gateway, per deployment
 * and experiment variant (gateway token metrics), with the hourly token budget when there is one.
 */
export function tokensSection(inputs: WorkbookInputs): WorkbookItem[] {
  const t = GATEWAY_TOKEN_METRICS;
  const budget =
    inputs.tokenBudgetPerHour !== undefined
      ? ` The token consumption alert fires above ${inputs.tokenBudgetPerHour} tokens per hour per model account.`
      : '';
  const items: WorkbookItem[] = [
    text(
      'section-tokens',
      `## ${WORKBOOK_SECTIONS['section-tokens']}\nTokens processed by each model deployment (platform metrics) and, through the gateway, by deployment and experiment variant (gateway token metrics).${budget}`,
    ),
  ];
  const models = inputs.modelAccountIds ?? [];
  if (models.length > 0) {
    items.push(
      metrics('tokens-model', 'Prompt and generated tokens by deployment', AZURE_OPENAI_NAMESPACE, models, [
        {
          metric: 'ProcessedPromptTokens',
          aggregation: 'Total',
          splitBy: AZURE_OPENAI_DIMENSIONS.deployment,
        },
        { metric: 'GeneratedTokens', aggregation: 'Total', splitBy: AZURE_OPENAI_DIMENSIONS.deployment },
      ]),
      metrics('tokens-model-total', 'Total tokens (prompt + generated)', AZURE_OPENAI_NAMESPACE, models, [
        { metric: 'TokenTransaction', aggregation: 'Total' },
      ]),
    );
  }
  const names = [t.names.prompt, t.names.completion].map(kqlString).join(', ');
  const dims = `deployment = ${kqlProperty(t.dimensions.deployment)}, variant = ${kqlProperty(t.dimensions.variant)}`;
  items.push(
    kql(
      'tokens-gateway-timechart',
      'Gateway tokens by deployment and variant',
      [
        t.table,
        `| where Name in (${names})`,
        `| extend ${dims}`,
        `| summarize tokens = sum(Sum) by bin(TimeGenerated, {${TIME_RANGE}:grain}), series = strcat(deployment, " / ", variant)`,
      ].join('\n'),
      inputs.workspaceId,
      'timechart',
    ),
    kql(
      'tokens-gateway-table',
      'Gateway tokens by deployment, variant and kind',
      [
        t.table,
        `| where Name in (${names}, ${kqlString(t.names.total)})`,
        `| extend ${dims}`,
        '| summarize tokens = sum(Sum) by deployment, variant, Name',
        '| order by tokens desc',
      ].join('\n'),
      inputs.workspaceId,
      'table',
    ),
  );
  return items;
}

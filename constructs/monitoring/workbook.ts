import { createHash } from 'node:crypto';
import type { ApplicationInsights } from '@cdktf/provider-azurerm/lib/application-insights';
import { ApplicationInsightsWorkbook } from '@cdktf/provider-azurerm/lib/application-insights-workbook';
import { Fn, type TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { Problems, show } from '../core/errors';
import type { ILogAnalyticsWorkspace, IResourceGroup } from '../core/props';
import type { ResourceGroupBudget } from './budget';
import { kqlString } from './kql';
import { AZURE_OPENAI_DIMENSIONS, AZURE_OPENAI_NAMESPACE, GATEWAY_TOKEN_METRICS } from './platform-metrics';
import { metricFacts, QUALITY_EVENT_NAME, QUALITY_TABLE, QualityFields } from './quality-contract';
import { belowThresholdQuery, type QualityThreshold, type QualityWindow } from './quality-queries';

/**
 * The environment's Azure Monitor workbook, generated from code: traffic, latency, errors and throttling;
 * tokens by deployment and variant; content-filter blocks; answer quality over time; cost against budget.
 *
 * {@link workbookDefinition} builds the workbook JSON (`Notebook/1.0`) as plain data, so tests can check every
 * query against the contracts; {@link MonitoringWorkbook} deploys it as an `azurerm_application_insights_workbook`.
 *
 * @see https://learn.microsoft.com/azure/azure-monitor/visualize/workbooks-overview
 */

/** Workbook item types used here (`type` of an item). */
export const WorkbookItemType = {
  /** Markdown text. */
  text: 1,
  /** A query: KQL against Log Analytics (`queryType` 0) or an Azure Resource Manager call (`queryType` 12). */
  query: 3,
  /** Parameters (the time range picker). */
  parameters: 9,
  /** An Azure Monitor metrics chart. */
  metrics: 10,
} as const;

/** `queryType` of query items. */
export const WorkbookQueryType = {
  /** KQL against the resources in `crossComponentResources` (here: the Log Analytics workspace). */
  logs: 0,
  /** An Azure Resource Manager REST call (`ARMEndpoint/1.0`). */
  armEndpoint: 12,
} as const;

/** Metric aggregation codes of metrics items. */
const AGGREGATION = { Total: 1, Average: 4 } as const;

/** One workbook item. */
export interface WorkbookItem {
  /** One of {@link WorkbookItemType}. */
  readonly type: number;
  /** Stable item name, unique in the workbook. */
  readonly name: string;
  /** The item's settings; the shape depends on `type`. */
  readonly content: Readonly<Record<string, unknown>>;
}

/** A workbook's serialized data (`data_json`). */
export interface WorkbookDefinition {
  readonly version: 'Notebook/1.0';
  readonly items: readonly WorkbookItem[];
  readonly isLocked: boolean;
  readonly fallbackResourceIds: readonly string[];
}

/** The sections every generated workbook has, by header item name, with their titles. */
export const WORKBOOK_SECTIONS = {
  'section-traffic': 'Requests, latency, errors and throttling',
  'section-tokens': 'Tokens by deployment and variant',
  'section-content-safety': 'Content-filter blocks',
  'section-quality': 'Answer quality',
  'section-safety-cost-latency': 'Answer safety, cost and latency',
  'section-cost': 'Cost against budget',
} as const;

/** The resources a metrics item can chart, by azurerm type; ids may be Terraform references. */
export interface WorkbookResources {
  /** AI Services / Azure OpenAI accounts. @default none */
  readonly modelAccountIds?: readonly string[];
  /** API Management services (the gateway). @default none */
  readonly apiManagementIds?: readonly string[];
  /** AI Search services. @default none */
  readonly searchServiceIds?: readonly string[];
}

/** Inputs of {@link workbookDefinition}. */
export interface WorkbookInputs extends WorkbookResources {
  /** Environment name, shown in the title. */
  readonly environment: string;
  /** The Log Analytics workspace KQL items query (workspace tables: `AppEvents`, `AppMetrics`, ...). */
  readonly workspaceId: string;
  /** The resource group whose cost the cost section shows. */
  readonly resourceGroupId: string;
  /** Quality thresholds by metric (the release gate's): drawn in the quality section. */
  readonly qualityThresholds: Readonly<Record<string, QualityThreshold>>;
  /**
   * Window of the "failing now" quality table, as the quality alerts use it.
   * @default 'PT6H'
   */
  readonly qualityWindow?: QualityWindow;
  /**
   * The hourly token budget of the token consumption alert, shown next to the token charts.
   * @default not shown
   */
  readonly tokenBudgetPerHour?: number;
  /**
   * The consumption budget of the resource group.
   * @default none - the cost section says so and shows the cost only
   */
  readonly budget?: {
    readonly budgetId: string;
    readonly amount: number;
    readonly thresholdsPercent: readonly number[];
    readonly forecastThresholdsPercent: readonly number[];
  };
}

const DAY_MS = 86_400_000;
const TIME_RANGE = 'TimeRange';
const WORKSPACE_TYPE = 'microsoft.operationalinsights/workspaces';

/**
 * A deterministic UUID (version 5 layout, SHA-1 based) from `parts`: the same parts give the same UUID on
 * every machine. Workbook names and parameter ids must be UUIDs; deriving them keeps synth deterministic.
 */
export function deterministicUuid(...parts: readonly string[]): string {
  const hash = createHash('sha1')
    .update(['llmops-platform', ...parts].join('\u0000'))
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function text(name: string, markdown: string): WorkbookItem {
  return { type: WorkbookItemType.text, name, content: { json: markdown } };
}

function kql(
  name: string,
  title: string,
  query: string,
  workspaceId: string,
  visualization: 'timechart' | 'table' | 'barchart',
): WorkbookItem {
  return {
    type: WorkbookItemType.query,
    name,
    content: {
      version: 'KqlItem/1.0',
      query,
      size: 0,
      title,
      timeContextFromParameter: TIME_RANGE,
      timeContext: { durationMs: DAY_MS },
      queryType: WorkbookQueryType.logs,
      resourceType: WORKSPACE_TYPE,
      crossComponentResources: [workspaceId],
      visualization,
    },
  };
}

interface MetricSpec {
  readonly metric: string;
  readonly aggregation: keyof typeof AGGREGATION;
  readonly splitBy?: string;
}

function metrics(
  name: string,
  title: string,
  namespace: string,
  resourceIds: readonly string[],
  specs: readonly MetricSpec[],
): WorkbookItem {
  const ns = namespace.toLowerCase();
  return {
    type: WorkbookItemType.metrics,
    name,
    content: {
      chartId: `workbook-${name}`,
      version: 'MetricsItem/2.0',
      size: 0,
      chartType: 2,
      resourceType: ns,
      metricScope: 0,
      resourceIds: [...resourceIds],
      timeContextFromParameter: TIME_RANGE,
      timeContext: { durationMs: DAY_MS },
      metrics: specs.map((s) => ({
        namespace: ns,
        metric: `${ns}--${s.metric}`,
        aggregation: AGGREGATION[s.aggregation],
        ...(s.splitBy ? { splitBy: [s.splitBy], splitBySortOrder: -1, splitByLimit: 10 } : {}),
      })),
      title,
      gridSettings: { rowLimit: 10000 },
    },
  };
}

function arm(name: string, title: string, request: Record<string, unknown>): WorkbookItem {
  return {
    type: WorkbookItemType.query,
    name,
    content: {
      version: 'KqlItem/1.0',
      query: JSON.stringify({ version: 'ARMEndpoint/1.0', headers: [], batchDisabled: false, ...request }),
      size: 0,
      title,
      queryType: WorkbookQueryType.armEndpoint,
      visualization: 'table',
    },
  };
}

function property(field: string): string {
  return `tostring(Properties[${kqlString(field)}])`;
}

const SCORE = `todouble(Measurements[${kqlString(QualityFields.score)}])`;

/** The quality events of the contract with metric, score, deployment and variant extracted. */
function qualityEvents(metricNames: readonly string[]): string[] {
  return [
    QUALITY_TABLE,
    `| where Name == ${kqlString(QUALITY_EVENT_NAME)}`,
    `| extend metric = ${property(QualityFields.metric)}, score = ${SCORE}`,
    `| where metric in (${metricNames.map(kqlString).join(', ')}) and isnotnull(score)`,
    `| extend deployment = ${property(QualityFields.deployment)}, variant = ${property(QualityFields.variant)}, source = ${property(QualityFields.source)}`,
  ];
}

/** `case(metric == "a", 4.0, ..., real(null))`: the threshold of each metric, inline. */
function thresholdCase(thresholds: Readonly<Record<string, QualityThreshold>>): string {
  const arms = Object.entries(thresholds).map(([m, t]) => `metric == ${kqlString(m)}, real(${t.value})`);
  return `case(${[...arms, 'real(null)'].join(', ')})`;
}

function directionCase(thresholds: Readonly<Record<string, QualityThreshold>>): string {
  const arms = Object.entries(thresholds).map(
    ([m, t]) => `metric == ${kqlString(m)}, ${kqlString(t.direction)}`,
  );
  return `case(${[...arms, '"min"'].join(', ')})`;
}

function trafficSection(inputs: WorkbookInputs): WorkbookItem[] {
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

function tokensSection(inputs: WorkbookInputs): WorkbookItem[] {
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
  const dims = `deployment = ${property(t.dimensions.deployment)}, variant = ${property(t.dimensions.variant)}`;
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

function contentSafetySection(inputs: WorkbookInputs): WorkbookItem[] {
  const items: WorkbookItem[] = [
    text(
      'section-content-safety',
      `## ${WORKBOOK_SECTIONS['section-content-safety']}\nRequests the content filter rejected or flagged as harmful, by deployment, and users flagged for repeated abuse.`,
    ),
  ];
  const models = inputs.modelAccountIds ?? [];
  if (models.length > 0) {
    items.push(
      metrics(
        'content-safety-blocks',
        'Rejected and harmful requests by deployment',
        AZURE_OPENAI_NAMESPACE,
        models,
        [
          {
            metric: 'RAIRejectedRequests',
            aggregation: 'Total',
            splitBy: AZURE_OPENAI_DIMENSIONS.deployment,
          },
          { metric: 'RAIHarmfulRequests', aggregation: 'Total', splitBy: AZURE_OPENAI_DIMENSIONS.deployment },
        ],
      ),
      metrics('content-safety-abusive-users', 'Abusive users', AZURE_OPENAI_NAMESPACE, models, [
        { metric: 'RAIAbusiveUsersCount', aggregation: 'Total' },
      ]),
    );
  }
  return items;
}

/** Whether a gated metric belongs to the quality section (1-5 scores and custom evaluators) or the safety, cost and latency one. */
function isQualityMetric(metric: string): boolean {
  const kind = metricFacts(metric)?.kind;
  return kind === undefined || kind === 'quality';
}

/** The items of a section over evaluation events: over time, by variant against the threshold, failing now. */
function scoreSection(
  inputs: WorkbookInputs,
  thresholds: Readonly<Record<string, QualityThreshold>>,
  section: keyof typeof WORKBOOK_SECTIONS,
  intro: string,
  prefix: string,
): WorkbookItem[] {
  const metricNames = Object.keys(thresholds);
  const window = inputs.qualityWindow ?? 'PT6H';
  const listed = Object.entries(thresholds)
    .map(([m, t]) => `${m} ${t.direction === 'max' ? '<=' : '>='} ${t.value}`)
    .join(', ');
  const items: WorkbookItem[] = [
    text(section, `## ${WORKBOOK_SECTIONS[section]}\n${intro} Release thresholds: ${listed || 'none'}.`),
  ];
  if (metricNames.length === 0) return items;
  items.push(
    kql(
      `${prefix}-over-time`,
      'Mean value over time by metric (continuous evaluation)',
      [
        ...qualityEvents(metricNames),
        '| where source == "continuous"',
        `| summarize meanScore = avg(score) by bin(TimeGenerated, {${TIME_RANGE}:grain}), metric`,
      ].join('\n'),
      inputs.workspaceId,
      'timechart',
    ),
    kql(
      `${prefix}-by-variant`,
      'Mean value by metric, deployment, variant and source against the release threshold',
      [
        ...qualityEvents(metricNames),
        '| summarize meanScore = round(avg(score), 2), samples = count() by metric, deployment, variant, source',
        `| extend threshold = ${thresholdCase(thresholds)}, direction = ${directionCase(thresholds)}`,
        '| extend passing = iff(direction == "max", meanScore <= threshold, meanScore >= threshold)',
        '| order by metric asc, meanScore asc',
      ].join('\n'),
      inputs.workspaceId,
      'table',
    ),
  );
  for (const [metric, threshold] of Object.entries(thresholds)) {
    const { kql: query } = belowThresholdQuery(metric, threshold, {
      window,
      environment: inputs.environment,
      minSamples: 1,
    });
    items.push(
      kql(
        `${prefix}-failing-${metric}`,
        `${metric}: deployments and variants failing the threshold over the last ${window}`,
        query,
        inputs.workspaceId,
        'table',
      ),
    );
  }
  return items;
}

function qualitySection(inputs: WorkbookInputs): WorkbookItem[] {
  const thresholds = Object.fromEntries(
    Object.entries(inputs.qualityThresholds).filter(([m]) => isQualityMetric(m)),
  );
  return scoreSection(
    inputs,
    thresholds,
    'section-quality',
    `Evaluation scores (event \`${QUALITY_EVENT_NAME}\`) from CI and continuous evaluation.`,
    'quality',
  );
}

/**
 * Beside quality: the content-safety defect rates (share of answers flagged, 0-1), p95 latency, tokens
 * and cost per 1,000 answers of the evaluated answers, from the same events and against the same
 * thresholds as the release gate.
 */
function safetyCostLatencySection(inputs: WorkbookInputs): WorkbookItem[] {
  const thresholds = Object.fromEntries(
    Object.entries(inputs.qualityThresholds).filter(([m]) => !isQualityMetric(m)),
  );
  return scoreSection(
    inputs,
    thresholds,
    'section-safety-cost-latency',
    'Content-safety defect rates (share of answers a safety evaluator flagged, 0-1), latency in ms, tokens and cost per 1,000 answers (price table of the environment config) of the evaluated answers, from CI and continuous evaluation.',
    'ops',
  );
}

function costSection(inputs: WorkbookInputs): WorkbookItem[] {
  const b = inputs.budget;
  const summary = b
    ? `Monthly budget ${b.amount}; notifications at ${b.thresholdsPercent.map((p) => `${p} %`).join(', ') || 'none'} of actual cost and ${b.forecastThresholdsPercent.map((p) => `${p} %`).join(', ') || 'none'} of forecast cost.`
    : 'No budget is configured for this environment (`monitoring.budget` in the environment config).';
  const items: WorkbookItem[] = [text('section-cost', `## ${WORKBOOK_SECTIONS['section-cost']}\n${summary}`)];
  if (b) {
    items.push(
      arm('cost-budget', 'Budget: amount, actual and forecast cost this period', {
        method: 'GET',
        path: b.budgetId,
        urlParams: [{ key: 'api-version', value: '2023-05-01' }],
        data: null,
        transformers: [
          {
            type: 'jsonpath',
            settings: {
              tablePath: '$.properties',
              columns: [
                { path: '$.amount', columnid: 'Budget' },
                { path: '$.currentSpend.amount', columnid: 'Actual' },
                { path: '$.forecastSpend.amount', columnid: 'Forecast' },
                { path: '$.currentSpend.unit', columnid: 'Currency' },
              ],
            },
          },
        ],
      }),
    );
  }
  items.push(
    arm('cost-daily', 'Actual cost per day, month to date', {
      method: 'POST',
      path: `${inputs.resourceGroupId}/providers/Microsoft.CostManagement/query`,
      urlParams: [{ key: 'api-version', value: '2023-03-01' }],
      data: JSON.stringify({
        type: 'ActualCost',
        timeframe: 'MonthToDate',
        dataset: { granularity: 'Daily', aggregation: { totalCost: { name: 'Cost', function: 'Sum' } } },
      }),
      transformers: [
        {
          type: 'jsonpath',
          settings: {
            tablePath: '$.properties.rows',
            columns: [
              { path: '$[0]', columnid: 'Cost' },
              { path: '$[1]', columnid: 'Date' },
              { path: '$[2]', columnid: 'Currency' },
            ],
          },
        },
      ],
    }),
  );
  return items;
}

/**
 * The workbook JSON of one environment. Sections whose resources the environment lacks keep their header
 * and leave out the charts (no empty charts); the quality and gateway token queries are always present.
 */
export function workbookDefinition(inputs: WorkbookInputs): WorkbookDefinition {
  const parameters: WorkbookItem = {
    type: WorkbookItemType.parameters,
    name: 'parameters',
    content: {
      version: 'KqlParameterItem/1.0',
      parameters: [
        {
          id: deterministicUuid('workbook-parameter', TIME_RANGE),
          version: 'KqlParameterItem/1.0',
          name: TIME_RANGE,
          label: 'Time range',
          type: 4,
          isRequired: true,
          value: { durationMs: DAY_MS },
          typeSettings: {
            selectableValues: [1, 4, 12, 24, 72, 168, 720].map((h) => ({ durationMs: h * 3_600_000 })),
            allowCustom: true,
          },
        },
      ],
      style: 'pills',
      queryType: WorkbookQueryType.logs,
      resourceType: WORKSPACE_TYPE,
    },
  };
  return {
    version: 'Notebook/1.0',
    items: [
      text(
        'title',
        `# LLMOps: ${inputs.environment}\nGenerated from code (constructs/monitoring/workbook.ts); edits in the portal are overwritten on the next deployment.`,
      ),
      parameters,
      ...trafficSection(inputs),
      ...tokensSection(inputs),
      ...contentSafetySection(inputs),
      ...qualitySection(inputs),
      ...safetyCostLatencySection(inputs),
      ...costSection(inputs),
    ],
    isLocked: false,
    fallbackResourceIds: [inputs.workspaceId],
  };
}

/** Properties of {@link MonitoringWorkbook}. */
export interface MonitoringWorkbookProps {
  /** Resource group the workbook lives in; also the scope of the cost section. */
  readonly resourceGroup: IResourceGroup;
  /** Environment name: shown in the title and part of the workbook's derived UUID name. */
  readonly environment: string;
  /** The Application Insights resource the workbook is listed under (`source_id`). */
  readonly appInsights: ApplicationInsights;
  /** The workspace KQL items query. */
  readonly workspace: ILogAnalyticsWorkspace;
  /**
   * Resources charted by the platform metric items, picked by type (`azurerm_cognitive_account`,
   * `azurerm_api_management`, `azurerm_search_service`); others are ignored.
   * @default none
   */
  readonly resources?: readonly TerraformResource[];
  /** Quality thresholds by metric (the release gate's). */
  readonly qualityThresholds: Readonly<Record<string, QualityThreshold>>;
  /**
   * Window of the "failing now" quality tables.
   * @default 'PT6H'
   */
  readonly qualityWindow?: QualityWindow;
  /**
   * Hourly token budget, shown in the tokens section.
   * @default not shown
   */
  readonly tokenBudgetPerHour?: number;
  /**
   * The resource group's budget, shown in the cost section.
   * @default none
   */
  readonly budget?: ResourceGroupBudget;
  /**
   * Name shown in the portal.
   * @default `LLMOps <environment>`
   */
  readonly displayName?: string;
}

/**
 * The environment's workbook as an `azurerm_application_insights_workbook`, listed under the Application
 * Insights resource. Its name is a UUID derived from the environment and display name, so it is stable across
 * runs; `data_json` is {@link workbookDefinition}.
 *
 * @example
 * new MonitoringWorkbook(this, 'Workbook', {
 *   resourceGroup, environment: 'prod', appInsights: observability.appInsights, workspace: observability.workspace,
 *   resources: [modelAccount.account], qualityThresholds: { groundedness: { value: 4, direction: 'min' } },
 * });
 */
export class MonitoringWorkbook extends Construct {
  /** The workbook resource. */
  public readonly workbook: ApplicationInsightsWorkbook;
  /** The workbook JSON (before tokens are resolved). */
  public readonly definition: WorkbookDefinition;

  constructor(scope: Construct, id: string, props: MonitoringWorkbookProps) {
    super(scope, id);
    const displayName = props.displayName ?? `LLMOps ${props.environment}`;
    const problems = new Problems('props');
    problems.check(
      /^[a-z][a-z0-9-]*$/.test(props.environment),
      'environment',
      `${show(props.environment)} must be lowercase letters, digits and hyphens, starting with a letter`,
    );
    problems.check(displayName.trim().length > 0, 'displayName', `${show(displayName)} must not be empty`);
    problems.throwIfAny(`Invalid MonitoringWorkbook "${this.node.path}"`);

    const idsOf = (type: string) =>
      (props.resources ?? [])
        .filter((r) => r.terraformResourceType === type)
        .map((r) => r.getStringAttribute('id'));
    this.definition = workbookDefinition({
      environment: props.environment,
      workspaceId: props.workspace.id,
      resourceGroupId: props.resourceGroup.id,
      modelAccountIds: idsOf('azurerm_cognitive_account'),
      apiManagementIds: idsOf('azurerm_api_management'),
      searchServiceIds: idsOf('azurerm_search_service'),
      qualityThresholds: props.qualityThresholds,
      qualityWindow: props.qualityWindow,
      tokenBudgetPerHour: props.tokenBudgetPerHour,
      budget: props.budget,
    });
    this.workbook = new ApplicationInsightsWorkbook(this, 'Default', {
      name: deterministicUuid('workbook', props.environment, displayName),
      resourceGroupName: props.resourceGroup.name,
      location: props.resourceGroup.location,
      displayName,
      category: 'workbook',
      sourceId: Fn.lower(props.appInsights.id),
      dataJson: JSON.stringify(this.definition),
    });
  }
}

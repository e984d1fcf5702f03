/**
 * The building blocks of the workbook JSON (`Notebook/1.0`): item types, the workbook and input shapes, the
 * section names, and the builders of text, KQL, metrics and Azure Resource Manager items the sections use.
 *
 * @see https://learn.microsoft.com/azure/azure-monitor/visualize/workbooks-overview
 */

import type { QualityThreshold, QualityWindow } from '../quality-queries';

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
export const AGGREGATION = { Total: 1, Average: 4 } as const;

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

/** One day in milliseconds: the default time range. */
export const DAY_MS = 86_400_000;
/** Name of the time range parameter every time-bound item reads. */
export const TIME_RANGE = 'TimeRange';
/** `resourceType` of items that query the Log Analytics workspace. */
export const WORKSPACE_TYPE = 'microsoft.operationalinsights/workspaces';

/** A markdown text item. */
export function text(name: string, markdown: string): WorkbookItem {
  return { type: WorkbookItemType.text, name, content: { json: markdown } };
}

/** A KQL item over the Log Analytics workspace, bound to the time range parameter. */
export function kql(
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

/** One metric of a metrics item, with its aggregation and optional split. */
export interface MetricSpec {
  readonly metric: string;
  readonly aggregation: keyof typeof AGGREGATION;
  readonly splitBy?: string;
}

/** An Azure Monitor metrics chart of `resourceIds`, bound to the time range parameter. */
export function metrics(
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

/** An Azure Resource Manager REST call shown as a table. */
export function arm(name: string, title: string, request: Record<string, unknown>): WorkbookItem {
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

/** A string property of an `AppEvents`/`AppMetrics` row, as KQL. */

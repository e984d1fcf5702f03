import { createHash } from 'node:crypto';
import type { ApplicationInsights } from '@cdktf/provider-azurerm/lib/application-insights';
import { ApplicationInsightsWorkbook } from '@cdktf/provider-azurerm/lib/application-insights-workbook';
import { Fn, type TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { Problems, show } from '../core/errors';
import type { ILogAnalyticsWorkspace, IResourceGroup } from '../core/props';
import type { ResourceGroupBudget } from './budget';
import type { QualityThreshold, QualityWindow } from './quality-queries';
import { contentSafetySection } from './workbook/content-safety';
import { costSection } from './workbook/cost';
import {
  DAY_MS,
  TIME_RANGE,
  text,
  WORKSPACE_TYPE,
  type WorkbookDefinition,
  type WorkbookInputs,
  type WorkbookItem,
  WorkbookItemType,
  WorkbookQueryType,
} from './workbook/items';
import { qualitySection } from './workbook/quality';
import { safetyCostLatencySection } from './workbook/safety-cost-latency';
import { tokensSection } from './workbook/tokens';
import { trafficSection } from './workbook/traffic';

/**
 * The environment's Azure Monitor workbook, generated from code: traffic, latency, errors and throttling;
 * tokens by deployment and variant; content-filter blocks; answer quality over time; cost against budget.
 * Each section is built in its own file under `workbook/`; this file composes them.
 *
 * {@link workbookDefinition} builds the workbook JSON (`Notebook/1.0`) as plain data, so tests can check every
 * query against the contracts; {@link MonitoringWorkbook} deploys it as an `azurerm_application_insights_workbook`.
 *
 * @see https://learn.microsoft.com/azure/azure-monitor/visualize/workbooks-overview
 */

export {
  WORKBOOK_SECTIONS,
  type WorkbookDefinition,
  type WorkbookInputs,
  type WorkbookItem,
  WorkbookItemType,
  WorkbookQueryType,
  type WorkbookResources,
} from './workbook/items';

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

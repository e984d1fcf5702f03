import { LogAnalyticsWorkspaceTable } from '@cdktf/provider-azurerm/lib/log-analytics-workspace-table';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { AzapiResource, type JsonObject } from '../core/azapi';
import { Problems } from '../core/errors';
import type { ILogAnalyticsWorkspace } from '../core/props';
import type { ApiManagementService } from './api-management';
import { RESPONSE_HEADERS, TOKEN_LIMIT_HEADERS } from './policies';
import { checkLogging } from './validation';

/** azapi type of the Application Insights API diagnostic: `metrics: true` (custom metrics) is not in azurerm 4.55. */
export const API_DIAGNOSTIC_TYPE = 'Microsoft.ApiManagement/service/apis/diagnostics@2024-05-01';

/**
 * azapi type of the Azure Monitor API diagnostic with LLM logging (`largeLanguageModel`): no stable API
 * version has it yet.
 */
export const API_LLM_DIAGNOSTIC_TYPE = 'Microsoft.ApiManagement/service/apis/diagnostics@2025-03-01-preview';

/** The resource-specific table LLM logs land in (diagnostic category `GatewayLlmLogs`). */
export const LLM_LOG_TABLE = 'ApiManagementGatewayLlmLog';

/** Largest prompt or completion logged in one entry; larger messages are split into 32 KB entries. */
export const LLM_MESSAGE_MAX_BYTES = 32_768;

/** Properties of {@link ApiTelemetry}. */
export interface ApiTelemetryProps {
  readonly service: ApiManagementService;
  /** Name of the API (a reference to the API resource, so the diagnostics follow it). */
  readonly apiName: string;
  /**
   * Request headers recorded with each request in Application Insights (the experiments' pin headers).
   * @default - none
   */
  readonly requestHeaders?: readonly string[];
  /**
   * Privacy switch: log prompts and completions. When false, LLM logs carry token usage and model only.
   * @default true - continuous evaluation reads the logged prompts and completions
   */
  readonly logBodiesEnabled?: boolean;
  /**
   * Share of requests whose LLM log entry (with prompt and completion) is kept, 0-100. Azure samples the
   * whole entry, token usage included; the token metrics still count every request. 0 logs no bodies.
   * @default 100
   */
  readonly bodySampleRatePercent?: number;
  /**
   * Retention of the LLM log table (prompts and completions) in the workspace the service's diagnostic
   * setting writes to.
   * @default - the workspace's retention
   */
  readonly llmLogRetention?: { readonly workspace: ILogAnalyticsWorkspace; readonly retentionDays: number };
}

/**
 * Telemetry of the inference API:
 * - the Application Insights diagnostic (azapi, `metrics: true`): requests, dependencies and traces at
 *   100%, the token metrics of `azure-openai-emit-token-metric`, the pin and variant headers;
 * - the Azure Monitor diagnostic (azapi, preview API) with LLM logging: token usage, and prompts and
 *   completions up to 32 KB per entry unless the privacy switch is off, sampled at
 *   `bodySampleRatePercent`; entries land in `ApiManagementGatewayLlmLog` through the service's
 *   diagnostic setting (category `GatewayLlmLogs`, resource-specific tables);
 * - optionally the retention of that table.
 *
 * @see https://learn.microsoft.com/azure/api-management/api-management-howto-llm-logs
 */
export class ApiTelemetry extends Construct {
  public readonly appInsightsDiagnostic: AzapiResource;
  public readonly llmDiagnostic: AzapiResource;
  public readonly llmLogTable?: LogAnalyticsWorkspaceTable;

  constructor(scope: Construct, id: string, props: ApiTelemetryProps) {
    super(scope, id);
    const rate = props.bodySampleRatePercent ?? 100;
    const problems = new Problems('props');
    checkLogging({ bodySampleRatePercent: rate }, problems, '');
    checkLogging({ retentionDays: props.llmLogRetention?.retentionDays }, problems, 'llmLogRetention');
    problems.throwIfAny(`Invalid ApiTelemetry "${this.node.path}"`);

    const { service } = props;
    const parentId = `${service.resourceId}/apis/${props.apiName}`;
    const logBodies = (props.logBodiesEnabled ?? true) && rate > 0;

    this.appInsightsDiagnostic = new AzapiResource(this, 'AppInsights', {
      type: API_DIAGNOSTIC_TYPE,
      name: 'applicationinsights',
      parentId,
      body: appInsightsDiagnosticBody(service.logger.id, props.requestHeaders ?? []),
    });

    this.llmDiagnostic = new AzapiResource(this, 'LlmLogs', {
      type: API_LLM_DIAGNOSTIC_TYPE,
      name: 'azuremonitor',
      parentId,
      // Validated at plan against azapi 2.12.0's embedded 2025-03-01-preview schema (`LLMDiagnosticSettings`:
      // logs enabled|disabled, requests/responses with messages and maxSizeInBytes 1-262144), and in the
      // tests against spec/azure.
      body: llmDiagnosticBody(service.azureMonitorLoggerId, logBodies, rate),
    });

    if (props.llmLogRetention) {
      this.llmLogTable = new LogAnalyticsWorkspaceTable(this, 'LlmLogRetention', {
        name: LLM_LOG_TABLE,
        workspaceId: props.llmLogRetention.workspace.id,
        retentionInDays: props.llmLogRetention.retentionDays,
      });
    }
  }

  /** Both diagnostics, for `dependsOn`. */
  get dependables(): ITerraformDependable[] {
    return [this.appInsightsDiagnostic, this.llmDiagnostic];
  }
}

/** Body of the Application Insights API diagnostic (api-version 2024-05-01). */
export function appInsightsDiagnosticBody(loggerId: string, requestHeaders: readonly string[]): JsonObject {
  return {
    properties: {
      loggerId,
      alwaysLog: 'allErrors',
      // Every request: evaluation and A/B analysis read these; token metrics are emitted regardless.
      sampling: { samplingType: 'fixed', percentage: 100 },
      httpCorrelationProtocol: 'W3C',
      verbosity: 'information',
      logClientIp: false,
      operationNameFormat: 'Name',
      metrics: true,
      frontend: {
        request: { headers: [...requestHeaders] },
        response: {
          headers: [...Object.values(RESPONSE_HEADERS), TOKEN_LIMIT_HEADERS.remainingTokens],
        },
      },
      backend: {
        request: { headers: [] },
        response: { headers: ['x-ms-region', 'x-ms-deployment-name'] },
      },
    },
  };
}

/**
 * Body of the Azure Monitor API diagnostic with LLM logging (api-version 2025-03-01-preview). With
 * bodies off, every request's token usage is logged (sampling 100%) and no message is.
 */
export function llmDiagnosticBody(
  loggerId: string,
  logBodies: boolean,
  bodySampleRatePercent: number,
): JsonObject {
  const messages = { messages: 'all', maxSizeInBytes: LLM_MESSAGE_MAX_BYTES };
  return {
    properties: {
      loggerId,
      alwaysLog: 'allErrors',
      sampling: { samplingType: 'fixed', percentage: logBodies ? bodySampleRatePercent : 100 },
      logClientIp: false,
      verbosity: 'information',
      largeLanguageModel: logBodies
        ? { logs: 'enabled', requests: messages, responses: messages }
        : { logs: 'enabled' },
    },
  };
}

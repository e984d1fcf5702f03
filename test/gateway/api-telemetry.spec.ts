import type { TerraformStack } from 'cdktf';
import { ApiManagementService } from '../../constructs/gateway/api-management';
import {
  API_DIAGNOSTIC_TYPE,
  API_LLM_DIAGNOSTIC_TYPE,
  ApiTelemetry,
  type ApiTelemetryProps,
  appInsightsDiagnosticBody,
  LLM_LOG_TABLE,
  LLM_MESSAGE_MAX_BYTES,
  llmDiagnosticBody,
} from '../../constructs/gateway/api-telemetry';
import { validateAgainstAzureSpec } from '../helpers/azure-spec';
import { type Attributes, resourcesOf, synthStack, TEST_RESOURCE_GROUP, testStack } from '../helpers/synth';
import { FakeTelemetry, problemsOf, WORKSPACE_ID } from './fixtures';

const APIM = `\${azurerm_api_management.Apim.id}`;

function build(props: Partial<ApiTelemetryProps> = {}): { stack: TerraformStack; telemetry: ApiTelemetry } {
  const stack = testStack();
  const service = new ApiManagementService(stack, 'Apim', {
    resourceGroup: TEST_RESOURCE_GROUP,
    name: 'apim-llmops-test-abcde',
    publisherEmail: 'platform@example.com',
    publisherName: 'Platform',
    telemetry: new FakeTelemetry(stack, 'Observability'),
  });
  const telemetry = new ApiTelemetry(stack, 'Telemetry', { service, apiName: 'openai', ...props });
  return { stack, telemetry };
}

/** The two API diagnostics, by name. */
function diagnostics(stack: TerraformStack): Record<string, Attributes> {
  return Object.fromEntries(
    Object.values(resourcesOf(synthStack(stack), 'azapi_resource'))
      .filter((r) => String(r.type).startsWith('Microsoft.ApiManagement/service/apis/diagnostics@'))
      .map((r) => [r.name as string, r]),
  );
}

describe('ApiTelemetry', () => {
  test('defaults: an Application Insights diagnostic and an LLM diagnostic on the API, bodies logged for every request', () => {
    // GIVEN only the service and the API name
    const { stack, telemetry } = build();
    // WHEN synthesized
    const { applicationinsights: appInsights, azuremonitor: llm } = diagnostics(stack);
    // THEN both sit on the API, each with its API version, valid against the Azure schemas
    expect(appInsights).toMatchObject({
      type: API_DIAGNOSTIC_TYPE,
      parent_id: `${APIM}/apis/openai`,
    });
    expect((appInsights!.body as { properties: Attributes }).properties).toMatchObject({
      loggerId: `\${azapi_resource.Apim_Logger_A58A0C78.id}`,
      sampling: { samplingType: 'fixed', percentage: 100 },
      logClientIp: false,
      metrics: true,
    });
    expect(validateAgainstAzureSpec(API_DIAGNOSTIC_TYPE, appInsights!.body)).toEqual([]);
    // embedded in azapi 2.12.0: plan validates the body, so no opt-out
    expect(llm).not.toHaveProperty('schema_validation_enabled');
    expect(llm).toMatchObject({
      type: API_LLM_DIAGNOSTIC_TYPE,
      parent_id: `${APIM}/apis/openai`,
      body: {
        properties: {
          loggerId: `${APIM}/loggers/azuremonitor`,
          sampling: { samplingType: 'fixed', percentage: 100 },
          logClientIp: false,
          largeLanguageModel: {
            logs: 'enabled',
            requests: { messages: 'all', maxSizeInBytes: LLM_MESSAGE_MAX_BYTES },
            responses: { messages: 'all', maxSizeInBytes: LLM_MESSAGE_MAX_BYTES },
          },
        },
      },
    });
    expect(validateAgainstAzureSpec(API_LLM_DIAGNOSTIC_TYPE, llm!.body)).toEqual([]);
    // AND no table retention unless asked for; both diagnostics are handed out for ordering
    expect(resourcesOf(synthStack(stack), 'azurerm_log_analytics_workspace_table')).toEqual({});
    expect(telemetry.llmLogTable).toBeUndefined();
    expect(telemetry.dependables).toEqual([telemetry.appInsightsDiagnostic, telemetry.llmDiagnostic]);
  });

  test('all props: request headers recorded, a 25 % body sample, LLM log retention on the workspace table', () => {
    const { stack } = build({
      requestHeaders: ['x-llmops-variant'],
      bodySampleRatePercent: 25,
      llmLogRetention: { workspace: { id: WORKSPACE_ID }, retentionDays: 30 },
    });
    const { applicationinsights: appInsights, azuremonitor: llm } = diagnostics(stack);
    expect(
      (appInsights!.body as { properties: { frontend: { request: unknown } } }).properties.frontend.request,
    ).toEqual({ headers: ['x-llmops-variant'] });
    expect((llm!.body as { properties: { sampling: unknown } }).properties.sampling).toEqual({
      samplingType: 'fixed',
      percentage: 25,
    });
    expect(Object.values(resourcesOf(synthStack(stack), 'azurerm_log_analytics_workspace_table'))).toEqual([
      { name: LLM_LOG_TABLE, workspace_id: WORKSPACE_ID, retention_in_days: 30 },
    ]);
  });

  test.each([
    ['the privacy switch is off', { logBodiesEnabled: false, bodySampleRatePercent: 50 }],
    ['the sample rate is 0', { bodySampleRatePercent: 0 }],
  ])('no message is logged when %s, and token usage stays logged for every request', (_, props) => {
    const { azuremonitor: llm } = diagnostics(build(props).stack);
    expect((llm!.body as { properties: Attributes }).properties).toMatchObject({
      sampling: { samplingType: 'fixed', percentage: 100 },
      largeLanguageModel: { logs: 'enabled' },
    });
    expect(
      (llm!.body as { properties: { largeLanguageModel: object } }).properties.largeLanguageModel,
    ).toEqual({
      logs: 'enabled',
    });
  });

  test('the body builders answer the same as the construct writes', () => {
    expect(llmDiagnosticBody('/l', false, 10)).toEqual({
      properties: {
        loggerId: '/l',
        alwaysLog: 'allErrors',
        sampling: { samplingType: 'fixed', percentage: 100 },
        logClientIp: false,
        verbosity: 'information',
        largeLanguageModel: { logs: 'enabled' },
      },
    });
    const body = appInsightsDiagnosticBody('/l', []) as { properties: { backend: unknown } };
    expect(body.properties.backend).toEqual({
      request: { headers: [] },
      response: { headers: ['x-ms-region', 'x-ms-deployment-name'] },
    });
  });

  describe('validation', () => {
    test.each([-1, 101])('fails when the body sample rate is %s', (rate) => {
      expect(problemsOf(() => build({ bodySampleRatePercent: rate }))).toEqual([
        { path: 'props.bodySampleRatePercent', message: `${rate} is out of range: 0-100 percent` },
      ]);
    });

    test.each([3, 731])('fails when the LLM log retention is %s days', (retentionDays) => {
      expect(
        problemsOf(() => build({ llmLogRetention: { workspace: { id: WORKSPACE_ID }, retentionDays } })),
      ).toEqual([
        {
          path: 'props.llmLogRetention.retentionDays',
          message: `${retentionDays} is out of range: 4-730 days (Log Analytics table retention)`,
        },
      ]);
    });
  });
});

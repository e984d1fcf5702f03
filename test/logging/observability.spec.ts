import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import type { TerraformStack } from 'cdktf';
import { ValidationError } from '../../constructs/core/errors';
import { resolveTokens } from '../../constructs/core/resolve';
import { Observability, type ObservabilityProps } from '../../constructs/logging/observability';
import { onlyResource, resourcesOf, synthStack, TEST_RESOURCE_GROUP, testStack } from '../helpers/synth';

const REQUIRED: ObservabilityProps = {
  resourceGroup: TEST_RESOURCE_GROUP,
  workspaceName: 'log-test-sdc',
  appInsightsName: 'appi-test-sdc',
};

function build(props: Partial<ObservabilityProps> = {}): {
  stack: TerraformStack;
  observability: Observability;
} {
  const stack = testStack();
  const observability = new Observability(stack, 'Observability', { ...REQUIRED, ...props });
  return { stack, observability };
}

function problemsOf(props: Partial<ObservabilityProps>): string[] {
  try {
    build(props);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain('Invalid Observability "test/Observability"');
    return (error as ValidationError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected the props to be rejected');
}

describe('Observability', () => {
  test('defaults: Entra ID only, 30 days, no cap, full sampling, protected', () => {
    // GIVEN only the required props
    const { stack } = build();
    // WHEN synthesized
    const json = synthStack(stack);
    const workspace = onlyResource(json, 'azurerm_log_analytics_workspace');
    const insights = onlyResource(json, 'azurerm_application_insights');
    // THEN the workspace accepts only Entra ID authenticated ingestion and queries
    expect(workspace.local_authentication_enabled).toBe(false);
    expect(workspace.allow_resource_only_permissions).toBe(true);
    expect(workspace.sku).toBe('PerGB2018');
    expect(workspace.retention_in_days).toBe(30);
    expect(workspace).not.toHaveProperty('daily_quota_gb');
    expect(workspace.lifecycle).toEqual({ prevent_destroy: true });
    expect(workspace.name).toBe('log-test-sdc');
    expect(workspace.resource_group_name).toBe('rg-test');
    expect(workspace.location).toBe('swedencentral');
    // AND Application Insights is workspace-based, keys off, every trace kept
    expect(insights.workspace_id).toBe(
      `\${azurerm_log_analytics_workspace.Observability_Workspace_168A9E8F.id}`,
    );
    expect(insights.local_authentication_disabled).toBe(true);
    expect(insights.application_type).toBe('web');
    expect(insights.retention_in_days).toBe(30);
    expect(insights.sampling_percentage).toBe(100);
    expect(insights.disable_ip_masking).toBe(false);
    expect(insights.lifecycle).toEqual({ prevent_destroy: true });
    // AND no diagnostic setting of its own: the stack's DiagnosticsAspect adds it
    expect(resourcesOf(json, 'azurerm_monitor_diagnostic_setting')).toEqual({});
  });

  test('all props', () => {
    // GIVEN every optional prop
    const workspace = { id: '/subscriptions/s/workspaces/central' };
    const { stack } = build({
      retentionDays: 400,
      dailyQuotaGb: 5,
      samplingPercentage: 25,
      preventDestroy: false,
      diagnosticSettings: { workspace, logCategoryGroups: ['audit'] },
    });
    const json = synthStack(stack);
    // THEN each is applied
    const law = onlyResource(json, 'azurerm_log_analytics_workspace');
    const insights = onlyResource(json, 'azurerm_application_insights');
    expect(law.retention_in_days).toBe(400);
    expect(law.daily_quota_gb).toBe(5);
    expect(insights.retention_in_days).toBe(365);
    expect(insights.sampling_percentage).toBe(25);
    expect(law).not.toHaveProperty('lifecycle');
    expect(insights).not.toHaveProperty('lifecycle');
    expect(onlyResource(json, 'azurerm_monitor_diagnostic_setting')).toMatchObject({
      target_resource_id: `\${azurerm_log_analytics_workspace.Observability_Workspace_168A9E8F.id}`,
      log_analytics_workspace_id: workspace.id,
      enabled_log: [{ category_group: 'audit' }],
    });
  });

  test.each([
    [30, 30],
    [45, 30],
    [90, 90],
    [100, 90],
    [400, 365],
    [730, 730],
  ])(
    'a workspace retention of %i days gives Application Insights %i (the largest value it accepts not above it)',
    (days, expected) => {
      const json = synthStack(build({ retentionDays: days }).stack);
      expect(onlyResource(json, 'azurerm_application_insights').retention_in_days).toBe(expected);
    },
  );

  test('fails when the workspace name breaks the Log Analytics rule', () => {
    expect(problemsOf({ workspaceName: 'log' })).toEqual([
      'props.workspaceName: Log Analytics workspace name "log" breaks the rule: 4-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit',
    ]);
  });

  test('fails when the Application Insights name breaks its rule', () => {
    expect(problemsOf({ appInsightsName: 'appi--x' })).toEqual([
      'props.appInsightsName: Application Insights name "appi--x" breaks the rule: 1-255 lowercase letters, digits and single hyphens, starting and ending with a letter or digit',
    ]);
  });

  test.each([29, 731, 90.5])('fails when retentionDays is %s', (retentionDays) => {
    expect(problemsOf({ retentionDays })).toEqual([
      `props.retentionDays: ${retentionDays} is out of range: allowed 30-730 days`,
    ]);
  });

  test.each([0, 101])('fails when samplingPercentage is %s', (samplingPercentage) => {
    expect(problemsOf({ samplingPercentage })).toEqual([
      `props.samplingPercentage: ${samplingPercentage} is out of range: allowed (0, 100]`,
    ]);
  });

  test('fails when dailyQuotaGb is not positive', () => {
    expect(problemsOf({ dailyQuotaGb: 0 })).toEqual(['props.dailyQuotaGb: 0 must be positive']);
  });

  test('reports every invalid prop at once', () => {
    expect(
      problemsOf({ workspaceName: 'x', retentionDays: 1, samplingPercentage: 0, dailyQuotaGb: -1 }).map(
        (p) => p.split(':')[0],
      ),
    ).toEqual([
      'props.workspaceName',
      'props.retentionDays',
      'props.samplingPercentage',
      'props.dailyQuotaGb',
    ]);
  });

  test('grantTelemetryPublisher: Monitoring Metrics Publisher on Application Insights, to a service principal', () => {
    // GIVEN the evaluation job's managed identity
    const { stack, observability } = build();
    const identity = new UserAssignedIdentity(stack, 'Evaluator', {
      name: 'id-eval',
      location: 'x',
      resourceGroupName: 'rg',
    });
    // WHEN it is granted telemetry publishing
    const assignment = observability.grantTelemetryPublisher(identity);
    // THEN the role, scope and principal are right
    expect(assignment.node.path).toBe('test/Observability/GrantMonitoringMetricsPublisherEvaluator');
    expect(onlyResource(synthStack(stack), 'azurerm_role_assignment')).toMatchObject({
      role_definition_name: 'Monitoring Metrics Publisher',
      scope: `\${azurerm_application_insights.Observability_AppInsights_E0E5903B.id}`,
      principal_id: `\${azurerm_user_assigned_identity.Evaluator.principal_id}`,
      principal_type: 'ServicePrincipal',
    });
  });

  test('grantLogReader: Log Analytics Reader on the workspace', () => {
    const { stack, observability } = build();
    observability.grantLogReader({
      principalId: '11111111-1111-1111-1111-111111111111',
      principalType: 'Group',
    });
    expect(onlyResource(synthStack(stack), 'azurerm_role_assignment')).toMatchObject({
      role_definition_name: 'Log Analytics Reader',
      scope: `\${azurerm_log_analytics_workspace.Observability_Workspace_168A9E8F.id}`,
      principal_id: '11111111-1111-1111-1111-111111111111',
      principal_type: 'Group',
    });
  });

  test('exposes the connection string of Application Insights', () => {
    const { stack, observability } = build();
    expect(resolveTokens(stack, observability.connectionString)).toBe(
      `\${azurerm_application_insights.Observability_AppInsights_E0E5903B.connection_string}`,
    );
  });

  test('custom metric dimensions are on: the component is read after azurerm wrote it and PUT back with the property', () => {
    // GIVEN the defaults
    const json = synthStack(build().stack);
    const AI = 'azurerm_application_insights.Observability_AppInsights_E0E5903B';
    const READ = 'data.azapi_resource.Observability_AppInsightsComponent_E9A8B23A';
    // THEN the component's stable parts are read once azurerm has written it (no etag: nothing changes on
    // the next plan)
    expect((json.data as Record<string, Record<string, unknown>>).azapi_resource).toEqual({
      Observability_AppInsightsComponent_E9A8B23A: {
        type: 'Microsoft.Insights/components@2020-02-02',
        resource_id: `\${${AI}.id}`,
        response_export_values: ['location', 'kind', 'tags', 'properties'],
        depends_on: [AI],
      },
    });
    // AND written back whole with CustomMetricsOptedInType WithDimensions: an azapi_update_resource would
    // drop the property, which azapi 2.12.0's embedded 2020-02-02 schema lacks
    expect(onlyResource(json, 'azapi_resource_action')).toEqual({
      type: 'Microsoft.Insights/components@2020-02-02',
      resource_id: `\${${AI}.id}`,
      method: 'PUT',
      body: `\${merge(${READ}.output, { properties = merge(${READ}.output.properties, { CustomMetricsOptedInType = "WithDimensions" }) })}`,
      // AND again whenever azurerm updates the component (its PUT omits the property)
      lifecycle: { replace_triggered_by: [`\${${AI}}`] },
    });
    expect(resourcesOf(json, 'azapi_update_resource')).toEqual({});
  });

  test('custom metric dimensions can be turned off explicitly', () => {
    const { stack, observability } = build({ customMetricDimensionsEnabled: false });
    const json = synthStack(stack);
    expect(resourcesOf(json, 'azapi_resource_action')).toEqual({});
    expect(json.data).toBeUndefined();
    expect(observability.customMetricDimensions).toBeUndefined();
  });

  test('snapshot of its resources', () => {
    const resources = synthStack(build().stack).resource!;
    expect(Object.keys(resources)).toEqual([
      'azapi_resource_action',
      'azurerm_application_insights',
      'azurerm_log_analytics_workspace',
    ]);
    expect(resources).toMatchSnapshot();
  });
});

import { ApplicationInsights } from '@cdktf/provider-azurerm/lib/application-insights';
import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Construct } from 'constructs';
import { AzapiResourceAction, AzapiResourceData } from '../core/azapi';
import { addDiagnosticSettings } from '../core/diagnostics';
import { Problems } from '../core/errors';
import { checkName } from '../core/naming';
import type { DiagnosticSettingsProps, IResourceGroup, ProtectionProps } from '../core/props';
import { applyProtection } from '../core/props';
import { BuiltInRoles, grantRoleOn, type IPrincipal } from '../core/roles';

/** Properties of {@link Observability}. */
export interface ObservabilityProps extends ProtectionProps {
  readonly resourceGroup: IResourceGroup;
  /** Log Analytics workspace name (4-63 letters, digits, hyphens). */
  readonly workspaceName: string;
  /** Application Insights name. */
  readonly appInsightsName: string;
  /**
   * Days logs are kept in the workspace (and by Application Insights).
   * @default 30 - the development profile's `logging.retentionDays` (the README's profile defaults)
   */
  readonly retentionDays?: number;
  /**
   * Daily ingestion cap in GB; ingestion stops for the day past it.
   * @default - no cap (nothing is dropped)
   */
  readonly dailyQuotaGb?: number;
  /**
   * Percentage of Application Insights telemetry kept.
   * @default 100 - continuous evaluation reads every trace
   */
  readonly samplingPercentage?: number;
  /**
   * Where the workspace's own audit logs go.
   * @default - the stack's DiagnosticsAspect sends them to this workspace
   */
  readonly diagnosticSettings?: DiagnosticSettingsProps;
  /**
   * Keep the dimensions of custom metrics (the portal's "Enable alerting on custom metric dimensions").
   * Without it Application Insights drops the dimensions of the gateway's token metrics, so alerts and
   * charts cannot split them by deployment, experiment or variant.
   * @default true
   */
  readonly customMetricDimensionsEnabled?: boolean;
}

/**
 * azapi type used to set {@link CUSTOM_METRICS_OPT_IN}: the ARM property `CustomMetricsOptedInType` of
 * `Microsoft.Insights/components` (`NoDimensions` or `WithDimensions`). azurerm 4.55's
 * `azurerm_application_insights` has no argument for it, and the published component schemas omit it
 * (Azure/bicep-types-az#2048). So it cannot be set with `azapi_update_resource`: that resource keeps only
 * the properties the embedded schema knows before it writes (azapi 2.12.0,
 * `internal/services/azapi_update_resource.go`, `GetWriteOnly`), and would drop it. Instead the component
 * is read (`data azapi_resource`) and written back whole with the property (`azapi_resource_action`,
 * PUT), which is what the portal's switch does.
 *
 * @see https://learn.microsoft.com/azure/api-management/azure-openai-emit-token-metric-policy#prerequisites
 * @see https://learn.microsoft.com/azure/azure-monitor/app/metrics-overview#custom-metrics-dimensions-and-pre-aggregation
 */
export const APP_INSIGHTS_COMPONENT_TYPE = 'Microsoft.Insights/components@2020-02-02';

/** The component property (and value) that keeps custom metric dimensions. */
export const CUSTOM_METRICS_OPT_IN = { CustomMetricsOptedInType: 'WithDimensions' } as const;

/**
 * The logging core of an environment: a Log Analytics workspace and a workspace-based Application
 * Insights resource, both accepting only Microsoft Entra ID authenticated ingestion and queries.
 *
 * Every other construct's diagnostic settings point at {@link workspace}; traces, token metrics and
 * evaluation scores land in {@link appInsights}.
 */
export class Observability extends Construct {
  /** The Log Analytics workspace. */
  public readonly workspace: LogAnalyticsWorkspace;
  /** The workspace-based Application Insights resource. */
  public readonly appInsights: ApplicationInsights;
  /** Turns on custom metric dimensions; undefined when `customMetricDimensionsEnabled` is false. */
  public readonly customMetricDimensions?: AzapiResourceAction;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const retentionDays = props.retentionDays ?? 30;
    const samplingPercentage = props.samplingPercentage ?? 100;
    const problems = new Problems('props');
    for (const [path, p] of [
      ['workspaceName', checkName('logAnalyticsWorkspace', props.workspaceName)],
      ['appInsightsName', checkName('applicationInsights', props.appInsightsName)],
    ] as const) {
      if (p) problems.add(path, p.message);
    }
    problems.check(
      Number.isInteger(retentionDays) && retentionDays >= 30 && retentionDays <= 730,
      'retentionDays',
      `${retentionDays} is out of range: allowed 30-730 days`,
    );
    problems.check(
      samplingPercentage > 0 && samplingPercentage <= 100,
      'samplingPercentage',
      `${samplingPercentage} is out of range: allowed (0, 100]`,
    );
    if (props.dailyQuotaGb !== undefined) {
      problems.check(props.dailyQuotaGb > 0, 'dailyQuotaGb', `${props.dailyQuotaGb} must be positive`);
    }
    problems.throwIfAny(`Invalid Observability "${this.node.path}"`);

    this.workspace = new LogAnalyticsWorkspace(this, 'Workspace', {
      name: props.workspaceName,
      resourceGroupName: props.resourceGroup.name,
      location: props.resourceGroup.location,
      sku: 'PerGB2018',
      retentionInDays: retentionDays,
      dailyQuotaGb: props.dailyQuotaGb,
      localAuthenticationEnabled: false,
      allowResourceOnlyPermissions: true,
    });
    applyProtection(this.workspace, props);
    if (props.diagnosticSettings) addDiagnosticSettings(this.workspace, props.diagnosticSettings);

    this.appInsights = new ApplicationInsights(this, 'AppInsights', {
      name: props.appInsightsName,
      resourceGroupName: props.resourceGroup.name,
      location: props.resourceGroup.location,
      applicationType: 'web',
      workspaceId: this.workspace.id,
      retentionInDays: appInsightsRetention(retentionDays),
      samplingPercentage,
      localAuthenticationDisabled: true,
      disableIpMasking: false,
    });
    applyProtection(this.appInsights, props);
    if (props.customMetricDimensionsEnabled ?? true) {
      // Read the component after azurerm wrote it, then PUT it back with the property added. Only the
      // stable parts are read (no etag), so later plans see the same body and change nothing.
      const component = new AzapiResourceData(this, 'AppInsightsComponent', {
        type: APP_INSIGHTS_COMPONENT_TYPE,
        resourceId: this.appInsights.id,
        responseExportValues: ['location', 'kind', 'tags', 'properties'],
        dependsOn: [this.appInsights],
      });
      const read = component.outputExpression;
      const [[key, value]] = Object.entries(CUSTOM_METRICS_OPT_IN) as [[string, string]];
      this.customMetricDimensions = new AzapiResourceAction(this, 'CustomMetricDimensions', {
        type: APP_INSIGHTS_COMPONENT_TYPE,
        resourceId: this.appInsights.id,
        method: 'PUT',
        body: `\${merge(${read}, { properties = merge(${read}.properties, { ${key} = "${value}" }) })}`,
        // Any later azurerm update of the component PUTs its own body without the property: run again.
        lifecycle: { replaceTriggeredBy: [this.appInsights] },
      });
    }
  }

  /** The Application Insights connection string (not a secret: ingestion needs an Entra ID token). */
  get connectionString(): string {
    return this.appInsights.connectionString;
  }

  /**
   * Lets `principal` send telemetry (custom events and metrics, such as evaluation scores) to
   * Application Insights with an Entra ID token: role Monitoring Metrics Publisher.
   */
  grantTelemetryPublisher(principal: IPrincipal): RoleAssignment {
    const role = BuiltInRoles.monitoringMetricsPublisher;
    return grantRoleOn(this, role, principal, this.appInsights.id);
  }

  /** Lets `principal` query the workspace: role Log Analytics Reader. */
  grantLogReader(principal: IPrincipal): RoleAssignment {
    const role = BuiltInRoles.logAnalyticsReader;
    return grantRoleOn(this, role, principal, this.workspace.id);
  }
}

/** Application Insights accepts only these retention values; pick the largest not above the workspace's. */
function appInsightsRetention(days: number): number {
  const allowed = [30, 60, 90, 120, 180, 270, 365, 550, 730];
  return allowed.filter((d) => d <= days).pop() ?? 30;
}

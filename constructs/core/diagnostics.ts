import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { type IAspect, TerraformResource, TerraformStack } from 'cdktf';
import type { Construct, IConstruct } from 'constructs';
import type { DiagnosticSettingsProps, ILogAnalyticsWorkspace } from './props';
import { resolveTokens } from './resolve';

/** What a resource type can send to a diagnostic setting. */
export interface DiagnosticProfile {
  /** The type has resource logs (sent as the `allLogs` category group). */
  readonly logs: boolean;
  /** The type has platform metrics (sent as `AllMetrics`). */
  readonly metrics: boolean;
  /**
   * Write to resource-specific tables (`log_analytics_destination_type = "Dedicated"`). Only for types
   * whose logs have such tables, e.g. API Management's `ApiManagementGatewayLlmLog`.
   */
  readonly dedicatedTables?: boolean;
  /** Sub-resources with settings of their own, e.g. a storage account's blob service. */
  readonly subResources?: readonly {
    readonly suffix: string;
    readonly logs: boolean;
    readonly metrics: boolean;
  }[];
}

/**
 * Resource types that support diagnostic settings, and what each sends.
 *
 * Storage accounts have only metrics at account level; their blob logs (`StorageRead/Write/Delete`) are on
 * `<account id>/blobServices/default`. Workspace-based Application Insights writes to its workspace
 * already and needs no setting.
 *
 * @see https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs/logs-index
 */
export const DIAGNOSTIC_PROFILES: Readonly<Record<string, DiagnosticProfile>> = {
  azurerm_cognitive_account: { logs: true, metrics: true },
  azurerm_search_service: { logs: true, metrics: true },
  azurerm_api_management: { logs: true, metrics: true, dedicatedTables: true },
  azurerm_key_vault: { logs: true, metrics: true },
  azurerm_log_analytics_workspace: { logs: true, metrics: true },
  azurerm_ai_foundry: { logs: true, metrics: true },
  azurerm_ai_foundry_project: { logs: true, metrics: true },
  azurerm_storage_account: {
    logs: false,
    metrics: true,
    subResources: [{ suffix: '/blobServices/default', logs: true, metrics: true }],
  },
  azurerm_virtual_network: { logs: true, metrics: true },
  azurerm_network_security_group: { logs: true, metrics: false },
  azurerm_private_endpoint: { logs: false, metrics: true },
  // NAT gateways export metrics only; public IPs have DDoS protection logs and metrics.
  azurerm_nat_gateway: { logs: false, metrics: true },
  azurerm_public_ip: { logs: true, metrics: true },
};

/**
 * Types the constructs deploy that get no diagnostic setting, each with the reason. Keys are Terraform
 * types, or, for azapi resources, the ARM type without the API version.
 *
 * Together with {@link DIAGNOSTIC_PROFILES} this classifies every type the stacks deploy (a stack test
 * fails on a type in neither), so a new resource type cannot silently go without diagnostics.
 */
export const WITHOUT_DIAGNOSTIC_SETTINGS: Readonly<Record<string, string>> = {
  azurerm_resource_group: 'no diagnostic settings; its operations are in the activity log',
  azurerm_application_insights:
    'workspace-based: its telemetry is stored in the environment workspace already',
  azurerm_application_insights_workbook: 'no diagnostic settings',
  azurerm_api_management_api: 'configuration inside API Management, whose setting covers its traffic',
  azurerm_api_management_api_operation: 'configuration inside API Management',
  azurerm_api_management_api_operation_policy: 'configuration inside API Management',
  azurerm_api_management_api_policy: 'configuration inside API Management',
  azurerm_api_management_backend: 'configuration inside API Management',
  azurerm_api_management_named_value: 'configuration inside API Management',
  azurerm_api_management_product: 'configuration inside API Management',
  azurerm_api_management_product_api: 'configuration inside API Management',
  azurerm_api_management_product_policy: 'configuration inside API Management',
  azurerm_cognitive_deployment: "part of the AI Services account, whose setting logs the deployment's calls",
  azurerm_cognitive_account_rai_blocklist: 'part of the AI Services account',
  azurerm_consumption_budget_resource_group: 'no diagnostic settings',
  azurerm_federated_identity_credential: 'no diagnostic settings; sign-ins are in Microsoft Entra logs',
  azurerm_key_vault_key: 'part of the Key Vault, whose setting logs every key operation (AuditEvent)',
  azurerm_log_analytics_workspace_table: 'part of the Log Analytics workspace',
  azurerm_management_lock: 'no diagnostic settings; lock changes are in the activity log',
  azurerm_nat_gateway_public_ip_association: 'an association, not a resource',
  azurerm_role_definition: 'no diagnostic settings; role definition changes are in the activity log',
  azurerm_machine_learning_compute_cluster:
    'its events are log categories of the AI Foundry hub (AmlComputeClusterEvent), sent by its setting',
  azurerm_monitor_action_group: 'no diagnostic settings; notifications are recorded with the alerts',
  azurerm_monitor_diagnostic_setting: 'is itself the setting',
  azurerm_monitor_metric_alert: 'alert rule: fired alerts are recorded in Azure Monitor alerts',
  azurerm_monitor_scheduled_query_rules_alert_v2:
    'alert rule: fired alerts are recorded in Azure Monitor alerts',
  azurerm_private_dns_zone:
    'no resource logs, and its metrics cannot be exported through diagnostic settings',
  azurerm_private_dns_zone_virtual_network_link: 'no diagnostic settings',
  azurerm_role_assignment: 'no diagnostic settings; changes are in the activity log',
  azurerm_search_shared_private_link_service: 'part of the AI Search service',
  azurerm_storage_container: "covered by the storage account's blob service setting",
  azurerm_subnet: 'no diagnostic settings (its NSG and the VNet have them)',
  azurerm_subnet_network_security_group_association: 'an association, not a resource',
  azurerm_subnet_nat_gateway_association: 'an association, not a resource',
  azurerm_user_assigned_identity: 'no diagnostic settings; sign-ins are in Microsoft Entra logs',
  time_sleep: 'not an Azure resource: a wait inside the Terraform run',
  'Microsoft.ApiManagement/service/apis/diagnostics': 'configuration inside API Management',
  'Microsoft.ApiManagement/service/backends': 'configuration inside API Management',
  'Microsoft.ApiManagement/service/loggers': 'configuration inside API Management',
  'Microsoft.CognitiveServices/accounts/deployments': 'part of the AI Services account',
  'Microsoft.CognitiveServices/accounts/privateEndpointConnections':
    'a connection of the AI Services account, whose setting covers its traffic',
  'Microsoft.MachineLearningServices/workspaces/outboundRules': 'part of the AI Foundry hub',
  'Microsoft.CognitiveServices/accounts/raiBlocklists/raiBlocklistItems': 'part of the AI Services account',
  'Microsoft.CognitiveServices/accounts/raiPolicies': 'part of the AI Services account',
  'Microsoft.MachineLearningServices/workspaces/connections': 'part of the AI Foundry hub',
  'Microsoft.Search/searchServices/indexes':
    "data-plane object: the AI Search service's setting logs its queries",
};

/** The name every diagnostic setting of this project carries (unique per target resource). */
export const DIAGNOSTIC_SETTING_NAME = 'llmops-platform';

/** `${<type>.<logical id>.id}`: how a reference to a resource's id reads once resolved. */
export function idReference(resource: TerraformResource): string {
  return `\${${resource.terraformResourceType}.${resource.friendlyUniqueId}.id}`;
}

/**
 * Creates the diagnostic settings of `target` (and of its sub-resources) per {@link DIAGNOSTIC_PROFILES},
 * as children of `target`, and returns them. Types without a profile get none.
 */
export function addDiagnosticSettings(
  target: TerraformResource,
  props: DiagnosticSettingsProps,
): MonitorDiagnosticSetting[] {
  return addDiagnosticSettingsById(
    target,
    'Diagnostics',
    target.terraformResourceType,
    target.getStringAttribute('id'),
    props,
  );
}

/**
 * Creates the diagnostic settings of a resource known only by its id (one managed by another stack), per
 * the {@link DIAGNOSTIC_PROFILES} entry of `resourceType`, as children of `scope` with ids `id` and
 * `<id><SubResource>` (`DiagnosticsBlobServices`). Types without a profile get none.
 *
 * @param resourceType the Terraform type the resource would have, e.g. `azurerm_storage_account`
 * @param targetResourceId the ARM id of the resource
 */
export function addDiagnosticSettingsById(
  scope: Construct,
  id: string,
  resourceType: string,
  targetResourceId: string,
  props: DiagnosticSettingsProps,
): MonitorDiagnosticSetting[] {
  const profile = DIAGNOSTIC_PROFILES[resourceType];
  if (!profile) return [];
  const settings = [createSetting(scope, id, targetResourceId, profile, props)];
  for (const sub of profile.subResources ?? []) {
    const subId = `${id}${sub.suffix
      .split('/')
      .filter(Boolean)[0]!
      .replace(/^./, (c) => c.toUpperCase())}`;
    settings.push(createSetting(scope, subId, `${targetResourceId}${sub.suffix}`, sub, props));
  }
  return settings;
}

function createSetting(
  scope: Construct,
  id: string,
  targetResourceId: string,
  what: { logs: boolean; metrics: boolean; dedicatedTables?: boolean },
  props: DiagnosticSettingsProps,
): MonitorDiagnosticSetting {
  const groups = props.logCategoryGroups ?? ['allLogs'];
  const metrics = props.metricsEnabled ?? true;
  return new MonitorDiagnosticSetting(scope, id, {
    name: DIAGNOSTIC_SETTING_NAME,
    targetResourceId,
    logAnalyticsWorkspaceId: props.workspace.id,
    logAnalyticsDestinationType: what.dedicatedTables ? 'Dedicated' : undefined,
    enabledLog: what.logs ? groups.map((categoryGroup) => ({ categoryGroup })) : undefined,
    enabledMetric: what.metrics && metrics ? [{ category: 'AllMetrics' }] : undefined,
  });
}

/**
 * The resolved target ids of every diagnostic setting in the stack (`${azurerm_key_vault.x.id}`,
 * `${azurerm_storage_account.y.id}/blobServices/default`).
 */
export function diagnosticTargets(stack: TerraformStack): Set<string> {
  const targets = new Set<string>();
  for (const node of stack.node.findAll()) {
    if (node instanceof MonitorDiagnosticSetting) {
      const target = resolveTokens(stack, node.targetResourceIdInput);
      if (typeof target === 'string') targets.add(target);
    }
  }
  return targets;
}

/**
 * Fills in diagnostic settings, so no construct can forget them: every resource in scope whose type
 * supports diagnostic settings ({@link DIAGNOSTIC_PROFILES}) and has none gets one sending all logs and
 * all metrics to `workspace`. Resources that already have a setting (their construct was given
 * `diagnosticSettings`, or one was declared by hand) are left alone.
 *
 * Apply it to a stack: `Aspects.of(stack).add(new DiagnosticsAspect({ workspace }))`. Teams composing
 * these constructs in their own stacks apply the same aspect.
 */
export class DiagnosticsAspect implements IAspect {
  private readonly known = new WeakMap<TerraformStack, Set<string>>();

  constructor(private readonly props: DiagnosticSettingsProps) {}

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource)) return;
    if (!DIAGNOSTIC_PROFILES[node.terraformResourceType]) return;
    const stack = TerraformStack.of(node);
    let targets = this.known.get(stack);
    if (!targets) {
      targets = diagnosticTargets(stack);
      this.known.set(stack, targets);
    }
    const ref = idReference(node);
    if (targets.has(ref)) return;
    addDiagnosticSettings(node, this.props);
    targets.add(ref);
  }
}

export type { DiagnosticSettingsProps, ILogAnalyticsWorkspace };

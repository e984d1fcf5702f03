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
  const profile = DIAGNOSTIC_PROFILES[target.terraformResourceType];
  if (!profile) return [];
  const targetId = target.getStringAttribute('id');
  const settings = [createSetting(target, 'Diagnostics', targetId, profile, props)];
  for (const sub of profile.subResources ?? []) {
    const id = `Diagnostics${sub.suffix
      .split('/')
      .filter(Boolean)[0]!
      .replace(/^./, (c) => c.toUpperCase())}`;
    settings.push(createSetting(target, id, `${targetId}${sub.suffix}`, sub, props));
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

import type { TerraformResource } from 'cdktf';

/**
 * A resource group the constructs deploy into: an `azurerm_resource_group` created in the same stack, or
 * the `azurerm_resource_group` data source when another stack (the bootstrap) created it.
 */
export interface IResourceGroup {
  readonly name: string;
  readonly location: string;
  readonly id: string;
}

/** A Log Analytics workspace, as diagnostic settings and Application Insights need it. */
export interface ILogAnalyticsWorkspace {
  readonly id: string;
}

/**
 * Where a resource sends its logs and metrics. The one shared shape for diagnostic settings.
 *
 * When a construct is given none, the {@link DiagnosticsAspect} of the stack adds a setting with all
 * logs and all metrics to the stack's workspace, so no resource is left without one.
 */
export interface DiagnosticSettingsProps {
  /** Log Analytics workspace receiving logs and metrics. */
  readonly workspace: ILogAnalyticsWorkspace;
  /**
   * Log category groups to send.
   * @default ['allLogs']
   */
  readonly logCategoryGroups?: readonly string[];
  /**
   * Send platform metrics (`AllMetrics`).
   * @default true
   */
  readonly metricsEnabled?: boolean;
}

/**
 * Network exposure shared by every PaaS construct.
 *
 * In a `private` environment public network access is off and the resource is reached through a private
 * endpoint; in a `public` environment it is reachable from the internet, still with Entra ID auth only.
 */
export interface NetworkAccessProps {
  /**
   * Allow access over the public internet.
   * @default false - reachable only through private endpoints
   */
  readonly publicNetworkAccessEnabled?: boolean;
}

/** Protection shared by every stateful construct (Key Vault, storage, AI Search, Log Analytics, model accounts). */
export interface ProtectionProps {
  /**
   * Emit Terraform `lifecycle.prevent_destroy` so no plan can delete the resource or its data.
   * Opt out only for throwaway environments.
   * @default true
   */
  readonly preventDestroy?: boolean;
}

/** Applies `lifecycle.prevent_destroy` to a stateful resource unless the caller opted out. */
export function applyProtection(resource: TerraformResource, props: ProtectionProps): void {
  if (props.preventDestroy ?? true) {
    resource.lifecycle = { ...(resource.lifecycle ?? {}), preventDestroy: true };
  }
}

/** Tags applied to a resource. */
export type Tags = Readonly<Record<string, string>>;

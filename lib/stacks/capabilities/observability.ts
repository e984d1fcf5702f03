import type { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import type { Construct } from 'constructs';
import { Observability } from '../../../constructs/logging/observability';
import { addStateStorageDiagnostics } from '../common';
import type { EnvironmentInputs } from './inputs';

/** What {@link addObservability} reads besides the environment. */
export interface ObservabilityInputs extends EnvironmentInputs {
  /** The deployment's client config: its subscription holds the Terraform state account. */
  readonly clientConfig: DataAzurermClientConfig;
}

/**
 * The environment's Log Analytics workspace and Application Insights (construct id `Observability`),
 * retention and daily quota from `logging`, and the diagnostic settings of the Terraform state account:
 * bootstrap created that account before this workspace existed, so they live here.
 *
 * Add it before every capability that logs or alerts: they take the returned `Observability`.
 */
export function addObservability(scope: Construct, inputs: ObservabilityInputs): Observability {
  const { config: env, naming, resourceGroup } = inputs;
  const observability = new Observability(scope, 'Observability', {
    resourceGroup,
    workspaceName: naming.name('logAnalyticsWorkspace'),
    appInsightsName: naming.name('applicationInsights'),
    retentionDays: env.logging.retentionDays,
    dailyQuotaGb: env.logging.dailyQuotaGb,
    preventDestroy: env.protection.preventDestroy,
  });
  addStateStorageDiagnostics(scope, env.state, inputs.clientConfig.subscriptionId, observability.workspace);
  return observability;
}

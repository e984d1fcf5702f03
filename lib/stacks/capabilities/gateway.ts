import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import type { IModelEndpoint } from '../../../constructs/core/contracts';
import { type GatewayNetworkProps, GenAiGateway } from '../../../constructs/gateway';
import type { Observability } from '../../../constructs/logging/observability';
import type { PrivateNetwork } from '../../../constructs/network/private-network';
import { suppressPolicy } from '../../../constructs/policy';
import type { EnvironmentInputs } from './inputs';

/** What {@link addGateway} reads besides the environment. */
export interface GatewayInputs extends EnvironmentInputs {
  /** The model endpoints behind the gateway: the primary first, then the failover regions. */
  readonly models: readonly IModelEndpoint[];
  /** Application Insights for the gateway's telemetry, the workspace for its LLM logs. */
  readonly observability: Observability;
  /**
   * The private network: the API Management subnet (injection or integration) and, for Standard v2, the
   * private endpoint's subnet and zone.
   * @default - none: a public environment
   */
  readonly network?: PrivateNetwork;
}

/**
 * The GenAI gateway of an environment from `env.gateway` (construct id `Gateway`), in front of the
 * environment's model endpoints (`models`: primary first, then the failover regions). Returns
 * undefined when `gateway.enabled` is false.
 *
 * Network, per tier, in a private environment (the network construct plans the subnet for the same
 * mode, see `apimNetworkModeForSku`):
 * - Developer, Premium: injected in internal mode into the API Management subnet; no private endpoint.
 * - Standard v2: outbound integration through the subnet (reaches the private model endpoints), inbound
 *   through a private endpoint (`privatelink.azure-api.net`); public access off.
 * - Premium v2: injected in internal mode; no private endpoint.
 *
 * A private Standard v2 gateway is created with public access on (Azure refuses it off at creation) and
 * closed in the same deploy once its private endpoint exists (`ApiManagementService.publicAccessClosure`).
 * A private environment that keeps the gateway public on purpose
 * (`gateway.azure.publicNetworkAccessEnabled: true`) gets the `public-network-access` rule suppressed on
 * the gateway, with that reason.
 *
 * Add it after the models and the observability core.
 */
export function addGateway(scope: Construct, inputs: GatewayInputs): GenAiGateway | undefined {
  const { config: env, naming, resourceGroup, models, observability } = inputs;
  const g = env.gateway;
  if (!g.enabled) return undefined;
  const [primary, ...secondaries] = models;
  if (!primary)
    throw new Error(
      'addGateway: inputs.models is empty; give at least one model endpoint to put behind the gateway',
    );

  const vnet = inputs.network?.virtualNetwork;
  const network: GatewayNetworkProps | undefined =
    vnet?.apimSubnet && vnet.apimMode
      ? { subnetId: vnet.apimSubnet.subnetId, mode: vnet.apimMode }
      : undefined;
  const privateEndpoint =
    network?.mode === 'v2-integration' ? inputs.network?.privateEndpointProps() : undefined;

  const gateway = new GenAiGateway(scope, 'Gateway', {
    resourceGroup,
    name: naming.name('apiManagement'),
    sku: g.sku,
    capacity: g.capacity,
    publisherEmail: g.publisherEmail,
    publisherName: g.publisherName,
    telemetry: observability,
    models: { primary, secondaries },
    experiments: g.experiments,
    products: {
      inference: {
        tokensPerMinute: g.tokenLimits.tokensPerMinute,
        tokenQuota: g.tokenLimits.monthlyQuota,
        tokenQuotaPeriod: 'Monthly',
      },
    },
    logging: {
      logBodiesEnabled: g.logging.logBodies,
      bodySampleRatePercent: g.logging.bodySampleRatePercent,
      llmLogRetention: {
        workspace: observability.workspace,
        retentionDays: g.logging.retentionDays ?? env.logging.retentionDays,
      },
    },
    semanticCache: g.semanticCache?.externalCacheAttached ? g.semanticCache : undefined,
    network,
    privateEndpoint,
    publicNetworkAccessEnabled: g.publicNetworkAccessEnabled,
    preventDestroy: env.protection.preventDestroy,
  });
  if (env.network.mode === 'private' && g.publicNetworkAccessEnabled === true) {
    suppressPolicy(
      gateway,
      'public-network-access',
      'gateway.azure.publicNetworkAccessEnabled is true in config: the environment keeps its gateway reachable from the internet on purpose (explicit opt-out; remove the line to close it)',
    );
  }
  new TerraformOutput(scope, 'gateway_endpoint', {
    value: gateway.endpoint,
    description: 'GenAI gateway (Azure OpenAI SDK endpoint; product subscription key in api-key)',
  });
  return gateway;
}

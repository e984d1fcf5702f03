/**
 * The address plan of a private network: the subnets an environment needs, how API Management attaches to
 * its subnet by tier, and each subnet's minimum size, as `checkAddressPlan` takes them. Free of cdktf, so
 * `VirtualNetwork` and the environment config check the same plan with the same messages.
 */
import { type AddressPlan, AZURE_MIN_SUBNET_PREFIX_LENGTH, type SubnetPlan } from './cidr';

/**
 * How API Management attaches to the network, by tier.
 *
 * - `classic-injection`: Developer and Premium, injected (internal mode in a private environment). No
 *   delegation; the NSG must let the management endpoint (3443 from `ApiManagement`) and Azure's load
 *   balancer (6390) in. Subnet at least /29.
 * - `v2-integration`: Standard v2 and Premium v2 outbound integration: the gateway reaches private
 *   backends through the subnet, inbound goes through a private endpoint. Delegated to
 *   `Microsoft.Web/serverFarms`, dedicated to one instance, at least /27.
 * - `v2-injection`: Premium v2 injected for private inbound and outbound. Delegated to
 *   `Microsoft.Web/hostingEnvironments`, dedicated, at least /27.
 *
 * @see https://learn.microsoft.com/azure/api-management/virtual-network-injection-resources
 * @see https://learn.microsoft.com/azure/api-management/integrate-vnet-outbound
 * @see https://learn.microsoft.com/azure/api-management/inject-vnet-v2
 */
export type ApimNetworkMode = 'classic-injection' | 'v2-integration' | 'v2-injection';

/** What each API Management network mode needs from its subnet. */
export const APIM_SUBNET_REQUIREMENTS: Readonly<
  Record<
    ApimNetworkMode,
    { readonly maxPrefixLength: number; readonly delegation?: string; readonly sizeReason: string }
  >
> = {
  'classic-injection': {
    maxPrefixLength: 29,
    sizeReason:
      'API Management (Developer/Premium) injection needs a /29 for one unit: Azure reserves 5 addresses, each unit takes 2, an internal load balancer 1',
  },
  'v2-integration': {
    maxPrefixLength: 27,
    delegation: 'Microsoft.Web/serverFarms',
    sizeReason: 'API Management v2 virtual network integration needs at least /27 (/24 recommended to scale)',
  },
  'v2-injection': {
    maxPrefixLength: 27,
    delegation: 'Microsoft.Web/hostingEnvironments',
    sizeReason: 'API Management Premium v2 injection needs at least /27 (/24 recommended to scale)',
  },
};

/**
 * The API Management network mode for a tier in a private environment, or undefined when the tier
 * cannot join a virtual network (Basic, Standard, Basic v2: reach them through a private endpoint, or
 * not at all).
 */
export function apimNetworkModeForSku(sku: string): ApimNetworkMode | undefined {
  switch (sku) {
    case 'Developer':
    case 'Premium':
      return 'classic-injection';
    case 'StandardV2':
      return 'v2-integration';
    case 'PremiumV2':
      return 'v2-injection';
    default:
      return undefined;
  }
}

/** Smallest private endpoint subnet: a /28 holds 11 endpoints (16 addresses minus 5 Azure keeps). */
export const PRIVATE_ENDPOINT_SUBNET_MAX_PREFIX_LENGTH = 28;

/** The address plan of a network, as {@link checkAddressPlan} takes it. */
export interface NetworkAddressPlanInput {
  readonly addressSpace?: string;
  readonly privateEndpoints: string;
  readonly apim?: { readonly addressPrefix: string; readonly mode: ApimNetworkMode };
  readonly agents?: string;
}

/**
 * The address plan of a private network with each subnet's minimum size, for {@link checkAddressPlan}.
 * `prefix` is prepended to the problem paths (`network.azure` gives `network.azure.subnets.apim`).
 */
export function networkAddressPlan(input: NetworkAddressPlanInput, prefix = ''): AddressPlan {
  const at = (path: string) => (prefix ? `${prefix}.${path}` : path);
  const subnets: SubnetPlan[] = [
    {
      path: at('subnets.privateEndpoints'),
      addressPrefix: input.privateEndpoints,
      maxPrefixLength: PRIVATE_ENDPOINT_SUBNET_MAX_PREFIX_LENGTH,
      sizeReason:
        'every private endpoint takes one address and an environment has about ten (a /28 leaves 11)',
    },
  ];
  if (input.apim) {
    const req = APIM_SUBNET_REQUIREMENTS[input.apim.mode];
    subnets.push({
      path: at('subnets.apim'),
      addressPrefix: input.apim.addressPrefix,
      maxPrefixLength: req.maxPrefixLength,
      sizeReason: req.sizeReason,
    });
  }
  if (input.agents !== undefined) {
    subnets.push({
      path: at('subnets.agents'),
      addressPrefix: input.agents,
      maxPrefixLength: AZURE_MIN_SUBNET_PREFIX_LENGTH,
      sizeReason: 'Azure reserves 5 addresses of every subnet',
    });
  }
  return {
    addressSpace:
      input.addressSpace === undefined ? undefined : { path: at('addressSpace'), value: input.addressSpace },
    subnets,
  };
}

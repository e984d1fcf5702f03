import { attr, PolicyRule, type SynthesizedResource } from '../engine';
import { apimPublicAccessClosure } from './apim-public-access-at-create';

/**
 * Per type: the argument and the value that means "no public access", and what else closes the
 * resource to the internet whatever the argument says.
 */
const PUBLIC_ACCESS: Readonly<
  Record<
    string,
    {
      key: string;
      closed: unknown;
      otherwiseClosed?: { key: string; value: unknown; label: string };
    }
  >
> = {
  azurerm_cognitive_account: { key: 'public_network_access_enabled', closed: false },
  azurerm_search_service: { key: 'public_network_access_enabled', closed: false },
  azurerm_storage_account: { key: 'public_network_access_enabled', closed: false },
  azurerm_key_vault: { key: 'public_network_access_enabled', closed: false },
  azurerm_ai_foundry: { key: 'public_network_access', closed: 'Disabled' },
  // A gateway injected into a VNet in internal mode has no public endpoint.
  azurerm_api_management: {
    key: 'public_network_access_enabled',
    closed: false,
    otherwiseClosed: { key: 'virtual_network_type', value: 'Internal', label: 'inject it in internal mode' },
  },
};

/** Network mode of the environment the rule checks. */
export interface PublicNetworkAccessRuleProps {
  readonly networkMode: 'public' | 'private';
}

/**
 * Public network access follows the environment's network mode: in a private environment every PaaS
 * resource has public access disabled (it is reached through private endpoints).
 */
export class PublicNetworkAccessRule extends PolicyRule {
  readonly id = 'public-network-access';
  readonly description = "Public network access follows the environment's network mode (off when private).";

  constructor(private readonly props: PublicNetworkAccessRuleProps) {
    super();
  }

  appliesTo(resourceType: string): boolean {
    return this.props.networkMode === 'private' && resourceType in PUBLIC_ACCESS;
  }

  check(resource: SynthesizedResource): string | undefined {
    const { key, closed, otherwiseClosed } = PUBLIC_ACCESS[resource.type]!;
    const value = attr(resource.attributes, key);
    if (value === closed) return undefined;
    if (otherwiseClosed && attr(resource.attributes, otherwiseClosed.key) === otherwiseClosed.value)
      return undefined;
    // API Management cannot be created closed: it is closed after its private endpoint exists (checked
    // by the apim-public-access-at-create rule).
    if (resource.type === 'azurerm_api_management' && apimPublicAccessClosure(resource)) return undefined;
    const or = otherwiseClosed ? ` (or ${otherwiseClosed.label})` : '';
    if (resource.type === 'azurerm_api_management') {
      return `the environment is private but ${key} is ${JSON.stringify(value ?? '(provider default: open)')} and nothing closes it after creation: give ApiManagementService a privateEndpoint and publicNetworkAccessEnabled = false (created open, closed by an azapi_update_resource once the endpoint exists)${or}`;
    }
    return `the environment is private but ${key} is ${JSON.stringify(value ?? '(provider default: open)')}; set ${key} = ${JSON.stringify(closed)}${or}`;
  }
}

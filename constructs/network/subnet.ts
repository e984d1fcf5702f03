import {
  NetworkSecurityGroup,
  type NetworkSecurityGroupSecurityRule,
} from '@cdktf/provider-azurerm/lib/network-security-group';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { Construct } from 'constructs';
import { Problems } from '../core/errors';
import type { IResourceGroup } from '../core/props';

/** A virtual network subnets are created in: one this stack creates, or an existing one (bring your own). */
export interface IVirtualNetwork {
  /** ARM id of the virtual network. */
  readonly id: string;
  readonly name: string;
  /** Resource group of the virtual network (with an existing VNet, not necessarily the stack's). */
  readonly resourceGroupName: string;
  /** Region of the virtual network: its NSGs and private endpoints must be in the same region. */
  readonly location: string;
}

/** One network security rule. Prefixes are CIDR ranges or service tags (`VirtualNetwork`, `ApiManagement`). */
export interface SecurityRuleProps {
  /** Unique within the NSG, e.g. `AllowApimManagementInbound`. */
  readonly name: string;
  /** 100-4096; lower is evaluated first. */
  readonly priority: number;
  readonly direction: 'Inbound' | 'Outbound';
  readonly access: 'Allow' | 'Deny';
  /** @default 'Tcp' */
  readonly protocol?: 'Tcp' | 'Udp' | 'Icmp' | '*';
  readonly sourceAddressPrefix: string;
  readonly destinationAddressPrefix: string;
  /** Destination ports, e.g. `['443']` or `['*']`. */
  readonly destinationPortRanges: readonly string[];
  /** Why the rule exists. */
  readonly description: string;
}

/**
 * The rule every subnet's NSG ends with: no inbound traffic from the internet, whatever a later rule
 * allows (Azure's default rules already deny it; stating it keeps a careless allow rule at a lower
 * priority number the only way in, and shows up in reviews).
 */
export const DENY_INTERNET_INBOUND: SecurityRuleProps = {
  name: 'DenyInternetInbound',
  priority: 4096,
  direction: 'Inbound',
  access: 'Deny',
  protocol: '*',
  sourceAddressPrefix: 'Internet',
  destinationAddressPrefix: '*',
  destinationPortRanges: ['*'],
  description: 'No inbound traffic from the internet',
};

/** Properties of {@link NetworkSubnet}. */
export interface NetworkSubnetProps {
  readonly virtualNetwork: IVirtualNetwork;
  /** Resource group of the NSG (the subnet itself lives in the virtual network's group). */
  readonly resourceGroup: IResourceGroup;
  /** Subnet name, unique in the virtual network. Forces replacement. */
  readonly name: string;
  /** Subnet range, inside the virtual network's address space. Forces replacement of what is in it. */
  readonly addressPrefix: string;
  /** @default - `nsg-` followed by the subnet name without its `snet-` prefix */
  readonly securityGroupName?: string;
  /**
   * Rules of the subnet's NSG; {@link DENY_INTERNET_INBOUND} is always added.
   * @default - none besides the internet deny
   */
  readonly securityRules?: readonly SecurityRuleProps[];
  /**
   * Service the subnet is delegated to, e.g. `Microsoft.Web/serverFarms` (API Management v2 VNet
   * integration). A delegated subnet holds only that service.
   * @default - not delegated
   */
  readonly delegation?: string;
  /**
   * Apply NSG and route table rules to private endpoints in the subnet (`private_endpoint_network_policies
   * = "Enabled"`); without it, private endpoints bypass the NSG.
   * @default false
   * @see https://learn.microsoft.com/azure/private-link/disable-private-endpoint-network-policy
   */
  readonly privateEndpointNetworkPoliciesEnabled?: boolean;
  /**
   * Keep Azure's implicit ("default") outbound internet access for VMs without a NAT gateway or public IP
   * (`azurerm_subnet.default_outbound_access_enabled`, provider default `true`: hashicorp/terraform-provider-azurerm
   * v4.55.0 `website/docs/r/subnet.html.markdown`). Off, a subnet reaches the internet only through
   * explicit egress (a NAT gateway, a public IP, a route to a firewall). Azure retires implicit outbound
   * access for new networks.
   * @default false - explicit egress only (the `egress-restricted` policy rule)
   * @see https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access
   */
  readonly defaultOutboundAccessEnabled?: boolean;
  /**
   * Service endpoints of the subnet, e.g. `Microsoft.Storage` (the Terraform state account's firewall
   * admits the runner subnet through it). Values: azurerm v4.55.0 `website/docs/r/subnet.html.markdown`.
   * @default - none
   */
  readonly serviceEndpoints?: readonly string[];
}

/**
 * A subnet with its own network security group and the association between them, so no subnet is ever
 * without an NSG. Every NSG denies inbound internet traffic explicitly.
 *
 * The NSG's rules are inline: add rules through `securityRules`, never as separate
 * `azurerm_network_security_rule` resources (Terraform would remove them on the next apply).
 *
 * @see https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview
 */
export class NetworkSubnet extends Construct {
  public readonly subnet: Subnet;
  public readonly securityGroup: NetworkSecurityGroup;

  constructor(scope: Construct, id: string, props: NetworkSubnetProps) {
    super(scope, id);
    const problems = new Problems('props');
    const custom = props.securityRules ?? [];
    custom.forEach((rule, i) => {
      problems.check(
        Number.isInteger(rule.priority) && rule.priority >= 100 && rule.priority <= 4095,
        `securityRules[${i}].priority`,
        `${rule.priority} is out of range: allowed 100-4095 (4096 is the internet deny)`,
      );
      problems.check(
        rule.name !== DENY_INTERNET_INBOUND.name,
        `securityRules[${i}].name`,
        `${JSON.stringify(rule.name)} is the name of the internet deny rule every subnet gets: choose another name`,
      );
      // Rule names are unique in the whole security group; priorities only within one direction.
      const clash = custom.findIndex(
        (r) =>
          r !== rule &&
          (r.name === rule.name || (r.direction === rule.direction && r.priority === rule.priority)),
      );
      problems.check(
        clash === -1 || clash > i,
        `securityRules[${i}]`,
        `${rule.direction} rule ${JSON.stringify(rule.name)} (priority ${rule.priority}) repeats the name or priority of securityRules[${clash}]`,
      );
    });
    problems.throwIfAny(`Invalid NetworkSubnet "${this.node.path}"`);

    this.subnet = new Subnet(this, 'Default', {
      name: props.name,
      resourceGroupName: props.virtualNetwork.resourceGroupName,
      virtualNetworkName: props.virtualNetwork.name,
      addressPrefixes: [props.addressPrefix],
      privateEndpointNetworkPolicies: props.privateEndpointNetworkPoliciesEnabled ? 'Enabled' : 'Disabled',
      defaultOutboundAccessEnabled: props.defaultOutboundAccessEnabled ?? false,
      serviceEndpoints: props.serviceEndpoints?.length ? [...props.serviceEndpoints] : undefined,
      delegation: props.delegation
        ? [
            {
              name: props.delegation.replace(/\//g, '.'),
              serviceDelegation: {
                name: props.delegation,
                actions: ['Microsoft.Network/virtualNetworks/subnets/action'],
              },
            },
          ]
        : undefined,
    });
    const rules = [...(props.securityRules ?? []), DENY_INTERNET_INBOUND];
    this.securityGroup = new NetworkSecurityGroup(this, 'SecurityGroup', {
      name: props.securityGroupName ?? `nsg-${props.name.replace(/^snet-/, '')}`,
      resourceGroupName: props.resourceGroup.name,
      location: props.virtualNetwork.location,
      securityRule: rules.map(toRule),
    });
    new SubnetNetworkSecurityGroupAssociation(this, 'SecurityGroupAssociation', {
      subnetId: this.subnet.id,
      networkSecurityGroupId: this.securityGroup.id,
    });
  }

  /** ARM id of the subnet. */
  get subnetId(): string {
    return this.subnet.id;
  }
}

function toRule(rule: SecurityRuleProps): NetworkSecurityGroupSecurityRule {
  const ports = [...rule.destinationPortRanges];
  return {
    name: rule.name,
    priority: rule.priority,
    direction: rule.direction,
    access: rule.access,
    protocol: rule.protocol ?? 'Tcp',
    sourcePortRange: '*',
    sourceAddressPrefix: rule.sourceAddressPrefix,
    destinationAddressPrefix: rule.destinationAddressPrefix,
    ...(ports.length === 1 ? { destinationPortRange: ports[0] } : { destinationPortRanges: ports }),
    description: rule.description,
  };
}

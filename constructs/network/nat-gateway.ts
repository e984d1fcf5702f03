import { NatGateway as NatGatewayResource } from '@cdktf/provider-azurerm/lib/nat-gateway';
import { NatGatewayPublicIpAssociation } from '@cdktf/provider-azurerm/lib/nat-gateway-public-ip-association';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { SubnetNatGatewayAssociation } from '@cdktf/provider-azurerm/lib/subnet-nat-gateway-association';
import { Construct } from 'constructs';
import { Problems } from '../core/errors';
import { checkName } from '../core/naming';
import type { IResourceGroup } from '../core/props';
import type { NetworkSubnet } from './subnet';

/** Properties of {@link NatGateway}. */
export interface NatGatewayProps {
  readonly resourceGroup: IResourceGroup;
  /** NAT gateway name. Forces replacement. */
  readonly name: string;
  /** Name of its public IP address. Forces replacement (and changes the egress address). */
  readonly publicIpName: string;
  /** Subnets whose outbound internet traffic leaves through this gateway, keyed by a stable id. */
  readonly subnets: Readonly<Record<string, NetworkSubnet>>;
  /**
   * Idle timeout of outbound flows, in minutes (4-120).
   * @default 4
   */
  readonly idleTimeoutMinutes?: number;
}

/**
 * Explicit outbound internet access for subnets whose default outbound access is off: a Standard NAT
 * gateway with one static Standard public IP, associated with each subnet. The egress address is fixed,
 * so it can be allowed in third-party firewalls (GitHub Enterprise IP allow lists).
 *
 * Arguments: azurerm v4.55.0 `website/docs/r/nat_gateway.html.markdown` (`sku_name` only `Standard`),
 * `public_ip.html.markdown` (`allocation_method`, `sku`), `nat_gateway_public_ip_association.html.markdown`,
 * `subnet_nat_gateway_association.html.markdown`. The gateway is regional (no zone): a zonal gateway
 * would tie every runner's egress to one zone.
 *
 * @see https://learn.microsoft.com/azure/nat-gateway/nat-overview
 */
export class NatGateway extends Construct {
  public readonly gateway: NatGatewayResource;
  public readonly publicIp: PublicIp;
  /** Subnet associations by the key of `subnets`. */
  public readonly associations: Readonly<Record<string, SubnetNatGatewayAssociation>>;

  constructor(scope: Construct, id: string, props: NatGatewayProps) {
    super(scope, id);
    const idle = props.idleTimeoutMinutes ?? 4;
    const problems = new Problems('props');
    const nameProblem = checkName('natGateway', props.name);
    if (nameProblem) problems.add('name', nameProblem.message);
    const ipProblem = checkName('publicIp', props.publicIpName, 'publicIpName');
    if (ipProblem) problems.add(ipProblem.path, ipProblem.message);
    problems.check(
      Number.isInteger(idle) && idle >= 4 && idle <= 120,
      'idleTimeoutMinutes',
      `${idle} is out of range: allowed 4-120 minutes`,
    );
    problems.check(Object.keys(props.subnets).length > 0, 'subnets', 'name at least one subnet');
    problems.throwIfAny(`Invalid NatGateway "${this.node.path}"`);

    this.publicIp = new PublicIp(this, 'PublicIp', {
      name: props.publicIpName,
      resourceGroupName: props.resourceGroup.name,
      location: props.resourceGroup.location,
      allocationMethod: 'Static',
      sku: 'Standard',
    });
    this.gateway = new NatGatewayResource(this, 'Default', {
      name: props.name,
      resourceGroupName: props.resourceGroup.name,
      location: props.resourceGroup.location,
      skuName: 'Standard',
      idleTimeoutInMinutes: idle,
    });
    new NatGatewayPublicIpAssociation(this, 'PublicIpAssociation', {
      natGatewayId: this.gateway.id,
      publicIpAddressId: this.publicIp.id,
    });
    const associations: Record<string, SubnetNatGatewayAssociation> = {};
    for (const [key, subnet] of Object.entries(props.subnets)) {
      associations[key] = new SubnetNatGatewayAssociation(this, `Association-${key}`, {
        subnetId: subnet.subnetId,
        natGatewayId: this.gateway.id,
      });
    }
    this.associations = associations;
  }

  /** The egress address (known after apply). */
  get publicIpAddress(): string {
    return this.publicIp.ipAddress;
  }
}

import type { TerraformStack } from 'cdktf';
import { idReference } from '../../core/diagnostics';
import { attr, PolicyRule, type SynthesizedResource, stackResources } from '../engine';

/** What the rule knows about the environment. */
export interface EgressRestrictedRuleProps {
  readonly profile: 'development' | 'production';
  readonly networkMode: 'public' | 'private';
  /** Name of the subnet the self-hosted runners live in: it needs explicit egress (GitHub). */
  readonly runnerSubnetName?: string;
}

/**
 * In production private environments nothing leaves the network implicitly:
 *
 * - AI Services accounts restrict outbound access to the configured FQDNs
 *   (`outbound_network_access_restricted = true`, `fqdns`: azurerm v4.55.0
 *   `website/docs/r/cognitive_account.html.markdown`, default `false`);
 * - every subnet has default outbound access off (`default_outbound_access_enabled = false`: azurerm
 *   v4.55.0 `website/docs/r/subnet.html.markdown`, default `true`);
 * - the runner subnet, which needs GitHub, gets explicit egress: a NAT gateway associated in the same
 *   stack (`azurerm_subnet_nat_gateway_association`).
 *
 * @see https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access
 * @see https://learn.microsoft.com/azure/ai-services/cognitive-services-data-loss-prevention
 */
export class EgressRestrictedRule extends PolicyRule {
  readonly id = 'egress-restricted';
  readonly description =
    'Production private environments: AI Services outbound restricted to an allow-list, subnets without default outbound access, a NAT gateway for the runner subnet.';
  private readonly natSubnets = new WeakMap<TerraformStack, Set<string>>();

  constructor(private readonly props: EgressRestrictedRuleProps) {
    super();
  }

  appliesTo(resourceType: string): boolean {
    return (
      this.props.profile === 'production' &&
      this.props.networkMode === 'private' &&
      (resourceType === 'azurerm_cognitive_account' || resourceType === 'azurerm_subnet')
    );
  }

  check(resource: SynthesizedResource): string | undefined {
    const a = resource.attributes;
    if (resource.type === 'azurerm_cognitive_account') {
      return attr(a, 'outbound_network_access_restricted') === true
        ? undefined
        : 'outbound network access is not restricted: set outbound_network_access_restricted = true and list the hosts it may call in network.azure.egress.allowedFqdns';
    }
    const problems: string[] = [];
    if (attr(a, 'default_outbound_access_enabled') !== false) {
      problems.push(
        'default outbound access is on (the provider default): set default_outbound_access_enabled = false and give the subnet explicit egress where it needs the internet',
      );
    }
    if (this.props.runnerSubnetName !== undefined && attr(a, 'name') === this.props.runnerSubnetName) {
      let nat = this.natSubnets.get(resource.stack);
      if (!nat) {
        nat = new Set(
          stackResources(resource.stack, 'azurerm_subnet_nat_gateway_association').map((r) =>
            String(attr(r.attributes, 'subnet_id')),
          ),
        );
        this.natSubnets.set(resource.stack, nat);
      }
      if (!nat.has(idReference(resource.construct))) {
        problems.push(
          'the runner subnet has no NAT gateway: its runners need GitHub through explicit egress (network.azure.egress.natGateway: true)',
        );
      }
    }
    return problems.length ? problems.join('; ') : undefined;
  }
}

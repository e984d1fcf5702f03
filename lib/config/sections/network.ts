import { z } from 'zod';
import type { Problem, Problems } from '../../../constructs/core/errors';
import { checkAddressPlan, cidrsOverlap, parseCidr, subdivide } from '../../../constructs/network/cidr';
import { isResourceGroupId, parseVirtualNetworkId } from '../../../constructs/network/network-ids';
import { apimNetworkModeForSku, networkAddressPlan } from '../../../constructs/network/network-plan';
import type { EnvironmentConfig } from '../environment';
import { defaultText, PROFILE_DEFAULTS, profileDefault } from '../profile-defaults';
import { byProfile, type ResolveContext } from './context';

const cidr = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, {
  error: (iss) => `${JSON.stringify(iss.input)} is not an IPv4 CIDR range`,
});

/** A fully qualified domain name: labels of letters, digits and inner hyphens, at least two of them. */
const FQDN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** The VNet address space when none is configured. */
export const DEFAULT_ADDRESS_SPACE = '10.40.0.0/16';

/** The VPC range of a private AWS environment when none is configured. */
export const DEFAULT_AWS_CIDR = '10.50.0.0/16';

/** The `network` section: exposure mode and, for private environments, the Azure address plan. */
export const networkSchema = z
  .strictObject({
    mode: z
      .enum(['public', 'private'])
      .optional()
      .describe(
        `public: reachable from the internet (Entra ID auth only); private: private endpoints only. ${defaultText(PROFILE_DEFAULTS.networkMode)}`,
      ),
    azure: z
      .strictObject({
        addressSpace: cidr
          .optional()
          .describe(
            'VNet address space. Default: 10.40.0.0/16 (with existingVirtualNetworkId: unchecked unless given). Private environments peered to one hub need distinct ranges.',
          ),
        subnets: z
          .strictObject({
            privateEndpoints: cidr
              .optional()
              .describe('At least /28. Default: the 2nd /24 of the address space.'),
            apim: cidr
              .optional()
              .describe(
                'API Management: at least /29 (Developer, Premium) or /27 (v2 tiers). Default: the 3rd /24.',
              ),
            agents: cidr.optional().describe('Self-hosted runners. Default: the 4th /24.'),
          })
          .optional()
          .describe('Subnet ranges inside the address space (required with existingVirtualNetworkId).'),
        existingVirtualNetworkId: z
          .string()
          .optional()
          .describe('Bring your own VNet (resource id): subnets are created in it.'),
        existingDnsZoneResourceGroupId: z
          .string()
          .optional()
          .describe(
            'Bring your own private DNS zones (hub-and-spoke): id of the resource group holding them.',
          ),
        egress: z
          .strictObject({
            allowedFqdns: z
              .array(
                z.string().regex(FQDN, {
                  error: (iss) =>
                    `${JSON.stringify(iss.input)} is not a fully qualified domain name (e.g. mystorage.blob.core.windows.net)`,
                }),
              )
              .optional()
              .describe(
                'Private environments: the only hosts the AI Services accounts may call (outbound_network_access_restricted). Default: [] (no outbound calls).',
              ),
            natGateway: z
              .boolean()
              .optional()
              .describe(
                `Private environments: a NAT gateway (static public IP) gives the agents subnet, whose runners need GitHub, explicit egress; every subnet has default outbound access off. ${defaultText(PROFILE_DEFAULTS.natGateway)}`,
              ),
          })
          .optional()
          .describe('Outbound traffic of a private environment.'),
      })
      .optional(),
    aws: z
      .strictObject({
        cidr: cidr
          .optional()
          .describe(`Private AWS environments: the VPC range. Default: ${DEFAULT_AWS_CIDR}.`),
        availabilityZones: z
          .array(
            z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, {
              error: (iss) =>
                `${JSON.stringify(iss.input)} is not an Availability Zone name (e.g. us-east-1a)`,
            }),
          )
          .min(2)
          .max(3)
          .optional()
          .describe(
            'Private AWS environments (required there): 2 or 3 Availability Zone names of aws.region for the VPC subnets and endpoints, e.g. [us-east-1a, us-east-1b]. Named, not counted: synthesis is offline and zone letters differ between regions (us-west-1 has b and c).',
          ),
      })
      .optional()
      .describe('How a private AWS environment is networked: a VPC with interface endpoints, no NAT.'),
  })
  .describe('Network exposure.');

/** The resolved network section. Subnet ranges are empty only in configs that fail validation. */
export interface NetworkConfig {
  readonly mode: 'public' | 'private';
  /** Undefined only with an existing VNet whose address space was not given. */
  readonly addressSpace?: string;
  readonly subnets: { readonly privateEndpoints: string; readonly apim: string; readonly agents: string };
  readonly existingVirtualNetworkId?: string;
  readonly existingDnsZoneResourceGroupId?: string;
  /** Outbound traffic (private environments only). */
  readonly egress: {
    /** FQDNs the AI Services accounts may call; empty: none. */
    readonly allowedFqdns: readonly string[];
    /** A NAT gateway for the agents subnet. */
    readonly natGateway: boolean;
  };
  /** The VPC of a private AWS environment (AWS environments only). */
  readonly aws?: { readonly cidr: string; readonly availabilityZones: readonly string[] };
}

/** The network mode: as configured, else the profile's (`PROFILE_DEFAULTS.networkMode`). */
export function resolveNetworkMode(
  raw: z.infer<typeof networkSchema> | undefined,
  profile: ResolveContext['profile'],
) {
  return raw?.mode ?? profileDefault(profile, 'networkMode');
}

/**
 * Default subnets carved from an address space: the 2nd, 3rd and 4th /24 (so 10.41.0.0/16 gives
 * 10.41.1.0/24, 10.41.2.0/24, 10.41.3.0/24); spaces smaller than /22 are cut in four and the last three
 * quarters used. Undefined when the space is invalid or smaller than /25.
 */
export function defaultSubnets(addressSpace: string): NetworkConfig['subnets'] | undefined {
  const parsed = parseCidr(addressSpace);
  if (!parsed.ok || parsed.cidr.prefixLength > 25) return undefined;
  const space = parsed.cidr;
  const length = space.prefixLength <= 22 ? 24 : space.prefixLength + 2;
  const [privateEndpoints, apim, agents] = [1, 2, 3].map((i) => subdivide(space, length, i));
  return privateEndpoints && apim && agents ? { privateEndpoints, apim, agents } : undefined;
}

/**
 * Fills in the network defaults: address space 10.40.0.0/16 (none with an existing VNet) and subnets
 * carved from it by {@link defaultSubnets} (none with an existing VNet: they must be given).
 */
export function resolveNetwork(
  raw: z.infer<typeof networkSchema> | undefined,
  ctx: ResolveContext,
): NetworkConfig {
  const a = raw?.azure;
  const addressSpace = a?.addressSpace ?? (a?.existingVirtualNetworkId ? undefined : DEFAULT_ADDRESS_SPACE);
  // With an existing VNet the defaults would likely collide with what is already there: no defaults.
  const defaults = addressSpace && !a?.existingVirtualNetworkId ? defaultSubnets(addressSpace) : undefined;
  return {
    mode: ctx.networkMode,
    addressSpace,
    subnets: {
      privateEndpoints: a?.subnets?.privateEndpoints ?? defaults?.privateEndpoints ?? '',
      apim: a?.subnets?.apim ?? defaults?.apim ?? '',
      agents: a?.subnets?.agents ?? defaults?.agents ?? '',
    },
    existingVirtualNetworkId: a?.existingVirtualNetworkId,
    existingDnsZoneResourceGroupId: a?.existingDnsZoneResourceGroupId,
    egress: {
      allowedFqdns: [...new Set(a?.egress?.allowedFqdns ?? [])],
      natGateway: a?.egress?.natGateway ?? (byProfile(ctx, 'natGateway') && ctx.networkMode === 'private'),
    },
    ...(ctx.cloud === 'aws'
      ? {
          aws: {
            cidr: raw?.aws?.cidr ?? DEFAULT_AWS_CIDR,
            availabilityZones: raw?.aws?.availabilityZones ?? [],
          },
        }
      : {}),
  };
}

/** Whether the environment's network gets an API Management subnet, and in which mode. */
export function apimNetworkMode(env: Pick<EnvironmentConfig, 'gateway'>) {
  return env.gateway.enabled ? apimNetworkModeForSku(env.gateway.sku) : undefined;
}

/**
 * Checks the network section of a private environment: resource ids parse, every subnet range is given
 * (existing VNets have no defaults), lies inside the address space, overlaps no other subnet and is big
 * enough for its workload (API Management's minimum depends on `gateway.azure.sku`). Public
 * environments create no network, so their section is not checked. Paths are relative to
 * `environments.<env>`.
 */
export function validateNetwork(env: EnvironmentConfig, problems: Problems): void {
  const n = env.network;
  if (n.mode !== 'private') return;
  const base = 'network.azure';
  if (n.existingVirtualNetworkId !== undefined) {
    problems.check(
      parseVirtualNetworkId(n.existingVirtualNetworkId) !== undefined,
      `${base}.existingVirtualNetworkId`,
      `${JSON.stringify(n.existingVirtualNetworkId)} is not a virtual network id: /subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<name>`,
    );
  }
  if (n.existingDnsZoneResourceGroupId !== undefined) {
    problems.check(
      isResourceGroupId(n.existingDnsZoneResourceGroupId),
      `${base}.existingDnsZoneResourceGroupId`,
      `${JSON.stringify(n.existingDnsZoneResourceGroupId)} is not a resource group id: /subscriptions/<guid>/resourceGroups/<name>`,
    );
  }
  const mode = apimNetworkMode(env);
  const wanted: [keyof NetworkConfig['subnets'], boolean][] = [
    ['privateEndpoints', true],
    ['apim', mode !== undefined],
    ['agents', true],
  ];
  let complete = true;
  for (const [key, needed] of wanted) {
    if (!needed || n.subnets[key] !== '') continue;
    complete = false;
    problems.add(
      `${base}.subnets.${key}`,
      n.existingVirtualNetworkId
        ? 'is required with existingVirtualNetworkId: pick a free range in that network'
        : `is required: the address space ${n.addressSpace} is too small for the default subnets (needs /25 or larger)`,
    );
  }
  if (!complete) return;
  checkAddressPlan(
    networkAddressPlan(
      {
        addressSpace: n.addressSpace,
        privateEndpoints: n.subnets.privateEndpoints,
        apim: mode ? { addressPrefix: n.subnets.apim, mode } : undefined,
        agents: n.subnets.agents,
      },
      base,
    ),
    problems,
  );
}

/**
 * Checks private environments against each other: networks that may be peered to one hub (or connected
 * to the same on-premises network) must not share addresses. Two environments in the same existing
 * VNet must not share subnet ranges. Returns problems with full paths (`environments.<env>....`).
 */
export function validateNetworkOverlaps(
  environments: Readonly<Record<string, EnvironmentConfig>>,
): Problem[] {
  const problems: Problem[] = [];
  // Azure address plans only: an AWS VPC is not peered to the Azure hub.
  const privateEnvs = Object.values(environments).filter(
    (e) => e.cloud === 'azure' && e.network.mode === 'private',
  );
  privateEnvs.forEach((env, i) => {
    for (const other of privateEnvs.slice(0, i)) {
      const a = env.network;
      const b = other.network;
      const sameVnet =
        a.existingVirtualNetworkId !== undefined &&
        a.existingVirtualNetworkId.toLowerCase() === b.existingVirtualNetworkId?.toLowerCase();
      if (sameVnet) {
        for (const key of ['privateEndpoints', 'apim', 'agents'] as const) {
          for (const otherKey of ['privateEndpoints', 'apim', 'agents'] as const) {
            if (overlap(a.subnets[key], b.subnets[otherKey])) {
              problems.push({
                path: `environments.${env.name}.network.azure.subnets.${key}`,
                message: `${a.subnets[key]} overlaps environments.${other.name}.network.azure.subnets.${otherKey} (${b.subnets[otherKey]}) in the same existing virtual network`,
              });
            }
          }
        }
      } else if (a.addressSpace && b.addressSpace && overlap(a.addressSpace, b.addressSpace)) {
        problems.push({
          path: `environments.${env.name}.network.azure.addressSpace`,
          message: `${a.addressSpace} overlaps environments.${other.name}.network.azure.addressSpace (${b.addressSpace}): private environments need distinct ranges to be peered to one hub`,
        });
      }
    }
  });
  return problems;
}

function overlap(a: string, b: string): boolean {
  const pa = parseCidr(a);
  const pb = parseCidr(b);
  return pa.ok && pb.ok && cidrsOverlap(pa.cidr, pb.cidr);
}

/**
 * Checks the VPC of a private AWS environment: the zones are named (synthesis is offline: no lookup can
 * list them), distinct, and in the environment's region; the range parses.
 */
export function validateAwsNetwork(env: EnvironmentConfig, problems: Problems): void {
  const vpc = env.network.aws;
  if (!vpc || env.network.mode !== 'private') return;
  const parsed = parseCidr(vpc.cidr);
  if (!parsed.ok) problems.add('network.aws.cidr', parsed.message);
  if (vpc.availabilityZones.length === 0) {
    problems.add(
      'network.aws.availabilityZones',
      `is required in a private AWS environment: name 2 or 3 Availability Zones of ${env.location}, e.g. [${env.location}a, ${env.location}b]`,
    );
  }
  vpc.availabilityZones.forEach((zone, i) => {
    const path = `network.aws.availabilityZones[${i}]`;
    if (!zone.startsWith(env.location) || !/^[a-z]$/.test(zone.slice(env.location.length))) {
      problems.add(path, `${JSON.stringify(zone)} is not an Availability Zone of ${env.location}`);
    } else if (vpc.availabilityZones.indexOf(zone) !== i) {
      problems.add(path, `${JSON.stringify(zone)} is listed twice`);
    }
  });
}

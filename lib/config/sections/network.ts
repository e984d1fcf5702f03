import { z } from 'zod';
import type { ResolveContext } from './context';

const cidr = z
  .string()
  .regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, { error: (iss) => `${JSON.stringify(iss.input)} is not an IPv4 CIDR range` });

export const networkSchema = z
  .strictObject({
    mode: z.enum(['public', 'private']).optional().describe('public: reachable from the internet (Entra ID auth only); private: private endpoints only. Default: private for production, public for development.'),
    azure: z
      .strictObject({
        addressSpace: cidr.optional().describe('VNet address space. Default: 10.40.0.0/16.'),
        subnets: z
          .strictObject({
            privateEndpoints: cidr.optional(),
            apim: cidr.optional(),
            agents: cidr.optional(),
          })
          .optional()
          .describe('Subnet ranges inside the address space.'),
        existingVirtualNetworkId: z.string().optional().describe('Bring your own VNet (resource id): subnets are created in it.'),
        existingDnsZoneResourceGroupId: z
          .string()
          .optional()
          .describe('Bring your own private DNS zones (hub-and-spoke): id of the resource group holding them.'),
      })
      .optional(),
  })
  .describe('Network exposure.');

export interface NetworkConfig {
  readonly mode: 'public' | 'private';
  readonly addressSpace: string;
  readonly subnets: { readonly privateEndpoints: string; readonly apim: string; readonly agents: string };
  readonly existingVirtualNetworkId?: string;
  readonly existingDnsZoneResourceGroupId?: string;
}

export function resolveNetworkMode(raw: z.infer<typeof networkSchema> | undefined, profile: ResolveContext['profile']) {
  return raw?.mode ?? (profile === 'production' ? 'private' : 'public');
}

export function resolveNetwork(raw: z.infer<typeof networkSchema> | undefined, ctx: ResolveContext): NetworkConfig {
  const a = raw?.azure;
  return {
    mode: ctx.networkMode,
    addressSpace: a?.addressSpace ?? '10.40.0.0/16',
    subnets: {
      privateEndpoints: a?.subnets?.privateEndpoints ?? '10.40.1.0/24',
      apim: a?.subnets?.apim ?? '10.40.2.0/24',
      agents: a?.subnets?.agents ?? '10.40.3.0/24',
    },
    existingVirtualNetworkId: a?.existingVirtualNetworkId,
    existingDnsZoneResourceGroupId: a?.existingDnsZoneResourceGroupId,
  };
}

import type { Problems } from '../core/errors';

/** An IPv4 CIDR range, parsed. */
export interface Ipv4Cidr {
  /** As written, e.g. `10.40.1.0/24`. */
  readonly text: string;
  /** First address as an unsigned 32-bit number. */
  readonly base: number;
  /** Prefix length, 0-32. */
  readonly prefixLength: number;
  /** Number of addresses, `2^(32 - prefixLength)`. */
  readonly size: number;
}

/** Result of {@link parseCidr}: the range, or why the text is not one. */
export type CidrParseResult =
  | { readonly ok: true; readonly cidr: Ipv4Cidr }
  | { readonly ok: false; readonly message: string };

/**
 * Parses an IPv4 CIDR range such as `10.40.1.0/24`. The address must be the range's first address
 * (Azure rejects `10.40.1.5/24`), octets 0-255, the prefix 0-32.
 */
export function parseCidr(text: string): CidrParseResult {
  const shown = JSON.stringify(text);
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!match) return { ok: false, message: `${shown} is not an IPv4 CIDR range (e.g. 10.40.0.0/16)` };
  const octets = match.slice(1, 5).map(Number);
  const prefixLength = Number(match[5]);
  const badOctet = octets.find((o) => o > 255);
  if (badOctet !== undefined)
    return { ok: false, message: `${shown} is not an IPv4 CIDR range: octet ${badOctet} is above 255` };
  if (prefixLength > 32)
    return { ok: false, message: `${shown} is not an IPv4 CIDR range: prefix /${prefixLength} is above /32` };
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefixLength);
  const base = Math.floor(address / size) * size;
  if (base !== address) {
    return {
      ok: false,
      message: `${shown} has host bits set: the range starts at ${formatCidr(base, prefixLength)}`,
    };
  }
  return { ok: true, cidr: { text, base, prefixLength, size } };
}

/** `10.40.1.0/24` from a base address and a prefix length. */
export function formatCidr(base: number, prefixLength: number): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256);
  return `${octets.join('.')}/${prefixLength}`;
}

/** Whether `inner` lies entirely inside `outer`. */
export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return inner.base >= outer.base && inner.base + inner.size <= outer.base + outer.size;
}

/** Whether two ranges share at least one address. */
export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.base < b.base + b.size && b.base < a.base + a.size;
}

/**
 * The `index`-th block of prefix length `prefixLength` inside `space` (`subdivide(10.40.0.0/16, 24, 2)` is
 * `10.40.2.0/24`), or undefined when the block does not fit.
 */
export function subdivide(space: Ipv4Cidr, prefixLength: number, index: number): string | undefined {
  if (prefixLength < space.prefixLength || prefixLength > 32) return undefined;
  const size = 2 ** (32 - prefixLength);
  const base = space.base + index * size;
  return base + size <= space.base + space.size ? formatCidr(base, prefixLength) : undefined;
}

/** Azure's smallest IPv4 subnet: /29 (8 addresses, of which Azure reserves 5). */
export const AZURE_MIN_SUBNET_PREFIX_LENGTH = 29;

/** A subnet to place in an address space, with the smallest size its workload accepts. */
export interface SubnetPlan {
  /** Where the value was given, used as the problem path, e.g. `subnets.privateEndpoints`. */
  readonly path: string;
  /** The subnet range, e.g. `10.40.1.0/24`. */
  readonly addressPrefix: string;
  /** Largest prefix length allowed, i.e. the smallest subnet: 28 means at least a /28. */
  readonly maxPrefixLength: number;
  /** Why that minimum, printed in the message: `private endpoints need one address each`. */
  readonly sizeReason: string;
}

/** An address space and the subnets to carve from it. */
export interface AddressPlan {
  /** The VNet's address space and where it was given; absent when unknown (an existing VNet). */
  readonly addressSpace?: { readonly path: string; readonly value: string };
  readonly subnets: readonly SubnetPlan[];
}

/**
 * Checks an address plan and records every problem: ranges that do not parse, subnets outside the
 * address space, subnets that overlap each other, subnets smaller than their workload needs (or than
 * Azure's /29 minimum).
 *
 * @see https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq#are-there-any-restrictions-on-using-ip-addresses-within-these-subnets
 */
export function checkAddressPlan(plan: AddressPlan, problems: Problems): void {
  let space: Ipv4Cidr | undefined;
  if (plan.addressSpace) {
    const parsed = parseCidr(plan.addressSpace.value);
    if (parsed.ok) space = parsed.cidr;
    else problems.add(plan.addressSpace.path, parsed.message);
  }
  const placed: { plan: SubnetPlan; cidr: Ipv4Cidr }[] = [];
  for (const subnet of plan.subnets) {
    const parsed = parseCidr(subnet.addressPrefix);
    if (!parsed.ok) {
      problems.add(subnet.path, parsed.message);
      continue;
    }
    const cidr = parsed.cidr;
    const azureBound = subnet.maxPrefixLength > AZURE_MIN_SUBNET_PREFIX_LENGTH;
    const max = azureBound ? AZURE_MIN_SUBNET_PREFIX_LENGTH : subnet.maxPrefixLength;
    const reason = azureBound
      ? "Azure's smallest subnet is /29 (it reserves 5 addresses of every subnet)"
      : subnet.sizeReason;
    problems.check(
      cidr.prefixLength <= max,
      subnet.path,
      `${subnet.addressPrefix} is too small (${cidr.size} addresses): at least /${max} (${2 ** (32 - max)} addresses) is needed because ${reason}`,
    );
    if (space) {
      problems.check(
        cidrContains(space, cidr),
        subnet.path,
        `${subnet.addressPrefix} is outside the address space ${space.text}`,
      );
    }
    for (const other of placed) {
      problems.check(
        !cidrsOverlap(other.cidr, cidr),
        subnet.path,
        `${subnet.addressPrefix} overlaps ${other.plan.path} (${other.plan.addressPrefix}): subnets of one network must not share addresses`,
      );
    }
    placed.push({ plan: subnet, cidr });
  }
}

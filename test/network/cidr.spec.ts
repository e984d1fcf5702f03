import { Problems } from '../../constructs/core/errors';
import {
  type AddressPlan,
  checkAddressPlan,
  cidrContains,
  cidrsOverlap,
  formatCidr,
  type Ipv4Cidr,
  parseCidr,
  subdivide,
} from '../../constructs/network/cidr';

function cidr(text: string): Ipv4Cidr {
  const parsed = parseCidr(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.cidr;
}

function problemsOf(plan: AddressPlan): string[] {
  const problems = new Problems('props');
  checkAddressPlan(plan, problems);
  return problems.all.map((p) => `${p.path}: ${p.message}`);
}

const subnet = (path: string, addressPrefix: string, maxPrefixLength = 28) => ({
  path,
  addressPrefix,
  maxPrefixLength,
  sizeReason: 'the test says so',
});

describe('parseCidr', () => {
  test('parses the base address, prefix length and size', () => {
    // GIVEN / WHEN
    const parsed = cidr('10.40.1.0/24');

    // THEN
    expect(parsed).toEqual({
      text: '10.40.1.0/24',
      base: 10 * 2 ** 24 + 40 * 2 ** 16 + 256,
      prefixLength: 24,
      size: 256,
    });
    expect(formatCidr(parsed.base, parsed.prefixLength)).toBe('10.40.1.0/24');
  });

  test('handles the top of the address range without sign errors', () => {
    expect(cidr('255.255.255.248/29')).toMatchObject({ base: 2 ** 32 - 8, size: 8 });
    expect(cidr('0.0.0.0/0').size).toBe(2 ** 32);
  });

  test.each([
    ['10.40.0.0', 'is not an IPv4 CIDR range'],
    ['10.40.0.0/16 ', 'is not an IPv4 CIDR range'],
    ['10.300.0.0/16', 'octet 300 is above 255'],
    ['10.40.0.0/33', 'prefix /33 is above /32'],
    ['10.40.1.5/24', 'has host bits set: the range starts at 10.40.1.0/24'],
  ])('fails when the range is %j', (text, message) => {
    const parsed = parseCidr(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toContain(message);
  });
});

describe('range arithmetic', () => {
  test('containment and overlap', () => {
    const space = cidr('10.40.0.0/16');
    expect(cidrContains(space, cidr('10.40.255.0/24'))).toBe(true);
    expect(cidrContains(space, cidr('10.41.0.0/24'))).toBe(false);
    expect(cidrContains(cidr('10.40.1.0/24'), space)).toBe(false);
    expect(cidrsOverlap(cidr('10.40.1.0/24'), cidr('10.40.1.128/25'))).toBe(true);
    expect(cidrsOverlap(cidr('10.40.1.0/25'), cidr('10.40.1.128/25'))).toBe(false);
  });

  test('subdivide returns the n-th block or undefined when it does not fit', () => {
    const space = cidr('10.40.0.0/16');
    expect(subdivide(space, 24, 2)).toBe('10.40.2.0/24');
    expect(subdivide(space, 24, 256)).toBeUndefined();
    expect(subdivide(space, 8, 0)).toBeUndefined();
  });
});

describe('checkAddressPlan', () => {
  test('accepts subnets inside the space, apart and large enough', () => {
    expect(
      problemsOf({
        addressSpace: { path: 'addressSpace', value: '10.40.0.0/16' },
        subnets: [subnet('subnets.a', '10.40.1.0/24'), subnet('subnets.b', '10.40.2.0/28')],
      }),
    ).toEqual([]);
  });

  test('fails when the address space does not parse', () => {
    expect(
      problemsOf({ addressSpace: { path: 'addressSpace', value: '10.40.0.1/16' }, subnets: [] }),
    ).toEqual(['props.addressSpace: "10.40.0.1/16" has host bits set: the range starts at 10.40.0.0/16']);
  });

  test('fails when a subnet does not parse', () => {
    expect(problemsOf({ subnets: [subnet('subnets.a', '10.40.1.0/40')] })).toEqual([
      'props.subnets.a: "10.40.1.0/40" is not an IPv4 CIDR range: prefix /40 is above /32',
    ]);
  });

  test('fails when a subnet lies outside the address space', () => {
    expect(
      problemsOf({
        addressSpace: { path: 'addressSpace', value: '10.40.0.0/16' },
        subnets: [subnet('subnets.a', '10.41.1.0/24')],
      }),
    ).toEqual(['props.subnets.a: 10.41.1.0/24 is outside the address space 10.40.0.0/16']);
  });

  test('fails when subnets overlap', () => {
    expect(
      problemsOf({ subnets: [subnet('subnets.a', '10.40.1.0/24'), subnet('subnets.b', '10.40.1.128/25')] }),
    ).toEqual([
      'props.subnets.b: 10.40.1.128/25 overlaps subnets.a (10.40.1.0/24): subnets of one network must not share addresses',
    ]);
  });

  test('fails when a subnet is smaller than its workload needs', () => {
    expect(problemsOf({ subnets: [subnet('subnets.a', '10.40.1.0/29', 28)] })).toEqual([
      'props.subnets.a: 10.40.1.0/29 is too small (8 addresses): at least /28 (16 addresses) is needed because the test says so',
    ]);
  });

  test('fails when a subnet is smaller than Azure allows, whatever the workload accepts', () => {
    expect(problemsOf({ subnets: [subnet('subnets.a', '10.40.1.0/30', 32)] })).toEqual([
      "props.subnets.a: 10.40.1.0/30 is too small (4 addresses): at least /29 (8 addresses) is needed because Azure's smallest subnet is /29 (it reserves 5 addresses of every subnet)",
    ]);
  });
});

import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { Fn, Lazy, TerraformStack, TerraformVariable, Token } from 'cdktf';
import type { IConstruct } from 'constructs';
import { buildApp } from '../../lib/app';
import { loadConfig } from '../../lib/config/load';
import { resolveSkippingPlainValues, withPlainValuesSkipped } from '../../lib/stacks/plain-resolve';
import { PlatformStack } from '../../lib/stacks/platform-stack';
import { ref, testApp, testStack } from '../helpers/synth';

type Resolve = (scope: IConstruct, value: unknown, preparing?: boolean) => unknown;
/** The resolve `TerraformStack.toTerraform` calls (cdktf lib/_tokens.js), read at each call. */
const stackTokens = require('cdktf/lib/_tokens') as { resolve: Resolve };
const cdktfResolve = stackTokens.resolve;
/** cdktf's inner resolve, which resolveSkippingPlainValues hands values to. */
const inner = require('cdktf/lib/tokens/private/resolve') as {
  resolve: (value: unknown, options: object) => unknown;
};

/** What a resolve returned, or the message it failed with. */
function outcome(resolve: () => unknown): { value: unknown } | { error: string } {
  try {
    return { value: resolve() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** A stack with a resource group and a variable, whose references are tokens of each kind. */
function fixture() {
  const stack = testStack();
  const group = new ResourceGroup(stack, 'Group', { name: 'rg-test', location: 'swedencentral' });
  const zones = new TerraformVariable(stack, 'zones', { type: 'list(string)' });
  const sizes = new TerraformVariable(stack, 'sizes', { type: 'list(number)' });
  const tags = new TerraformVariable(stack, 'tags', { type: 'map(string)' });
  return { stack, group, zones, sizes, tags };
}
type Fixture = ReturnType<typeof fixture>;

/** The values cdktf's resolve is called on for each case (cdktf 0.21.0 lib/tokens/private/resolve.js). */
const VALUES: [string, (f: Fixture) => unknown][] = [
  [
    'plain nested values (undefined dropped, -0 and null kept)',
    () => ({ a: 'x', b: [1, undefined, true, null, { c: undefined, d: -0 }], e: {}, f: [] }),
  ],
  ['an object without a prototype', () => Object.assign(Object.create(null), { a: 1, b: [undefined] })],
  // biome-ignore lint/suspicious/noSparseArray: cdktf drops the hole
  ['a sparse array', () => [1, , 3]],
  [
    'references in strings, lists and keys',
    ({ group }) => ({ id: group.id, list: [group.id, 'x'], [group.name]: 1 }),
  ],
  [
    'a literal Terraform expression, with and without a token',
    ({ group }) => [ref('var.x'), `${ref('var.x')}-${group.name}`],
  ],
  [
    'numbers in strings that read as numbers (a GUID with 3e7)',
    () => ['3e7d0000-1e+5', 'v1.2e-3', 'e1', '1e'],
  ],
  [
    'large and odd numbers',
    () => [2 ** 960, -(2 ** 1000), Number.MAX_VALUE, Number.NaN, Number.POSITIVE_INFINITY],
  ],
  [
    // cdktf replaces a number token written into a string only where its digits stand apart (`size 1e+298`);
    // after a dash it reads `--1e+298`, no number, and leaves the string as it is
    'number tokens, alone and inside strings',
    ({ group }) => {
      const size = Token.asNumber(group.id);
      return { n: size, apart: `size ${size}`, dashed: `size-${size}` };
    },
  ],
  ['a list token', ({ zones }) => ({ zones: zones.listValue, other: ['a'] })],
  ['a number list token', ({ sizes }) => Token.asNumberList(sizes.value)],
  [
    'a map token, as a value and spread into keys',
    ({ tags }) => ({ tags: tags.value, ...Token.asStringMap(tags.value) }),
  ],
  ['an any map token', ({ tags }) => Token.asAnyMap(tags.value)],
  ['Terraform functions', ({ group, zones }) => Fn.join(',', [group.name, Fn.element(zones.listValue, 0)])],
  [
    'lazy values producing plain values and tokens',
    ({ group }) => ({ l: Lazy.anyValue({ produce: () => ({ id: group.id, gone: undefined, n: [1, 2] }) }) }),
  ],
  [
    'a date and a class instance',
    () => ({
      d: new Date(0),
      c: new (class {
        x = 1;
        y = undefined;
      })(),
    }),
  ],
  ['a function (refused)', () => ({ f: () => 1 })],
  ['a construct (refused)', ({ stack }) => ({ s: stack })],
  ['a plain object cdktf takes for a construct (refused)', () => ({ s: { _children: {}, _metadata: [] } })],
  ['the string map token value in a string (refused)', () => ({ s: Token.STRING_MAP_TOKEN_VALUE })],
  ['the any map token value in a string (refused)', () => [Token.ANY_MAP_TOKEN_VALUE]],
  ['the number map token value (refused)', () => ({ n: Token.NUMBER_MAP_TOKEN_VALUE })],
  ['a list token with another item (refused)', ({ zones }) => [...zones.listValue, 'more']],
  [
    'a cycle (refused at depth 200)',
    () => {
      const cycle: Record<string, unknown> = { a: 'x' };
      cycle.self = [cycle];
      return cycle;
    },
  ],
];

/** Values whose later items change as earlier tokens resolve: made afresh for each resolve. */
const ORDERED: [string, () => unknown][] = [
  [
    'a getter read after an earlier token changed what it returns',
    () => {
      const state = { region: 'before' };
      return {
        first: Lazy.stringValue({
          produce: () => {
            state.region = 'after';
            return 'x';
          },
        }),
        get second() {
          return state.region;
        },
      };
    },
  ],
  [
    'a key an earlier token deleted',
    () => {
      const value: Record<string, unknown> = {};
      value.first = Lazy.stringValue({
        produce: () => {
          delete value.second;
          return 'x';
        },
      });
      value.second = 'y';
      return value;
    },
  ],
];

describe('resolveSkippingPlainValues', () => {
  test.each(VALUES)(
    '%s: resolves to what cdktf resolves it to, or fails with the same message',
    (_, value) => {
      const f = fixture();
      const resolving = value(f); // once: each call would make new tokens
      const expected = outcome(() => cdktfResolve(f.stack, resolving));
      expect(outcome(() => resolveSkippingPlainValues(f.stack, resolving))).toStrictEqual(expected);
    },
  );

  test.each(ORDERED)('%s: each value is read when cdktf would read it', (_, value) => {
    const { stack } = fixture();
    expect(resolveSkippingPlainValues(stack, value())).toStrictEqual(cdktfResolve(stack, value()));
  });

  test('hands cdktf only the values that are not plain, each with its path', () => {
    const { stack, group } = fixture();
    const name = group.name; // each read makes a new token
    const handed: { value: unknown; prefix: unknown }[] = [];
    const original = inner.resolve;
    inner.resolve = (value, options) => {
      handed.push({ value, prefix: (options as { prefix?: unknown }).prefix });
      return original(value, options);
    };
    try {
      const resolved = resolveSkippingPlainValues(stack, {
        plain: { name: 'x', sizes: [1, 2], on: true },
        tags: [{ owner: name }],
      });
      expect(resolved).toEqual({
        plain: { name: 'x', sizes: [1, 2], on: true },
        tags: [{ owner: ref('azurerm_resource_group.Group.name') }],
      });
    } finally {
      inner.resolve = original;
    }
    expect(handed[0]).toEqual({ value: name, prefix: ['tags', '0', 'owner'] });
    // what the token itself resolved (cdktf's own recursion) follows; nothing of `plain` was handed over
    expect(JSON.stringify(handed)).not.toContain('"x"');
  });
});

describe('withPlainValuesSkipped', () => {
  test("is the resolve of a PlatformStack's configuration, and puts cdktf's back after, also when it fails", () => {
    class Stack extends PlatformStack {}
    const stack = new Stack(testApp(), 'platform');
    let resolvedWith: Resolve | undefined;
    new ResourceGroup(stack, 'Group', {
      name: Lazy.stringValue({
        produce: () => {
          resolvedWith = stackTokens.resolve;
          return 'rg';
        },
      }),
      location: 'swedencentral',
    });
    stack.toTerraform();
    expect(resolvedWith).toBe(resolveSkippingPlainValues);
    expect(stackTokens.resolve).toBe(cdktfResolve);
    expect(() =>
      withPlainValuesSkipped(() => {
        throw new Error('failed');
      }),
    ).toThrow('failed');
    expect(stackTokens.resolve).toBe(cdktfResolve);
  });

  test("the shipped config's stacks: every configuration is cdktf's own, value for value", () => {
    const app = buildApp(loadConfig());
    const stacks = app.node.children.filter(
      (child): child is PlatformStack => child instanceof PlatformStack,
    );
    expect(stacks.length).toBeGreaterThanOrEqual(6);
    for (const stack of stacks) {
      const own = TerraformStack.prototype.toTerraform.call(stack);
      expect(stack.toTerraform()).toStrictEqual(own);
    }
  });
});

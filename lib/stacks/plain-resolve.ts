import { DefaultTokenResolver, StringConcat, Token } from 'cdktf';
import type { IConstruct } from 'constructs';

/**
 * cdktf's resolve with the plain values left out: the part of a stack's synthesis where the Azure synth
 * spends most of its time (BENCHMARKS.md). `TerraformStack.toTerraform` resolves each element's
 * configuration, then the whole merged configuration again; and cdktf's resolve visits every value, making
 * two resolve contexts and testing three regular expressions for each string, though most values hold no
 * token. {@link resolveSkippingPlainValues} walks plain objects, arrays and primitives itself and hands
 * every other value to cdktf's own resolve, at the same path: the result, every token's resolution (in the same
 * order) and every error are cdktf's. With the default config it makes a stack's `toTerraform` about 40% faster.
 *
 * A value is plain when cdktf's resolve would return it unchanged (cdktf 0.21.0
 * lib/tokens/private/resolve.js `resolve`, lib/tokens/private/encoding.js):
 * - a string with no token marker (`TfToken[`, in string, list and map tokens alike), that is not one of the
 *   map token values (which cdktf refuses in a string), and with no run that cdktf's regular expression for
 *   numbers inside strings could match (a character of `-|.+` or a digit, then `e`, then a character of
 *   `-|.eE+` or a digit: cdktf looks such a run up as a number token; `3e7` in a GUID is handed over);
 * - a number below 2^960 in magnitude: a token number is a double whose top 16 bits are a tag
 *   (0xFDFF for a number, about -8.1e298; 0xFBFF for a number list, about -1.9e289; cdktf
 *   `createTokenDouble`); and not the number map token value;
 * - a boolean, `undefined` (dropped from objects and arrays, as cdktf does) or `null`;
 * - an array (of Array.prototype) with no list token among its items: a string with the list marker
 *   (`#{TfToken[`) or a number that could be a token, for which cdktf resolves the array as a whole;
 * - an object of Object.prototype (or none) with no `resolve` method, not taken for a construct (cdktf's test:
 *   `_children` and `_metadata` both defined), with only plain keys.
 * Anything else (a token string, a token, a class instance, a function, a construct, a list or map token, a
 * value nested more than 200 deep) goes to cdktf's resolve, which carries on with it as it would have.
 */
export function resolveSkippingPlainValues(scope: IConstruct, value: unknown, preparing = false): unknown {
  const cdktf = internals().resolveModule;
  // cdktf's resolve, read at each call, with the value's path (its errors name the path)
  const handOver = (item: unknown, path: Path): unknown =>
    cdktf.resolve(item, { scope, preparing, resolver: RESOLVER, prefix: pathOf(path) });
  const walk = (item: unknown, path: Path): unknown => {
    // cdktf fails beyond 200 (cyclic references): it gets the value with its whole path to do so.
    if (path.depth > MAX_DEPTH) return handOver(item, path);
    switch (typeof item) {
      case 'undefined':
      case 'boolean':
        return item;
      case 'string':
        return isPlainString(item) ? item : handOver(item, path);
      case 'number':
        return isPlainNumber(item) ? item : handOver(item, path);
      case 'object':
        if (item === null) return null;
        if (isPlainArray(item)) {
          const out: unknown[] = [];
          item.forEach((element, index) => {
            const resolved = walk(element, { parent: path, key: `${index}`, depth: path.depth + 1 });
            if (resolved !== undefined) out.push(resolved);
          });
          return out;
        }
        if (isPlainObject(item)) {
          const out: Record<string, unknown> = {};
          // As cdktf does: the keys first, each value when its turn comes (an earlier token's resolution
          // may change a later value: a getter, a deleted key).
          for (const key of Object.keys(item)) {
            const resolved = walk(item[key], { parent: path, key, depth: path.depth + 1 });
            if (resolved !== undefined) out[key] = resolved;
          }
          return out;
        }
        return handOver(item, path);
      default:
        return handOver(item, path);
    }
  };
  return walk(value, ROOT);
}

/**
 * Runs `synthesize` (a call of cdktf's `TerraformStack.toTerraform`) with {@link resolveSkippingPlainValues}
 * as the resolve it calls for each element and for the whole configuration (`resolve` of cdktf 0.21.0
 * lib/_tokens.js, which only `TerraformStack` calls, read at each call), and puts cdktf's back after.
 */
export function withPlainValuesSkipped<T>(synthesize: () => T): T {
  const tokens = internals().stackResolve;
  const original = tokens.resolve;
  tokens.resolve = resolveSkippingPlainValues;
  try {
    return synthesize();
  } finally {
    tokens.resolve = original;
  }
}

/** Where a value sits: its parent's path and its key (built into cdktf's `prefix` only when handed over). */
interface Path {
  readonly parent?: Path;
  readonly key?: string;
  readonly depth: number;
}

const ROOT: Path = { depth: 0 };
const MAX_DEPTH = 200;

function pathOf(path: Path): string[] {
  const keys: string[] = [];
  for (let at: Path | undefined = path; at?.key !== undefined; at = at.parent) keys.push(at.key);
  return keys.reverse();
}

/** The resolver cdktf's `TerraformStack` resolves with (lib/_tokens.js): the default one, joining strings. */
const RESOLVER = new DefaultTokenResolver(new StringConcat());
const TOKEN_MARKER = 'TfToken[';
const LIST_TOKEN_MARKER = '#{TfToken[';
/** Where cdktf's number-in-string expression (`[-|\d|.\+]+(e[-|\d|.|e|E|\+]+)`) can match. */
const NUMBER_IN_STRING = /[-|\d.+]e[-|\d.eE+]/;
/** Below the smallest magnitude of a token number (the tags' exponent bits: 0x7DF and 0x7BF, 2^992 and 2^960). */
const TOKEN_NUMBER_MAGNITUDE = 2 ** 960;

function isPlainString(value: string): boolean {
  return (
    !value.includes(TOKEN_MARKER) &&
    !NUMBER_IN_STRING.test(value) &&
    value !== Token.STRING_MAP_TOKEN_VALUE &&
    value !== Token.ANY_MAP_TOKEN_VALUE
  );
}

function isPlainNumber(value: number): boolean {
  return Math.abs(value) < TOKEN_NUMBER_MAGNITUDE && value !== Token.NUMBER_MAP_TOKEN_VALUE;
}

function isPlainArray(value: object): value is unknown[] {
  return (
    Array.isArray(value) &&
    Object.getPrototypeOf(value) === Array.prototype &&
    !value.some(
      (item) =>
        (typeof item === 'string' && item.includes(LIST_TOKEN_MARKER)) ||
        (typeof item === 'number' && !isPlainNumber(item)),
    )
  );
}

/** Read in cdktf's order: the keys (map tokens), `resolve` (a token), `_children` and `_metadata` (a construct). */
function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  const fields = value as Record<string, unknown>;
  return (
    Object.keys(value).every(isPlainString) &&
    typeof fields.resolve !== 'function' &&
    // what cdktf takes for a construct, which it refuses to resolve
    !(fields._children !== undefined && fields._metadata !== undefined)
  );
}

/** cdktf's resolve with the options `Tokenization.resolve` does not pass on (`prefix`: the error path). */
type Resolve = (
  value: unknown,
  options: {
    scope: IConstruct;
    preparing: boolean;
    resolver: DefaultTokenResolver;
    prefix: string[];
  },
) => unknown;

interface Internals {
  readonly resolveModule: { resolve: Resolve };
  readonly stackResolve: { resolve: (scope: IConstruct, value: unknown, preparing?: boolean) => unknown };
}

const RESOLVE_MODULE = 'cdktf/lib/tokens/private/resolve';
const STACK_RESOLVE_MODULE = 'cdktf/lib/_tokens';
let loaded: Internals | undefined;

/** The two cdktf modules this depends on, checked: a cdktf that changed them fails with this file's name. */
function internals(): Internals {
  if (loaded) return loaded;
  const resolveModule = require(RESOLVE_MODULE) as { resolve?: unknown };
  const stackResolve = require(STACK_RESOLVE_MODULE) as { resolve?: unknown };
  if (typeof resolveModule.resolve !== 'function' || typeof stackResolve.resolve !== 'function')
    throw new Error(
      `${RESOLVE_MODULE} or ${STACK_RESOLVE_MODULE} has no resolve function: cdktf changed, see lib/stacks/plain-resolve.ts`,
    );
  loaded = {
    resolveModule: resolveModule as Internals['resolveModule'],
    stackResolve: stackResolve as Internals['stackResolve'],
  };
  return loaded;
}

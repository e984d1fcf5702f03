import { compareStrings, type JsonObject, type JsonValue } from '../../constructs/core/json';

export { compareStrings, type JsonObject, type JsonValue };

/** One step of an attribute path: an object key or a list index. */
export type PathSegment = string | number;

/** A leaf of a flattened JSON value: where it is and what it holds. */
export interface Leaf {
  readonly segments: readonly PathSegment[];
  readonly value: JsonValue;
}

/** The key cdktf uses for construct metadata inside resources and at the top of a stack. */
export const METADATA_KEY = '//';

/** True for a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON text with object keys sorted, so equal values always print the same. */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isJsonObject(value)) {
    const keys = Object.keys(value).sort(compareStrings);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k]!)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Deep equality of two JSON values (`undefined` stands for "absent"). */
export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return canonicalJson(a) === canonicalJson(b);
}

/** Removes cdktf's `//` metadata keys at every depth. */
export function withoutMetadata(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (isJsonObject(value)) {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k !== METADATA_KEY && v !== undefined) out[k] = withoutMetadata(v);
    }
    return out;
  }
  return value;
}

/** Applies `fn` to every string in a JSON value. */
export function mapStrings(value: JsonValue, fn: (s: string) => string): JsonValue {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (isJsonObject(value)) {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = mapStrings(v, fn);
    return out;
  }
  return value;
}

const isScalar = (v: JsonValue): boolean => v === null || typeof v !== 'object';

/**
 * Flattens a JSON value into leaves keyed by their printed path.
 *
 * Scalars are leaves; so are lists of scalars (compared whole, so a reordered `ip_rules` reads as one
 * change) and empty objects or lists. Lists of objects (Terraform blocks) are walked by index.
 */
export function flatten(value: JsonValue, prefix: readonly PathSegment[] = []): Map<string, Leaf> {
  const leaves = new Map<string, Leaf>();
  const walk = (v: JsonValue, segments: readonly PathSegment[]): void => {
    if (Array.isArray(v)) {
      if (v.length === 0 || v.every(isScalar)) {
        leaves.set(formatPath(segments), { segments, value: v });
        return;
      }
      v.forEach((item, i) => {
        walk(item, [...segments, i]);
      });
      return;
    }
    if (isJsonObject(v)) {
      const keys = Object.keys(v).filter((k) => k !== METADATA_KEY);
      if (keys.length === 0 && segments.length > 0) {
        leaves.set(formatPath(segments), { segments, value: v });
        return;
      }
      for (const k of keys) walk(v[k]!, [...segments, k]);
      return;
    }
    leaves.set(formatPath(segments), { segments, value: v });
  };
  walk(value, prefix);
  return leaves;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Prints a path the way Terraform does: `network_acls[0].default_action`, `tags["cost-center"]`. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (IDENTIFIER.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** The path without list indices (`network_acls.default_action`), which is how provider schemas name it. */
export function schemaPath(segments: readonly PathSegment[]): string {
  return segments.filter((s): s is string => typeof s === 'string').join('.');
}

/**
 * Reads a nested value by keys; a list of exactly one element on the way is stepped into, because cdktf
 * writes single-item blocks either as an object or as a one-element list.
 */
export function getPath(value: JsonValue | undefined, keys: readonly string[]): JsonValue | undefined {
  let current: JsonValue | undefined = value;
  for (const key of keys) {
    if (Array.isArray(current) && current.length === 1) current = current[0];
    if (!isJsonObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** A block that may be written as an object or as a list of objects, as a list of objects. */
export function asObjectList(value: JsonValue | undefined): JsonObject[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.filter(isJsonObject);
  return isJsonObject(value) ? [value] : [];
}

/**
 * JSON as this project reads and writes it: synthesized `cdk.tf.json` files, azapi request bodies (whose
 * strings may hold cdktf tokens) and reports. An object member may be `undefined` while a body is built:
 * `JSON.stringify` leaves it out.
 */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;

/** A JSON object (see {@link JsonValue}). */
export interface JsonObject {
  [key: string]: JsonValue | undefined;
}

/**
 * Orders strings by UTF-16 code unit: the same on every machine, unlike `localeCompare`, whose order
 * follows the locale of the process. Every sort of synthesized or reported text uses it.
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

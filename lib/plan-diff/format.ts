import { canonicalJson, type JsonValue, type PathSegment } from './json';

/** Attribute names whose values are never printed: keys, secrets, passwords, tokens, connection strings, SAS. */
export const SENSITIVE_NAME = /key|secret|password|token|connection_string|sas/i;

/** What a sensitive value prints as. */
export const SENSITIVE_PLACEHOLDER = '(sensitive)';

/** What an absent argument prints as. */
export const ABSENT = '(absent)';

/** Longest value printed in full; longer values are cut and their length shown. */
export const MAX_VALUE_LENGTH = 120;

/**
 * CloudFormation property names that match {@link SENSITIVE_NAME} but name a key instead of holding one:
 * a tag's `Key`, a table's `KeySchema`, a KMS key's policy, spec, usage and rotation, and the ids / ARNs of
 * KMS keys. Hiding them would hide a key policy or encryption change.
 */
export const NOT_SECRET_NAMES: ReadonlySet<string> = new Set([
  'Key',
  'KeySchema',
  'KeyPolicy',
  'KeySpec',
  'KeyUsage',
  'EnableKeyRotation',
  'KmsKeyId',
  'KmsKeyArn',
  'KmsKeyID',
  'KMSMasterKeyID',
  'KmsMasterKeyId',
]);

/** True when any object key on the path names a secret (`primary_access_key`, `connection_string[0].value`). */
export function isSensitivePath(segments: readonly PathSegment[]): boolean {
  return segments.some((s) => typeof s === 'string' && SENSITIVE_NAME.test(s) && !NOT_SECRET_NAMES.has(s));
}

/**
 * Prints a value for the report: JSON, cut after {@link MAX_VALUE_LENGTH} characters, backticks escaped
 * so it can sit in a Markdown code span or fence.
 *
 * A sensitive value prints as `(sensitive)` unless it is a boolean, a number or null: those cannot
 * carry a secret, and hiding `shared_access_key_enabled: false -> true` would hide a regression.
 */
export function formatValue(value: JsonValue | undefined, sensitive = false): string {
  if (value === undefined) return ABSENT;
  if (sensitive && (typeof value === 'string' || typeof value === 'object') && value !== null) {
    return SENSITIVE_PLACEHOLDER;
  }
  let text = typeof value === 'string' ? JSON.stringify(value) : canonicalJson(value);
  if (text.length > MAX_VALUE_LENGTH)
    text = `${text.slice(0, MAX_VALUE_LENGTH - 20)}… (${text.length} chars)`;
  return text.replace(/`/g, '\\u0060');
}

/** Wraps text in a Markdown code span (the text must not contain backticks; {@link formatValue} ensures it). */
export function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** `before -> after` with both values formatted and in code spans. */
export function transition(
  before: JsonValue | undefined,
  after: JsonValue | undefined,
  sensitive = false,
): string {
  return `${code(formatValue(before, sensitive))} -> ${code(formatValue(after, sensitive))}`;
}

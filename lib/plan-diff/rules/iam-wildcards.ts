import { code } from '../format';
import {
  canonicalJson,
  compareStrings,
  formatPath,
  isJsonObject,
  type JsonValue,
  type PathSegment,
} from '../json';
import type { ResourceState, RuleResult } from './types';

const asList = (value: JsonValue | undefined): JsonValue[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/**
 * `Allow` statements of IAM policy documents anywhere in a body (`Properties.PolicyDocument`, a role's
 * `Policies[].PolicyDocument`, a bucket or key policy) whose `Action` includes `*` (or `*:*`) and whose
 * `Resource` includes `*`: full administrator access. Keyed by the statement's canonical JSON.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_statement.html
 */
function adminStatements(body: JsonValue | undefined): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (value: JsonValue, segments: readonly PathSegment[]): void => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        walk(v, [...segments, i]);
      });
      return;
    }
    if (!isJsonObject(value)) return;
    for (const [key, child] of Object.entries(value)) {
      if (child === undefined) continue;
      if (key !== 'Statement') {
        walk(child, [...segments, key]);
        continue;
      }
      const statements = asList(child);
      statements.forEach((statement, i) => {
        if (!isJsonObject(statement) || statement.Effect !== 'Allow') return;
        const anyAction = asList(statement.Action).some((a) => a === '*' || a === '*:*');
        const anyResource = asList(statement.Resource).some((r) => r === '*');
        const where = Array.isArray(child) ? [...segments, key, i] : [...segments, key];
        if (anyAction && anyResource) found.set(canonicalJson(statement), formatPath(where));
      });
    }
  };
  if (body !== undefined) walk(body, []);
  return found;
}

/**
 * An IAM statement that allows `*` actions on `*` resources and was not there before (on a new resource
 * too: a new administrator policy is exactly what to catch). Blocking.
 *
 * @param before the resource in base, `undefined` when it is created
 */
export function iamWildcardGrants(before: ResourceState | undefined, after: ResourceState): RuleResult[] {
  const old = adminStatements(before?.body);
  return [...adminStatements(after.body)]
    .filter(([statement]) => !old.has(statement))
    .map(([, path]) => path)
    .sort(compareStrings)
    .map((path) => ({
      kind: 'iam-wildcard',
      blocking: true,
      message: `IAM statement allows \`*\` actions on \`*\` resources: ${code(path)}`,
    }));
}

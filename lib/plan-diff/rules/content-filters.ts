import { code, transition } from '../format';
import { asObjectList, getPath, type JsonObject, type JsonValue } from '../json';
import { sameAzapiType } from './azapi';
import type { ResourceState, RuleResult } from './types';

const SEVERITY_RANK: Readonly<Record<string, number>> = { low: 0, medium: 1, high: 2 };

interface FilterFields {
  readonly name: string;
  readonly source: string;
  readonly severity: string;
  readonly filterEnabled: string;
  readonly blockEnabled: string;
}

const AZURERM_FILTER: FilterFields = {
  name: 'name',
  source: 'source',
  severity: 'severity_threshold',
  filterEnabled: 'filter_enabled',
  blockEnabled: 'block_enabled',
};
const AZAPI_FILTER: FilterFields = {
  name: 'name',
  source: 'source',
  severity: 'severityThreshold',
  filterEnabled: 'enabled',
  blockEnabled: 'blocking',
};

function contentFilters(
  resource: ResourceState,
): { fields: FilterFields; entries: JsonObject[] } | undefined {
  if (resource.type === 'azurerm_cognitive_account_rai_policy') {
    return { fields: AZURERM_FILTER, entries: asObjectList(resource.body.content_filter) };
  }
  if (
    resource.type === 'azapi_resource' &&
    sameAzapiType(resource.body, 'Microsoft.CognitiveServices/accounts/raiPolicies')
  ) {
    return {
      fields: AZAPI_FILTER,
      entries: asObjectList(getPath(resource.body, ['body', 'properties', 'contentFilters'])),
    };
  }
  return undefined;
}

function raiPolicyName(resource: ResourceState): { path: string; value: JsonValue | undefined } | undefined {
  if (resource.type === 'azurerm_cognitive_deployment') {
    return { path: 'rai_policy_name', value: resource.body.rai_policy_name };
  }
  if (
    resource.type === 'azapi_resource' &&
    sameAzapiType(resource.body, 'Microsoft.CognitiveServices/accounts/deployments')
  ) {
    return {
      path: 'body.properties.raiPolicyName',
      value: getPath(resource.body, ['body', 'properties', 'raiPolicyName']),
    };
  }
  return undefined;
}

const filterKey = (entry: JsonObject, f: FilterFields): string =>
  `${String(entry[f.name] ?? '?')} (${String(entry[f.source] ?? '?')})`;

/**
 * Content filter weakenings: an RAI policy filter whose severity threshold rises (Low < Medium < High:
 * a higher threshold lets more harmful content through), whose filtering or blocking is turned off, or
 * that is removed; an RAI policy destroyed; a model deployment that drops its `rai_policy_name`.
 * All blocking.
 *
 * @param before the resource in base
 * @param after the resource in head, or `undefined` when it is destroyed
 */
export function contentFilterWeakenings(
  before: ResourceState,
  after: ResourceState | undefined,
): RuleResult[] {
  const results: RuleResult[] = [];
  const push = (message: string): void => {
    results.push({ kind: 'content-filter', blocking: true, message });
  };
  const old = contentFilters(before);
  if (old) {
    if (!after) {
      if (old.entries.length > 0)
        push(`RAI policy destroyed: its ${old.entries.length} content filters no longer apply`);
      return results;
    }
    const current = contentFilters(after) ?? { fields: old.fields, entries: [] };
    const now = new Map(current.entries.map((e) => [filterKey(e, current.fields), e]));
    for (const entry of old.entries) {
      const key = filterKey(entry, old.fields);
      const next = now.get(key);
      if (!next) {
        push(`content filter ${code(key)} removed`);
        continue;
      }
      const f = old.fields;
      const g = current.fields;
      // An unknown severity ranks NaN: no comparison with it is true.
      const was = SEVERITY_RANK[String(entry[f.severity]).toLowerCase()] ?? Number.NaN;
      const is = SEVERITY_RANK[String(next[g.severity]).toLowerCase()] ?? Number.NaN;
      if (is > was) {
        push(
          `content filter ${code(key)} severity threshold raised: ${transition(entry[f.severity], next[g.severity])}`,
        );
      }
      if (entry[f.filterEnabled] === true && next[g.filterEnabled] !== true) {
        push(
          `content filter ${code(key)} filtering turned off: ${transition(entry[f.filterEnabled], next[g.filterEnabled])}`,
        );
      }
      if (entry[f.blockEnabled] === true && next[g.blockEnabled] !== true) {
        push(
          `content filter ${code(key)} blocking turned off: ${transition(entry[f.blockEnabled], next[g.blockEnabled])}`,
        );
      }
    }
    return results;
  }
  const policy = raiPolicyName(before);
  if (policy && after) {
    const next = raiPolicyName(after);
    const had = typeof policy.value === 'string' && policy.value !== '';
    const has = typeof next?.value === 'string' && next.value !== '';
    if (had && !has)
      push(`deployment RAI policy removed: ${code(policy.path)} ${transition(policy.value, next?.value)}`);
  }
  return results;
}

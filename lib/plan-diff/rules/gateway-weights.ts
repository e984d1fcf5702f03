import { code, transition } from '../format';
import {
  asObjectList,
  canonicalJson,
  compareStrings,
  getPath,
  type JsonObject,
  type JsonValue,
} from '../json';
import { sameAzapiType } from './azapi';
import type { ResourceState, RuleResult } from './types';

const keyOf = (value: JsonValue | undefined): string =>
  typeof value === 'string' ? value : canonicalJson(value ?? null);

/**
 * API Management backend pool changes (`azapi_resource` of type `Microsoft.ApiManagement/service/backends`):
 * per backend id, `weight` / `priority` old -> new, and backends added to or removed from the pool.
 * Shown, not blocking: shifting traffic is a deliberate, reviewable act.
 */
export function gatewayWeightChanges(before: ResourceState, after: ResourceState): RuleResult[] {
  const isPool = (r: ResourceState): boolean =>
    r.type === 'azapi_resource' && sameAzapiType(r.body, 'Microsoft.ApiManagement/service/backends');
  if (!isPool(before) || !isPool(after)) return [];
  const services = (r: ResourceState): Map<string, JsonObject> =>
    new Map(
      asObjectList(getPath(r.body, ['body', 'properties', 'pool', 'services'])).map((s) => [keyOf(s.id), s]),
    );
  const old = services(before);
  const now = services(after);
  const results: RuleResult[] = [];
  const push = (message: string): void => {
    results.push({ kind: 'gateway-weight', blocking: false, message });
  };
  for (const id of [...new Set([...old.keys(), ...now.keys()])].sort(compareStrings)) {
    const b = old.get(id);
    const a = now.get(id);
    if (!b)
      push(
        `pool backend ${code(id)} added: weight ${code(String(a!.weight ?? '(default)'))}, priority ${code(String(a!.priority ?? '(default)'))}`,
      );
    else if (!a)
      push(
        `pool backend ${code(id)} removed (was weight ${code(String(b.weight ?? '(default)'))}, priority ${code(String(b.priority ?? '(default)'))})`,
      );
    else {
      const parts: string[] = [];
      for (const field of ['weight', 'priority']) {
        if (canonicalJson(b[field] ?? null) !== canonicalJson(a[field] ?? null))
          parts.push(`${field} ${transition(b[field], a[field])}`);
      }
      if (parts.length > 0) push(`pool backend ${code(id)}: ${parts.join(', ')}`);
    }
  }
  return results;
}

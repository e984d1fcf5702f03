import { code, transition } from '../format';
import { asObjectList, canonicalJson, type JsonObject, type JsonValue } from '../json';
import type { ResourceState, RuleResult } from './types';

/** Keys criteria by metric name when unique, else by position. */
function keyedCriteria(entries: JsonObject[], nameField: string | undefined): Map<string, JsonObject> {
  // Stryker disable next-line ArrayDeclaration: without a name field the keys are positional whatever the names
  const names = nameField ? entries.map((e) => e[nameField]) : [];
  const unique =
    nameField !== undefined &&
    names.every((n) => typeof n === 'string') &&
    new Set(names).size === names.length;
  return new Map(entries.map((e, i) => [unique ? String(e[nameField!]) : `#${i}`, e]));
}

function compareCriteria(
  label: string,
  before: JsonValue | undefined,
  after: JsonValue | undefined,
  nameField: string | undefined,
  field: string,
): RuleResult[] {
  const old = keyedCriteria(asObjectList(before), nameField);
  const now = keyedCriteria(asObjectList(after), nameField);
  const results: RuleResult[] = [];
  for (const [key, b] of old) {
    const a = now.get(key);
    if (!a || canonicalJson(b[field] ?? null) === canonicalJson(a[field] ?? null)) continue;
    const where = key.startsWith('#') ? `${label}[${key.slice(1)}]` : `${label} ${code(key)}`;
    results.push({
      kind: 'alert-threshold',
      blocking: false,
      message: `${where} ${field}: ${transition(b[field], a[field])}`,
    });
  }
  return results;
}

/**
 * Numeric comparisons of a KQL query (`meanScore < 4`, `samples >= 3`, `degradation > 0.5`), keyed by
 * `<column> <operator>`; a repeated key gets `#2`, `#3`, ... in order.
 */
function queryComparisons(query: JsonValue | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof query !== 'string') return out;
  const text = query.replace(/\/\/[^\n]*/g, '');
  for (const m of text.matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\b/g)) {
    const base = `${m[1]} ${m[2]}`;
    let key = base;
    for (let n = 2; out.has(key); n++) key = `${base} #${n}`;
    out.set(key, m[3]!);
  }
  return out;
}

/**
 * Thresholds written in the queries of scheduled query rules. Answer-quality rules count failing rows
 * (`criteria.threshold` stays 0), so a release threshold or drift tolerance change from the config shows
 * only in the query: `criteria[0] query `meanScore <`: `4` -> `3.5``.
 */
function queryThresholdChanges(before: JsonValue | undefined, after: JsonValue | undefined): RuleResult[] {
  const old = asObjectList(before);
  const now = asObjectList(after);
  const results: RuleResult[] = [];
  old.forEach((b, i) => {
    const a = now[i];
    if (!a) return;
    const was = queryComparisons(b.query);
    const is = queryComparisons(a.query);
    for (const [key, value] of was) {
      const next = is.get(key);
      if (next === undefined || next === value) continue;
      results.push({
        kind: 'alert-threshold',
        blocking: false,
        message: `criteria[${i}] query ${code(key)}: ${code(value)} -> ${code(next)}`,
      });
    }
  });
  return results;
}

/**
 * Alert threshold changes: `azurerm_monitor_metric_alert` `criteria[].threshold` and
 * `dynamic_criteria` `alert_sensitivity`; `azurerm_monitor_scheduled_query_rules_alert_v2`
 * `criteria[].threshold` and the numeric comparisons in `criteria[].query` (the answer-quality thresholds).
 * Shown, not blocking.
 */
export function alertThresholdChanges(before: ResourceState, after: ResourceState): RuleResult[] {
  if (before.type === 'azurerm_monitor_metric_alert') {
    return [
      ...compareCriteria('criteria', before.body.criteria, after.body.criteria, 'metric_name', 'threshold'),
      ...compareCriteria(
        'dynamic_criteria',
        before.body.dynamic_criteria,
        after.body.dynamic_criteria,
        'metric_name',
        'alert_sensitivity',
      ),
    ];
  }
  if (before.type === 'azurerm_monitor_scheduled_query_rules_alert_v2') {
    return [
      ...compareCriteria('criteria', before.body.criteria, after.body.criteria, undefined, 'threshold'),
      ...queryThresholdChanges(before.body.criteria, after.body.criteria),
    ];
  }
  return [];
}

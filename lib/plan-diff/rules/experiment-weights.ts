import { code, transition } from '../format';
import { canonicalJson, type JsonValue } from '../json';
import type { ResourceState, RuleResult } from './types';

/**
 * Prefix of the API Management named values that hold an experiment's weights (`llmops-weights-<experiment>`,
 * value `control=90;candidate=10`). Mirrors `WEIGHTS_NAMED_VALUE_PREFIX` of the gateway construct (a test
 * keeps the two equal); this tool reads JSON only and does not load the construct tree.
 */
export const EXPERIMENT_WEIGHTS_PREFIX = 'llmops-weights-';

/** `control=90;candidate=10` -> entries in order; undefined when the text is not a weights label. */
function parseWeights(value: JsonValue | undefined): [string, number][] | undefined {
  if (typeof value !== 'string') return undefined;
  const entries: [string, number][] = [];
  for (const part of value.split(';')) {
    const m = /^([^=;]+)=(\d{1,3})$/.exec(part);
    if (!m) return undefined;
    entries.push([m[1]!, Number(m[2])]);
  }
  return entries;
}

/**
 * Experiment weight changes on the gateway: the named value `llmops-weights-<experiment>` that the
 * variant-selection policy reads. Per variant, `weight old -> new`. This is how a rollback reads in a
 * pull request (`candidate` 10 -> 0). Shown, not blocking.
 */
export function experimentWeightChanges(before: ResourceState, after: ResourceState): RuleResult[] {
  const isWeights = (r: ResourceState): boolean =>
    r.type === 'azurerm_api_management_named_value' &&
    typeof r.body.name === 'string' &&
    r.body.name.startsWith(EXPERIMENT_WEIGHTS_PREFIX);
  if (
    !isWeights(before) ||
    !isWeights(after) ||
    canonicalJson(before.body.value ?? null) === canonicalJson(after.body.value ?? null)
  )
    return [];
  const experiment = String(after.body.name).slice(EXPERIMENT_WEIGHTS_PREFIX.length);
  const old = parseWeights(before.body.value);
  const now = parseWeights(after.body.value);
  if (!old || !now) {
    return [
      {
        kind: 'gateway-weight',
        blocking: false,
        message: `experiment ${code(experiment)} weights: ${transition(before.body.value, after.body.value)}`,
      },
    ];
  }
  const oldMap = new Map(old);
  const nowMap = new Map(now);
  const variants = [...new Set([...old.map(([v]) => v), ...now.map(([v]) => v)])];
  return variants
    .filter((v) => oldMap.get(v) !== nowMap.get(v))
    .map((v) => ({
      kind: 'gateway-weight' as const,
      blocking: false,
      message: `experiment ${code(experiment)} variant ${code(v)}: weight ${code(String(oldMap.get(v) ?? '(none)'))} -> ${code(String(nowMap.get(v) ?? '(none)'))}`,
    }));
}

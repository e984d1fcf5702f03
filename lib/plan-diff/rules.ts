import { azapiResourceType } from './forces-new';
import { code, transition } from './format';
import {
  asObjectList,
  canonicalJson,
  compareStrings,
  flatten,
  formatPath,
  getPath,
  type JsonObject,
  type JsonValue,
  type PathSegment,
} from './json';

/** What a finding is about. */
export type FindingKind =
  | 'stack-destroy'
  | 'stateful-destroy'
  | 'stateful-replace'
  | 'prevent-destroy'
  | 'public-access'
  | 'local-auth'
  | 'key-vault-protection'
  | 'tls'
  | 'content-filter'
  | 'gateway-weight'
  | 'alert-threshold';

/** One check result on one resource, before acknowledgement. */
export interface RuleResult {
  readonly kind: FindingKind;
  /** Blocking results fail the check (exit code 1) unless acknowledged with `--allow`. */
  readonly blocking: boolean;
  /** What changed, as Markdown. */
  readonly message: string;
}

/** A resource as the rules see it. */
export interface ResourceState {
  readonly type: string;
  readonly body: JsonObject;
}

/**
 * Resource types whose destruction loses data or identity (keys, blobs, indexes, logs, model
 * deployments, endpoints other systems point at). Destroying or replacing one is blocking.
 */
export const STATEFUL_TYPES: ReadonlySet<string> = new Set([
  'azurerm_key_vault',
  'azurerm_storage_account',
  'azurerm_storage_container',
  'azurerm_search_service',
  'azurerm_log_analytics_workspace',
  'azurerm_application_insights',
  'azurerm_cognitive_account',
  'azurerm_cognitive_deployment',
  'azurerm_resource_group',
  'azurerm_ai_foundry',
  'azurerm_ai_foundry_project',
  // Removing a CanNotDelete lock leaves a stateful resource deletable from the portal and the CLI.
  'azurerm_management_lock',
  // Deleting a customer-managed key makes everything encrypted with it unreadable.
  'azurerm_key_vault_key',
]);

/** azapi data-plane types that hold data: an AI Search index (its documents go with it). */
const STATEFUL_DATA_PLANE_TYPE_PREFIX = 'microsoft.search/searchservices/indexes';

// Stryker disable next-line StringLiteral: any text but the index prefix reads the same as ''
const typeOf = (body: JsonObject): string => (typeof body.type === 'string' ? body.type : '');
const sameAzapiType = (body: JsonObject, wanted: string): boolean =>
  // Stryker disable next-line StringLiteral: any text that is no resource type reads the same as ''
  (azapiResourceType(body.type) ?? '').toLowerCase() === wanted.toLowerCase();

/** True when destroying this resource loses state (see {@link STATEFUL_TYPES}). */
export function isStateful(resource: ResourceState): boolean {
  if (STATEFUL_TYPES.has(resource.type)) return true;
  return (
    resource.type === 'azapi_data_plane_resource' &&
    typeOf(resource.body).toLowerCase().startsWith(STATEFUL_DATA_PLANE_TYPE_PREFIX)
  );
}

/** True when the resource has `lifecycle.prevent_destroy = true`. */
export function hasPreventDestroy(resource: ResourceState): boolean {
  return getPath(resource.body, ['lifecycle', 'prevent_destroy']) === true;
}

// ---------------------------------------------------------------------------------------------------
// Security regressions (blocking)
// ---------------------------------------------------------------------------------------------------

/** One spelling of a security setting: the argument name and its secure / insecure values. */
export interface Setting {
  readonly key: string;
  readonly secure: JsonValue;
  readonly insecure: JsonValue;
}

/**
 * A security setting that must not move from secure to insecure. The settings of one rule are aliases
 * of each other (renamed or inverted arguments), so `local_authentication_disabled: true` ->
 * `local_authentication_enabled: false` is no regression.
 */
export interface SecurityRule {
  readonly kind: FindingKind;
  readonly what: string;
  readonly settings: readonly Setting[];
  /** The provider default is the insecure value, so removing the argument is a regression. */
  readonly absentIsInsecure: boolean;
  /** Only where the setting's parent block has this path (e.g. `lifecycle`). @default anywhere */
  readonly parent?: string;
}

const enabledFlag = (key: string): Setting => ({ key, secure: false, insecure: true });
const disabledFlag = (key: string): Setting => ({ key, secure: true, insecure: false });

/**
 * The security settings {@link securityRegressions} guards, each with every spelling it has (azurerm
 * snake_case arguments, old and new names, inverted flags, azapi camelCase body properties). A new spelling
 * is guarded, and tested, by adding it here.
 */
export const SECURITY_RULES: readonly SecurityRule[] = [
  {
    kind: 'public-access',
    what: 'public network access opened',
    settings: [
      enabledFlag('public_network_access_enabled'),
      { key: 'public_network_access', secure: 'Disabled', insecure: 'Enabled' },
      { key: 'publicNetworkAccess', secure: 'Disabled', insecure: 'Enabled' },
    ],
    absentIsInsecure: true,
  },
  {
    kind: 'public-access',
    what: 'network rules opened (default action)',
    settings: [
      { key: 'default_action', secure: 'Deny', insecure: 'Allow' },
      { key: 'defaultAction', secure: 'Deny', insecure: 'Allow' },
    ],
    absentIsInsecure: true,
  },
  {
    kind: 'local-auth',
    what: 'local (key) authentication enabled',
    settings: [
      enabledFlag('local_auth_enabled'),
      enabledFlag('local_authentication_enabled'),
      disabledFlag('local_authentication_disabled'),
      disabledFlag('disableLocalAuth'),
    ],
    absentIsInsecure: true,
  },
  {
    kind: 'local-auth',
    what: 'shared access keys enabled',
    settings: [enabledFlag('shared_access_key_enabled'), enabledFlag('allowSharedKeyAccess')],
    absentIsInsecure: true,
  },
  {
    kind: 'key-vault-protection',
    what: 'Key Vault RBAC authorization turned off',
    settings: [
      disabledFlag('rbac_authorization_enabled'),
      disabledFlag('enable_rbac_authorization'),
      disabledFlag('enableRbacAuthorization'),
    ],
    absentIsInsecure: true,
  },
  {
    kind: 'key-vault-protection',
    what: 'purge protection turned off',
    settings: [disabledFlag('purge_protection_enabled'), disabledFlag('enablePurgeProtection')],
    absentIsInsecure: true,
  },
  {
    kind: 'prevent-destroy',
    what: 'lifecycle.prevent_destroy removed',
    settings: [disabledFlag('prevent_destroy')],
    absentIsInsecure: true,
    parent: 'lifecycle',
  },
];

type SettingState = {
  readonly state: 'secure' | 'insecure' | 'other';
  readonly key: string;
  readonly value: JsonValue;
};

/**
 * Compares a value with a setting's value (a boolean or a word) as Terraform and the service read them:
 * case-insensitively, and with `"true"` / `"false"` strings equal to the booleans (Terraform converts
 * them). Objects and null never equal a setting's value.
 */
const sameValue = (a: JsonValue, b: JsonValue): boolean =>
  String(a).toLowerCase() === String(b).toLowerCase();

function settingState(
  parentPath: string,
  leaves: ReadonlyMap<string, { value: JsonValue }>,
  rule: SecurityRule,
): SettingState | undefined {
  for (const setting of rule.settings) {
    const path = parentPath ? `${parentPath}.${setting.key}` : setting.key;
    const leaf = leaves.get(path);
    if (!leaf) continue;
    const state = sameValue(leaf.value, setting.secure)
      ? 'secure'
      : sameValue(leaf.value, setting.insecure)
        ? 'insecure'
        : // Stryker disable next-line StringLiteral: only 'secure' and 'insecure' are ever compared
          'other';
    return { state, key: setting.key, value: leaf.value };
  }
  return undefined;
}

function parentsOf(
  leaves: ReadonlyMap<string, { segments: readonly PathSegment[] }>,
  rule: SecurityRule,
): string[] {
  const keys = new Set(rule.settings.map((s) => s.key));
  const parents = new Set<string>();
  for (const { segments } of leaves.values()) {
    // Stryker disable next-line ConditionalExpression: the filter only saves lookups (a parent without the setting finds nothing)
    if (!keys.has(String(segments[segments.length - 1]))) continue;
    const parent = formatPath(segments.slice(0, -1));
    if (rule.parent === undefined || parent === rule.parent) parents.add(parent);
  }
  return [...parents];
}

function describeChange(
  parent: string,
  was: SettingState | undefined,
  now: SettingState | undefined,
): string {
  const at = (key: string): string => (parent ? `${parent}.${key}` : key);
  if (was && now && was.key !== now.key) {
    return `${code(at(was.key))} = ${code(JSON.stringify(was.value))} -> ${code(at(now.key))} = ${code(JSON.stringify(now.value))}`;
  }
  const key = (now ?? was)!.key;
  return `${code(at(key))}: ${transition(was?.value, now?.value)}`;
}

/** Every spelling of a minimum TLS version argument (azurerm snake_case, azapi camelCase). */
export const TLS_KEYS: ReadonlySet<string> = new Set([
  'min_tls_version',
  'minimum_tls_version',
  'minTlsVersion',
  'minimumTlsVersion',
]);

/**
 * `TLS1_2`, `1.2`, `Tls12` -> 12; NaN when the value names no version, so that every comparison with it
 * is false.
 */
function tlsRank(value: JsonValue | undefined): number {
  if (typeof value !== 'string') return Number.NaN;
  const m = /(\d)\D?(\d)/.exec(value);
  return m ? Number(`${m[1]}${m[2]}`) : Number.NaN;
}

/** The paths `lifecycle.ignore_changes` names (`public_network_access_enabled`, `encryption[0].key_id`), or `all`. */
function ignoredChanges(body: JsonObject): readonly string[] | 'all' {
  const lifecycle = body.lifecycle;
  const value =
    lifecycle !== null && typeof lifecycle === 'object' && !Array.isArray(lifecycle)
      ? (lifecycle as JsonObject).ignore_changes
      : undefined;
  if (value === 'all') return 'all';
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Whether `path` is, or lies under, one of the ignored paths. */
function isIgnored(path: string, ignored: readonly string[] | 'all'): boolean {
  if (ignored === 'all') return true;
  return ignored.some((i) => path === i || path.startsWith(`${i}.`) || path.startsWith(`${i}[`));
}

/**
 * Security regressions between two versions of one resource: public access opened, local
 * authentication enabled, Key Vault RBAC / purge protection turned off, minimum TLS lowered,
 * `lifecycle.prevent_destroy` removed. All blocking.
 *
 * Settings are found by argument name at any depth, so azapi bodies (`body.properties.publicNetworkAccess`)
 * and nested blocks (`network_acls[0].default_action`) are covered.
 */
export function securityRegressions(before: ResourceState, after: ResourceState): RuleResult[] {
  const b = flatten(before.body);
  const a = flatten(after.body);
  const ignored = ignoredChanges(after.body);
  const results: RuleResult[] = [];
  for (const rule of SECURITY_RULES) {
    const parents = new Set([...parentsOf(b, rule), ...parentsOf(a, rule)]);
    for (const parent of [...parents].sort(compareStrings)) {
      const was = settingState(parent, b, rule);
      const now = settingState(parent, a, rule);
      // Terraform does not apply a change to an argument the resource ignores: the deployed value stays
      // (e.g. API Management, created open and closed by an update after its private endpoint).
      const key = (now ?? was)?.key;
      if (key !== undefined && isIgnored(parent ? `${parent}.${key}` : key, ignored)) continue;
      const opened = now?.state === 'insecure' && was?.state !== 'insecure';
      const dropped =
        now === undefined &&
        // Stryker disable next-line ConditionalExpression: equivalent while every rule has absentIsInsecure: true (the table test covers false)
        rule.absentIsInsecure &&
        // Stryker disable next-line OptionalChaining: was is set whenever now is not (the parent came from one of them)
        was?.state === 'secure';
      if (opened || dropped) {
        results.push({
          kind: rule.kind,
          blocking: true,
          message: `${rule.what}: ${describeChange(parent, was, now)}`,
        });
      }
    }
  }
  for (const [path, leaf] of a) {
    if (!TLS_KEYS.has(String(leaf.segments[leaf.segments.length - 1]))) continue;
    if (tlsRank(leaf.value) < tlsRank(b.get(path)?.value)) {
      results.push({
        kind: 'tls',
        blocking: true,
        message: `minimum TLS version lowered: ${code(path)} ${transition(b.get(path)?.value, leaf.value)}`,
      });
    }
  }
  return results;
}

// ---------------------------------------------------------------------------------------------------
// Content filters (blocking)
// ---------------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------------
// Notable, not blocking: gateway weights and alert thresholds
// ---------------------------------------------------------------------------------------------------

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

import { UsageError } from '../cli/exit';
import { forcesNewArgument } from './forces-new';
import { code, isSensitivePath } from './format';
import {
  canonicalJson,
  compareStrings,
  flatten,
  type JsonObject,
  type JsonValue,
  jsonEqual,
  mapStrings,
  type PathSegment,
  schemaPath,
} from './json';
import {
  alertThresholdChanges,
  contentFilterWeakenings,
  encryptionRemovals,
  experimentWeightChanges,
  type FindingKind,
  gatewayWeightChanges,
  hasPreventDestroy,
  iamWildcardGrants,
  isStateful,
  openSearchPolicyRegressions,
  type RuleResult,
  retainsOnReplace,
  securityRegressions,
} from './rules/index';
import {
  FORMAT_NAMES,
  formatOf,
  type StackConfig,
  type SynthFormat,
  type SynthOutput,
  type TerraformBlock,
} from './synth-output';

/** Options of {@link diffOutputs}. */
export interface PlanDiffOptions {
  /**
   * Blocking changes a reviewer has acknowledged. Each entry is a resource address
   * (`azurerm_key_vault.Kv`, or a CloudFormation logical ID, matching in every stack),
   * `<stack>:<address>` (one stack), or `<stack>:*` (everything blocking in that stack, including its
   * removal).
   * @default - none
   */
  readonly allow?: readonly string[];
}

/** One changed argument, at leaf level. */
export interface AttributeChange {
  /** Path as Terraform prints it, e.g. `network_acls[0].default_action`. */
  readonly path: string;
  /** Old value; `undefined` when the argument was absent. */
  readonly before?: JsonValue;
  /** New value; `undefined` when the argument is removed. */
  readonly after?: JsonValue;
  /** The path names a secret: print `(sensitive)` instead of the values. */
  readonly sensitive: boolean;
  /** The force-new argument this change hits, when it forces replacement. */
  readonly forcesNew?: string;
}

/**
 * What happens to one resource: `create`, `update` (in place), `replace` (destroy and create: a
 * force-new argument changed, or the address changed without a `moved` block), `move` (a `moved` block,
 * possibly with in-place changes) or `delete`.
 */
export type ResourceAction = 'create' | 'update' | 'replace' | 'move' | 'delete';

/** The change of one resource or data source. */
export interface ResourceChange {
  /** Address in head (in base for `delete`). */
  readonly address: string;
  /** Address in base when it differs (`move`, or `replace` after a rename). */
  readonly previousAddress?: string;
  /** Resource type. */
  readonly type: string;
  readonly action: ResourceAction;
  /** Why it is replaced, as Markdown (empty unless `action` is `replace`). */
  readonly replaceReasons: readonly string[];
  /** Changed arguments, sorted by path (empty for `create` and `delete`). */
  readonly attributes: readonly AttributeChange[];
}

/** Per-stack counts of managed resources, for the summary table. */
export interface ChangeCounts {
  readonly added: number;
  readonly changed: number;
  readonly replaced: number;
  readonly moved: number;
  readonly removed: number;
}

/** `added`: only in head; `removed`: only in base (everything in it is destroyed). */
export type StackStatus = 'added' | 'removed' | 'changed' | 'unchanged';

/** The diff of one stack (one environment). */
export interface StackDiff {
  readonly name: string;
  readonly status: StackStatus;
  /** Managed resource changes, sorted by address. */
  readonly changes: readonly ResourceChange[];
  /** Data source changes (reads only: never replaced, never blocking), sorted by address. */
  readonly dataSourceChanges: readonly ResourceChange[];
  readonly counts: ChangeCounts;
}

/** A flagged change on one resource. */
export interface Finding {
  readonly stack: string;
  /** The resource address (CloudFormation: logical ID), or `*` for the stack as a whole. */
  readonly address: string;
  /** The CloudFormation resource type (`AWS::S3::Bucket`): a logical ID does not name it. Unset for cdktf. */
  readonly resourceType?: string;
  /** The base address when the resource moved or was renamed. */
  readonly previousAddress?: string;
  readonly kind: FindingKind;
  /** Blocking findings make the check fail unless acknowledged. */
  readonly blocking: boolean;
  /** What changed, as Markdown. */
  readonly message: string;
  /** A blocking finding acknowledged with `--allow`. */
  readonly acknowledged: boolean;
}

/** The result of {@link diffOutputs}: per-stack diffs plus the blocking and notable findings. */
export interface PlanDiffReport {
  /** What was compared: cdktf synth outputs or CloudFormation cloud assemblies. */
  readonly format: SynthFormat;
  /** Stacks in base or head, sorted by name. */
  readonly stacks: readonly StackDiff[];
  /** Blocking findings (acknowledged or not), sorted by stack, address and kind. */
  readonly blocking: readonly Finding[];
  /** Findings shown for review but never blocking (gateway weights, alert thresholds). */
  readonly notable: readonly Finding[];
  /** `allow` entries that matched no blocking finding (likely a typo). */
  readonly unusedAllows: readonly string[];
}

const KIND_ORDER: readonly FindingKind[] = [
  'stack-destroy',
  'stateful-destroy',
  'stateful-replace',
  'prevent-destroy',
  'public-access',
  'local-auth',
  'key-vault-protection',
  'tls',
  'encryption',
  'iam-wildcard',
  'content-filter',
  'gateway-weight',
  'alert-threshold',
];

function comparePaths(a: readonly PathSegment[], b: readonly PathSegment[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return compareStrings(String(x), String(y));
  }
  return a.length - b.length;
}

/** Leaf-level changes between two bodies; force-new hits are looked up for managed resources only. */
function diffAttributes(
  type: string,
  before: JsonObject,
  after: JsonObject,
  managed: boolean,
): AttributeChange[] {
  const b = flatten(before);
  const a = flatten(after);
  const paths = new Map<string, readonly PathSegment[]>();
  for (const [p, leaf] of [...b, ...a]) paths.set(p, leaf.segments);
  const sorted = [...paths].sort(([, x], [, y]) => comparePaths(x, y));
  const changes: AttributeChange[] = [];
  for (const [path, segments] of sorted) {
    const was = b.get(path)?.value;
    const now = a.get(path)?.value;
    if (jsonEqual(was, now)) continue;
    const forcesNew = managed ? forcesNewArgument(type, schemaPath(segments), was, now) : undefined;
    changes.push({
      path,
      ...(was === undefined ? {} : { before: was }),
      ...(now === undefined ? {} : { after: now }),
      sensitive: isSensitivePath(segments),
      ...(forcesNew === undefined ? {} : { forcesNew }),
    });
  }
  return changes;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Rewrites references to moved addresses (`${azurerm_x.Old.id}` -> `${azurerm_x.New.id}`) in base
 * bodies, so a dependent of a moved resource does not look changed.
 */
function referenceRewriter(renames: ReadonlyMap<string, string>): (body: JsonObject) => JsonObject {
  if (renames.size === 0) return (body) => body;
  const froms = [...renames.keys()].sort((x, y) => y.length - x.length || compareStrings(x, y));
  const pattern = new RegExp(
    `(?<![A-Za-z0-9_.-])(${froms.map(escapeRegExp).join('|')})(?![A-Za-z0-9_-])`,
    'g',
  );
  return (body) =>
    mapStrings(body, (s) =>
      s.includes('${') ? s.replace(pattern, (m) => renames.get(m) ?? m) : s,
    ) as JsonObject;
}

/** Base address -> head address for every `moved` block that applies (chains followed). */
function resolveMoves(
  base: ReadonlyMap<string, TerraformBlock>,
  head: ReadonlyMap<string, TerraformBlock>,
  moved: StackConfig['moved'],
): Map<string, string> {
  const next = new Map<string, string>();
  for (const m of moved) if (!next.has(m.from)) next.set(m.from, m.to);
  const moves = new Map<string, string>();
  const targets = new Set<string>();
  for (const from of [...base.keys()].sort(compareStrings)) {
    if (head.has(from)) continue;
    let to = next.get(from);
    for (let hops = 0; to !== undefined && !head.has(to) && hops < 32; hops++) to = next.get(to);
    if (to === undefined || !head.has(to) || base.has(to) || targets.has(to)) continue;
    if (base.get(from)!.type !== head.get(to)!.type) continue;
    moves.set(from, to);
    targets.add(to);
  }
  return moves;
}

/** Pairs a destroyed and a created resource of the same type and `name` (a rename without `moved`). */
function pairRenames(
  deleted: readonly TerraformBlock[],
  created: readonly TerraformBlock[],
): Map<string, string> {
  const identity = (r: TerraformBlock): string =>
    `${r.type} ${typeof r.body.name === 'string' && r.body.name !== '' ? `name=${r.body.name}` : canonicalJson(r.body)}`;
  const group = (rs: readonly TerraformBlock[]): Map<string, TerraformBlock[]> => {
    const m = new Map<string, TerraformBlock[]>();
    for (const r of rs) m.set(identity(r), [...(m.get(identity(r)) ?? []), r]);
    return m;
  };
  const d = group(deleted);
  const c = group(created);
  const pairs = new Map<string, string>();
  for (const [key, olds] of d) {
    const news = c.get(key);
    if (olds.length === 1 && news?.length === 1) pairs.set(olds[0]!.address, news[0]!.address);
  }
  return pairs;
}

function forcesNewReasons(attributes: readonly AttributeChange[], format: SynthFormat): string[] {
  const args = [...new Set(attributes.flatMap((a) => (a.forcesNew ? [a.forcesNew] : [])))];
  const why =
    format === 'cloudformation' ? 'CloudFormation: update requires replacement' : 'forces a new resource';
  return args.map((arg) => `${code(arg)} changed (${why})`);
}

interface Located extends RuleResult {
  readonly address: string;
  readonly previousAddress?: string;
  readonly resourceType?: string;
}

function compareBlocks(
  before: TerraformBlock,
  after: TerraformBlock,
  previousAddress: string | undefined,
  renamedWithoutMoved: boolean,
  format: SynthFormat,
): ResourceChange | undefined {
  const attributes = diffAttributes(after.type, before.body, after.body, true);
  const reasons = forcesNewReasons(attributes, format);
  if (before.type !== after.type) {
    // Only a CloudFormation logical ID can keep its name across types; a new type is a new resource.
    reasons.unshift(`type changed from ${code(before.type)} to ${code(after.type)}`);
  }
  if (renamedWithoutMoved) {
    reasons.unshift(
      format === 'cloudformation'
        ? `logical ID changed from ${code(before.address)} (CloudFormation deletes the old resource and creates a new one)`
        : `address changed from ${code(before.address)} without a \`moved\` block`,
    );
  }
  if (reasons.length === 0 && attributes.length === 0 && previousAddress === undefined) return undefined;
  const action: ResourceAction =
    reasons.length > 0 ? 'replace' : previousAddress !== undefined ? 'move' : 'update';
  return {
    address: after.address,
    ...(previousAddress === undefined ? {} : { previousAddress }),
    type: after.type,
    action,
    replaceReasons: reasons,
    attributes,
  };
}

/** How the destroy guard reads in a message, per format. */
const GUARD: Readonly<Record<SynthFormat, { had: string; kept: string }>> = {
  cdktf: { had: 'it had `lifecycle.prevent_destroy`', kept: '' },
  cloudformation: {
    had: 'DeletionPolicy `Retain`: CloudFormation keeps it in the account, outside any stack',
    kept: ' (UpdateReplacePolicy `Retain`: the old one is kept, outside any stack; the new one starts empty)',
  },
};

function findingsFor(
  change: ResourceChange,
  before: TerraformBlock | undefined,
  after: TerraformBlock | undefined,
  format: SynthFormat,
): Located[] {
  const results: RuleResult[] = [];
  const guard = GUARD[format];
  const removed = format === 'cloudformation' ? 'removed from the stack' : 'destroyed';
  if (change.action === 'delete' && before) {
    if (isStateful(before)) {
      const guarded = hasPreventDestroy(before) ? ` (${guard.had})` : '';
      results.push({
        kind: 'stateful-destroy',
        blocking: true,
        message: `stateful ${code(before.type)} ${removed}${guarded}`,
      });
    } else if (hasPreventDestroy(before)) {
      results.push({
        kind: 'prevent-destroy',
        blocking: true,
        message: `${removed} although ${guard.had}`,
      });
    }
    results.push(...contentFilterWeakenings(before, undefined));
  }
  if (change.action === 'replace' && before && after) {
    // only claimed when both templates say so: which one CloudFormation applies is not read here
    const kept = retainsOnReplace(before) && retainsOnReplace(after) ? guard.kept : '';
    if (isStateful(before)) {
      results.push({
        kind: 'stateful-replace',
        blocking: true,
        message: `stateful ${code(before.type)} replaced (destroyed and created): ${change.replaceReasons.join('; ')}${kept}`,
      });
    } else if (hasPreventDestroy(before)) {
      results.push({
        kind: 'prevent-destroy',
        blocking: true,
        message: `replaced although ${guard.had}: ${change.replaceReasons.join('; ')}`,
      });
    }
  }
  if (before && after) {
    results.push(
      ...securityRegressions(before, after),
      ...encryptionRemovals(before, after),
      ...openSearchPolicyRegressions(before, after),
      ...contentFilterWeakenings(before, after),
      ...gatewayWeightChanges(before, after),
      ...experimentWeightChanges(before, after),
      ...alertThresholdChanges(before, after),
    );
  }
  if (after) results.push(...iamWildcardGrants(before, after));
  const resourceType = format === 'cloudformation' ? (after ?? before)?.type : undefined;
  return results.map((r) => ({
    ...r,
    address: change.address,
    ...(change.previousAddress === undefined ? {} : { previousAddress: change.previousAddress }),
    ...(resourceType === undefined ? {} : { resourceType }),
  }));
}

function countOf(changes: readonly ResourceChange[]): ChangeCounts {
  const n = (action: ResourceAction): number => changes.filter((c) => c.action === action).length;
  return {
    added: n('create'),
    changed: n('update'),
    replaced: n('replace'),
    moved: n('move'),
    removed: n('delete'),
  };
}

function diffDataSources(
  base: ReadonlyMap<string, TerraformBlock>,
  head: ReadonlyMap<string, TerraformBlock>,
): ResourceChange[] {
  const changes: ResourceChange[] = [];
  const addresses = [...new Set([...base.keys(), ...head.keys()])].sort(compareStrings);
  for (const address of addresses) {
    const b = base.get(address);
    const a = head.get(address);
    const type = (a ?? b)!.type;
    if (!b) changes.push({ address, type, action: 'create', replaceReasons: [], attributes: [] });
    else if (!a) changes.push({ address, type, action: 'delete', replaceReasons: [], attributes: [] });
    else {
      const attributes = diffAttributes(type, b.body, a.body, false);
      if (attributes.length > 0)
        changes.push({ address, type, action: 'update', replaceReasons: [], attributes });
    }
  }
  return changes;
}

function diffStack(
  name: string,
  base: StackConfig | undefined,
  head: StackConfig | undefined,
  format: SynthFormat,
): { diff: StackDiff; found: Located[] } {
  const baseResources = base?.resources ?? new Map<string, TerraformBlock>();
  const headResources = head?.resources ?? new Map<string, TerraformBlock>();
  const moves = resolveMoves(baseResources, headResources, head?.moved ?? []);
  const rewrite = referenceRewriter(moves);
  const baseBlock = (address: string): TerraformBlock => {
    const block = baseResources.get(address)!;
    return { ...block, body: rewrite(block.body) };
  };
  const moveTargets = new Set(moves.values());
  const deleted = [...baseResources.keys()].filter((a) => !headResources.has(a) && !moves.has(a));
  const created = [...headResources.keys()].filter((a) => !baseResources.has(a) && !moveTargets.has(a));
  const renames = pairRenames(
    deleted.map((a) => baseResources.get(a)!),
    created.map((a) => headResources.get(a)!),
  );
  const renamedTo = new Set(renames.values());

  const changes: ResourceChange[] = [];
  const found: Located[] = [];
  const record = (
    change: ResourceChange | undefined,
    before?: TerraformBlock,
    after?: TerraformBlock,
  ): void => {
    if (!change) return;
    changes.push(change);
    found.push(...findingsFor(change, before, after, format));
  };

  for (const address of [...headResources.keys()].sort(compareStrings)) {
    const after = headResources.get(address)!;
    if (baseResources.has(address)) {
      record(compareBlocks(baseBlock(address), after, undefined, false, format), baseBlock(address), after);
    } else if (!moveTargets.has(address) && !renamedTo.has(address)) {
      record(
        { address, type: after.type, action: 'create', replaceReasons: [], attributes: [] },
        undefined,
        after,
      );
    }
  }
  for (const [from, to] of moves) {
    record(
      compareBlocks(baseBlock(from), headResources.get(to)!, from, false, format),
      baseBlock(from),
      headResources.get(to),
    );
  }
  for (const [from, to] of renames) {
    record(
      compareBlocks(baseBlock(from), headResources.get(to)!, from, true, format),
      baseBlock(from),
      headResources.get(to),
    );
  }
  for (const address of deleted) {
    if (renames.has(address)) continue;
    const before = baseBlock(address);
    record(
      { address, type: before.type, action: 'delete', replaceReasons: [], attributes: [] },
      before,
      undefined,
    );
  }
  changes.sort((x, y) => compareStrings(x.address, y.address));

  if (base && !head) {
    found.push({
      kind: 'stack-destroy',
      blocking: true,
      address: '*',
      message: `stack removed: all ${baseResources.size} resources in it are destroyed`,
    });
  }
  const dataSourceChanges = diffDataSources(
    base?.dataSources ?? new Map<string, TerraformBlock>(),
    head?.dataSources ?? new Map<string, TerraformBlock>(),
  );
  const status: StackStatus = !base
    ? 'added'
    : !head
      ? 'removed'
      : changes.length + dataSourceChanges.length > 0
        ? 'changed'
        : 'unchanged';
  return { diff: { name, status, changes, dataSourceChanges, counts: countOf(changes) }, found };
}

const allowMatches = (allow: string, f: Located & { stack: string }): boolean =>
  [f.address, f.previousAddress].some(
    (address) => address !== undefined && (allow === address || allow === `${f.stack}:${address}`),
  ) || allow === `${f.stack}:*`;

/**
 * Compares two synthesized outputs stack by stack, the way a reviewer reads a plan: what is
 * added, changed in place, replaced, moved and destroyed, and which changes are blocking (stateful
 * destroys and replacements, security regressions, weaker content filters) or notable (gateway weights,
 * alert thresholds).
 *
 * Both are cdktf synth outputs, or both CloudFormation cloud assemblies (resources by logical ID).
 * Pure: reads only its arguments. Replacement is inferred without provider plugins or change sets, from
 * addresses (logical IDs), `moved` blocks and the force-new arguments in {@link FORCES_NEW}.
 *
 * @param base the synth output of the target branch
 * @param head the synth output of the pull request
 * @throws UsageError (exit code 2) when one is a cdktf output and the other a cloud assembly
 */
export function diffOutputs(
  base: SynthOutput,
  head: SynthOutput,
  options: PlanDiffOptions = {},
): PlanDiffReport {
  const format = formatOf(base);
  if (formatOf(head) !== format) {
    throw new UsageError(
      `base is ${FORMAT_NAMES[format]} but head is ${FORMAT_NAMES[formatOf(head)]}: compare like with like (one plan:diff per output directory)`,
    );
  }
  const names = [...new Set([...base.stacks.keys(), ...head.stacks.keys()])].sort(compareStrings);
  const stacks: StackDiff[] = [];
  const all: (Located & { stack: string })[] = [];
  for (const name of names) {
    const { diff, found } = diffStack(name, base.stacks.get(name), head.stacks.get(name), format);
    stacks.push(diff);
    all.push(...found.map((f) => ({ ...f, stack: name })));
  }
  const allow = [...new Set(options.allow ?? [])];
  const used = new Set<string>();
  const findings: Finding[] = all.map((f) => {
    const matched = f.blocking ? allow.filter((a) => allowMatches(a, f)) : [];
    for (const a of matched) used.add(a);
    return {
      stack: f.stack,
      address: f.address,
      ...(f.previousAddress === undefined ? {} : { previousAddress: f.previousAddress }),
      ...(f.resourceType === undefined ? {} : { resourceType: f.resourceType }),
      kind: f.kind,
      blocking: f.blocking,
      message: f.message,
      acknowledged: matched.length > 0,
    };
  });
  findings.sort(
    (x, y) =>
      compareStrings(x.stack, y.stack) ||
      compareStrings(x.address, y.address) ||
      KIND_ORDER.indexOf(x.kind) - KIND_ORDER.indexOf(y.kind) ||
      compareStrings(x.message, y.message),
  );
  return {
    format,
    stacks,
    blocking: findings.filter((f) => f.blocking),
    notable: findings.filter((f) => !f.blocking),
    unusedAllows: allow.filter((a) => !used.has(a)).sort(compareStrings),
  };
}

/** True when a blocking finding is not acknowledged: the check fails (exit code 1). */
export function hasUnacknowledgedBlocking(report: PlanDiffReport): boolean {
  return report.blocking.some((f) => !f.acknowledged);
}

import { code, transition } from '../format';
import {
  compareStrings,
  flatten,
  formatPath,
  type JsonObject,
  type JsonValue,
  type PathSegment,
} from '../json';
import type { FindingKind, ResourceState, RuleResult } from './types';

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
  // CloudFormation's prevent_destroy: without Retain (the default is Delete) the resource is deleted when
  // it leaves the template or the stack is deleted.
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html
  {
    kind: 'prevent-destroy',
    what: 'DeletionPolicy Retain removed (CloudFormation deletes it with the stack)',
    settings: [{ key: 'DeletionPolicy', secure: 'Retain', insecure: 'Delete' }],
    absentIsInsecure: true,
    parent: '',
  },
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-updatereplacepolicy.html
  {
    kind: 'prevent-destroy',
    what: 'UpdateReplacePolicy Retain removed (a replacement deletes the old resource and its data)',
    settings: [{ key: 'UpdateReplacePolicy', secure: 'Retain', insecure: 'Delete' }],
    absentIsInsecure: true,
    parent: '',
  },
  // S3 Block Public Access, one rule per flag (they are not aliases of each other); removing the
  // configuration removes the block.
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-s3-bucket-publicaccessblockconfiguration.html
  ...['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'].map(
    (key): SecurityRule => ({
      kind: 'public-access',
      what: `S3 public access block weakened (${key})`,
      settings: [disabledFlag(key)],
      absentIsInsecure: true,
      parent: 'Properties.PublicAccessBlockConfiguration',
    }),
  ),
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-s3-bucket-serversideencryptionbydefault.html
  {
    kind: 'encryption',
    what: 'S3 encryption with a KMS key replaced by S3-managed keys',
    settings: [{ key: 'SSEAlgorithm', secure: 'aws:kms', insecure: 'AES256' }],
    absentIsInsecure: true,
  },
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-dynamodb-table-ssespecification.html
  {
    kind: 'encryption',
    what: 'server-side encryption with a KMS key turned off',
    settings: [disabledFlag('SSEEnabled')],
    absentIsInsecure: true,
  },
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-key.html
  {
    kind: 'encryption',
    what: 'KMS key rotation turned off',
    settings: [disabledFlag('EnableKeyRotation')],
    absentIsInsecure: true,
    parent: 'Properties',
  },
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-opensearchserverless-collection.html
  {
    kind: 'encryption',
    what: 'customer-managed key replaced by an AWS-owned key',
    settings: [enabledFlag('AWSOwnedKey')],
    absentIsInsecure: false,
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
 * `lifecycle.prevent_destroy` removed; on CloudFormation resources `DeletionPolicy` /
 * `UpdateReplacePolicy` `Retain` removed, S3 Block Public Access weakened, KMS encryption or key rotation
 * turned off. All blocking.
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

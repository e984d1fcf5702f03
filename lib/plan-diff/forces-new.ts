// Interprets the force-new arguments of the resource-type registry (`forcesNew` in
// constructs/core/data/resource-types.json): whether a changed argument makes Terraform replace
// the resource. The table itself is data; this file is only its reading.
import {
  FORCES_NEW,
  type ForcesNewAttribute,
  type ForcesNewEntry,
  isCloudFormationType,
} from '../../constructs/core/resource-types';
import type { JsonValue } from './json';

/** The registry's force-new table, re-exported for the plan-diff API. */
export { FORCES_NEW, type ForcesNewAttribute, type ForcesNewEntry };

/** Meta-arguments: never force replacement, even for `all-arguments` types. */
const META_ARGUMENTS = new Set([
  'lifecycle',
  'depends_on',
  'provider',
  'count',
  'for_each',
  'timeouts',
  'provisioner',
  'connection',
]);

/** The resource type of an azapi `type` value: the part before `@<api-version>`. */
export function azapiResourceType(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value.split('@')[0] : undefined;
}

function normalize(attribute: string | ForcesNewAttribute): ForcesNewAttribute {
  return typeof attribute === 'string' ? { path: attribute } : attribute;
}

function covers(rulePath: string, changedPath: string): boolean {
  return (
    changedPath === rulePath ||
    changedPath.startsWith(`${rulePath}.`) ||
    rulePath.startsWith(`${changedPath}.`)
  );
}

function appliedInPlace(
  rule: ForcesNewAttribute,
  before: JsonValue | undefined,
  after: JsonValue | undefined,
): boolean {
  if (rule.compare === 'azapi-resource-type') return azapiResourceType(before) === azapiResourceType(after);
  const from = before === undefined ? null : before;
  const to = after === undefined ? null : after;
  if (rule.inPlace?.some(([b, a]) => b === from && a === to)) return true;
  if (rule.inPlaceWithin && typeof before === 'string' && typeof after === 'string') {
    return rule.inPlaceWithin.some((group) => group.includes(before) && group.includes(after));
  }
  return false;
}

/**
 * Decides whether one changed argument forces replacement of a resource of `type`.
 *
 * For a CloudFormation type only a change under `Properties` can: the top-level property is looked up
 * (`Properties.Tags.Key` -> `Tags`); resource attributes (`DeletionPolicy`, `DependsOn`, ...) never replace.
 *
 * @param type the Terraform resource type, or a CloudFormation type (`AWS::S3::Bucket`)
 * @param changedSchemaPath the changed argument's path without list indices (`model.format`,
 *   `Properties.BucketName`)
 * @param before the old value (`undefined` when absent)
 * @param after the new value (`undefined` when absent)
 * @returns the force-new argument path (CloudFormation: property name) that matched, or `undefined` when
 *   the change is in place
 */
export function forcesNewArgument(
  type: string,
  changedSchemaPath: string,
  before: JsonValue | undefined,
  after: JsonValue | undefined,
): string | undefined {
  const entry = FORCES_NEW[type];
  if (!entry) return undefined;
  if (isCloudFormationType(type)) {
    const [section, property] = changedSchemaPath.split('.');
    if (section !== 'Properties' || property === undefined) return undefined;
    if (entry.attributes === 'all-arguments') return property;
    return entry.attributes.some((a) => normalize(a).path === property) ? property : undefined;
  }
  if (entry.attributes === 'all-arguments') {
    const top = changedSchemaPath.split('.')[0]!;
    return META_ARGUMENTS.has(top) ? undefined : top;
  }
  for (const attribute of entry.attributes) {
    const rule = normalize(attribute);
    if (covers(rule.path, changedSchemaPath) && !appliedInPlace(rule, before, after)) return rule.path;
  }
  return undefined;
}

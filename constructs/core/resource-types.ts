/**
 * The resource-type registry: one entry per resource type in `data/resource-types.json`, holding every fact
 * this project keeps about the type. Policy rules, the plan diff, the diagnostics aspect and private
 * endpoints read it; nothing restates it (a test fails on a second list of resource types).
 *
 * Keys are Terraform resource types (`azurerm_key_vault`), for resources deployed through azapi the ARM
 * type without the API version (`Microsoft.Search/searchServices/indexes`), and for the AWS rendering
 * CloudFormation types (`AWS::S3::Bucket`; their `forcesNew` lists the properties whose CloudFormation
 * reference says "Update requires: Replacement", their `preventDestroy` asks for `DeletionPolicy` /
 * `UpdateReplacePolicy` `Retain`).
 *
 * Adding a resource type is one entry in `data/resource-types.json` plus its tests. The file is checked
 * against its schema (`resourceTypesSchema` in `resource-types-schema.ts`) by `test/core/resource-types.spec.ts`,
 * not on every load: validating it costs about 50 ms of every synth and every plan diff.
 */
import data from './data/resource-types.json';
import type { DiagnosticProfile, ForcesNewEntry, ResourceTypeFacts } from './resource-types-schema';

export type {
  DiagnosticProfile,
  ForcesNewAttribute,
  ForcesNewEntry,
  ResourceTypeFacts,
} from './resource-types-schema';

/**
 * Every entry of the registry, keyed by Terraform type or ARM type. The cast is checked by the schema
 * test: JSON types are wider than the schema's (a `[before, after]` pair reads as an array).
 */
export const RESOURCE_TYPES = data as unknown as Readonly<Record<string, ResourceTypeFacts>>;

/** A CloudFormation resource type, `AWS::S3::Bucket`: the registry keys of the AWS rendering. */
export const CLOUDFORMATION_TYPE = /^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$/;

/** True for a CloudFormation resource type (`AWS::S3::Bucket`), a registry key of the AWS rendering. */
export function isCloudFormationType(type: string): boolean {
  return CLOUDFORMATION_TYPE.test(type);
}

/** Terraform types whose resources name an ARM type in their `type` argument (`<ARM type>@<api-version>`). */
const AZAPI_TYPES: ReadonlySet<string> = new Set(['azapi_resource', 'azapi_data_plane_resource']);

const byLowerCaseKey = new Map(Object.entries(RESOURCE_TYPES).map(([k, v]) => [k.toLowerCase(), v]));

/**
 * The registry key of a resource: its Terraform type, or for an azapi resource the ARM type of its `type`
 * argument without the API version.
 *
 * @param terraformType e.g. `azurerm_key_vault` or `azapi_data_plane_resource`
 * @param azapiType the resource's `type` argument, read only for azapi resources
 */
export function registryKey(terraformType: string, azapiType?: unknown): string | undefined {
  if (!AZAPI_TYPES.has(terraformType)) return terraformType;
  return typeof azapiType === 'string' ? azapiType.split('@')[0] : undefined;
}

/**
 * The registry entry of a resource (ARM types match case-insensitively, as ARM reads them), or
 * `undefined` for a type the registry does not know.
 */
export function resourceTypeFacts(terraformType: string, azapiType?: unknown): ResourceTypeFacts | undefined {
  const key = registryKey(terraformType, azapiType);
  return key === undefined ? undefined : byLowerCaseKey.get(key.toLowerCase());
}

/** The registry keys whose entry satisfies `predicate`, in registry order. */
export function resourceTypesWhere(predicate: (facts: ResourceTypeFacts) => boolean): string[] {
  return Object.entries(RESOURCE_TYPES)
    .filter(([, facts]) => predicate(facts))
    .map(([type]) => type);
}

/**
 * Resource types that support diagnostic settings, and what each sends (the `diagnostics` entries that are
 * profiles).
 *
 * @see https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs/logs-index
 */
export const DIAGNOSTIC_PROFILES: Readonly<Record<string, DiagnosticProfile>> = Object.fromEntries(
  Object.entries(RESOURCE_TYPES).flatMap(([type, { diagnostics }]) =>
    diagnostics && !('none' in diagnostics) ? [[type, diagnostics]] : [],
  ),
);

/**
 * Types the constructs deploy that get no diagnostic setting, each with the reason (the `diagnostics`
 * entries that are `{ "none": reason }`).
 *
 * Together with {@link DIAGNOSTIC_PROFILES} this classifies every type the stacks deploy (a stack test
 * fails on a type in neither), so a new resource type cannot silently go without diagnostics.
 */
export const WITHOUT_DIAGNOSTIC_SETTINGS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(RESOURCE_TYPES).flatMap(([type, { diagnostics }]) =>
    diagnostics && 'none' in diagnostics ? [[type, diagnostics.none]] : [],
  ),
);

/**
 * A private-link sub-resource (group id) of the registry: `vault`, `blob`, `account`, ... (the keys of
 * {@link PRIVATE_DNS_ZONES}). A plain string: the declarations of this package do not depend on the
 * registry's JSON file.
 */
export type PrivateLinkSubresource = string;

/**
 * Private DNS zones per private-link sub-resource (group id), public Azure cloud: the `privateLink`
 * entries of the registry, merged (a sub-resource belongs to one type).
 *
 * @see https://learn.microsoft.com/azure/private-link/private-endpoint-dns
 */
export const PRIVATE_DNS_ZONES = Object.fromEntries(
  Object.values(RESOURCE_TYPES).flatMap(({ privateLink }) => Object.entries(privateLink ?? {})),
) as unknown as Readonly<Record<PrivateLinkSubresource, readonly string[]>>;

/**
 * Force-new arguments of the resource types this project deploys, from the provider documentation
 * (hashicorp/azurerm 4.55.0, Azure/azapi 2.x): the `forcesNew` entries of the registry.
 *
 * This is what lets the plan diff recognise a replacement without provider plugins. A type that is not
 * listed is only replaced when its address disappears. Keep it to arguments marked "Changing this forces
 * a new resource to be created" in the docs; when the docs describe an exception (an upgrade applied in
 * place), record it with `inPlace` / `inPlaceWithin`.
 */
export const FORCES_NEW: Readonly<Record<string, ForcesNewEntry>> = Object.fromEntries(
  Object.entries(RESOURCE_TYPES).flatMap(([type, { forcesNew }]) => (forcesNew ? [[type, forcesNew]] : [])),
);

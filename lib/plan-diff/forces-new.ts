import type { JsonValue } from './json';

/**
 * One argument whose change makes Terraform replace the resource (the provider schema's `ForceNew`).
 *
 * `path` has no list indices (`model.format`, not `model[0].format`); a change at or below it counts.
 */
export interface ForcesNewAttribute {
  /** Argument path without list indices, e.g. `name` or `model.format`. */
  readonly path: string;
  /**
   * Changes the provider applies in place although the argument is otherwise force-new, as
   * `[before, after]` pairs; `null` stands for "argument absent".
   * @default - none
   */
  readonly inPlace?: readonly (readonly [JsonValue, JsonValue])[];
  /**
   * Groups of values within which a change is applied in place; a change from one group to another
   * (or to a value in no group) forces replacement.
   * @default - none
   */
  readonly inPlaceWithin?: readonly (readonly string[])[];
  /**
   * `azapi-resource-type`: compare only the resource type of an azapi `type` (`<type>@<api-version>`),
   * so an API-version bump alone is an in-place update.
   * @default - the whole value
   */
  readonly compare?: 'azapi-resource-type';
}

/** The force-new arguments of one resource type and where they are documented. */
export interface ForcesNewEntry {
  /** The arguments, or `all-arguments` when every argument forces replacement (role assignments). */
  readonly attributes: readonly (string | ForcesNewAttribute)[] | 'all-arguments';
  /** Where the list comes from. */
  readonly source: string;
}

const AZURERM_DOCS = 'https://registry.terraform.io/providers/hashicorp/azurerm/4.55.0/docs/resources';
const azurerm = (page: string): string =>
  `${AZURERM_DOCS}/${page} ("Changing this forces a new ... to be created")`;
const AZAPI_TYPE: ForcesNewAttribute = { path: 'type', compare: 'azapi-resource-type' };

/**
 * Force-new arguments of the resource types this project deploys, from the provider documentation
 * (hashicorp/azurerm 4.55.0, Azure/azapi 2.x).
 *
 * This is what lets the diff recognise a replacement without provider plugins. A type that is not
 * listed is only replaced when its address disappears. Keep it to arguments marked "Changing this forces
 * a new resource to be created" in the docs; when the docs describe an exception (an upgrade applied in
 * place), record it with `inPlace` / `inPlaceWithin`.
 */
export const FORCES_NEW: Readonly<Record<string, ForcesNewEntry>> = {
  azurerm_resource_group: { attributes: ['name', 'location'], source: azurerm('resource_group') },
  azurerm_storage_account: {
    attributes: [
      'name',
      'resource_group_name',
      'location',
      // "Changing the account_kind value from Storage to StorageV2 will not trigger a force new";
      // StorageV2 is the default, so writing it out (or dropping it) changes nothing.
      {
        path: 'account_kind',
        inPlace: [
          ['Storage', 'StorageV2'],
          [null, 'StorageV2'],
          ['StorageV2', null],
        ],
      },
      'account_tier',
      // Forces new "when types LRS, GRS and RAGRS are changed to ZRS, GZRS or RAGZRS and vice versa".
      {
        path: 'account_replication_type',
        inPlaceWithin: [
          ['LRS', 'GRS', 'RAGRS'],
          ['ZRS', 'GZRS', 'RAGZRS'],
        ],
      },
      'edge_zone',
      'is_hns_enabled',
      // Enabling large file shares is in place; disabling them forces a new account.
      {
        path: 'large_file_share_enabled',
        inPlace: [
          [false, true],
          [null, true],
        ],
      },
      'infrastructure_encryption_enabled',
      'queue_encryption_key_type',
      'table_encryption_key_type',
      'dns_endpoint_type',
      'nfsv3_enabled',
      'provisioned_billing_model_version',
    ],
    source: azurerm('storage_account'),
  },
  azurerm_storage_container: {
    attributes: [
      'name',
      'storage_account_id',
      'storage_account_name',
      'default_encryption_scope',
      'encryption_scope_override_enabled',
    ],
    source: azurerm('storage_container'),
  },
  azurerm_key_vault: {
    attributes: ['name', 'location', 'resource_group_name'],
    source: azurerm('key_vault'),
  },
  azurerm_log_analytics_workspace: {
    attributes: ['name', 'location', 'resource_group_name'],
    source: azurerm('log_analytics_workspace'),
  },
  azurerm_application_insights: {
    attributes: ['name', 'resource_group_name', 'location', 'application_type'],
    source: azurerm('application_insights'),
  },
  azurerm_cognitive_account: {
    attributes: [
      'name',
      'resource_group_name',
      'location',
      'kind',
      'custom_subdomain_name',
      'metrics_advisor_aad_client_id',
      'metrics_advisor_aad_tenant_id',
      'metrics_advisor_super_user_name',
      'metrics_advisor_website_name',
    ],
    source: azurerm('cognitive_account'),
  },
  azurerm_cognitive_deployment: {
    // `model.version` and `sku.name` / `sku.capacity` are updated in place.
    attributes: [
      'name',
      'cognitive_account_id',
      'model.format',
      'model.name',
      'sku.tier',
      'sku.size',
      'sku.family',
    ],
    source: azurerm('cognitive_deployment'),
  },
  azurerm_cognitive_account_rai_policy: {
    attributes: ['name', 'cognitive_account_id', 'base_policy_name'],
    source: azurerm('cognitive_account_rai_policy'),
  },
  azurerm_search_service: {
    attributes: ['name', 'resource_group_name', 'location', 'sku', 'hosting_mode'],
    source: azurerm('search_service'),
  },
  azurerm_api_management: {
    attributes: ['name', 'location', 'resource_group_name'],
    source: azurerm('api_management'),
  },
  azurerm_user_assigned_identity: {
    attributes: ['name', 'resource_group_name', 'location'],
    source: azurerm('user_assigned_identity'),
  },
  azurerm_federated_identity_credential: {
    // In 4.55 every argument is still ForceNew (in-place updates of audience/issuer/subject came later).
    attributes: ['name', 'resource_group_name', 'parent_id', 'audience', 'issuer', 'subject'],
    source: azurerm('federated_identity_credential'),
  },
  azurerm_virtual_network: {
    attributes: ['name', 'resource_group_name', 'location', 'edge_zone'],
    source: azurerm('virtual_network'),
  },
  azurerm_subnet: {
    attributes: ['name', 'resource_group_name', 'virtual_network_name'],
    source: azurerm('subnet'),
  },
  azurerm_private_endpoint: {
    attributes: [
      'name',
      'resource_group_name',
      'location',
      'subnet_id',
      'custom_network_interface_name',
      'ip_configuration',
      'private_service_connection.name',
      'private_service_connection.is_manual_connection',
      'private_service_connection.private_connection_resource_id',
      'private_service_connection.private_connection_resource_alias',
      'private_service_connection.subresource_names',
    ],
    source: azurerm('private_endpoint'),
  },
  azurerm_private_dns_zone: {
    attributes: ['name', 'resource_group_name'],
    source: azurerm('private_dns_zone'),
  },
  azurerm_private_dns_zone_virtual_network_link: {
    attributes: ['name', 'resource_group_name', 'private_dns_zone_name', 'virtual_network_id'],
    source: azurerm('private_dns_zone_virtual_network_link'),
  },
  azurerm_ai_foundry: {
    attributes: [
      'name',
      'location',
      'resource_group_name',
      'key_vault_id',
      'storage_account_id',
      'encryption',
      'high_business_impact_enabled',
    ],
    source: azurerm('ai_foundry'),
  },
  azurerm_ai_foundry_project: {
    attributes: ['name', 'location', 'ai_services_hub_id', 'high_business_impact_enabled'],
    source: azurerm('ai_foundry_project'),
  },
  azurerm_monitor_diagnostic_setting: {
    attributes: ['name', 'target_resource_id'],
    source: azurerm('monitor_diagnostic_setting'),
  },
  azurerm_monitor_action_group: {
    attributes: ['name', 'resource_group_name', 'location'],
    source: azurerm('monitor_action_group'),
  },
  azurerm_monitor_metric_alert: {
    attributes: ['name', 'resource_group_name'],
    source: azurerm('monitor_metric_alert'),
  },
  azurerm_monitor_scheduled_query_rules_alert_v2: {
    attributes: ['name', 'resource_group_name', 'location'],
    source: azurerm('monitor_scheduled_query_rules_alert_v2'),
  },
  azurerm_role_assignment: { attributes: 'all-arguments', source: azurerm('role_assignment') },
  // Production hardening (docs/protection.md).
  azurerm_role_definition: {
    attributes: ['role_definition_id', 'scope'],
    source: azurerm('role_definition'),
  },
  azurerm_key_vault_key: {
    attributes: ['name', 'key_vault_id', 'key_type', 'key_size', 'curve'],
    source: azurerm('key_vault_key'),
  },
  azurerm_management_lock: { attributes: 'all-arguments', source: azurerm('management_lock') },
  azurerm_nat_gateway: {
    attributes: ['name', 'resource_group_name', 'location', 'zones'],
    source: azurerm('nat_gateway'),
  },
  azurerm_public_ip: {
    attributes: [
      'name',
      'resource_group_name',
      'location',
      'zones',
      'edge_zone',
      'ip_tags',
      'ip_version',
      'public_ip_prefix_id',
      'sku',
      'sku_tier',
    ],
    source: azurerm('public_ip'),
  },
  azurerm_nat_gateway_public_ip_association: {
    attributes: 'all-arguments',
    source: azurerm('nat_gateway_public_ip_association'),
  },
  azurerm_subnet_nat_gateway_association: {
    attributes: 'all-arguments',
    source: azurerm('subnet_nat_gateway_association'),
  },
  azapi_resource: {
    attributes: [AZAPI_TYPE, 'name', 'parent_id', 'location'],
    source: 'https://registry.terraform.io/providers/Azure/azapi/latest/docs/resources/resource',
  },
  azapi_data_plane_resource: {
    attributes: [AZAPI_TYPE, 'name', 'parent_id'],
    source: 'https://registry.terraform.io/providers/Azure/azapi/latest/docs/resources/data_plane_resource',
  },
};

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
 * @param type the Terraform resource type
 * @param changedSchemaPath the changed argument's path without list indices (`model.format`)
 * @param before the old value (`undefined` when absent)
 * @param after the new value (`undefined` when absent)
 * @returns the force-new argument path that matched, or `undefined` when the change is in place
 */
export function forcesNewArgument(
  type: string,
  changedSchemaPath: string,
  before: JsonValue | undefined,
  after: JsonValue | undefined,
): string | undefined {
  const entry = FORCES_NEW[type];
  if (!entry) return undefined;
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

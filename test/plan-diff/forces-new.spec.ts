import * as fs from 'node:fs';
import * as path from 'node:path';
import { azapiResourceType, FORCES_NEW, forcesNewArgument } from '../../lib/plan-diff/forces-new';

/** The project's deployed types that must have a force-new list (issue 8). */
const DEPLOYED_TYPES = [
  'azurerm_resource_group',
  'azurerm_storage_account',
  'azurerm_storage_container',
  'azurerm_key_vault',
  'azurerm_log_analytics_workspace',
  'azurerm_application_insights',
  'azurerm_cognitive_account',
  'azurerm_cognitive_deployment',
  'azurerm_cognitive_account_rai_policy',
  'azurerm_search_service',
  'azurerm_api_management',
  'azurerm_user_assigned_identity',
  'azurerm_federated_identity_credential',
  'azurerm_virtual_network',
  'azurerm_subnet',
  'azurerm_private_endpoint',
  'azurerm_private_dns_zone',
  'azurerm_ai_foundry',
  'azurerm_ai_foundry_project',
  'azurerm_monitor_diagnostic_setting',
  'azurerm_role_assignment',
  'azurerm_monitor_action_group',
  'azapi_resource',
  'azapi_data_plane_resource',
];

const BINDINGS = path.join(__dirname, '..', '..', 'node_modules', '@cdktf', 'provider-azurerm', 'lib');
const camel = (snake: string): string => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Argument names of `<Type>Config` in the @cdktf/provider-azurerm binding (azurerm 4.55.0). */
function bindingArguments(type: string): Set<string> {
  const dir = type.replace(/^azurerm_/, '').replace(/_/g, '-');
  const text = fs.readFileSync(path.join(BINDINGS, dir, 'index.d.ts'), 'utf8');
  const start = text.search(/export interface \w+Config extends cdktf\.TerraformMetaArguments \{/);
  const body = text.slice(start, text.indexOf('\n}', start));
  return new Set([...body.matchAll(/^ {4}readonly (\w+)\??:/gm)].map((m) => m[1]!));
}

describe('FORCES_NEW data', () => {
  test('covers every type the project deploys', () => {
    expect(DEPLOYED_TYPES.filter((t) => !FORCES_NEW[t])).toEqual([]);
  });

  test.each(Object.keys(FORCES_NEW).filter((t) => t.startsWith('azurerm_')))(
    'every force-new argument of %s exists in the azurerm 4.55 binding',
    (type) => {
      // GIVEN the binding's argument names
      const known = bindingArguments(type);
      expect(known.size).toBeGreaterThan(0);
      // WHEN listing the top-level name of each force-new path
      const entry = FORCES_NEW[type]!;
      const tops =
        entry.attributes === 'all-arguments'
          ? []
          : entry.attributes.map((a) => (typeof a === 'string' ? a : a.path).split('.')[0]!);
      // THEN each is a real argument (catches typos and arguments renamed in azurerm 4.x)
      expect(tops.filter((t) => !known.has(camel(t)))).toEqual([]);
    },
  );
});

describe('forcesNewArgument', () => {
  test('a nested path matches its block argument', () => {
    expect(forcesNewArgument('azurerm_cognitive_deployment', 'model.name', 'gpt-4o', 'gpt-4.1')).toBe(
      'model.name',
    );
    expect(forcesNewArgument('azurerm_cognitive_deployment', 'model.version', '1', '2')).toBeUndefined();
    expect(
      forcesNewArgument(
        'azurerm_private_endpoint',
        'private_service_connection.subresource_names',
        ['a'],
        ['b'],
      ),
    ).toBe('private_service_connection.subresource_names');
  });

  test('role assignments: any argument, but never a meta-argument', () => {
    expect(forcesNewArgument('azurerm_role_assignment', 'principal_id', 'a', 'b')).toBe('principal_id');
    expect(
      forcesNewArgument('azurerm_role_assignment', 'lifecycle.prevent_destroy', true, false),
    ).toBeUndefined();
  });

  test('azapi type: only the resource type counts, not the api-version', () => {
    expect(azapiResourceType('Microsoft.Search/searchServices/indexes@2024-07-01')).toBe(
      'Microsoft.Search/searchServices/indexes',
    );
    expect(
      forcesNewArgument('azapi_resource', 'type', 'Microsoft.X/y@2024-01-01', 'Microsoft.X/y@2025-01-01'),
    ).toBeUndefined();
    expect(
      forcesNewArgument('azapi_resource', 'type', 'Microsoft.X/y@2024-01-01', 'Microsoft.X/z@2024-01-01'),
    ).toBe('type');
  });

  test('documented in-place exceptions', () => {
    expect(
      forcesNewArgument('azurerm_storage_account', 'account_kind', 'Storage', 'StorageV2'),
    ).toBeUndefined();
    expect(forcesNewArgument('azurerm_storage_account', 'account_kind', 'StorageV2', 'BlobStorage')).toBe(
      'account_kind',
    );
    expect(
      forcesNewArgument('azurerm_storage_account', 'large_file_share_enabled', undefined, true),
    ).toBeUndefined();
    expect(forcesNewArgument('azurerm_storage_account', 'large_file_share_enabled', true, false)).toBe(
      'large_file_share_enabled',
    );
  });

  test('an unlisted type is never replaced by an argument change', () => {
    expect(forcesNewArgument('azurerm_unknown_thing', 'name', 'a', 'b')).toBeUndefined();
  });
});

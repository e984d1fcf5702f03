import { undeclaredReferences } from '../../constructs/core/references';

/** A synthesized configuration with the azurerm and azapi providers, one vault, one client config. */
function config(extra: Record<string, unknown>): Record<string, unknown> {
  return {
    terraform: { required_providers: { azurerm: {}, azapi: {} } },
    data: { azurerm_client_config: { Client: {} } },
    resource: {
      azurerm_key_vault: {
        Vault: {
          '//': { metadata: { path: 'dev/Vault' } },
          tenant_id: `\${data.azurerm_client_config.Client.tenant_id}`,
        },
      },
      ...extra,
    },
  };
}

describe('undeclaredReferences', () => {
  test('references to declared resources and data sources, with attributes and indexes, are fine', () => {
    expect(
      undeclaredReferences(
        config({
          azurerm_role_assignment: {
            Grant: {
              scope: `\${azurerm_key_vault.Vault.id}`,
              principal_id: `\${data.azurerm_client_config.Client.object_id}`,
              description: `vault \${azurerm_key_vault.Vault.access_policy[0].tenant_id} of \${var.x} \${local.some_name.azurerm_x}`,
            },
          },
        }),
      ),
    ).toEqual([]);
  });

  test('a resource and a data source of another stack are named with the construct that refers to them', () => {
    expect(
      undeclaredReferences(
        config({
          azurerm_role_assignment: {
            Grant: {
              '//': { metadata: { path: 'dev/Grant' } },
              scope: `\${azurerm_storage_account.Other_1234.id}`,
              principal_id: `\${data.azurerm_client_config.Elsewhere.object_id}`,
            },
          },
        }),
      ),
    ).toEqual([
      { reference: 'azurerm_storage_account.Other_1234', at: 'dev/Grant' },
      { reference: 'data.azurerm_client_config.Elsewhere', at: 'dev/Grant' },
    ]);
  });

  test('inside functions, object constructors, lists and outputs; one finding per block and reference', () => {
    const json = config({
      azapi_resource: {
        Body: {
          body: { properties: [`\${jsonencode({ id = azapi_resource.Gone.id, v = { n = "}" } })}`] },
          parent_id: `\${azapi_resource.Gone.id}`,
        },
      },
    });
    json.output = { vault_uri: { value: `\${azurerm_key_vault.Missing.vault_uri}` } };
    expect(undeclaredReferences(json)).toEqual([
      { reference: 'azapi_resource.Gone', at: 'azapi_resource.Body' },
      { reference: 'azurerm_key_vault.Missing', at: 'output.vault_uri' },
    ]);
  });

  test(`not references: escaped templates, text outside \${}, types of providers the stack does not require`, () => {
    expect(
      undeclaredReferences(
        config({
          azurerm_key_vault_secret: {
            Secret: {
              value: `see azurerm_key_vault.Elsewhere and $\${azurerm_key_vault.Literal.id}`,
              name: `\${random_string.Suffix.result}`,
            },
          },
        }),
      ),
    ).toEqual([]);
  });

  test('a configuration without providers has nothing to check', () => {
    expect(undeclaredReferences({ resource: { x_y: { A: { v: `\${x_y.B.id}` } } } })).toEqual([]);
  });
});

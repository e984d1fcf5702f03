import { undeclaredReferences } from '../../constructs/core/references';
import { ref } from '../helpers/synth';

/** A synthesized configuration with the azurerm, azapi and http providers, one vault, one client config. */
function config(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    terraform: { required_providers: { azurerm: {}, azapi: {}, http: {} } },
    data: { azurerm_client_config: { Client: {} } },
    locals: { prefix: 'llm' },
    variable: { region: {} },
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
  test('references to declared blocks are fine, with attributes, indexes, splats and built-in objects', () => {
    expect(
      undeclaredReferences(
        config({
          azurerm_role_assignment: {
            Grant: {
              scope: `\${azurerm_key_vault.Vault.id}`,
              principal_id: `\${data.azurerm_client_config.Client.object_id}`,
              description: `\${local.prefix}-\${var.region} \${azurerm_key_vault.Vault.access_policy[*].tenant_id}`,
              name: `\${each.value.azurerm_thing} \${count.index} \${path.module} \${terraform.workspace}`,
              depends_on: ['azurerm_key_vault.Vault', 'data.azurerm_client_config.Client'],
            },
          },
        }),
      ),
    ).toEqual([]);
  });

  test('a resource and a data source of another stack, named with the construct that refers to them', () => {
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

  test('depends_on addresses, whatever their type, and undeclared locals, variables and modules', () => {
    expect(
      undeclaredReferences(
        config({
          azurerm_role_assignment: {
            Grant: {
              depends_on: ['azurerm_storage_account.Other', 'random_string.Suffix', 'module.network'],
              name: `\${local.suffix}-\${var.zone}-\${module.dns.name}`,
            },
          },
        }),
      ),
    ).toEqual([
      { reference: 'azurerm_storage_account.Other', at: 'azurerm_role_assignment.Grant' },
      { reference: 'local.suffix', at: 'azurerm_role_assignment.Grant' },
      { reference: 'module.dns', at: 'azurerm_role_assignment.Grant' },
      { reference: 'module.network', at: 'azurerm_role_assignment.Grant' },
      { reference: 'random_string.Suffix', at: 'azurerm_role_assignment.Grant' },
      { reference: 'var.zone', at: 'azurerm_role_assignment.Grant' },
    ]);
  });

  test('in provider blocks, locals, outputs, directives, functions and object constructors', () => {
    const json = config({
      azapi_resource: {
        Body: {
          body: { properties: [`\${jsonencode({ id = azapi_resource.Gone.id, v = { n = 1 } })}`] },
          parent_id: `%{ if azapi_resource.Cond.id != "" }x%{ endif }`,
        },
      },
    });
    json.provider = {
      azurerm: [{ subscription_id: `\${azurerm_resource_group.Group.name}`, alias: 'other' }],
    };
    json.locals = { prefix: 'llm', name: `\${terraform_data.Marker.id}` };
    json.output = { vault_uri: { value: `\${azurerm_key_vault.Missing.vault_uri}` } };
    expect(undeclaredReferences(json)).toEqual([
      { reference: 'azapi_resource.Cond', at: 'azapi_resource.Body' },
      { reference: 'azapi_resource.Gone', at: 'azapi_resource.Body' },
      { reference: 'terraform_data.Marker', at: 'local.name' },
      { reference: 'azurerm_key_vault.Missing', at: 'output.vault_uri' },
      { reference: 'azurerm_resource_group.Group', at: 'provider.azurerm.other' },
    ]);
  });

  test('a data source whose type is its provider name, and Terraform built-in types', () => {
    const json = config({
      azurerm_key_vault_secret: {
        Secret: { value: `\${data.http.Ip.response_body} \${data.terraform_remote_state.State.outputs}` },
      },
    });
    expect(undeclaredReferences(json).map((r) => r.reference)).toEqual([
      'data.http.Ip',
      'data.terraform_remote_state.State',
    ]);
  });

  test('not references: text outside expressions, escapes, string literals, types of providers not required', () => {
    expect(
      undeclaredReferences(
        config({
          azurerm_key_vault_secret: {
            Secret: {
              value: `see azurerm_key_vault.Elsewhere, $\${azurerm_key_vault.Literal.id} and %%{ if azurerm_x.y }`,
              name: `\${random_string.Suffix.result} \${replace("azurerm_key_vault.Foo", "}", "")}`,
            },
          },
        }),
      ),
    ).toEqual([]);
  });

  test('string literals inside an expression are templates: their interpolations are read', () => {
    const json = config({
      azurerm_key_vault_secret: { Secret: { value: `\${format("%s \\"q\\" \${azurerm_x.Inner.id}", "a")}` } },
    });
    expect(undeclaredReferences(json)).toEqual([
      { reference: 'azurerm_x.Inner', at: 'azurerm_key_vault_secret.Secret' },
    ]);
  });

  test('operators, object keys, and an argument named depends_on below the block are read', () => {
    const json = config({
      azurerm_key_vault_secret: {
        Secret: {
          value: `\${-azurerm_x.Negated.count + 1-azurerm_x.Minus.count}`,
          tags: { [ref('azurerm_x.Key.name')]: 'v' },
          body: { depends_on: `\${azurerm_x.Nested.id}` },
        },
      },
    });
    expect(undeclaredReferences(json).map((r) => r.reference)).toEqual([
      'azurerm_x.Key',
      'azurerm_x.Minus',
      'azurerm_x.Negated',
      'azurerm_x.Nested',
    ]);
  });

  test('not references: a hyphenated identifier, names a for expression binds, iterators of dynamic blocks', () => {
    const json = config({
      azurerm_key_vault_secret: {
        Secret: {
          value: `\${my-azurerm_x.y} \${[for azurerm_a, azurerm_b in var.region : azurerm_a.k]}`,
          dynamic: {
            azurerm_rule: { for_each: `\${var.region}`, content: { name: `\${azurerm_rule.value}` } },
            other: { iterator: 'azurerm_it', content: { name: `\${azurerm_it.value}` } },
          },
        },
      },
    });
    expect(undeclaredReferences(json)).toEqual([]);
  });
});

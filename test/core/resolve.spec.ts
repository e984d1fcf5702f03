import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { Fn, TerraformVariable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { resolveTokens } from '../../constructs/core/resolve';
import { testStack } from '../helpers/synth';

describe('resolveTokens', () => {
  test('a resource attribute reads as the reference the stack writes into cdk.tf.json', () => {
    // GIVEN a resource nested in a construct (its logical id carries the path and a hash)
    const stack = testStack();
    const vault = new KeyVault(new Construct(stack, 'Security'), 'Vault', {
      name: 'kv-test',
      location: 'swedencentral',
      resourceGroupName: 'rg-test',
      tenantId: 't',
      skuName: 'standard',
    });
    // WHEN its id and a string built from it are resolved
    const resolved = resolveTokens(stack, {
      id: vault.id,
      uri: `${vault.vaultUri}secrets/x`,
      list: [vault.name],
    });
    // THEN each is the Terraform expression, in place, inside strings, objects and lists
    expect(resolved).toEqual({
      id: `\${azurerm_key_vault.${vault.friendlyUniqueId}.id}`,
      uri: `\${azurerm_key_vault.${vault.friendlyUniqueId}.vault_uri}secrets/x`,
      list: [`\${azurerm_key_vault.${vault.friendlyUniqueId}.name}`],
    });
    expect(vault.friendlyUniqueId).toMatch(/^Security_Vault_[0-9A-F]{8}$/);
  });

  test('variables and functions resolve to their expressions; plain values stay as they are', () => {
    const stack = testStack();
    const name = new TerraformVariable(stack, 'name', { type: 'string' });
    expect(resolveTokens(stack, name.stringValue)).toBe(`\${var.name}`);
    expect(resolveTokens(stack, Token.asString(Fn.lower(name.stringValue)))).toBe(`\${lower(var.name)}`);
    expect(resolveTokens(stack, { n: 1, s: 'text', b: false, nothing: undefined })).toEqual({
      n: 1,
      s: 'text',
      b: false,
      nothing: undefined,
    });
  });
});

import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { type TerraformStack, TerraformVariable } from 'cdktf';
import { ValidationError } from '../../constructs/core/errors';
import { resolveTokens } from '../../constructs/core/resolve';
import { KeyVault, type KeyVaultProps } from '../../constructs/security/key-vault';
import { onlyResource, resourcesOf, synthStack, TEST_RESOURCE_GROUP, testStack } from '../helpers/synth';

const TENANT = '22222222-2222-2222-2222-222222222222';
const REQUIRED: KeyVaultProps = {
  resourceGroup: TEST_RESOURCE_GROUP,
  name: 'kv-test-abcde',
  tenantId: TENANT,
};

function build(props: Partial<KeyVaultProps> = {}): { stack: TerraformStack; vault: KeyVault } {
  const stack = testStack();
  const vault = new KeyVault(stack, 'KeyVault', { ...REQUIRED, ...props });
  return { stack, vault };
}

function problemsOf(props: Partial<KeyVaultProps>): string[] {
  try {
    build(props);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain('Invalid KeyVault "test/KeyVault"');
    return (error as ValidationError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected the props to be rejected');
}

describe('KeyVault', () => {
  test('defaults: RBAC only, purge protection, 90 days soft delete, private, protected', () => {
    // GIVEN only the required props
    const json = synthStack(build().stack);
    // WHEN synthesized THEN each secure setting is on
    const vault = onlyResource(json, 'azurerm_key_vault');
    expect(vault.rbac_authorization_enabled).toBe(true);
    expect(vault).not.toHaveProperty('access_policy');
    expect(vault.purge_protection_enabled).toBe(true);
    expect(vault.soft_delete_retention_days).toBe(90);
    expect(vault.public_network_access_enabled).toBe(false);
    expect(vault.network_acls).toEqual({ bypass: 'AzureServices', default_action: 'Deny' });
    expect(vault.lifecycle).toEqual({ prevent_destroy: true });
    expect(vault.sku_name).toBe('standard');
    expect(vault.tenant_id).toBe(TENANT);
    expect(vault.name).toBe('kv-test-abcde');
    expect(vault.resource_group_name).toBe('rg-test');
    expect(vault.location).toBe('swedencentral');
    // AND the main resource has the construct's address (id Default adds nothing)
    expect(Object.keys(resourcesOf(json, 'azurerm_key_vault'))).toEqual(['KeyVault']);
    // AND no diagnostic setting of its own: the stack's DiagnosticsAspect adds it
    expect(resourcesOf(json, 'azurerm_monitor_diagnostic_setting')).toEqual({});
  });

  test('all props', () => {
    const workspace = { id: '/subscriptions/s/workspaces/log' };
    const json = synthStack(
      build({
        publicNetworkAccessEnabled: true,
        softDeleteRetentionDays: 7,
        sku: 'premium',
        preventDestroy: false,
        diagnosticSettings: { workspace },
      }).stack,
    );
    const vault = onlyResource(json, 'azurerm_key_vault');
    expect(vault.public_network_access_enabled).toBe(true);
    expect(vault.network_acls).toEqual({ bypass: 'AzureServices', default_action: 'Allow' });
    expect(vault.soft_delete_retention_days).toBe(7);
    expect(vault.sku_name).toBe('premium');
    expect(vault).not.toHaveProperty('lifecycle');
    // purge protection and RBAC cannot be turned off
    expect(vault.purge_protection_enabled).toBe(true);
    expect(vault.rbac_authorization_enabled).toBe(true);
    expect(onlyResource(json, 'azurerm_monitor_diagnostic_setting')).toEqual({
      name: 'llmops-platform',
      target_resource_id: `\${azurerm_key_vault.KeyVault.id}`,
      log_analytics_workspace_id: workspace.id,
      enabled_log: [{ category_group: 'allLogs' }],
      enabled_metric: [{ category: 'AllMetrics' }],
    });
  });

  test('fails when the name breaks the Key Vault rule', () => {
    expect(problemsOf({ name: 'kv-this-name-is-far-too-long' })).toEqual([
      'props.name: Key Vault name "kv-this-name-is-far-too-long" breaks the rule: 3-24 letters, digits and single hyphens, starting with a letter, not ending with a hyphen, globally unique',
    ]);
  });

  test('fails when the sku is not one azurerm accepts', () => {
    expect(problemsOf({ sku: 'Premium' as 'premium' })).toEqual([
      'props.sku: "Premium" is not one of standard, premium',
    ]);
  });

  test.each([6, 91, 7.5])('fails when softDeleteRetentionDays is %s', (days) => {
    expect(problemsOf({ softDeleteRetentionDays: days })).toEqual([
      `props.softDeleteRetentionDays: ${days} is out of range: allowed 7-90 days`,
    ]);
  });

  test('reports every invalid prop at once', () => {
    expect(problemsOf({ name: '1kv', softDeleteRetentionDays: 0 }).map((p) => p.split(':')[0])).toEqual([
      'props.name',
      'props.softDeleteRetentionDays',
    ]);
  });

  test('accepts a name known only at apply', () => {
    const stack = testStack();
    const name = new TerraformVariable(stack, 'vault_name', { type: 'string' });
    new KeyVault(stack, 'KeyVault', { ...REQUIRED, name: name.stringValue });
    expect(onlyResource(synthStack(stack), 'azurerm_key_vault').name).toBe(`\${var.vault_name}`);
  });

  test('grantSecretsRead: Key Vault Secrets User on the vault, to a service principal', () => {
    const { stack, vault } = build();
    const identity = new UserAssignedIdentity(stack, 'App', {
      name: 'id-app',
      location: 'x',
      resourceGroupName: 'rg',
    });
    const assignment = vault.grantSecretsRead(identity);
    expect(assignment.node.path).toBe('test/KeyVault/GrantKeyVaultSecretsUserApp');
    expect(onlyResource(synthStack(stack), 'azurerm_role_assignment')).toMatchObject({
      role_definition_name: 'Key Vault Secrets User',
      scope: `\${azurerm_key_vault.KeyVault.id}`,
      principal_id: `\${azurerm_user_assigned_identity.App.principal_id}`,
      principal_type: 'ServicePrincipal',
      skip_service_principal_aad_check: true,
    });
  });

  test('grantCryptoServiceEncryption: Key Vault Crypto Service Encryption User on the vault', () => {
    const { stack, vault } = build();
    vault.grantCryptoServiceEncryption({ principalId: 'p' });
    expect(onlyResource(synthStack(stack), 'azurerm_role_assignment')).toMatchObject({
      role_definition_name: 'Key Vault Crypto Service Encryption User',
      scope: `\${azurerm_key_vault.KeyVault.id}`,
      principal_id: 'p',
    });
  });

  test('exposes the resource id and vault URI', () => {
    const { stack, vault } = build();
    expect(resolveTokens(stack, vault.resourceId)).toBe(`\${azurerm_key_vault.KeyVault.id}`);
    expect(resolveTokens(stack, vault.vaultUri)).toBe(`\${azurerm_key_vault.KeyVault.vault_uri}`);
  });

  test('snapshot of its resources', () => {
    const resources = synthStack(build().stack).resource!;
    expect(Object.keys(resources)).toEqual(['azurerm_key_vault']);
    expect(resources).toMatchSnapshot();
  });
});

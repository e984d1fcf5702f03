import type { TerraformStack } from 'cdktf';
import { ValidationError } from '../../constructs/core/errors';
import { TimeProvider } from '../../constructs/core/time';
import { EncryptionKey, type EncryptionKeyProps } from '../../constructs/security/encryption-key';
import { KeyVault } from '../../constructs/security/key-vault';
import { onlyResource, resourcesOf, synthStack, TEST_RESOURCE_GROUP, testStack } from '../helpers/synth';

const ZONE =
  '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net';

function build(
  props: Partial<EncryptionKeyProps> = {},
  privateVault = false,
): { stack: TerraformStack; key: EncryptionKey } {
  const stack = testStack();
  new TimeProvider(stack, 'Time'); // the stack configures providers; the construct only uses time_sleep
  const keyVault = new KeyVault(stack, 'KeyVault', {
    resourceGroup: TEST_RESOURCE_GROUP,
    name: 'kv-test-abcde',
    tenantId: 't',
    privateEndpoint: privateVault
      ? { subnetId: '/subnets/pep', dnsZoneIds: { 'privatelink.vaultcore.azure.net': ZONE } }
      : undefined,
  });
  const key = new EncryptionKey(stack, 'EncryptionKey', {
    keyVault,
    resourceGroup: TEST_RESOURCE_GROUP,
    name: 'llmops-cmk',
    identityName: 'id-llmops-prod-cmk',
    deployer: { principalId: 'deployer-object-id' },
    ...props,
  });
  return { stack, key };
}

describe('EncryptionKey', () => {
  test('defaults: RSA 3072, wrap/unwrap, a first version that expires, rotation 30 days before each 2-year expiry, protected', () => {
    const json = synthStack(build().stack);
    expect(onlyResource(json, 'azurerm_key_vault_key')).toMatchObject({
      name: 'llmops-cmk',
      key_type: 'RSA',
      key_size: 3072,
      key_opts: ['wrapKey', 'unwrapKey'],
      rotation_policy: {
        expire_after: 'P2Y',
        notify_before_expiry: 'P30D',
        // counted from creation: 730 days of expiry less 30
        automatic: { time_after_creation: 'P700D' },
      },
      lifecycle: { prevent_destroy: true },
    });
  });

  test('one identity holds only Key Vault Crypto Service Encryption User, on the key; the deployer Crypto Officer on the vault', () => {
    const json = synthStack(build().stack);
    const grants = Object.values(resourcesOf(json, 'azurerm_role_assignment')).map((r) => [
      r.role_definition_name,
      r.principal_id,
      r.scope,
    ]);
    expect(grants).toEqual(
      expect.arrayContaining([
        [
          'Key Vault Crypto Service Encryption User',
          `\${azurerm_user_assigned_identity.EncryptionKey_Identity_3967FCF1.principal_id}`,
          `\${azurerm_key_vault_key.EncryptionKey.resource_versionless_id}`,
        ],
        ['Key Vault Crypto Officer', 'deployer-object-id', `\${azurerm_key_vault.KeyVault.id}`],
      ]),
    );
    expect(grants).toHaveLength(2);
  });

  test('orders one deploy: officer grant, wait, key (after the vault endpoint); identity grant, wait, consumers', () => {
    // GIVEN a private vault
    const { stack, key } = build({}, true);
    const json = synthStack(stack);
    const sleeps = resourcesOf(json, 'time_sleep');
    // THEN the key waits for the officer grant's propagation and for the vault's private endpoint
    expect(onlyResource(json, 'azurerm_key_vault_key').depends_on).toEqual([
      'time_sleep.EncryptionKey_DeployerRolePropagation_8CFB64A4',
      'azurerm_key_vault.KeyVault',
      'azurerm_private_endpoint.KeyVault_PrivateEndpoint_DBC660D3',
    ]);
    expect(sleeps.EncryptionKey_DeployerRolePropagation_8CFB64A4).toMatchObject({
      create_duration: '120s',
      depends_on: ['azurerm_role_assignment.KeyVault_GrantKeyVaultCryptoOfficer_962DD394'],
    });
    // AND consumers wait for the identity grant's propagation
    expect(sleeps.EncryptionKey_RolePropagation_8C96C8D9).toMatchObject({
      create_duration: '120s',
      depends_on: ['azurerm_role_assignment.EncryptionKey_EncryptionUser_82779070'],
    });
    expect(key.customerManagedKey().dependsOn).toEqual(key.ready);
    // AND the time provider is pinned like azapi
    expect(json.terraform!.required_providers).toMatchObject({
      time: { source: 'hashicorp/time', version: '0.13.1' },
    });
  });

  test('fails with every problem at once: key name, size, durations', () => {
    let caught: unknown;
    try {
      build({ name: 'bad name', keySize: 1024 as 2048, expireAfter: '2 years', rotateBeforeExpiry: 'P1H' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'props.name: "bad name" is not a Key Vault key name: 1-127 letters, digits and hyphens',
      'props.keySize: 1024 is not one of 2048, 3072, 4096',
      'props.expireAfter: "2 years" is not an ISO 8601 duration in years, months and days (e.g. P2Y)',
      'props.rotateBeforeExpiry: "P1H" is not an ISO 8601 duration in years, months and days (e.g. P30D)',
    ]);
  });
});

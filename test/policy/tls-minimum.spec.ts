import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiManagement } from '@cdktf/provider-azurerm/lib/api-management';
import { suppressPolicy, TlsMinimumRule } from '../../constructs/policy';
import { APIM_LEGACY_PROTOCOLS } from '../../constructs/policy/rules/tls-minimum';
import { StorageAccount } from '../../constructs/storage/storage-account';
import { TEST_RESOURCE_GROUP } from '../helpers/synth';
import { findingsAfterSynth, rawResource, stackWith, synthError } from './helpers';

function apim(
  scope: ReturnType<typeof stackWith>,
  security?: ConstructorParameters<typeof ApiManagement>[2]['security'],
) {
  return new ApiManagement(scope, 'Gateway', {
    name: 'apim-test',
    location: 'swedencentral',
    resourceGroupName: 'rg-test',
    publisherEmail: 'platform@example.com',
    publisherName: 'Platform',
    skuName: 'Developer_1',
    security,
  });
}

describe('policy rule tls-minimum', () => {
  test('passes for the StorageAccount construct (TLS1_2)', () => {
    const stack = stackWith(new TlsMinimumRule());
    new StorageAccount(stack, 'Storage', { resourceGroup: TEST_RESOURCE_GROUP, name: 'sttest' });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('passes for a storage account with TLS1_3', () => {
    const stack = stackWith(new TlsMinimumRule());
    rawResource(stack, 'Storage', 'azurerm_storage_account', { min_tls_version: 'TLS1_3' });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test.each(['TLS1_0', 'TLS1_1'])('fails when a storage account allows %s', (version) => {
    const stack = stackWith(new TlsMinimumRule());
    rawResource(stack, 'Storage', 'azurerm_storage_account', { min_tls_version: version });
    expect(synthError(stack)).toContain(
      `[policy tls-minimum] test/Storage (azurerm_storage_account.Storage): min_tls_version is "${version}"; set it to "TLS1_2" or newer`,
    );
  });

  test('fails when a storage account leaves the minimum unset', () => {
    const stack = stackWith(new TlsMinimumRule());
    rawResource(stack, 'Storage', 'azurerm_storage_account');
    expect(synthError(stack)).toContain('min_tls_version is "(unset)"; set it to "TLS1_2" or newer');
  });

  test('passes for API Management without legacy protocols', () => {
    const stack = stackWith(new TlsMinimumRule());
    apim(stack, { frontendTls10Enabled: false, backendTls11Enabled: false });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test('fails when API Management enables TLS 1.0 or 1.1 (security block as cdktf writes it)', () => {
    // GIVEN the real provider class, which writes the one-item security block as an object
    const stack = stackWith(new TlsMinimumRule());
    apim(stack, { frontendTls10Enabled: true, backendTls11Enabled: true });
    // THEN every legacy switch is named
    expect(synthError(stack)).toContain(
      '[policy tls-minimum] test/Gateway (azurerm_api_management.Gateway): legacy protocols enabled: backend_tls11_enabled, frontend_tls10_enabled; turn them off',
    );
  });

  test('fails when API Management enables SSL 3.0 (security block written as a list)', () => {
    const stack = stackWith(new TlsMinimumRule());
    rawResource(stack, 'Gateway', 'azurerm_api_management', { security: [{ frontend_ssl30_enabled: true }] });
    expect(synthError(stack)).toContain('legacy protocols enabled: frontend_ssl30_enabled; turn them off');
  });

  test('a suppression with a reason lets synth pass and is reported with the finding', () => {
    const stack = stackWith(new TlsMinimumRule());
    const gateway = apim(stack, { backendTls11Enabled: true });
    suppressPolicy(gateway, 'tls-minimum', 'legacy on-premises back end, TLS 1.2 upgrade tracked in OPS-123');
    expect(findingsAfterSynth(stack)).toEqual([
      expect.objectContaining({
        ruleId: 'tls-minimum',
        suppressedBecause: 'legacy on-premises back end, TLS 1.2 upgrade tracked in OPS-123',
      }),
    ]);
  });

  test.each(APIM_LEGACY_PROTOCOLS)(
    'fails when API Management turns on %s, naming that switch only',
    (flag) => {
      const stack = stackWith(new TlsMinimumRule());
      const others = Object.fromEntries(
        APIM_LEGACY_PROTOCOLS.filter((p) => p !== flag).map((p) => [p, false]),
      );
      rawResource(stack, 'Gateway', 'azurerm_api_management', { security: [{ ...others, [flag]: true }] });
      expect(synthError(stack)).toContain(
        `[policy tls-minimum] test/Gateway (azurerm_api_management.Gateway): legacy protocols enabled: ${flag}; turn them off`,
      );
    },
  );

  test('every legacy switch is an argument of the security block of azurerm_api_management 4.55', () => {
    // GIVEN the cdktf binding of the pinned provider, which names every argument it accepts
    const binding = readFileSync(
      join(__dirname, '../../node_modules/@cdktf/provider-azurerm/lib/api-management/index.js'),
      'utf8',
    );
    expect(APIM_LEGACY_PROTOCOLS.filter((flag) => !binding.includes(`${flag}:`))).toEqual([]);
    expect(APIM_LEGACY_PROTOCOLS.map((flag) => flag.replace(/^(back|front)end_/, '')).sort()).toEqual([
      'ssl30_enabled',
      'ssl30_enabled',
      'tls10_enabled',
      'tls10_enabled',
      'tls11_enabled',
      'tls11_enabled',
    ]);
  });

  test('passes when every legacy switch is explicitly off', () => {
    const stack = stackWith(new TlsMinimumRule());
    rawResource(stack, 'Gateway', 'azurerm_api_management', {
      security: [Object.fromEntries(APIM_LEGACY_PROTOCOLS.map((p) => [p, false]))],
    });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });

  test.each(['TLS1_9', 'tls1_2', ''])(
    'fails when a storage account names an unknown version %p',
    (version) => {
      const stack = stackWith(new TlsMinimumRule());
      rawResource(stack, 'Storage', 'azurerm_storage_account', { min_tls_version: version });
      expect(synthError(stack)).toContain(
        `min_tls_version is ${JSON.stringify(version)}; set it to "TLS1_2" or newer`,
      );
    },
  );

  test('checks no other resource type', () => {
    const stack = stackWith(new TlsMinimumRule());
    rawResource(stack, 'Vault', 'azurerm_key_vault', { min_tls_version: 'TLS1_0' });
    expect(findingsAfterSynth(stack)).toEqual([]);
  });
});

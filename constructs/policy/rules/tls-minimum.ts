import { attr, PolicyRule, type SynthesizedResource } from '../engine';

const TLS_ORDER = ['TLS1_0', 'TLS1_1', 'TLS1_2', 'TLS1_3'];

/**
 * API Management protocol switches (in its `security` block) that must stay off: SSL 3.0, TLS 1.0 and TLS 1.1,
 * front and back end.
 */
export const APIM_LEGACY_PROTOCOLS: readonly string[] = [
  'backend_ssl30_enabled',
  'backend_tls10_enabled',
  'backend_tls11_enabled',
  'frontend_ssl30_enabled',
  'frontend_tls10_enabled',
  'frontend_tls11_enabled',
];

/**
 * TLS 1.2 or newer. Types whose minimum is fixed by the platform (Key Vault, AI Services, AI Search)
 * have no argument to check; storage accounts and API Management do.
 */
export class TlsMinimumRule extends PolicyRule {
  readonly id = 'tls-minimum';
  readonly description = 'Clients and back ends connect with TLS 1.2 or newer.';

  appliesTo(resourceType: string): boolean {
    return resourceType === 'azurerm_storage_account' || resourceType === 'azurerm_api_management';
  }

  check(resource: SynthesizedResource): string | undefined {
    if (resource.type === 'azurerm_storage_account') {
      const version = attr(resource.attributes, 'min_tls_version');
      return typeof version === 'string' && TLS_ORDER.indexOf(version) >= TLS_ORDER.indexOf('TLS1_2')
        ? undefined
        : `min_tls_version is ${JSON.stringify(version ?? '(unset)')}; set it to "TLS1_2" or newer`;
    }
    const enabled = APIM_LEGACY_PROTOCOLS.filter((p) => attr(resource.attributes, 'security', 0, p) === true);
    return enabled.length ? `legacy protocols enabled: ${enabled.join(', ')}; turn them off` : undefined;
  }
}

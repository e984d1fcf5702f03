import { attr, PolicyRule, type SynthesizedResource } from '../engine';

/** Per type: the argument and the value that means "Entra ID only". */
const LOCAL_AUTH: Readonly<
  Record<string, readonly { path: (string | number)[]; required: unknown; label: string }[]>
> = {
  azurerm_cognitive_account: [
    { path: ['local_auth_enabled'], required: false, label: 'local_auth_enabled = false' },
  ],
  azurerm_search_service: [
    {
      path: ['local_authentication_enabled'],
      required: false,
      label: 'local_authentication_enabled = false',
    },
  ],
  azurerm_storage_account: [
    { path: ['shared_access_key_enabled'], required: false, label: 'shared_access_key_enabled = false' },
  ],
  azurerm_log_analytics_workspace: [
    {
      path: ['local_authentication_enabled'],
      required: false,
      label: 'local_authentication_enabled = false',
    },
  ],
  azurerm_application_insights: [
    {
      path: ['local_authentication_disabled'],
      required: true,
      label: 'local_authentication_disabled = true',
    },
  ],
  azurerm_key_vault: [
    {
      path: ['rbac_authorization_enabled'],
      required: true,
      label: 'rbac_authorization_enabled = true (no access policies)',
    },
  ],
};

/** Keys, shared keys and access policies are off: every caller authenticates with Microsoft Entra ID. */
export class LocalAuthDisabledRule extends PolicyRule {
  readonly id = 'local-auth-disabled';
  readonly description = 'Local (key) authentication is disabled; callers use Microsoft Entra ID.';

  appliesTo(resourceType: string): boolean {
    return resourceType in LOCAL_AUTH;
  }

  check(resource: SynthesizedResource): string | undefined {
    const failing = LOCAL_AUTH[resource.type]!.filter(
      (c) => attr(resource.attributes, ...c.path) !== c.required,
    );
    return failing.length
      ? `local authentication must be off: set ${failing.map((c) => c.label).join(', ')}`
      : undefined;
  }
}

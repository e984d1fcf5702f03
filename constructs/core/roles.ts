import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import type { Construct } from 'constructs';

/** An Azure built-in role: its name (as `role_definition_name`) and its fixed GUID (for ABAC conditions). */
export interface BuiltInRole {
  readonly name: string;
  readonly id: string;
}

/**
 * The Azure built-in roles this project assigns. GUIDs are the same in every tenant.
 *
 * @see https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
 */
export const BuiltInRoles = {
  contributor: { name: 'Contributor', id: 'b24988ac-6180-42a0-ab88-20f7382dd24c' },
  rbacAdministrator: {
    name: 'Role Based Access Control Administrator',
    id: 'f58310d9-a9f6-439a-9e8d-f62e7b41a168',
  },
  cognitiveServicesOpenAiUser: {
    name: 'Cognitive Services OpenAI User',
    id: '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd',
  },
  cognitiveServicesUser: { name: 'Cognitive Services User', id: 'a97b65f3-24c7-4388-baec-2e87135dc908' },
  searchIndexDataReader: { name: 'Search Index Data Reader', id: '1407120a-92aa-4202-b7e9-c0e197c71c8f' },
  searchIndexDataContributor: {
    name: 'Search Index Data Contributor',
    id: '8ebe5a00-799e-43f5-93ac-243d3dce84a7',
  },
  searchServiceContributor: {
    name: 'Search Service Contributor',
    id: '7ca78c08-252a-4471-8644-bb5ff32d4ba0',
  },
  storageBlobDataReader: { name: 'Storage Blob Data Reader', id: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1' },
  storageBlobDataContributor: {
    name: 'Storage Blob Data Contributor',
    id: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  },
  keyVaultSecretsUser: { name: 'Key Vault Secrets User', id: '4633458b-17de-408a-b874-0445c86b69e6' },
  keyVaultCryptoOfficer: { name: 'Key Vault Crypto Officer', id: '14b46e9e-c2b7-41b4-b07b-48a6ebf60603' },
  keyVaultCryptoServiceEncryptionUser: {
    name: 'Key Vault Crypto Service Encryption User',
    id: 'e147488a-f6f5-4113-8e2d-b22465e65bf6',
  },
  monitoringMetricsPublisher: {
    name: 'Monitoring Metrics Publisher',
    id: '3913510d-42f4-4e42-8a64-420c390055eb',
  },
  logAnalyticsReader: { name: 'Log Analytics Reader', id: '73c42c96-874c-492b-b04d-ab87d138a893' },
  azureAiDeveloper: { name: 'Azure AI Developer', id: '64702f94-c441-49e6-a78b-ef80e0188fee' },
  keyVaultReader: { name: 'Key Vault Reader', id: '21090545-7ca7-4776-b22c-e363652d74d2' },
  azureAiEnterpriseNetworkConnectionApprover: {
    name: 'Azure AI Enterprise Network Connection Approver',
    id: 'b556d68e-0be0-4f35-a333-ad7ee1ce17ea',
  },
} as const satisfies Record<string, BuiltInRole>;

/**
 * Roles that `grantXxx` methods of this project's constructs assign. The deployment identity's RBAC
 * administrator assignment is limited to exactly these (an ABAC condition), so a pipeline can wire
 * grants but never hand out Owner or Contributor.
 */
export const GRANTABLE_ROLES: readonly BuiltInRole[] = [
  BuiltInRoles.cognitiveServicesOpenAiUser,
  BuiltInRoles.cognitiveServicesUser,
  BuiltInRoles.searchIndexDataReader,
  BuiltInRoles.searchIndexDataContributor,
  BuiltInRoles.searchServiceContributor,
  BuiltInRoles.storageBlobDataReader,
  BuiltInRoles.storageBlobDataContributor,
  BuiltInRoles.keyVaultSecretsUser,
  BuiltInRoles.keyVaultCryptoServiceEncryptionUser,
  // The deployer creates customer-managed keys through the vault's data plane (EncryptionKey); it
  // assigns this to itself, on the environment's vault only.
  BuiltInRoles.keyVaultCryptoOfficer,
  BuiltInRoles.monitoringMetricsPublisher,
  BuiltInRoles.logAnalyticsReader,
  BuiltInRoles.azureAiDeveloper,
  BuiltInRoles.azureAiEnterpriseNetworkConnectionApprover,
];

/** Something that can be granted a role: a managed identity, a service principal, a group. */
export interface IPrincipal {
  /** Object id of the principal (a token when the identity is created in the same stack). */
  readonly principalId: string;
  /**
   * Kind of principal. `ServicePrincipal` (managed identities) lets Azure skip the directory lookup
   * that fails right after an identity is created.
   * @default 'ServicePrincipal'
   */
  readonly principalType?: 'ServicePrincipal' | 'User' | 'Group';
}

/** Optional settings of {@link grantRole}. */
export interface GrantRoleOptions {
  /** ABAC condition (condition version 2.0). @default - none */
  readonly condition?: string;
  /** Who grants, in the assignment's description. @default 'granted by llmops-platform' */
  readonly grantedBy?: string;
}

/**
 * Assigns `role` to `principal` at `scopeResourceId`. Used by every `grantXxx` method so that
 * permission wiring lives next to the resource granted on.
 */
export function grantRole(
  scope: Construct,
  id: string,
  role: BuiltInRole,
  principal: IPrincipal,
  scopeResourceId: string,
  options: GrantRoleOptions = {},
): RoleAssignment {
  const principalType = principal.principalType ?? 'ServicePrincipal';
  return new RoleAssignment(scope, id, {
    scope: scopeResourceId,
    roleDefinitionName: role.name,
    principalId: principal.principalId,
    principalType,
    skipServicePrincipalAadCheck: principalType === 'ServicePrincipal' ? true : undefined,
    condition: options.condition,
    conditionVersion: options.condition === undefined ? undefined : '2.0',
    description: `${role.name} (${options.grantedBy ?? 'granted by llmops-platform'})`,
  });
}

/**
 * {@link grantRole} with the stable construct id of {@link grantId}: what a construct's `grantXxx` method
 * calls. `qualifier` tells apart grants of one role to one principal on different scopes (e.g. `-datasets`
 * for one container).
 */
export function grantRoleOn(
  scope: Construct,
  role: BuiltInRole,
  principal: IPrincipal,
  scopeResourceId: string,
  qualifier = '',
): RoleAssignment {
  return grantRole(scope, grantId(scope, role, principal, qualifier), role, principal, scopeResourceId);
}

/**
 * A construct id for a grant that stays stable per role and principal: `Grant<Role><principal id>` when
 * the principal is a construct (its construct id), then `qualifier` (e.g. `-datasets` for a grant on one
 * container), plus a counter only when that still collides.
 */
export function grantId(scope: Construct, role: BuiltInRole, principal?: IPrincipal, qualifier = ''): string {
  const principalPart = isConstructLike(principal) ? principal.node.id.replace(/[^A-Za-z0-9]/g, '') : '';
  const base = `Grant${role.name.replace(/[^A-Za-z0-9]/g, '')}${principalPart}${qualifier}`;
  let id = base;
  for (let n = 2; scope.node.tryFindChild(id); n++) id = `${base}${n}`;
  return id;
}

function isConstructLike(value: unknown): value is { node: { id: string } } {
  return typeof value === 'object' && value !== null && 'node' in value;
}

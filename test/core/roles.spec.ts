import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Construct } from 'constructs';
import { BuiltInRoles, GRANTABLE_ROLES, grantId, grantRole, grantRoleOn } from '../../constructs/core/roles';
import { onlyResource, resourcesOf, synthStack, testStack } from '../helpers/synth';

describe('grantRole', () => {
  test('assigns the role by name at the scope, to a service principal by default', () => {
    // GIVEN a managed identity created in the same stack
    const stack = testStack();
    const identity = new UserAssignedIdentity(stack, 'Identity', {
      name: 'id',
      location: 'x',
      resourceGroupName: 'rg',
    });
    // WHEN it is granted a role on a resource
    grantRole(stack, 'Grant', BuiltInRoles.searchIndexDataReader, identity, '/subscriptions/s/search');
    // THEN the assignment names the role, the scope and the principal, and skips the directory lookup
    expect(onlyResource(synthStack(stack), 'azurerm_role_assignment')).toEqual({
      scope: '/subscriptions/s/search',
      role_definition_name: 'Search Index Data Reader',
      principal_id: `\${azurerm_user_assigned_identity.Identity.principal_id}`,
      principal_type: 'ServicePrincipal',
      skip_service_principal_aad_check: true,
      description: 'Search Index Data Reader (granted by llmops-platform)',
    });
  });

  test('keeps the directory lookup for users and groups', () => {
    const stack = testStack();
    grantRole(
      stack,
      'Grant',
      BuiltInRoles.logAnalyticsReader,
      { principalId: 'g', principalType: 'Group' },
      '/w',
    );
    const assignment = onlyResource(synthStack(stack), 'azurerm_role_assignment');
    expect(assignment.principal_type).toBe('Group');
    expect(assignment).not.toHaveProperty('skip_service_principal_aad_check');
  });
});

describe('grantRoleOn', () => {
  test('assigns the role at the scope under the stable grant id, with the qualifier appended', () => {
    // GIVEN a principal construct
    const stack = testStack();
    const identity = new UserAssignedIdentity(stack, 'Reader', {
      name: 'id',
      resourceGroupName: 'rg',
      location: 'x',
    });
    // WHEN it is granted one role on two scopes, the second with a qualifier
    const account = grantRoleOn(stack, BuiltInRoles.storageBlobDataReader, identity, '/acct');
    const container = grantRoleOn(stack, BuiltInRoles.storageBlobDataReader, identity, '/acct/c', '-c');
    // THEN the ids name role and principal, and each assignment has its own scope
    expect(account.node.id).toBe('GrantStorageBlobDataReaderReader');
    expect(container.node.id).toBe('GrantStorageBlobDataReaderReader-c');
    const scopes = Object.values(resourcesOf(synthStack(stack), 'azurerm_role_assignment')).map((r) => [
      r.role_definition_name,
      r.scope,
      r.principal_type,
    ]);
    expect(scopes.sort()).toEqual([
      ['Storage Blob Data Reader', '/acct', 'ServicePrincipal'],
      ['Storage Blob Data Reader', '/acct/c', 'ServicePrincipal'],
    ]);
  });
});

describe('grantId', () => {
  test("is Grant<Role><principal's construct id>, stable per role and principal", () => {
    const stack = testStack();
    const identity = new UserAssignedIdentity(stack, 'App-Identity', {
      name: 'id',
      location: 'x',
      resourceGroupName: 'rg',
    });
    expect(grantId(stack, BuiltInRoles.keyVaultSecretsUser, identity)).toBe(
      'GrantKeyVaultSecretsUserAppIdentity',
    );
    expect(grantId(stack, BuiltInRoles.keyVaultSecretsUser, { principalId: 'p' })).toBe(
      'GrantKeyVaultSecretsUser',
    );
  });

  test('appends the qualifier before checking for collisions', () => {
    const scope = new Construct(testStack(), 'Scope');
    new Construct(scope, 'GrantStorageBlobDataReader');
    // an account-level grant exists; a container grant still gets its own stable id
    expect(grantId(scope, BuiltInRoles.storageBlobDataReader, undefined, '-datasets')).toBe(
      'GrantStorageBlobDataReader-datasets',
    );
  });

  test('adds a counter only when the id is taken', () => {
    const scope = new Construct(testStack(), 'Scope');
    new Construct(scope, 'GrantLogAnalyticsReader');
    new Construct(scope, 'GrantLogAnalyticsReader2');
    expect(grantId(scope, BuiltInRoles.logAnalyticsReader)).toBe('GrantLogAnalyticsReader3');
  });
});

describe('GRANTABLE_ROLES', () => {
  test('never includes roles that can change permissions or everything', () => {
    const names = GRANTABLE_ROLES.map((r) => r.name);
    expect(names).not.toContain('Owner');
    expect(names).not.toContain(BuiltInRoles.contributor.name);
    expect(names).not.toContain(BuiltInRoles.rbacAdministrator.name);
  });

  test('every built-in role has its Azure name and GUID (the GUIDs go into ABAC conditions)', () => {
    // GIVEN the built-in role ids of Microsoft Learn "Azure built-in roles" (the same in every tenant)
    // THEN each role carries exactly that name and id: a wrong GUID would let the deployment identity's
    // condition allow another role, or refuse a grant the pipeline needs
    expect(
      Object.fromEntries(Object.entries(BuiltInRoles).map(([key, role]) => [key, `${role.name} ${role.id}`])),
    ).toEqual({
      contributor: 'Contributor b24988ac-6180-42a0-ab88-20f7382dd24c',
      keyVaultReader: 'Key Vault Reader 21090545-7ca7-4776-b22c-e363652d74d2',
      azureAiEnterpriseNetworkConnectionApprover:
        'Azure AI Enterprise Network Connection Approver b556d68e-0be0-4f35-a333-ad7ee1ce17ea',
      rbacAdministrator: 'Role Based Access Control Administrator f58310d9-a9f6-439a-9e8d-f62e7b41a168',
      cognitiveServicesOpenAiUser: 'Cognitive Services OpenAI User 5e0bd9bd-7b93-4f28-af87-19fc36ad61bd',
      cognitiveServicesUser: 'Cognitive Services User a97b65f3-24c7-4388-baec-2e87135dc908',
      searchIndexDataReader: 'Search Index Data Reader 1407120a-92aa-4202-b7e9-c0e197c71c8f',
      searchIndexDataContributor: 'Search Index Data Contributor 8ebe5a00-799e-43f5-93ac-243d3dce84a7',
      searchServiceContributor: 'Search Service Contributor 7ca78c08-252a-4471-8644-bb5ff32d4ba0',
      storageBlobDataReader: 'Storage Blob Data Reader 2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
      storageBlobDataContributor: 'Storage Blob Data Contributor ba92f5b4-2d11-453d-a403-e96b0029c9fe',
      keyVaultSecretsUser: 'Key Vault Secrets User 4633458b-17de-408a-b874-0445c86b69e6',
      keyVaultCryptoOfficer: 'Key Vault Crypto Officer 14b46e9e-c2b7-41b4-b07b-48a6ebf60603',
      keyVaultCryptoServiceEncryptionUser:
        'Key Vault Crypto Service Encryption User e147488a-f6f5-4113-8e2d-b22465e65bf6',
      monitoringMetricsPublisher: 'Monitoring Metrics Publisher 3913510d-42f4-4e42-8a64-420c390055eb',
      logAnalyticsReader: 'Log Analytics Reader 73c42c96-874c-492b-b04d-ab87d138a893',
      azureAiDeveloper: 'Azure AI Developer 64702f94-c441-49e6-a78b-ef80e0188fee',
    });
  });
});

import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Construct } from 'constructs';
import { BuiltInRoles, GRANTABLE_ROLES, grantId, grantRole } from '../../constructs/core/roles';
import { onlyResource, synthStack, testStack } from '../helpers/synth';

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

  test('every built-in role has a GUID id', () => {
    for (const role of Object.values(BuiltInRoles)) {
      expect(role.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
  });
});

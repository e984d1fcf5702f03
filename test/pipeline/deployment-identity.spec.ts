import type { TerraformStack } from 'cdktf';
import { ValidationError } from '../../constructs/core/errors';
import type { IResourceGroup } from '../../constructs/core/props';
import { resolveTokens } from '../../constructs/core/resolve';
import { BuiltInRoles, GRANTABLE_ROLES } from '../../constructs/core/roles';
import {
  constrainRolesCondition,
  DeploymentIdentity,
  type DeploymentIdentityProps,
} from '../../constructs/pipeline/deployment-identity';
import {
  type Attributes,
  onlyResource,
  resourcesOf,
  synthStack,
  TEST_RESOURCE_GROUP,
  testStack,
} from '../helpers/synth';

const STATE_CONTAINER =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-test/providers/Microsoft.Storage/storageAccounts/sttest/blobServices/default/containers/tfstate';

const REQUIRED: DeploymentIdentityProps = {
  resourceGroup: TEST_RESOURCE_GROUP,
  name: 'id-llmops-dev-deploy-sdc',
  githubRepository: 'contoso/llmops-platform',
  githubEnvironment: 'dev',
};

/** Role GUIDs no deployment identity may ever hand out. */
const PRIVILEGED_ROLE_IDS = {
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  userAccessAdministrator: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
  contributor: BuiltInRoles.contributor.id,
  rbacAdministrator: BuiltInRoles.rbacAdministrator.id,
};

function build(props: Partial<DeploymentIdentityProps> = {}): {
  stack: TerraformStack;
  identity: DeploymentIdentity;
} {
  const stack = testStack();
  const identity = new DeploymentIdentity(stack, 'Deploy', { ...REQUIRED, ...props });
  return { stack, identity };
}

function problemsOf(props: Partial<DeploymentIdentityProps>): string[] {
  try {
    build(props);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain('Invalid DeploymentIdentity "test/Deploy"');
    return (error as ValidationError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected the props to be rejected');
}

function assignments(props: Partial<DeploymentIdentityProps> = {}): Record<string, Attributes> {
  return resourcesOf(synthStack(build(props).stack), 'azurerm_role_assignment');
}

/** The GUID lists of each `ForAnyOfAnyValues:GuidEquals {...}` in a condition, with the attribute source. */
function guidLists(condition: string): { source: string; guids: string[] }[] {
  return [
    ...condition.matchAll(
      /@(Request|Resource)\[Microsoft\.Authorization\/roleAssignments:RoleDefinitionId\] ForAnyOfAnyValues:GuidEquals \{([^}]*)\}/g,
    ),
  ].map((m) => ({ source: m[1]!, guids: m[2]!.split(',').map((g) => g.trim()) }));
}

describe('DeploymentIdentity', () => {
  test('defaults: a protected user-assigned identity trusting exactly one GitHub environment', () => {
    // GIVEN only the required props
    const json = synthStack(build().stack);
    // THEN one user-assigned identity in the resource group, protected from destroy
    expect(onlyResource(json, 'azurerm_user_assigned_identity')).toEqual({
      name: 'id-llmops-dev-deploy-sdc',
      resource_group_name: 'rg-test',
      location: 'swedencentral',
      lifecycle: { prevent_destroy: true },
    });
    // AND one federated credential: GitHub's issuer, Entra's audience, the exact environment subject
    expect(onlyResource(json, 'azurerm_federated_identity_credential')).toEqual({
      name: 'github-dev',
      resource_group_name: 'rg-test',
      parent_id: `\${azurerm_user_assigned_identity.Deploy.id}`,
      issuer: 'https://token.actions.githubusercontent.com',
      audience: ['api://AzureADTokenExchange'],
      subject: 'repo:contoso/llmops-platform:environment:dev',
    });
    // AND no client secret or certificate of any kind
    expect(Object.keys(json.resource!).sort()).toEqual([
      'azurerm_federated_identity_credential',
      'azurerm_role_assignment',
      'azurerm_user_assigned_identity',
    ]);
  });

  test('the subject has no wildcard and names the repository and environment given', () => {
    const { identity } = build({ githubRepository: 'fabrikam/app', githubEnvironment: 'prod' });
    expect(identity.subject).toBe('repo:fabrikam/app:environment:prod');
    expect(identity.subject).not.toContain('*');
  });

  test('without remote state: Contributor and the constrained RBAC administrator, both on the resource group only', () => {
    const roles = Object.values(assignments());
    expect(roles.map((r) => [r.role_definition_name, r.scope]).sort()).toEqual([
      ['Contributor', TEST_RESOURCE_GROUP.id],
      ['Role Based Access Control Administrator', TEST_RESOURCE_GROUP.id],
    ]);
    for (const role of roles) {
      expect(role.principal_id).toBe(`\${azurerm_user_assigned_identity.Deploy.principal_id}`);
      expect(role.principal_type).toBe('ServicePrincipal');
      expect(role.skip_service_principal_aad_check).toBe(true);
    }
  });

  test('with remote state: Storage Blob Data Contributor on the state container, not the account', () => {
    const roles = Object.values(assignments({ stateContainerResourceId: STATE_CONTAINER }));
    expect(roles.map((r) => [r.role_definition_name, r.scope]).sort()).toEqual([
      ['Contributor', TEST_RESOURCE_GROUP.id],
      ['Role Based Access Control Administrator', TEST_RESOURCE_GROUP.id],
      ['Storage Blob Data Contributor', STATE_CONTAINER],
    ]);
  });

  test('nothing at subscription scope, no Owner, no unconditioned role administration', () => {
    const roles = Object.values(assignments({ stateContainerResourceId: STATE_CONTAINER }));
    for (const role of roles) {
      expect(role.scope).toMatch(/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+(\/.+)?$/);
      expect(role.role_definition_name).not.toMatch(/Owner|User Access Administrator/);
    }
    const rbac = roles.filter((r) => r.role_definition_name === 'Role Based Access Control Administrator');
    expect(rbac).toHaveLength(1);
    expect(rbac[0]!.condition_version).toBe('2.0');
    expect(typeof rbac[0]!.condition).toBe('string');
  });

  test('the ABAC condition lets it assign and remove exactly the grantable roles', () => {
    // GIVEN the synthesized RBAC administrator assignment
    const rbac = Object.values(assignments()).find(
      (r) => r.role_definition_name === 'Role Based Access Control Administrator',
    )!;
    const condition = rbac.condition as string;
    // THEN it constrains both actions: write on the request's role, delete on the existing assignment's role
    expect(condition).toContain("!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})");
    expect(condition).toContain("!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})");
    const lists = guidLists(condition);
    expect(lists.map((l) => l.source)).toEqual(['Request', 'Resource']);
    // AND each list is exactly the GUIDs of GRANTABLE_ROLES, sorted
    const expected = GRANTABLE_ROLES.map((r) => r.id).sort();
    for (const list of lists) expect(list.guids).toEqual(expected);
    // AND no privileged role is among them
    for (const id of Object.values(PRIVILEGED_ROLE_IDS)) expect(condition).not.toContain(id);
    // AND the two clauses are joined with AND (both must hold)
    expect(condition.split('\n').filter((l) => l === 'AND')).toHaveLength(1);
  });

  test('the condition string is deterministic: order and duplicates of the input do not matter', () => {
    const reversed = [...GRANTABLE_ROLES].reverse();
    expect(constrainRolesCondition([...reversed, ...reversed])).toBe(
      constrainRolesCondition(GRANTABLE_ROLES),
    );
    expect(constrainRolesCondition([BuiltInRoles.keyVaultSecretsUser])).toBe(
      [
        '(',
        ' (',
        "  !(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})",
        ' )',
        ' OR',
        ' (',
        '  @Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {4633458b-17de-408a-b874-0445c86b69e6}',
        ' )',
        ')',
        'AND',
        '(',
        ' (',
        "  !(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})",
        ' )',
        ' OR',
        ' (',
        '  @Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {4633458b-17de-408a-b874-0445c86b69e6}',
        ' )',
        ')',
      ].join('\n'),
    );
  });

  test('all props: another target resource group, remote state, protection off', () => {
    // GIVEN an identity living in one group and deploying into another
    const target: IResourceGroup = {
      name: 'rg-app',
      location: 'swedencentral',
      id: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-app',
    };
    const json = synthStack(
      build({ targetResourceGroup: target, stateContainerResourceId: STATE_CONTAINER, preventDestroy: false })
        .stack,
    );
    // THEN the deploy roles sit on the target; the identity stays where it was created, unprotected
    const roles = Object.values(resourcesOf(json, 'azurerm_role_assignment'));
    expect(
      roles
        .filter((r) => r.scope === target.id)
        .map((r) => r.role_definition_name)
        .sort(),
    ).toEqual(['Contributor', 'Role Based Access Control Administrator']);
    expect(onlyResource(json, 'azurerm_user_assigned_identity').resource_group_name).toBe('rg-test');
    expect(onlyResource(json, 'azurerm_user_assigned_identity').lifecycle).toBeUndefined();
  });

  test('handles: client id, principal id, tenant id and resource id of the identity', () => {
    const { identity } = build();
    expect(resolveTokens(identity, identity.clientId)).toBe(
      `\${azurerm_user_assigned_identity.Deploy.client_id}`,
    );
    expect(resolveTokens(identity, identity.principalId)).toBe(
      `\${azurerm_user_assigned_identity.Deploy.principal_id}`,
    );
    expect(resolveTokens(identity, identity.tenantId)).toBe(
      `\${azurerm_user_assigned_identity.Deploy.tenant_id}`,
    );
    expect(resolveTokens(identity, identity.resourceId)).toBe(`\${azurerm_user_assigned_identity.Deploy.id}`);
    expect(identity.principalType).toBe('ServicePrincipal');
  });

  test('fails when the repository is not <org>/<repo>', () => {
    expect(problemsOf({ githubRepository: 'llmops-platform' })).toEqual([
      'props.githubRepository: "llmops-platform" is not <org>/<repo>',
    ]);
  });

  test('fails when the repository has a wildcard', () => {
    expect(problemsOf({ githubRepository: 'contoso/*' })).toEqual([
      'props.githubRepository: "contoso/*" contains a wildcard: federated credentials match one repository exactly',
    ]);
  });

  test('fails when the environment has a wildcard', () => {
    expect(problemsOf({ githubEnvironment: 'prod*' })).toEqual([
      'props.githubEnvironment: "prod*" contains a wildcard: federated credentials match one environment exactly',
    ]);
  });

  test('fails when the environment name is not legal', () => {
    expect(problemsOf({ githubEnvironment: 'prod:main' })).toEqual([
      'props.githubEnvironment: "prod:main" is not a GitHub environment name: 1-255 letters, digits, ".", "_" and "-"',
    ]);
  });

  test('fails when the identity name breaks the naming rule', () => {
    expect(problemsOf({ name: 'Id_Deploy' })).toEqual([
      expect.stringMatching(/^props\.name: user-assigned identity name "Id_Deploy" breaks the rule/),
    ]);
  });

  test('fails when the target is a subscription, reporting every problem at once', () => {
    const subscription: IResourceGroup = {
      name: 'x',
      location: 'swedencentral',
      id: '/subscriptions/00000000-0000-0000-0000-000000000000',
    };
    expect(
      problemsOf({
        targetResourceGroup: subscription,
        stateContainerResourceId: '/',
        githubEnvironment: '*',
      }),
    ).toEqual([
      'props.githubEnvironment: "*" contains a wildcard: federated credentials match one environment exactly',
      'props.targetResourceGroup: "/subscriptions/00000000-0000-0000-0000-000000000000" is not a resource group or a resource in one: pipeline identities get nothing at subscription scope or above',
      'props.stateContainerResourceId: "/" is not a resource group or a resource in one: pipeline identities get nothing at subscription scope or above',
    ]);
  });

  test('snapshot of its resources', () => {
    const resources = synthStack(build({ stateContainerResourceId: STATE_CONTAINER }).stack).resource!;
    expect(Object.keys(resources.azurerm_role_assignment!)).toHaveLength(3);
    expect(resources).toMatchSnapshot();
  });
});

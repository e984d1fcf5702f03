import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { Problems } from '../../constructs/core/errors';
import { BuiltInRoles } from '../../constructs/core/roles';
import {
  addGitHubFederatedIdentity,
  assignRole,
  checkResourceGroupScope,
  type GitHubFederatedIdentityProps,
  validateGitHubFederatedIdentity,
} from '../../constructs/pipeline/github-oidc';
import { onlyResource, synthStack, TEST_RESOURCE_GROUP, testStack } from '../helpers/synth';

const PROPS: GitHubFederatedIdentityProps = {
  resourceGroup: TEST_RESOURCE_GROUP,
  name: 'id-llmops-dev-deploy-sdc',
  githubRepository: 'contoso/llmops-platform',
  githubEnvironment: 'dev',
};

describe('addGitHubFederatedIdentity', () => {
  test('creates the identity and one credential trusting exactly the GitHub environment, with no secret', () => {
    // GIVEN the construct the identity belongs to (the identity takes its address: id Default adds nothing)
    const stack = testStack();
    const { subject } = addGitHubFederatedIdentity(new Construct(stack, 'Deploy'), PROPS);
    const json = synthStack(stack);
    // THEN the identity sits in the resource group, and the credential names issuer, audience and subject
    expect(onlyResource(json, 'azurerm_user_assigned_identity')).toEqual({
      name: 'id-llmops-dev-deploy-sdc',
      resource_group_name: 'rg-test',
      location: 'swedencentral',
    });
    expect(onlyResource(json, 'azurerm_federated_identity_credential')).toEqual({
      name: 'github-dev',
      resource_group_name: 'rg-test',
      parent_id: `\${azurerm_user_assigned_identity.Deploy.id}`,
      issuer: 'https://token.actions.githubusercontent.com',
      audience: ['api://AzureADTokenExchange'],
      subject: 'repo:contoso/llmops-platform:environment:dev',
    });
    expect(subject).toBe('repo:contoso/llmops-platform:environment:dev');
    expect(Object.keys(json.resource!).sort()).toEqual([
      'azurerm_federated_identity_credential',
      'azurerm_user_assigned_identity',
    ]);
  });

  test('the credential name keeps to its rule: periods become hyphens, at most 120 characters', () => {
    // GIVEN environment names GitHub allows but a credential name does not (periods, 255 characters)
    const name = (environment: string) => {
      const stack = testStack();
      addGitHubFederatedIdentity(new Construct(stack, 'Deploy'), {
        ...PROPS,
        githubEnvironment: environment,
      });
      return onlyResource(synthStack(stack), 'azurerm_federated_identity_credential');
    };
    // THEN the name is 3-120 letters, digits, hyphens and underscores; the subject keeps the real name
    expect(name('staging.eu').name).toBe('github-staging-eu');
    expect(name('staging.eu').subject).toBe('repo:contoso/llmops-platform:environment:staging.eu');
    const long = name('e'.repeat(255));
    expect(long.name).toBe(`github-${'e'.repeat(113)}`);
    expect(String(long.name)).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$/);
  });
});

describe('validateGitHubFederatedIdentity', () => {
  test('passes valid props', () => {
    const problems = new Problems('props');
    validateGitHubFederatedIdentity(PROPS, problems);
    expect(problems.all).toEqual([]);
  });

  test('lets unresolved tokens through (their value is known only at apply)', () => {
    const problems = new Problems('props');
    validateGitHubFederatedIdentity(
      {
        ...PROPS,
        githubRepository: Token.asString({ Ref: 'repo' }),
        githubEnvironment: Token.asString({ Ref: 'env' }),
      },
      problems,
    );
    expect(problems.all).toEqual([]);
  });

  test('fails with every problem at once: identity name, repository and environment', () => {
    // GIVEN three bad props
    const problems = new Problems('props');
    validateGitHubFederatedIdentity(
      { ...PROPS, name: 'Id_Deploy', githubRepository: 'contoso', githubEnvironment: 'dev*' },
      problems,
    );
    // THEN each is reported at its prop, naming the value and the rule
    expect(problems.all).toEqual([
      {
        path: 'props.name',
        message:
          'user-assigned identity name "Id_Deploy" breaks the rule: 3-128 lowercase letters, digits and single hyphens, starting and ending with a letter or digit',
      },
      { path: 'props.githubRepository', message: '"contoso" is not <org>/<repo>' },
      {
        path: 'props.githubEnvironment',
        message: '"dev*" contains a wildcard: federated credentials match one environment exactly',
      },
    ]);
  });
});

describe('assignRole', () => {
  function identity() {
    const stack = testStack();
    return {
      stack,
      identity: new UserAssignedIdentity(stack, 'Deploy', {
        name: 'id-deploy',
        resourceGroupName: 'rg-test',
        location: 'swedencentral',
      }),
    };
  }

  test('assigns the role by name to the identity as a service principal, with no condition by default', () => {
    const { stack, identity: id } = identity();
    assignRole(stack, 'Reader', BuiltInRoles.logAnalyticsReader, id, TEST_RESOURCE_GROUP.id);
    expect(onlyResource(synthStack(stack), 'azurerm_role_assignment')).toEqual({
      scope: TEST_RESOURCE_GROUP.id,
      role_definition_name: 'Log Analytics Reader',
      principal_id: `\${azurerm_user_assigned_identity.Deploy.principal_id}`,
      principal_type: 'ServicePrincipal',
      skip_service_principal_aad_check: true,
      description: 'Log Analytics Reader (llmops-platform pipeline identity)',
    });
  });

  test('an ABAC condition is written with condition version 2.0', () => {
    const { stack, identity: id } = identity();
    assignRole(stack, 'Admin', BuiltInRoles.rbacAdministrator, id, TEST_RESOURCE_GROUP.id, {
      condition: "(!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'}))",
    });
    expect(onlyResource(synthStack(stack), 'azurerm_role_assignment')).toMatchObject({
      condition: "(!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'}))",
      condition_version: '2.0',
    });
  });
});

describe('checkResourceGroupScope', () => {
  test.each([
    '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-app',
    '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st/blobServices/default/containers/tfstate',
    '/SUBSCRIPTIONS/s/RESOURCEGROUPS/rg',
  ])('accepts the resource group or a resource in it: %s', (id) => {
    expect(checkResourceGroupScope(id)).toBeUndefined();
  });

  test.each([
    '/subscriptions/00000000-0000-0000-0000-000000000000',
    '/',
    'rg-app',
    '/providers/Microsoft.Management/managementGroups/mg',
  ])('fails when %j is at subscription scope or above, or not an id', (id) => {
    expect(checkResourceGroupScope(id)).toBe(
      `${JSON.stringify(id)} is not a resource group or a resource in one: pipeline identities get nothing at subscription scope or above`,
    );
  });

  test('lets an unresolved token through', () => {
    expect(checkResourceGroupScope(Token.asString({ Ref: 'rg' }))).toBeUndefined();
  });
});

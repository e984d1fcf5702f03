import type { TerraformStack } from 'cdktf';
import { ValidationError } from '../../constructs/core/errors';
import { resolveTokens } from '../../constructs/core/resolve';
import {
  VERIFICATION_ROLES,
  VerificationIdentity,
  type VerificationIdentityProps,
} from '../../constructs/pipeline/verification-identity';
import { onlyResource, resourcesOf, synthStack, TEST_RESOURCE_GROUP, testStack } from '../helpers/synth';

const STATE_CONTAINER =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-test/providers/Microsoft.Storage/storageAccounts/sttest/blobServices/default/containers/tfstate';

const REQUIRED: VerificationIdentityProps = {
  resourceGroup: TEST_RESOURCE_GROUP,
  name: 'id-llmops-prod-verify-sdc',
  githubRepository: 'contoso/llmops-platform',
  githubEnvironment: 'prod-verify',
};

function build(props: Partial<VerificationIdentityProps> = {}): {
  stack: TerraformStack;
  identity: VerificationIdentity;
} {
  const stack = testStack();
  const identity = new VerificationIdentity(stack, 'Verify', { ...REQUIRED, ...props });
  return { stack, identity };
}

function problemsOf(props: Partial<VerificationIdentityProps>): string[] {
  try {
    build(props);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain('Invalid VerificationIdentity "test/Verify"');
    return (error as ValidationError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected the props to be rejected');
}

describe('VerificationIdentity', () => {
  test('defaults: trusts exactly its own GitHub environment, with GitHub issuer and Entra audience', () => {
    const json = synthStack(build().stack);
    expect(onlyResource(json, 'azurerm_federated_identity_credential')).toEqual({
      name: 'github-prod-verify',
      resource_group_name: 'rg-test',
      parent_id: `\${azurerm_user_assigned_identity.Verify.id}`,
      issuer: 'https://token.actions.githubusercontent.com',
      audience: ['api://AzureADTokenExchange'],
      subject: 'repo:contoso/llmops-platform:environment:prod-verify',
    });
    expect(onlyResource(json, 'azurerm_user_assigned_identity').lifecycle).toEqual({ prevent_destroy: true });
  });

  test('reads, evaluates and publishes scores on the resource group; reads the state container; nothing more', () => {
    // GIVEN remote state
    const roles = Object.values(
      resourcesOf(
        synthStack(build({ stateContainerResourceId: STATE_CONTAINER }).stack),
        'azurerm_role_assignment',
      ),
    );
    // THEN exactly these roles at these scopes
    expect(roles.map((r) => [r.role_definition_name, r.scope]).sort()).toEqual([
      ['Cognitive Services OpenAI User', TEST_RESOURCE_GROUP.id],
      ['Log Analytics Reader', TEST_RESOURCE_GROUP.id],
      ['Monitoring Metrics Publisher', TEST_RESOURCE_GROUP.id],
      ['Reader', TEST_RESOURCE_GROUP.id],
      ['Storage Blob Data Reader', STATE_CONTAINER],
    ]);
    // AND none of them can change a resource, a role assignment or the state
    for (const role of roles) {
      expect(role.role_definition_name).not.toMatch(/Owner|Contributor|Administrator/);
      expect(role.condition).toBeUndefined();
    }
    expect(Object.keys(VERIFICATION_ROLES).sort()).toEqual([
      'logAnalyticsReader',
      'metricsPublisher',
      'openAiUser',
      'reader',
    ]);
  });

  test('without remote state there is no state role', () => {
    const roles = Object.values(resourcesOf(synthStack(build().stack), 'azurerm_role_assignment'));
    expect(roles.map((r) => r.role_definition_name)).not.toContain('Storage Blob Data Reader');
    expect(roles).toHaveLength(4);
  });

  test('all props: another target resource group, protection off', () => {
    const target = {
      name: 'rg-app',
      location: 'swedencentral',
      id: '/subscriptions/s/resourceGroups/rg-app',
    };
    const json = synthStack(
      build({ targetResourceGroup: target, preventDestroy: false, stateContainerResourceId: STATE_CONTAINER })
        .stack,
    );
    const scopes = Object.values(resourcesOf(json, 'azurerm_role_assignment')).map((r) => r.scope);
    expect(scopes.sort()).toEqual([STATE_CONTAINER, target.id, target.id, target.id, target.id].sort());
    expect(onlyResource(json, 'azurerm_user_assigned_identity').lifecycle).toBeUndefined();
  });

  test('handles: client id, principal id, tenant id, role assignments', () => {
    const { identity } = build();
    expect(resolveTokens(identity, identity.clientId)).toBe(
      `\${azurerm_user_assigned_identity.Verify.client_id}`,
    );
    expect(resolveTokens(identity, identity.principalId)).toBe(
      `\${azurerm_user_assigned_identity.Verify.principal_id}`,
    );
    expect(resolveTokens(identity, identity.tenantId)).toBe(
      `\${azurerm_user_assigned_identity.Verify.tenant_id}`,
    );
    expect(identity.roleAssignments.reader.scopeInput).toBe(TEST_RESOURCE_GROUP.id);
  });

  test('fails when the repository is not <org>/<repo>', () => {
    expect(problemsOf({ githubRepository: 'contoso' })).toEqual([
      'props.githubRepository: "contoso" is not <org>/<repo>',
    ]);
  });

  test('fails when the environment has a wildcard', () => {
    expect(problemsOf({ githubEnvironment: '*' })).toEqual([
      'props.githubEnvironment: "*" contains a wildcard: federated credentials match one environment exactly',
    ]);
  });

  test('fails when the target is not a resource group', () => {
    expect(problemsOf({ targetResourceGroup: { name: 'x', location: 'y', id: '/subscriptions/s' } })).toEqual(
      [
        'props.targetResourceGroup: "/subscriptions/s" is not a resource group or a resource in one: pipeline identities get nothing at subscription scope or above',
      ],
    );
  });

  test('fails when the state container is not in a resource group', () => {
    expect(problemsOf({ stateContainerResourceId: 'https://sttest.blob.core.windows.net/tfstate' })).toEqual([
      'props.stateContainerResourceId: "https://sttest.blob.core.windows.net/tfstate" is not a resource group or a resource in one: pipeline identities get nothing at subscription scope or above',
    ]);
  });
});

import { join } from 'node:path';
import { resolveTokens } from '../../constructs/core/resolve';
import { PolicyReport } from '../../constructs/policy';
import { loadConfig } from '../../lib/config/load';
import { BootstrapStack } from '../../lib/stacks/bootstrap-stack';
import {
  onlyResource,
  resourcesOf,
  type SynthJson,
  synthStack,
  TEST_DEFAULTS_YAML,
  testApp,
  testConfig,
} from '../helpers/synth';

const REPO = join(__dirname, '../..');

function bootstrap(yaml: string, name: string): { stack: BootstrapStack; json: SynthJson } {
  const env = testConfig(yaml).environments[name]!;
  const stack = new BootstrapStack(testApp(), env);
  return { stack, json: synthStack(stack) };
}

const WITH_REPOSITORY = `${TEST_DEFAULTS_YAML}  pipeline:
    github: { repository: contoso/llmops-platform }
environments:
  dev:
    profile: development
  prod:
    profile: production
    models: { azure: { secondaryLocations: [germanywestcentral] } }
    state: { backend: azurerm }
    pipeline:
      runner: { labels: [self-hosted] }
      github: { environment: production }
`;

describe('BootstrapStack pipeline identities', () => {
  test('the default config: each bootstrap stack trusts its own GitHub environments', () => {
    // GIVEN the committed config
    const config = loadConfig(join(REPO, 'config/environments.yaml'));
    const app = testApp();
    const azure = Object.values(config.environments).filter((e) => e.cloud === 'azure');
    expect(azure.map((e) => e.name)).toEqual(['dev', 'staging', 'prod']);
    for (const env of azure) {
      // WHEN the bootstrap stack is synthesized
      const json = synthStack(new BootstrapStack(app, env));
      // THEN its three credentials trust exactly repo:<org>/<repo>:environment:<env>, <env>-plan and <env>-verify
      const subjects = Object.values(resourcesOf(json, 'azurerm_federated_identity_credential')).map(
        (c) => c.subject,
      );
      expect(subjects.sort()).toEqual([
        `repo:${env.pipeline.repository}:environment:${env.pipeline.githubEnvironment}`,
        `repo:${env.pipeline.repository}:environment:${env.pipeline.planEnvironment}`,
        `repo:${env.pipeline.repository}:environment:${env.pipeline.verifyEnvironment}`,
      ]);
    }
  });

  test('the identities are named by the naming convention, tagged, and pass every policy rule', () => {
    const { stack, json } = bootstrap(WITH_REPOSITORY, 'prod');
    const identities = resourcesOf(json, 'azurerm_user_assigned_identity');
    expect(Object.keys(identities).sort()).toEqual([
      'DeploymentIdentity',
      'PlanIdentity',
      'VerificationIdentity',
    ]);
    expect(identities.DeploymentIdentity!.name).toBe('id-llmops-prod-deploy-sdc');
    expect(identities.VerificationIdentity!.name).toBe('id-llmops-prod-verify-sdc');
    expect(identities.PlanIdentity!.name).toBe('id-llmops-prod-plan-sdc');
    for (const identity of Object.values(identities)) {
      expect(identity.resource_group_name).toBe(`\${azurerm_resource_group.ResourceGroup.name}`);
      expect(identity.tags).toEqual(
        expect.objectContaining({ environment: 'prod', owner: 'test-team', 'managed-by': 'llmops-platform' }),
      );
      expect(identity.lifecycle).toEqual({ prevent_destroy: true });
    }
    expect(PolicyReport.tryOf(stack)!.validate()).toEqual([]);
  });

  test('roles sit on the environment resource group and the state container, never higher', () => {
    const { stack, json } = bootstrap(WITH_REPOSITORY, 'prod');
    const roles = Object.values(resourcesOf(json, 'azurerm_role_assignment'));
    const container = resolveTokens(stack, stack.stateStorage!.containers.tfstate!.id);
    expect(container).toMatch(/^\$\{azurerm_storage_container\..+\.id\}$/);
    const byScope = (scope: string) =>
      roles
        .filter((r) => r.scope === scope)
        .map((r) => r.role_definition_name)
        .sort();
    expect(byScope(`\${azurerm_resource_group.ResourceGroup.id}`)).toEqual([
      'Cognitive Services OpenAI User',
      'Contributor',
      'Key Vault Reader',
      'Log Analytics Reader',
      'Monitoring Metrics Publisher',
      'Reader',
      'Role Based Access Control Administrator',
    ]);
    expect(byScope(container)).toEqual([
      'Storage Blob Data Contributor',
      'Storage Blob Data Reader',
      'Storage Blob Data Reader',
    ]);
    // AND two custom roles, on the group too: the plan reader, and in production (protection.locks) the
    // lock operator
    const custom = roles.filter((r) => r.role_definition_name === undefined);
    expect(custom).toEqual([
      expect.objectContaining({
        scope: `\${azurerm_resource_group.ResourceGroup.id}`,
        role_definition_id: expect.stringMatching(
          /^\$\{azurerm_role_definition\.DeploymentIdentity_LockOperatorRole_[0-9A-F]{8}\.role_definition_resource_id\}$/,
        ),
      }),
      expect.objectContaining({
        scope: `\${azurerm_resource_group.ResourceGroup.id}`,
        role_definition_id: expect.stringMatching(
          /^\$\{azurerm_role_definition\.PlanIdentity_PlanReaderRole_[0-9A-F]{8}\.role_definition_resource_id\}$/,
        ),
      }),
    ]);
    expect(roles).toHaveLength(12);
  });

  test('the plan identity, which pull requests use, can read configuration and state and nothing else', () => {
    // GIVEN the prod bootstrap stack
    const { stack, json } = bootstrap(WITH_REPOSITORY, 'prod');
    const principal = `\${azurerm_user_assigned_identity.PlanIdentity.principal_id}`;
    // THEN its roles are the plan reader on the resource group and Storage Blob Data Reader on the state
    // container
    const roles = Object.values(resourcesOf(json, 'azurerm_role_assignment'))
      .filter((r) => r.principal_id === principal)
      .map((r) => [r.role_definition_name ?? r.role_definition_id, r.scope]);
    const container = resolveTokens(stack, stack.stateStorage!.containers.tfstate!.id);
    const planReader = Object.entries(resourcesOf(json, 'azurerm_role_definition')).find(([id]) =>
      id.startsWith('PlanIdentity_PlanReaderRole_'),
    )!;
    expect(roles.sort()).toEqual([
      [
        `\${azurerm_role_definition.${planReader[0]}.role_definition_resource_id}`,
        `\${azurerm_resource_group.ResourceGroup.id}`,
      ],
      ['Key Vault Reader', `\${azurerm_resource_group.ResourceGroup.id}`],
      ['Storage Blob Data Reader', container],
    ]);
    // AND the plan reader reads everything in the group except logs and telemetry: the built-in Reader's
    // read actions include the workspace, resource-context and Application Insights queries
    expect(planReader[1]).toMatchObject({
      scope: `\${azurerm_resource_group.ResourceGroup.id}`,
      assignable_scopes: [`\${azurerm_resource_group.ResourceGroup.id}`],
      permissions: [
        {
          actions: ['*/read'],
          not_actions: [
            'Microsoft.OperationalInsights/workspaces/query/*/read',
            'Microsoft.Insights/logs/*/read',
            'Microsoft.Insights/components/query/read',
          ],
        },
      ],
    });
    // AND none that reads data or calls a model (the verification identity keeps those, on main only)
    // (prod has customer-managed keys: Key Vault Reader lets the plan refresh the key's metadata)
    expect(roles.map(([name]) => name)).not.toContain('Log Analytics Reader');
    expect(roles.map(([name]) => name)).not.toContain('Cognitive Services OpenAI User');
    expect(stack.planIdentity!.subject).toBe('repo:contoso/llmops-platform:environment:production-plan');
    expect(json.output).toMatchObject({
      plan_client_id: { value: `\${azurerm_user_assigned_identity.PlanIdentity.client_id}` },
    });
  });

  test('the lock operator custom role holds exactly Microsoft.Authorization/locks/* and is assignable only at the group', () => {
    const { json } = bootstrap(WITH_REPOSITORY, 'prod');
    const [, lockOperator] = Object.entries(resourcesOf(json, 'azurerm_role_definition')).find(([id]) =>
      id.startsWith('DeploymentIdentity_LockOperatorRole_'),
    )!;
    expect(lockOperator).toMatchObject({
      scope: `\${azurerm_resource_group.ResourceGroup.id}`,
      assignable_scopes: [`\${azurerm_resource_group.ResourceGroup.id}`],
      permissions: [{ actions: ['Microsoft.Authorization/locks/*'], not_actions: [] }],
    });
    // AND the state account is locked CanNotDelete (the lock lives with the account, in bootstrap)
    expect(onlyResource(json, 'azurerm_management_lock')).toMatchObject({
      scope: `\${azurerm_storage_account.StateStorage.id}`,
      lock_level: 'CanNotDelete',
    });
  });

  test('outputs what the GitHub environments need: client ids, principal ids, tenant, subscription', () => {
    const { json } = bootstrap(WITH_REPOSITORY, 'prod');
    expect(json.output).toMatchObject({
      deployment_client_id: { value: `\${azurerm_user_assigned_identity.DeploymentIdentity.client_id}` },
      deployment_principal_id: {
        value: `\${azurerm_user_assigned_identity.DeploymentIdentity.principal_id}`,
      },
      verification_client_id: { value: `\${azurerm_user_assigned_identity.VerificationIdentity.client_id}` },
      verification_principal_id: {
        value: `\${azurerm_user_assigned_identity.VerificationIdentity.principal_id}`,
      },
      tenant_id: { value: `\${data.azurerm_client_config.ClientConfig.tenant_id}` },
      subscription_id: { value: `\${data.azurerm_client_config.ClientConfig.subscription_id}` },
    });
  });

  test('a renamed GitHub environment is what the deployment identity trusts', () => {
    const { stack } = bootstrap(WITH_REPOSITORY, 'prod');
    expect(stack.deploymentIdentity!.subject).toBe('repo:contoso/llmops-platform:environment:production');
    expect(stack.verificationIdentity!.subject).toBe(
      'repo:contoso/llmops-platform:environment:production-verify',
    );
  });

  test('local state: no state role', () => {
    const { json } = bootstrap(WITH_REPOSITORY, 'dev');
    const names = Object.values(resourcesOf(json, 'azurerm_role_assignment')).map(
      (r) => r.role_definition_name,
    );
    expect(names).not.toContain('Storage Blob Data Contributor');
    expect(names).not.toContain('Storage Blob Data Reader');
    // AND no key metadata role without customer-managed keys (development)
    expect(names).not.toContain('Key Vault Reader');
  });

  test('without a repository there is no identity and no identity output', () => {
    const { stack, json } = bootstrap(
      `${TEST_DEFAULTS_YAML}environments:\n  dev:\n    profile: development\n`,
      'dev',
    );
    expect(stack.deploymentIdentity).toBeUndefined();
    expect(resourcesOf(json, 'azurerm_user_assigned_identity')).toEqual({});
    expect(json.output).not.toHaveProperty('deployment_client_id');
  });
});

/**
 * Test doubles for the search tests: a model endpoint (what `constructs/models/` implements) whose
 * `grantInference` creates the role assignment the real one does, on a fixed account id.
 */
import type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Construct } from 'constructs';
import type { IModelEndpoint, ModelDeploymentInfo } from '../../constructs/core/contracts';
import { BuiltInRoles, grantId, grantRole, type IPrincipal } from '../../constructs/core/roles';

export const MODEL_ACCOUNT_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-test/providers/Microsoft.CognitiveServices/accounts/ais-test';
export const MODEL_OPENAI_ENDPOINT = 'https://ais-test.openai.azure.com/';

/** One chat and one 3072-dimension embedding deployment, like the default config. */
export const DEFAULT_DEPLOYMENTS: Readonly<Record<string, ModelDeploymentInfo>> = {
  chat: {
    deploymentName: 'chat',
    role: 'chat',
    modelName: 'gpt-4o',
    modelVersion: '2024-11-20',
    skuName: 'GlobalStandard',
  },
  embedding: {
    deploymentName: 'embedding',
    role: 'embedding',
    modelName: 'text-embedding-3-large',
    modelVersion: '1',
    dimensions: 3072,
    skuName: 'GlobalStandard',
  },
};

/** A model endpoint with fixed ids and the given deployments. */
export class FakeModels extends Construct implements IModelEndpoint {
  readonly accountId = MODEL_ACCOUNT_ID;
  readonly accountName = 'ais-test';
  readonly endpoint = 'https://ais-test.cognitiveservices.azure.com/';
  readonly openAiEndpoint = MODEL_OPENAI_ENDPOINT;
  readonly location = 'swedencentral';

  constructor(
    scope: Construct,
    id: string,
    readonly deployments: Readonly<Record<string, ModelDeploymentInfo>> = DEFAULT_DEPLOYMENTS,
  ) {
    super(scope, id);
  }

  grantInference(principal: IPrincipal): RoleAssignment {
    const role = BuiltInRoles.cognitiveServicesOpenAiUser;
    return grantRole(this, grantId(this, role, principal), role, principal, this.accountId);
  }
}

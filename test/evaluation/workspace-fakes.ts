/**
 * Stand-ins for the model account and the search service, as the evaluation workspace sees them (the
 * {@link IModelEndpoint} and {@link ISearchEndpoint} contracts). They grant roles like the real
 * constructs do, on fixed resource ids, so tests of the workspace do not depend on how models and search
 * are built.
 */
import type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Construct } from 'constructs';
import type { IModelEndpoint, ISearchEndpoint, ModelDeploymentInfo } from '../../constructs/core/contracts';
import { BuiltInRoles, grantId, grantRole, type IPrincipal } from '../../constructs/core/roles';

export const FAKE_ACCOUNT_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-test/providers/Microsoft.CognitiveServices/accounts/ais-test';
export const FAKE_SEARCH_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-test/providers/Microsoft.Search/searchServices/srch-test';

/** A model endpoint with one chat deployment. */
export class FakeModels extends Construct implements IModelEndpoint {
  readonly accountId = FAKE_ACCOUNT_ID;
  readonly accountName = 'ais-test';
  readonly endpoint = 'https://ais-test.cognitiveservices.azure.com/';
  readonly openAiEndpoint = 'https://ais-test.openai.azure.com/';
  readonly location = 'swedencentral';
  readonly deployments: Readonly<Record<string, ModelDeploymentInfo>> = {
    chat: {
      deploymentName: 'chat',
      role: 'chat',
      modelName: 'gpt-4o',
      modelVersion: '2024-11-20',
      skuName: 'GlobalStandard',
    },
  };

  grantInference(principal: IPrincipal): RoleAssignment {
    const role = BuiltInRoles.cognitiveServicesOpenAiUser;
    return grantRole(this, grantId(this, role, principal), role, principal, this.accountId);
  }
}

/** A search service with one index. */
export class FakeSearch extends Construct implements ISearchEndpoint {
  readonly serviceId = FAKE_SEARCH_ID;
  readonly serviceName = 'srch-test';
  readonly endpoint = 'https://srch-test.search.windows.net';
  readonly indexNames = ['docs-v1'];

  grantIndexDataReader(principal: IPrincipal): RoleAssignment {
    const role = BuiltInRoles.searchIndexDataReader;
    return grantRole(this, grantId(this, role, principal), role, principal, this.serviceId);
  }
}

/**
 * A consumer of the installed package (`npm run test:package` compiles and runs it in an empty project
 * that installed the packed tarball and the peer dependencies): a model account, a search service with
 * its RAG index, the gateway, the baseline alerts and the diagnostics aspect in a plain `TerraformStack`,
 * imported by the package's entry points only. It synthesizes into `cdktf.out/`.
 */
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { App, Aspects, TerraformStack } from 'cdktf';
import { AzapiProvider } from 'llmops-platform/constructs/core';
// a deep path: one module of a folder (loads less than the folder's index)
import { DiagnosticsAspect } from 'llmops-platform/constructs/core/diagnostics';
import { GenAiGateway } from 'llmops-platform/constructs/gateway';
import { Observability } from 'llmops-platform/constructs/logging';
import { ModelAccount } from 'llmops-platform/constructs/models';
import { ActionGroup, BaselineAlerts } from 'llmops-platform/constructs/monitoring';
import { applyPolicies } from 'llmops-platform/constructs/policy';
import { SearchIndex, SearchService } from 'llmops-platform/constructs/search';

const app = new App();
const stack = new TerraformStack(app, 'team-rag');
new AzurermProvider(stack, 'Azurerm', { features: [{}] });
new AzapiProvider(stack, 'Azapi');

// Stateful: the policy's prevent-destroy rule asks for this on every resource group.
const rg = new ResourceGroup(stack, 'Rg', {
  name: 'rg-team-rag',
  location: 'swedencentral',
  lifecycle: { preventDestroy: true },
});
const resourceGroup = { name: rg.name, location: rg.location, id: rg.id };
const observability = new Observability(stack, 'Observability', {
  resourceGroup,
  workspaceName: 'log-team-rag',
  appInsightsName: 'appi-team-rag',
});

const models = new ModelAccount(stack, 'Models', {
  resourceGroup,
  name: 'ais-team-rag-q7x2k',
  publicNetworkAccessEnabled: true,
  deployments: {
    chat: {
      role: 'chat',
      model: { name: 'gpt-4o', version: '2024-11-20' },
      capacityThousandTokensPerMinute: 30,
    },
    embedding: {
      role: 'embedding',
      model: { name: 'text-embedding-3-large', version: '1' },
      capacityThousandTokensPerMinute: 50,
    },
  },
});

const search = new SearchService(stack, 'Search', {
  resourceGroup,
  name: 'srch-team-rag-q7x2k',
  publicNetworkAccessEnabled: true,
});
new SearchIndex(search, 'docs-v1', {
  service: search,
  name: 'docs-v1',
  models,
  embeddingDeployment: 'embedding',
});

new GenAiGateway(stack, 'Gateway', {
  resourceGroup,
  name: 'apim-team-rag-q7x2k',
  publisherEmail: 'platform@contoso.com',
  publisherName: 'Platform team',
  telemetry: observability,
  models: { primary: models },
  publicNetworkAccessEnabled: true,
});

const oncall = new ActionGroup(stack, 'Oncall', {
  resourceGroup,
  name: 'ag-team-rag-oncall',
  shortName: 'ragoncall',
  emails: ['oncall@contoso.com'],
});
new BaselineAlerts(stack, 'ModelAlerts', {
  resourceGroup,
  target: models.account,
  targetName: 'ais-team-rag-q7x2k',
  actionGroup: oncall,
  tokenBudgetPerHour: 500_000,
});

Aspects.of(stack).add(new DiagnosticsAspect({ workspace: observability.workspace }));
// The package's policy rules; synth fails on any finding that is not suppressed with a reason.
applyPolicies(stack, { networkMode: 'public', requiredTags: [] });
app.synth();

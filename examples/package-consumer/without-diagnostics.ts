/**
 * The policy rules reach a consumer's stack: a stack with a resource that supports diagnostic settings
 * but no `DiagnosticsAspect` must fail synth, naming the aspect (`npm run test:package` expects this
 * program to exit non-zero with that message).
 */
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { App, TerraformStack } from 'cdktf';
import { applyPolicies } from 'llmops-platform/constructs/policy';
import { KeyVault } from 'llmops-platform/constructs/security';

const app = new App({ outdir: 'cdktf.out.negative' });
const stack = new TerraformStack(app, 'no-diagnostics');
new AzurermProvider(stack, 'Azurerm', { features: [{}] });
const rg = new ResourceGroup(stack, 'Rg', {
  name: 'rg-no-diagnostics',
  location: 'swedencentral',
  lifecycle: { preventDestroy: true },
});
new KeyVault(stack, 'Vault', {
  resourceGroup: { name: rg.name, location: rg.location, id: rg.id },
  name: 'kv-no-diag-q7x2k',
  tenantId: '00000000-0000-0000-0000-000000000000',
  publicNetworkAccessEnabled: true,
});
applyPolicies(stack, { networkMode: 'public', requiredTags: [] });
app.synth();

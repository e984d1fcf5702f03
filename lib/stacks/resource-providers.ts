/**
 * The Azure resource providers an environment uses, registered once per subscription by the bootstrap
 * stack (run by an administrator who may register providers) and never by the environment stack (its
 * deployment identity holds roles on one resource group, so a registration attempt is a 403).
 *
 * Why explicit: azurerm 4.55.0 registers its `legacy` set by default when it configures
 * (hashicorp/terraform-provider-azurerm v4.55.0 `internal/provider/provider.go`,
 * `internal/resourceproviders/required.go`). That set lacks `Microsoft.Insights` and `Microsoft.Consumption`,
 * which the environment needs, and holds some 60 the platform never uses; with an identity scoped to a
 * resource group, any of them still unregistered fails every plan.
 *
 * @see https://learn.microsoft.com/azure/azure-resource-manager/management/resource-providers-and-types
 */
export const ENVIRONMENT_RESOURCE_PROVIDERS: Readonly<Record<string, string>> = {
  'Microsoft.ApiManagement': 'the GenAI gateway',
  'Microsoft.Authorization': 'role assignments',
  'Microsoft.CognitiveServices': 'the AI Services accounts, deployments and content filters',
  'Microsoft.Consumption': 'the resource group budget',
  'Microsoft.ContainerRegistry':
    'the AI Foundry hub creates a registry on first use for prompt flow and environment images',
  // https://learn.microsoft.com/azure/machine-learning/concept-customer-managed-keys
  'Microsoft.DocumentDB':
    'an AI Foundry hub encrypted with a customer-managed key keeps its metadata in an Azure Cosmos DB account Azure creates in a managed resource group of the subscription',
  'Microsoft.Insights':
    'Application Insights, diagnostic settings, metric and log alerts, action groups, the workbook',
  'Microsoft.KeyVault': 'the Key Vault',
  'Microsoft.MachineLearningServices': 'the AI Foundry hub, project, connections, outbound rules and compute',
  'Microsoft.ManagedIdentity': 'user-assigned identities and their federated credentials',
  'Microsoft.Network': 'the virtual network, NSGs, private DNS zones and private endpoints',
  'Microsoft.OperationalInsights': 'the Log Analytics workspace and its tables',
  'Microsoft.Resources': 'the resource group',
  'Microsoft.Search': 'the AI Search service and its indexes',
  'Microsoft.Storage': 'the datasets and Terraform state accounts',
  'Microsoft.Web':
    'the API Management subnet of a Standard v2 gateway is delegated to Microsoft.Web/serverFarms (VNet integration)',
};

/**
 * What the pinned azapi release (`AZAPI_PROVIDER_VERSION` in `./azapi`) knows, read from its source
 * (Azure/terraform-provider-azapi at tag v2.12.0). The `azapi-type-supported` policy rule checks every
 * azapi resource of a stack against these two tables, so a `type@api-version` the provider cannot
 * validate or route fails `npm run synth`, not `terraform plan`.
 *
 * To use a new type: find it in the release's source (paths below), add it here with that path, and add
 * a body schema under `spec/azure/` if the tests should validate the body.
 */
/** The azapi release the tables below were read at; a test holds the pin to it. */
export const AZAPI_TABLES_READ_AT = '2.12.0';

/**
 * ARM `type@api-version`s embedded in azapi 2.12.0, each with the `types.json` it is defined in
 * (`internal/azure/generated/<path>/types.json`). azapi validates an `azapi_resource` body against this
 * embedded schema at plan (a type outside it fails unless `schema_validation_enabled = false`), and an
 * `azapi_update_resource` keeps only the properties the schema marks writable before it sends the merged
 * body (`internal/services/azapi_update_resource.go`, `GetWriteOnly`): a property the schema lacks is
 * silently dropped, so an update may only set properties the embedded schema has.
 */
export const AZAPI_EMBEDDED_TYPES: Readonly<Record<string, string>> = {
  'Microsoft.ApiManagement/service@2024-05-01': 'apimanagement/microsoft.apimanagement/2024-05-01',
  'Microsoft.ApiManagement/service/apis/diagnostics@2024-05-01':
    'apimanagement/microsoft.apimanagement/2024-05-01',
  'Microsoft.ApiManagement/service/apis/diagnostics@2025-03-01-preview':
    'apimanagement/microsoft.apimanagement/2025-03-01-preview',
  'Microsoft.ApiManagement/service/backends@2024-05-01': 'apimanagement/microsoft.apimanagement/2024-05-01',
  'Microsoft.ApiManagement/service/loggers@2024-05-01': 'apimanagement/microsoft.apimanagement/2024-05-01',
  'Microsoft.CognitiveServices/accounts/privateEndpointConnections@2024-10-01':
    'cognitiveservices/microsoft.cognitiveservices/2024-10-01',
  'Microsoft.CognitiveServices/accounts/raiBlocklists@2024-10-01':
    'cognitiveservices/microsoft.cognitiveservices/2024-10-01',
  'Microsoft.CognitiveServices/accounts/raiBlocklists/raiBlocklistItems@2024-10-01':
    'cognitiveservices/microsoft.cognitiveservices/2024-10-01',
  'Microsoft.CognitiveServices/accounts/raiPolicies@2024-10-01':
    'cognitiveservices/microsoft.cognitiveservices/2024-10-01',
  'Microsoft.Insights/components@2020-02-02': 'applicationinsights/microsoft.insights/2020-02-02',
  'Microsoft.KeyVault/vaults/privateEndpointConnections@2023-07-01': 'keyvault/microsoft.keyvault/2023-07-01',
  'Microsoft.MachineLearningServices/workspaces@2025-01-01-preview':
    'machinelearningservices/microsoft.machinelearningservices/2025-01-01-preview',
  'Microsoft.MachineLearningServices/workspaces/connections@2024-10-01':
    'machinelearningservices/microsoft.machinelearningservices/2024-10-01',
  'Microsoft.MachineLearningServices/workspaces/outboundRules@2024-10-01':
    'machinelearningservices/microsoft.machinelearningservices/2024-10-01',
  'Microsoft.Storage/storageAccounts@2023-05-01': 'storage/microsoft.storage/2023-05-01',
  'Microsoft.Storage/storageAccounts/privateEndpointConnections@2023-05-01':
    'storage/microsoft.storage/2023-05-01',
};

/** How azapi 2.12.0 routes one data-plane type. */
export interface AzapiDataPlaneType {
  /** `ParentIDExample` of the type in `internal/services/parse/data_plane_resources.json`. */
  readonly parentIdExample: string;
  /** What a synthesized `parent_id` must look like (a Terraform reference in the name part is fine). */
  readonly parentIdPattern: RegExp;
}

/**
 * Data-plane types `azapi_data_plane_resource` can address in azapi 2.12.0
 * (`internal/services/parse/data_plane_resources.json`). Search types were added in 2.8.0; an unmapped
 * type is sent to an empty host at apply. Data-plane bodies are not schema-validated by the provider, so
 * the tests validate them against `spec/azure/`.
 */
export const AZAPI_DATA_PLANE_TYPES: Readonly<Record<string, AzapiDataPlaneType>> = {
  'Microsoft.Search/searchServices/indexes': {
    parentIdExample: '{searchServiceName}.search.windows.net',
    parentIdPattern: /^[^/\s]+\.search\.windows\.net$/,
  },
};

/**
 * Values azurerm 4.55.0 validates offline (`terraform validate`), as read in
 * hashicorp/terraform-provider-azurerm at tag v4.55.0. Construct props that expose one of these arguments
 * take a type whose values are a subset of the provider's (the test `test/core/provider-enums.spec.ts`
 * checks each), so a wrong value is a compile or synth error rather than a validate or apply error.
 *
 * One entry per `<resource type>.<argument>`; `source` is the file the rule is in, `values` the
 * `validation.StringInSlice` list, `pattern` a `validation.StringMatch` regular expression.
 */
export interface ProviderRule {
  readonly source: string;
  readonly values?: readonly string[];
  readonly pattern?: RegExp;
}

export const AZURERM_ARGUMENT_RULES = {
  'azurerm_cognitive_account.kind': {
    source: 'internal/services/cognitive/cognitive_account_resource.go',
    values: [
      'AIServices',
      'Academic',
      'AnomalyDetector',
      'Bing.Autosuggest',
      'Bing.Autosuggest.v7',
      'Bing.CustomSearch',
      'Bing.Search',
      'Bing.Search.v7',
      'Bing.Speech',
      'Bing.SpellCheck',
      'Bing.SpellCheck.v7',
      'CognitiveServices',
      'ComputerVision',
      'ContentModerator',
      'ConversationalLanguageUnderstanding',
      'ContentSafety',
      'CustomSpeech',
      'CustomVision.Prediction',
      'CustomVision.Training',
      'Emotion',
      'Face',
      'FormRecognizer',
      'ImmersiveReader',
      'LUIS',
      'LUIS.Authoring',
      'MetricsAdvisor',
      'OpenAI',
      'Personalizer',
      'QnAMaker',
      'Recommendations',
      'SpeakerRecognition',
      'Speech',
      'SpeechServices',
      'SpeechTranslation',
      'TextAnalytics',
      'TextTranslation',
      'WebLM',
    ],
  },
  'azurerm_cognitive_deployment.sku.name': {
    source: 'internal/services/cognitive/cognitive_deployment_resource.go',
    values: [
      'Standard',
      'DataZoneBatch',
      'DataZoneProvisionedManaged',
      'DataZoneStandard',
      'GlobalBatch',
      'GlobalProvisionedManaged',
      'GlobalStandard',
      'ProvisionedManaged',
    ],
  },
  'azurerm_cognitive_deployment.version_upgrade_option': {
    source: 'internal/services/cognitive/cognitive_deployment_resource.go',
    values: ['OnceCurrentVersionExpired', 'OnceNewDefaultVersionAvailable', 'NoAutoUpgrade'],
  },
  'azurerm_search_service.sku': {
    source: 'internal/services/search/search_service_resource.go',
    values: [
      'free',
      'basic',
      'standard',
      'standard2',
      'standard3',
      'storage_optimized_l1',
      'storage_optimized_l2',
    ],
  },
  'azurerm_search_service.semantic_search_sku': {
    source: 'internal/services/search/search_service_resource.go',
    values: ['free', 'standard'],
  },
  'azurerm_api_management.sku_name': {
    source: 'internal/services/apimanagement/validate/api_management_sku.go',
    pattern:
      /^Consumption_0$|^Basic_(1|2)$|^BasicV2_([1-9]|10)|^Developer_1$|^Premium_([1-9][0-9]{0,1})$|^PremiumV2_([1-9]|1[0-9]|2[0-9]|30)$|^Standard_[1-4]$|^StandardV2_([1-9]|10)$/,
  },
  'azurerm_storage_account.account_replication_type': {
    source: 'internal/services/storage/storage_account_resource.go',
    values: ['LRS', 'ZRS', 'GRS', 'RAGRS', 'GZRS', 'RAGZRS'],
  },
  'azurerm_key_vault.sku_name': {
    source: 'internal/services/keyvault/key_vault_resource.go',
    values: ['standard', 'premium'],
  },
  'azurerm_ai_foundry.managed_network.isolation_mode': {
    source:
      'internal/services/machinelearning/ai_foundry_resource.go (workspaces.PossibleValuesForIsolationMode, go-azure-sdk machinelearningservices 2025-06-01)',
    values: ['AllowInternetOutbound', 'AllowOnlyApprovedOutbound', 'Disabled'],
  },
  'azurerm_private_endpoint.private_service_connection.subresource_names': {
    source: 'internal/services/network/validate/private_link_subresource_name.go',
    pattern: /^([a-zA-Z0-9])([\w.-]{1,61})([a-zA-Z0-9])$/,
  },
  'azurerm_search_shared_private_link_service.subresource_name': {
    source: 'internal/services/network/validate/private_link_subresource_name.go',
    pattern: /^([a-zA-Z0-9])([\w.-]{1,61})([a-zA-Z0-9])$/,
  },
  'azurerm_monitor_metric_alert.window_size': {
    source: 'internal/services/monitor/monitor_metric_alert_resource.go',
    values: ['PT1M', 'PT5M', 'PT15M', 'PT30M', 'PT1H', 'PT6H', 'PT12H', 'P1D'],
  },
  'azurerm_monitor_metric_alert.frequency': {
    source: 'internal/services/monitor/monitor_metric_alert_resource.go',
    values: ['PT1M', 'PT5M', 'PT15M', 'PT30M', 'PT1H'],
  },
  'azurerm_monitor_metric_alert.criteria.aggregation': {
    source: 'internal/services/monitor/monitor_metric_alert_resource.go',
    values: ['Average', 'Count', 'Minimum', 'Maximum', 'Total'],
  },
  'azurerm_monitor_metric_alert.criteria.operator': {
    source: 'internal/services/monitor/monitor_metric_alert_resource.go',
    values: ['Equals', 'GreaterThan', 'GreaterThanOrEqual', 'LessThan', 'LessThanOrEqual'],
  },
  'azurerm_monitor_metric_alert.dynamic_criteria.operator': {
    source: 'internal/services/monitor/monitor_metric_alert_resource.go',
    values: ['LessThan', 'GreaterThan', 'GreaterOrLessThan'],
  },
  'azurerm_monitor_metric_alert.dynamic_criteria.alert_sensitivity': {
    source: 'internal/services/monitor/monitor_metric_alert_resource.go',
    values: ['Low', 'Medium', 'High'],
  },
  'azurerm_monitor_metric_alert.criteria.dimension.operator': {
    source: 'internal/services/monitor/monitor_metric_alert_resource.go',
    values: ['Include', 'Exclude', 'StartsWith'],
  },
} as const satisfies Readonly<Record<string, ProviderRule>>;

/** A `<resource type>.<argument>` whose validation is recorded above. */
export type ValidatedArgument = keyof typeof AZURERM_ARGUMENT_RULES;

/** Whether azurerm 4.55.0's validation of `argument` accepts `value`. */
export function providerAccepts(argument: ValidatedArgument, value: string): boolean {
  const rule: ProviderRule = AZURERM_ARGUMENT_RULES[argument];
  if (rule.values && !rule.values.includes(value)) return false;
  if (rule.pattern && !rule.pattern.test(value)) return false;
  return true;
}

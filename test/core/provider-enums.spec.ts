import { PRIVATE_DNS_ZONES } from '../../constructs/core/private-endpoint';
import { AZURERM_ARGUMENT_RULES, providerAccepts } from '../../constructs/core/provider-enums';
import { MANAGED_NETWORK_ISOLATION_MODES } from '../../constructs/evaluation/workspace';
import { APIM_MAX_UNITS, APIM_SKUS } from '../../constructs/gateway/validation';
import { MODEL_ACCOUNT_KINDS } from '../../constructs/models/model-account';
import { DEPLOYMENT_SKUS, VERSION_UPGRADE_OPTIONS } from '../../constructs/models/model-facts';
import {
  DYNAMIC_ALERT_OPERATORS,
  DYNAMIC_ALERT_SENSITIVITIES,
  METRIC_ALERT_AGGREGATIONS,
  METRIC_ALERT_FREQUENCIES,
  METRIC_ALERT_OPERATORS,
  METRIC_ALERT_WINDOW_SIZES,
  METRIC_DIMENSION_OPERATORS,
} from '../../constructs/monitoring/baseline-catalog';
import { SHARED_PRIVATE_LINK_SUBRESOURCES } from '../../constructs/network/shared-private-link';
import { SEARCH_SKUS, SEMANTIC_RANKER_PLANS } from '../../constructs/search/search-service';
import { KEY_VAULT_SKUS } from '../../constructs/security/key-vault';
import { STORAGE_REPLICATIONS } from '../../constructs/storage/storage-account';

/**
 * Every value a construct offers for an argument azurerm 4.55.0 validates is one the provider accepts:
 * what a prop's type allows cannot fail `terraform validate`.
 */
const OFFERED: readonly [keyof typeof AZURERM_ARGUMENT_RULES, readonly string[]][] = [
  ['azurerm_cognitive_account.kind', MODEL_ACCOUNT_KINDS],
  ['azurerm_cognitive_deployment.sku.name', DEPLOYMENT_SKUS],
  ['azurerm_cognitive_deployment.version_upgrade_option', VERSION_UPGRADE_OPTIONS],
  ['azurerm_search_service.sku', SEARCH_SKUS],
  ['azurerm_search_service.semantic_search_sku', SEMANTIC_RANKER_PLANS.filter((p) => p !== 'disabled')],
  [
    'azurerm_api_management.sku_name',
    APIM_SKUS.flatMap((sku) => Array.from({ length: APIM_MAX_UNITS[sku] }, (_, i) => `${sku}_${i + 1}`)),
  ],
  ['azurerm_storage_account.account_replication_type', STORAGE_REPLICATIONS],
  ['azurerm_key_vault.sku_name', KEY_VAULT_SKUS],
  ['azurerm_ai_foundry.managed_network.isolation_mode', MANAGED_NETWORK_ISOLATION_MODES],
  ['azurerm_private_endpoint.private_service_connection.subresource_names', Object.keys(PRIVATE_DNS_ZONES)],
  ['azurerm_search_shared_private_link_service.subresource_name', SHARED_PRIVATE_LINK_SUBRESOURCES],
  ['azurerm_monitor_metric_alert.window_size', METRIC_ALERT_WINDOW_SIZES],
  ['azurerm_monitor_metric_alert.frequency', METRIC_ALERT_FREQUENCIES],
  ['azurerm_monitor_metric_alert.criteria.aggregation', METRIC_ALERT_AGGREGATIONS],
  ['azurerm_monitor_metric_alert.criteria.operator', METRIC_ALERT_OPERATORS],
  ['azurerm_monitor_metric_alert.dynamic_criteria.operator', DYNAMIC_ALERT_OPERATORS],
  ['azurerm_monitor_metric_alert.dynamic_criteria.alert_sensitivity', DYNAMIC_ALERT_SENSITIVITIES],
  ['azurerm_monitor_metric_alert.criteria.dimension.operator', METRIC_DIMENSION_OPERATORS],
];

describe('construct values against the provider validation they meet (azurerm v4.55.0)', () => {
  test.each(OFFERED)('every value offered for %s is accepted', (argument, values) => {
    expect(values.length).toBeGreaterThan(0);
    expect(values.filter((v) => !providerAccepts(argument, v))).toEqual([]);
  });

  test('every recorded provider rule is used by a construct, and names its source file', () => {
    expect(OFFERED.map(([argument]) => argument).sort()).toEqual(Object.keys(AZURERM_ARGUMENT_RULES).sort());
    for (const rule of Object.values(AZURERM_ARGUMENT_RULES))
      expect(rule.source).toMatch(/^internal\/services\/.+\.go/);
  });

  test.each([
    ['azurerm_cognitive_deployment.sku.name', 'DeveloperTier'],
    ['azurerm_api_management.sku_name', 'StandardV2_11'],
    ['azurerm_api_management.sku_name', 'Developer_2'],
    ['azurerm_storage_account.account_replication_type', 'GRS-RA'],
    ['azurerm_private_endpoint.private_service_connection.subresource_names', 'a'],
    ['azurerm_search_shared_private_link_service.subresource_name', 'openai_account_'],
    ['azurerm_monitor_metric_alert.criteria.aggregation', 'Sum'],
    ['azurerm_monitor_metric_alert.frequency', 'PT6H'],
  ] as const)('the provider rule of %s rejects %j (the rules are not vacuous)', (argument, value) => {
    expect(providerAccepts(argument, value)).toBe(false);
  });
});

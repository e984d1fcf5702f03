import { resolveTokens } from '../../constructs/core/resolve';
import {
  ApiManagementService,
  type ApiManagementServiceProps,
} from '../../constructs/gateway/api-management';
import {
  type Attributes,
  onlyResource,
  resourcesOf,
  type SynthJson,
  synthStack,
  TEST_RESOURCE_GROUP,
  testStack,
} from '../helpers/synth';
import {
  APP_INSIGHTS_CONNECTION_STRING,
  APP_INSIGHTS_ID,
  FakeTelemetry,
  problemsOf,
  SUBSCRIPTION,
} from './fixtures';

const SUBNET_ID = `${SUBSCRIPTION}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet-apim`;
const PRIVATE_ENDPOINT = {
  subnetId: `${SUBSCRIPTION}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet-pep`,
  dnsZoneIds: { 'privatelink.azure-api.net': '/zones/apim' },
};
const APIM = `\${azurerm_api_management.Apim.id}`;

function build(props: Partial<ApiManagementServiceProps> = {}): {
  service: ApiManagementService;
  json: SynthJson;
} {
  const stack = testStack();
  const service = new ApiManagementService(stack, 'Apim', {
    resourceGroup: TEST_RESOURCE_GROUP,
    name: 'apim-llmops-test-abcde',
    publisherEmail: 'platform@example.com',
    publisherName: 'Platform',
    telemetry: new FakeTelemetry(stack, 'Observability'),
    ...props,
  });
  return { service, json: synthStack(stack) };
}

const problems = (props: Partial<ApiManagementServiceProps>) => problemsOf(() => build(props));

describe('ApiManagementService', () => {
  describe('defaults', () => {
    const { service, json } = build();
    const apim = onlyResource(json, 'azurerm_api_management');

    test('Developer, one unit, managed identity, a minimum API version, TLS 1.2 only, protected', () => {
      expect(apim).toMatchObject({
        name: 'apim-llmops-test-abcde',
        resource_group_name: 'rg-test',
        location: 'swedencentral',
        publisher_email: 'platform@example.com',
        publisher_name: 'Platform',
        sku_name: 'Developer_1',
        identity: { type: 'SystemAssigned' },
        min_api_version: '2021-08-01',
        lifecycle: { prevent_destroy: true },
      });
      expect(Object.values(apim.security as Attributes)).toEqual(Array(7).fill(false));
    });

    test('without a private endpoint or a network it stays reachable: public access on, no network', () => {
      expect(apim).toMatchObject({ public_network_access_enabled: true, virtual_network_type: 'None' });
      expect(apim).not.toHaveProperty('virtual_network_configuration');
      expect(resourcesOf(json, 'azurerm_private_endpoint')).toEqual({});
      expect(service.privateEndpoint).toBeUndefined();
    });

    test('the Application Insights logger signs in with the managed identity, after its role is granted', () => {
      const grant = onlyResource(json, 'azurerm_role_assignment');
      expect(grant).toMatchObject({
        role_definition_name: 'Monitoring Metrics Publisher',
        scope: APP_INSIGHTS_ID,
        principal_id: `\${azurerm_api_management.Apim.identity[0].principal_id}`,
      });
      const logger = onlyResource(json, 'azapi_resource');
      expect(logger).toEqual({
        type: 'Microsoft.ApiManagement/service/loggers@2024-05-01',
        name: 'appinsights',
        parent_id: APIM,
        body: {
          properties: {
            loggerType: 'applicationInsights',
            description: 'Application Insights, authenticated with the gateway managed identity',
            resourceId: APP_INSIGHTS_ID,
            isBuffered: true,
            credentials: {
              connectionString: APP_INSIGHTS_CONNECTION_STRING,
              identityClientId: 'SystemAssigned',
            },
          },
        },
        depends_on: [
          `azurerm_role_assignment.${Object.keys(resourcesOf(json, 'azurerm_role_assignment'))[0]}`,
        ],
        lifecycle: { ignore_changes: ['body.properties.credentials'] },
      });
    });

    test('no diagnostic setting of its own: the stack aspect adds it', () => {
      expect(resourcesOf(json, 'azurerm_monitor_diagnostic_setting')).toEqual({});
    });

    test('handles: principal, ids, names, gateway URL and the built-in Azure Monitor logger', () => {
      const resolve = (value: string) => resolveTokens(service, value);
      expect(service.sku).toBe('Developer');
      expect(service.principalType).toBe('ServicePrincipal');
      expect(resolve(service.principalId)).toBe(`\${azurerm_api_management.Apim.identity[0].principal_id}`);
      expect(resolve(service.resourceId)).toBe(APIM);
      expect(resolve(service.serviceName)).toBe(`\${azurerm_api_management.Apim.name}`);
      expect(service.serviceResourceGroupName).toBe('rg-test');
      expect(resolve(service.gatewayUrl)).toBe(`\${azurerm_api_management.Apim.gateway_url}`);
      expect(resolve(service.azureMonitorLoggerId)).toBe(`${APIM}/loggers/azuremonitor`);
    });
  });

  test('with a private endpoint: created open (Azure refuses Disabled at create), closed once the endpoint exists', () => {
    // GIVEN a gateway with a private endpoint and no public access wanted (the default with an endpoint)
    const { service, json } = build({ sku: 'StandardV2', privateEndpoint: PRIVATE_ENDPOINT });
    const apim = onlyResource(json, 'azurerm_api_management');
    const endpoint = `azurerm_private_endpoint.${Object.keys(resourcesOf(json, 'azurerm_private_endpoint'))[0]}`;

    // THEN the service is created with public access on and ignores later changes of it, so the next plan
    // does not reopen what the closure turned off
    expect(apim.public_network_access_enabled).toBe(true);
    expect(apim.lifecycle).toEqual({
      prevent_destroy: true,
      ignore_changes: ['public_network_access_enabled'],
    });
    expect(onlyResource(json, 'azurerm_private_endpoint')).toMatchObject({
      name: 'pep-apim-llmops-test-abcde-gateway',
      subnet_id: PRIVATE_ENDPOINT.subnetId,
      private_service_connection: {
        private_connection_resource_id: APIM,
        subresource_names: ['Gateway'],
        is_manual_connection: false,
      },
      private_dns_zone_group: { private_dns_zone_ids: ['/zones/apim'] },
    });
    // AND an update turns public access off after the (auto-approved) private endpoint exists
    expect(onlyResource(json, 'azapi_update_resource')).toEqual({
      type: 'Microsoft.ApiManagement/service@2024-05-01',
      resource_id: APIM,
      body: { properties: { publicNetworkAccess: 'Disabled' } },
      depends_on: [endpoint],
    });
    expect(service.privateEndpoint).toBeDefined();
    expect(service.publicAccessClosure).toBeDefined();
  });

  test('with a private endpoint and public access wanted, nothing closes it', () => {
    const { service, json } = build({
      sku: 'StandardV2',
      privateEndpoint: PRIVATE_ENDPOINT,
      publicNetworkAccessEnabled: true,
    });
    expect(onlyResource(json, 'azurerm_api_management').public_network_access_enabled).toBe(true);
    expect(onlyResource(json, 'azurerm_api_management').lifecycle).toEqual({ prevent_destroy: true });
    expect(resourcesOf(json, 'azapi_update_resource')).toEqual({});
    expect(service.publicAccessClosure).toBeUndefined();
  });

  test.each([
    ['StandardV2', 'v2-integration', 'External'],
    ['PremiumV2', 'v2-injection', 'Internal'],
    ['Premium', 'classic-injection', 'Internal'],
    ['Developer', 'classic-injection', 'Internal'],
  ] as const)('%s with %s joins the subnet in %s mode', (sku, mode, type) => {
    const apim = onlyResource(
      build({ sku, network: { subnetId: SUBNET_ID, mode } }).json,
      'azurerm_api_management',
    );
    expect(apim).toMatchObject({
      virtual_network_type: type,
      virtual_network_configuration: { subnet_id: SUBNET_ID },
    });
  });

  test('all props: tier and units, diagnostics in resource-specific tables, internal injection, unprotected', () => {
    const { json } = build({
      sku: 'Premium',
      capacity: 2,
      publicNetworkAccessEnabled: false,
      network: { subnetId: SUBNET_ID, mode: 'classic-injection' },
      diagnosticSettings: { workspace: { id: '/workspaces/log' } },
      preventDestroy: false,
    });
    const apim = onlyResource(json, 'azurerm_api_management');
    // Injected internal: no public gateway endpoint; without a private endpoint Azure cannot disable
    // public access, so the switch stays at its create-time value and nothing tries to close it
    expect(apim).toMatchObject({
      sku_name: 'Premium_2',
      virtual_network_type: 'Internal',
      public_network_access_enabled: true,
    });
    expect(apim).not.toHaveProperty('lifecycle');
    expect(resourcesOf(json, 'azapi_update_resource')).toEqual({});
    expect(onlyResource(json, 'azurerm_monitor_diagnostic_setting')).toMatchObject({
      target_resource_id: APIM,
      log_analytics_workspace_id: '/workspaces/log',
      log_analytics_destination_type: 'Dedicated',
    });
  });

  describe('validation', () => {
    test('fails when the name breaks the API Management rule', () => {
      expect(problems({ name: 'apim_test' })).toEqual([
        {
          path: 'props.name',
          message:
            'API Management service name "apim_test" breaks the rule: 1-50 letters, digits and single hyphens, starting with a letter, ending with a letter or digit, globally unique',
        },
      ]);
    });

    test('fails when the capacity does not fit the tier', () => {
      expect(problems({ capacity: 2 })).toEqual([
        { path: 'props.capacity', message: '2 is not allowed: Developer has exactly 1 unit' },
      ]);
    });

    test('fails when the tier cannot join the network the way asked', () => {
      expect(
        problems({ sku: 'Developer', network: { subnetId: SUBNET_ID, mode: 'v2-integration' } }),
      ).toEqual([
        {
          path: 'props.network.mode',
          message: '"v2-integration" needs tier StandardV2 or PremiumV2, got "Developer"',
        },
      ]);
    });

    test('fails when public access is off and nothing else reaches the gateway', () => {
      expect(problems({ publicNetworkAccessEnabled: false })).toEqual([
        {
          path: 'props.publicNetworkAccessEnabled',
          message:
            'false leaves the gateway unreachable: give privateEndpoint, or inject it into a network (classic-injection, v2-injection)',
        },
      ]);
    });

    test('fails with every problem at once, naming the construct', () => {
      expect(() => build({ name: '-', capacity: 3 })).toThrow('Invalid ApiManagementService "test/Apim"');
      expect(problems({ name: '-', capacity: 3 }).map((p) => p.path)).toEqual([
        'props.name',
        'props.capacity',
      ]);
    });
  });
});

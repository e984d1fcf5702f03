import { ApiManagement } from '@cdktf/provider-azurerm/lib/api-management';
import type { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { dependable, type TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { AzapiResource, AzapiUpdateResource } from '../core/azapi';
import { addDiagnosticSettings } from '../core/diagnostics';
import { Problems } from '../core/errors';
import { checkName } from '../core/naming';
import { addPrivateEndpoint, type PrivateEndpointProps } from '../core/private-endpoint';
import {
  applyProtection,
  type DiagnosticSettingsProps,
  type IResourceGroup,
  type NetworkAccessProps,
  type ProtectionProps,
} from '../core/props';
import type { IPrincipal } from '../core/roles';
import { type ApimSku, checkNetworkMode, checkSkuCapacity, type GatewayNetworkMode } from './validation';

/**
 * azapi type that updates the service after creation (public network access; embedded in azapi 2.12.0,
 * `internal/azure/generated/apimanagement/microsoft.apimanagement/2024-05-01`).
 */
export const APIM_SERVICE_TYPE = 'Microsoft.ApiManagement/service@2024-05-01';

/** azapi type of the API Management logger (azurerm's logger cannot use a managed identity). */
export const APIM_LOGGER_TYPE = 'Microsoft.ApiManagement/service/loggers@2024-05-01';

/**
 * Where the gateway sends request telemetry and custom (token) metrics: an Application Insights
 * resource that accepts only Microsoft Entra ID authenticated ingestion. `Observability` fits it.
 */
export interface IGatewayTelemetry {
  readonly appInsights: { readonly id: string; readonly connectionString: string };
  /** Lets `principal` send telemetry: role Monitoring Metrics Publisher on Application Insights. */
  grantTelemetryPublisher(principal: IPrincipal): RoleAssignment;
}

/** How the gateway joins a virtual network. */
export interface GatewayNetworkProps {
  /** The API Management subnet (delegated and sized per mode by the network construct). */
  readonly subnetId: string;
  /** Injection or outbound integration; must suit the tier (see {@link GatewayNetworkMode}). */
  readonly mode: GatewayNetworkMode;
}

/** Properties of {@link ApiManagementService}. */
export interface ApiManagementServiceProps extends NetworkAccessProps, ProtectionProps {
  readonly resourceGroup: IResourceGroup;
  /** Service name: 1-50 letters, digits and hyphens, globally unique (`<name>.azure-api.net`). Forces replacement. */
  readonly name: string;
  /**
   * Tier. Changing between classic and v2 tiers forces replacement.
   * @default 'Developer'
   */
  readonly sku?: ApimSku;
  /**
   * Scale units (Developer: 1).
   * @default 1
   */
  readonly capacity?: number;
  readonly publisherEmail: string;
  readonly publisherName: string;
  /** Application Insights for request telemetry and token metrics (managed identity, no keys). */
  readonly telemetry: IGatewayTelemetry;
  /**
   * Virtual network attachment. Developer/Premium: `classic-injection` (internal); Standard v2:
   * `v2-integration` (outbound to private model endpoints, inbound via `privateEndpoint`); Premium v2:
   * `v2-injection` (internal).
   * @default - not in a network (the model endpoints must be public)
   */
  readonly network?: GatewayNetworkProps;
  /**
   * Inbound private endpoint (`Gateway` sub-resource). Not for injected gateways.
   * @default - none
   */
  readonly privateEndpoint?: PrivateEndpointProps;
  /**
   * Allow the gateway to be called from the internet.
   *
   * `false` takes two steps in one deploy, because Azure refuses `publicNetworkAccess = Disabled` while
   * a service is created and disabling it needs an approved private endpoint connection (azurerm v4.55.0
   * `website/docs/r/api_management.html.markdown`: "It is required to be `true` on the creation";
   * Azure/azure-rest-api-specs#24947): the service is created open, its private endpoint (auto-approved:
   * same deployer) is added, and then {@link ApiManagementService.publicAccessClosure} turns public
   * access off. `azurerm_api_management` ignores later changes of `public_network_access_enabled`, so
   * the next plan does not reopen it. Requires `privateEndpoint`. An injected internal gateway has no
   * public gateway endpoint whatever this says (it stays `true` there: without a private endpoint Azure
   * cannot disable it).
   * @default - false with a private endpoint, true otherwise
   */
  readonly publicNetworkAccessEnabled?: boolean;
  /** @default - the stack's DiagnosticsAspect adds all logs (gateway and LLM logs, resource-specific tables) and metrics */
  readonly diagnosticSettings?: DiagnosticSettingsProps;
}

/**
 * An API Management service for the GenAI gateway: system-assigned managed identity (it authenticates to
 * the model accounts and to Application Insights with it), TLS 1.2+ only, a minimum management API
 * version, optional network injection/integration and private endpoint, and an Application Insights
 * logger that uses the managed identity (connection string plus `identityClientId: SystemAssigned`, so
 * Application Insights can keep local authentication off).
 *
 * The service itself is the principal: pass it to `grantXxx(principal)` methods.
 *
 * @see https://learn.microsoft.com/azure/api-management/api-management-howto-app-insights
 */
export class ApiManagementService extends Construct implements IPrincipal {
  public readonly service: ApiManagement;
  /** The Application Insights logger (`loggers/appinsights`). */
  public readonly logger: AzapiResource;
  /** Monitoring Metrics Publisher for the service's identity on Application Insights. */
  public readonly telemetryGrant: RoleAssignment;
  public readonly privateEndpoint?: PrivateEndpoint;
  /**
   * Turns public network access off once the private endpoint exists (`azapi_update_resource` of
   * {@link APIM_SERVICE_TYPE}), when public access was not wanted. Undefined otherwise.
   */
  public readonly publicAccessClosure?: AzapiUpdateResource;
  public readonly principalType = 'ServicePrincipal';
  public readonly sku: ApimSku;
  private readonly resourceGroupName: string;

  constructor(scope: Construct, id: string, props: ApiManagementServiceProps) {
    super(scope, id);
    const sku = props.sku ?? 'Developer';
    const capacity = props.capacity ?? 1;
    const publicAccess = props.publicNetworkAccessEnabled ?? props.privateEndpoint === undefined;
    const problems = new Problems('props');
    const nameProblem = checkName('apiManagement', props.name);
    if (nameProblem) problems.add('name', nameProblem.message);
    checkSkuCapacity(sku, capacity, problems);
    checkNetworkMode(sku, props.network?.mode, props.privateEndpoint !== undefined, problems);
    const injected = props.network !== undefined && props.network.mode !== 'v2-integration';
    problems.check(
      publicAccess || injected || props.privateEndpoint !== undefined,
      'publicNetworkAccessEnabled',
      'false leaves the gateway unreachable: give privateEndpoint, or inject it into a network (classic-injection, v2-injection)',
    );
    problems.throwIfAny(`Invalid ApiManagementService "${this.node.path}"`);

    this.sku = sku;
    this.resourceGroupName = props.resourceGroup.name;
    this.service = new ApiManagement(this, 'Default', {
      name: props.name,
      resourceGroupName: props.resourceGroup.name,
      location: props.resourceGroup.location,
      publisherEmail: props.publisherEmail,
      publisherName: props.publisherName,
      skuName: `${sku}_${capacity}`,
      identity: { type: 'SystemAssigned' },
      // Management API calls older than this version (which lack RBAC checks on secrets) are refused.
      minApiVersion: '2021-08-01',
      // Always true at creation (see ApiManagementServiceProps.publicNetworkAccessEnabled); closed below.
      publicNetworkAccessEnabled: true,
      virtualNetworkType: props.network
        ? props.network.mode === 'v2-integration'
          ? 'External'
          : 'Internal'
        : 'None',
      virtualNetworkConfiguration: props.network ? { subnetId: props.network.subnetId } : undefined,
      security: {
        backendSsl30Enabled: false,
        backendTls10Enabled: false,
        backendTls11Enabled: false,
        frontendSsl30Enabled: false,
        frontendTls10Enabled: false,
        frontendTls11Enabled: false,
        tripleDesCiphersEnabled: false,
      },
    });
    applyProtection(this.service, props);
    if (props.diagnosticSettings) addDiagnosticSettings(this.service, props.diagnosticSettings);

    if (props.privateEndpoint) {
      this.privateEndpoint = addPrivateEndpoint(
        this,
        {
          resourceId: this.service.id,
          resourceName: props.name,
          subresource: 'Gateway',
          resourceGroupName: props.resourceGroup.name,
          location: props.resourceGroup.location,
        },
        props.privateEndpoint,
      );
      if (!publicAccess) {
        // The provider keeps the value it reads; without this the next plan would set it back to true.
        this.service.lifecycle = {
          ...(this.service.lifecycle ?? {}),
          ignoreChanges: ['public_network_access_enabled'],
        };
        this.publicAccessClosure = new AzapiUpdateResource(this, 'ClosePublicAccess', {
          type: APIM_SERVICE_TYPE,
          resourceId: this.service.id,
          body: { properties: { publicNetworkAccess: 'Disabled' } },
          // Azure accepts Disabled only once an approved private endpoint connection exists.
          dependsOn: [this.privateEndpoint],
        });
      }
    }

    this.telemetryGrant = props.telemetry.grantTelemetryPublisher(this);
    this.logger = new AzapiResource(this, 'Logger', {
      type: APIM_LOGGER_TYPE,
      name: 'appinsights',
      parentId: this.service.id,
      body: {
        properties: {
          loggerType: 'applicationInsights',
          description: 'Application Insights, authenticated with the gateway managed identity',
          resourceId: props.telemetry.appInsights.id,
          isBuffered: true,
          credentials: {
            connectionString: props.telemetry.appInsights.connectionString,
            identityClientId: 'SystemAssigned',
          },
        },
      },
      // The role must exist before the first telemetry is sent.
      dependsOn: [this.telemetryGrant],
      // The service returns credentials as a named-value reference, never as sent: without this every plan
      // would show a change.
      lifecycle: { ignoreChanges: ['body.properties.credentials'] },
    });
  }

  /**
   * Makes the public-access closure wait for `resources` (writes under the service), so the service-wide
   * update never runs while they are being created. Does nothing when nothing closes public access.
   */
  closeAfter(resources: readonly TerraformResource[]): void {
    const closure = this.publicAccessClosure;
    if (!closure) return;
    closure.dependsOn = [...(closure.dependsOn ?? []), ...resources.map((r) => dependable(r))];
  }

  /** Object id of the service's system-assigned identity. */
  get principalId(): string {
    return this.service.identity.principalId;
  }

  /** ARM id of the service. */
  get resourceId(): string {
    return this.service.id;
  }

  /** Service name (token). */
  get serviceName(): string {
    return this.service.name;
  }

  /** Resource group of the service. */
  get serviceResourceGroupName(): string {
    return this.resourceGroupName;
  }

  /** `https://<name>.azure-api.net`: the gateway's base URL. */
  get gatewayUrl(): string {
    return this.service.gatewayUrl;
  }

  /** The built-in `azuremonitor` logger, target of resource-specific logs such as LLM logs. */
  get azureMonitorLoggerId(): string {
    return `${this.service.id}/loggers/azuremonitor`;
  }
}

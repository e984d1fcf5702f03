import {
  type ITerraformDependable,
  TerraformDataSource,
  TerraformProvider,
  TerraformResource,
  type TerraformResourceLifecycle,
} from 'cdktf';
import type { Construct } from 'constructs';
import type { JsonObject, JsonValue } from './json';

/**
 * A small, typed, hand-written binding of the Azure `azapi` provider (2.x) for what azurerm 4.55 lacks:
 * AI Search data-plane objects, API Management backend pools and LLM logging, RAI blocklist items and
 * AI Foundry connections. No prebuilt cdktf package of azapi exists on npm.
 *
 * Only the arguments this project uses are bound. In azapi 2.x `body` is an HCL object (in 1.x it was a
 * JSON string), so it is written as a plain JSON object into `cdk.tf.json`.
 *
 * @see https://registry.terraform.io/providers/Azure/azapi/latest/docs
 */
export const AZAPI_PROVIDER_SOURCE = 'azure/azapi';

/**
 * The exact azapi version every stack pins in `required_providers`.
 *
 * 2.12.0 because it is the newest release that (a) maps the AI Search data-plane types
 * (`Microsoft.Search/searchServices/indexes`, from 2.8.0: `internal/services/parse/data_plane_resources.json`;
 * 2.7.0 had no Search mapping and sent the create to an empty host) and (b) embeds every ARM
 * `type@api-version` the stacks use (`internal/azure/generated/<rp>/<namespace>/<version>/types.json`;
 * 2.7.0 lacked `Microsoft.ApiManagement/...@2025-03-01-preview`). The list it is checked against is
 * {@link AZAPI_EMBEDDED_TYPES}, enforced by the `azapi-type-supported` policy rule.
 */
export const AZAPI_PROVIDER_VERSION = '2.12.0';

/** Configuration of the azapi provider. Authentication comes from the environment (Azure CLI, OIDC). */
export interface AzapiProviderConfig {
  /**
   * Use OIDC (GitHub Actions federated credentials) to authenticate.
   * @default - the provider's own default (environment variables, Azure CLI)
   */
  readonly useOidc?: boolean;
  /** Use the Azure CLI to authenticate. @default - the provider's own default */
  readonly useCli?: boolean;
  /** Subscription to deploy to. @default - `ARM_SUBSCRIPTION_ID` at plan time */
  readonly subscriptionId?: string;
  /** Provider alias. @default - none */
  readonly alias?: string;
  /**
   * Do not register the resource providers of the types used (the identity may lack the right).
   * @default false
   */
  readonly skipProviderRegistration?: boolean;
}

/** The `azapi` provider block, pinned to {@link AZAPI_PROVIDER_VERSION}. */
export class AzapiProvider extends TerraformProvider {
  private readonly config: AzapiProviderConfig;
  // cdktf's base class ignores `alias` (its accessors are placeholders every provider overrides).
  private aliasValue?: string;

  constructor(scope: Construct, id: string, config: AzapiProviderConfig = {}) {
    super(scope, id, {
      terraformResourceType: 'azapi',
      terraformGeneratorMetadata: { providerName: 'azapi', providerVersion: AZAPI_PROVIDER_VERSION },
      terraformProviderSource: AZAPI_PROVIDER_SOURCE,
    });
    this.config = config;
    this.alias = config.alias;
  }

  /** Provider alias, for resources that pass this provider explicitly. */
  override get alias(): string | undefined {
    return this.aliasValue;
  }

  override set alias(value: string | undefined) {
    this.aliasValue = value;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return {
      alias: this.alias,
      use_oidc: this.config.useOidc,
      use_cli: this.config.useCli,
      subscription_id: this.config.subscriptionId,
      skip_provider_registration: this.config.skipProviderRegistration,
    };
  }
}

/** Request bodies are {@link JsonValue}s; strings may hold cdktf tokens (references resolved at apply). */
export type { JsonObject, JsonValue } from './json';

/** Arguments shared by azapi resources. */
interface AzapiResourceBaseConfig {
  /** `<resource type>@<api-version>`, e.g. `Microsoft.Search/searchServices/indexes@2024-07-01`. Forces replacement when the resource type changes. */
  readonly type: string;
  /** Resource name. Forces replacement. */
  readonly name: string;
  /** Parent: an ARM resource id (`azapi_resource`) or a data-plane host (`azapi_data_plane_resource`). Forces replacement. */
  readonly parentId: string;
  /** The request body, as JSON. */
  readonly body: JsonObject;
  /** Paths of the response to export into `output`. @default - none */
  readonly responseExportValues?: readonly string[];
  /** Ignore properties the service adds that are not in `body`. @default - the provider's default (true) */
  readonly ignoreMissingProperty?: boolean;
  /** Meta-argument `depends_on`. */
  readonly dependsOn?: ITerraformDependable[];
  /** Meta-argument `lifecycle`. */
  readonly lifecycle?: TerraformResourceLifecycle;
  /** Explicit provider (alias). @default - the stack's default azapi provider */
  readonly provider?: TerraformProvider;
}

abstract class AzapiResourceBase extends TerraformResource {
  /** The resource type and API version, as given. */
  public readonly azapiType: string;
  protected readonly config: AzapiResourceBaseConfig;

  protected constructor(
    scope: Construct,
    id: string,
    terraformResourceType: string,
    config: AzapiResourceBaseConfig,
  ) {
    super(scope, id, {
      terraformResourceType,
      terraformGeneratorMetadata: { providerName: 'azapi', providerVersion: AZAPI_PROVIDER_VERSION },
      provider: config.provider,
      dependsOn: config.dependsOn,
      lifecycle: config.lifecycle,
    });
    this.azapiType = config.type;
    this.config = config;
  }

  /** The resource id (ARM id, or data-plane URL for data-plane resources). */
  get id(): string {
    return this.getStringAttribute('id');
  }

  /**
   * One exported response value (see `responseExportValues`), e.g. `outputValue('properties.endpoint')`
   * reads `${<address>.output.properties.endpoint}`.
   */
  outputValue(path: string): string {
    return this.getStringAttribute(`output.${path}`);
  }

  protected baseAttributes(): Record<string, unknown> {
    return {
      type: this.config.type,
      name: this.config.name,
      parent_id: this.config.parentId,
      body: this.config.body,
      response_export_values: this.config.responseExportValues,
      ignore_missing_property: this.config.ignoreMissingProperty,
    };
  }
}

/** Arguments of {@link AzapiResource}. */
export interface AzapiResourceConfig extends AzapiResourceBaseConfig {
  /** Azure region, for tracked resources. Forces replacement. @default - none (child resources) */
  readonly location?: string;
  /** Managed identity of the resource. @default - none */
  readonly identity?: {
    readonly type: 'SystemAssigned' | 'UserAssigned' | 'SystemAssigned, UserAssigned';
    readonly identityIds?: readonly string[];
  };
  /** Resource tags. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
  /** Validate `body` against the provider's embedded schema at plan. Turn off for preview API versions the provider does not know. @default true */
  readonly schemaValidationEnabled?: boolean;
}

/** `azapi_resource`: an ARM resource azurerm cannot express. */
export class AzapiResource extends AzapiResourceBase {
  private readonly resourceConfig: AzapiResourceConfig;

  constructor(scope: Construct, id: string, config: AzapiResourceConfig) {
    super(scope, id, 'azapi_resource', config);
    this.resourceConfig = config;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    const c = this.resourceConfig;
    return {
      ...this.baseAttributes(),
      location: c.location,
      identity: c.identity ? [{ type: c.identity.type, identity_ids: c.identity.identityIds }] : undefined,
      tags: c.tags,
      schema_validation_enabled: c.schemaValidationEnabled,
    };
  }
}

/** Arguments of {@link AzapiDataPlaneResource}. */
export type AzapiDataPlaneResourceConfig = AzapiResourceBaseConfig;

/**
 * `azapi_data_plane_resource`: a data-plane object such as an AI Search index. `parentId` is the
 * service host, e.g. `mysearch.search.windows.net`; the provider authenticates with Microsoft Entra ID.
 */
export class AzapiDataPlaneResource extends AzapiResourceBase {
  constructor(scope: Construct, id: string, config: AzapiDataPlaneResourceConfig) {
    super(scope, id, 'azapi_data_plane_resource', config);
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return this.baseAttributes();
  }
}

/** Arguments of {@link AzapiResourceList}. */
export interface AzapiResourceListConfig {
  /** `<resource type>@<api-version>` of the resources listed, e.g. `Microsoft.CognitiveServices/accounts/privateEndpointConnections@2024-10-01`. */
  readonly type: string;
  /** ARM id of the scope listed (the parent resource, resource group or subscription). */
  readonly parentId: string;
  /**
   * Named JMESPath queries over the list response (`{ value: [...] }`); each result is read with
   * {@link AzapiResourceList.outputValue}.
   */
  readonly responseExportValues: Readonly<Record<string, string>>;
  /**
   * Meta-argument `depends_on`. A data source that depends on a resource with planned changes is read
   * during apply, after that resource, instead of at plan.
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Data source `azapi_resource_list`: lists the ARM resources of one type under a parent and exports the
 * results of JMESPath queries over the response.
 *
 * @see https://registry.terraform.io/providers/Azure/azapi/2.12.0/docs/data-sources/resource_list
 */
export class AzapiResourceList extends TerraformDataSource {
  /** The resource type and API version listed, as given. */
  public readonly azapiType: string;
  private readonly config: AzapiResourceListConfig;

  constructor(scope: Construct, id: string, config: AzapiResourceListConfig) {
    super(scope, id, {
      terraformResourceType: 'azapi_resource_list',
      terraformGeneratorMetadata: { providerName: 'azapi', providerVersion: AZAPI_PROVIDER_VERSION },
      dependsOn: config.dependsOn,
    });
    this.azapiType = config.type;
    this.config = config;
  }

  /** The result of the named query, e.g. `${data.azapi_resource_list.<id>.output.connectionId}`. */
  outputValue(name: string): string {
    if (!(name in this.config.responseExportValues)) {
      throw new Error(
        `AzapiResourceList "${this.node.path}": no query named ${JSON.stringify(name)} (queries: ${Object.keys(this.config.responseExportValues).join(', ')})`,
      );
    }
    return this.getStringAttribute(`output.${name}`);
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return {
      type: this.config.type,
      parent_id: this.config.parentId,
      response_export_values: this.config.responseExportValues,
    };
  }
}

/** Arguments shared by the azapi resources that act on an existing ARM resource by its id. */
interface AzapiByIdConfig {
  /** `<resource type>@<api-version>` of the resource acted on. */
  readonly type: string;
  /** ARM id of the resource acted on (created by another provider, usually azurerm). */
  readonly resourceId: string;
  /** Meta-argument `depends_on`. @default - none */
  readonly dependsOn?: ITerraformDependable[];
  /** Meta-argument `lifecycle` (e.g. a precondition on `resourceId`, `replaceTriggeredBy`). @default - none */
  readonly lifecycle?: TerraformResourceLifecycle;
}

/** An azapi resource that acts on an existing ARM resource: `type`, `resource_id` and the meta-arguments. */
abstract class AzapiByIdResource<C extends AzapiByIdConfig> extends TerraformResource {
  /** The resource type and API version, as given. */
  public readonly azapiType: string;
  protected readonly config: C;

  protected constructor(scope: Construct, id: string, terraformResourceType: string, config: C) {
    super(scope, id, {
      terraformResourceType,
      terraformGeneratorMetadata: { providerName: 'azapi', providerVersion: AZAPI_PROVIDER_VERSION },
      dependsOn: config.dependsOn,
      lifecycle: config.lifecycle,
    });
    this.azapiType = config.type;
    this.config = config;
  }
}

/** Arguments of {@link AzapiUpdateResource}. */
export interface AzapiUpdateResourceConfig extends AzapiByIdConfig {
  /** The properties to set, as JSON; merged into the resource's current body. */
  readonly body: JsonObject;
}

/**
 * `azapi_update_resource`: sets properties azurerm does not expose on a resource azurerm manages. The
 * provider reads the resource, merges `body` into it and writes it back, keeping only the properties its
 * embedded schema knows (see `AZAPI_EMBEDDED_TYPES`); deleting this resource changes nothing in Azure.
 *
 * @see https://registry.terraform.io/providers/Azure/azapi/latest/docs/resources/update_resource
 */
export class AzapiUpdateResource extends AzapiByIdResource<AzapiUpdateResourceConfig> {
  constructor(scope: Construct, id: string, config: AzapiUpdateResourceConfig) {
    super(scope, id, 'azapi_update_resource', config);
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { type: this.config.type, resource_id: this.config.resourceId, body: this.config.body };
  }
}

/** Arguments of {@link AzapiResourceData}. */
export interface AzapiResourceDataConfig {
  /** `<resource type>@<api-version>` of the resource read. */
  readonly type: string;
  /** ARM id of the resource read. */
  readonly resourceId: string;
  /** Paths of the response body to export into `output` (e.g. `properties`). */
  readonly responseExportValues: readonly string[];
  /** Meta-argument `depends_on`: read during apply, after these, when they have changes. @default - none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Data source `azapi_resource`: reads one ARM resource (a GET) and exports parts of its body.
 *
 * @see https://registry.terraform.io/providers/Azure/azapi/2.12.0/docs/data-sources/resource
 */
export class AzapiResourceData extends TerraformDataSource {
  private readonly config: AzapiResourceDataConfig;

  constructor(scope: Construct, id: string, config: AzapiResourceDataConfig) {
    super(scope, id, {
      terraformResourceType: 'azapi_resource',
      terraformGeneratorMetadata: { providerName: 'azapi', providerVersion: AZAPI_PROVIDER_VERSION },
      dependsOn: config.dependsOn,
    });
    this.config = config;
  }

  /** The Terraform expression of the exported body, e.g. `data.azapi_resource.<id>.output` (no `${}`). */
  get outputExpression(): string {
    return `${this.fqn}.output`;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return {
      type: this.config.type,
      resource_id: this.config.resourceId,
      response_export_values: this.config.responseExportValues,
    };
  }
}

/** Arguments of {@link AzapiResourceAction}. */
export interface AzapiResourceActionConfig extends AzapiByIdConfig {
  /** HTTP method. @default 'POST' (the provider's default) */
  readonly method?: 'POST' | 'PUT' | 'PATCH' | 'GET' | 'DELETE' | 'HEAD';
  /** The request body: JSON, or a Terraform expression (`${...}`) that evaluates to an object. */
  readonly body: JsonObject | string;
}

/**
 * `azapi_resource_action`: one HTTP request on an ARM resource when it is created (and again when its
 * arguments change or it is replaced). Unlike `azapi_update_resource` it sends the body as given: no
 * merge with a GET, and no filtering by the embedded schema.
 *
 * @see https://registry.terraform.io/providers/Azure/azapi/2.12.0/docs/resources/resource_action
 */
export class AzapiResourceAction extends AzapiByIdResource<AzapiResourceActionConfig> {
  constructor(scope: Construct, id: string, config: AzapiResourceActionConfig) {
    super(scope, id, 'azapi_resource_action', config);
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return {
      type: this.config.type,
      resource_id: this.config.resourceId,
      method: this.config.method,
      body: this.config.body,
    };
  }
}

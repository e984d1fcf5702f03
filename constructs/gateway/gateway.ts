import { dependable, TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { AzapiResource } from '../core/azapi';
import type { IModelEndpoint } from '../core/contracts';
import { Problems } from '../core/errors';
import type { PrivateEndpointProps } from '../core/private-endpoint';
import type {
  DiagnosticSettingsProps,
  ILogAnalyticsWorkspace,
  IResourceGroup,
  NetworkAccessProps,
  ProtectionProps,
} from '../core/props';
import type { IPrincipal } from '../core/roles';
import { ApiManagementService, type GatewayNetworkProps, type IGatewayTelemetry } from './api-management';
import { ApiTelemetry } from './api-telemetry';
import { checkTokenLimits, InferenceApi, type InferenceApiProps } from './inference-api';
import { type CircuitBreakerSettings, ModelBackends, SEMANTIC_CACHE_BACKEND_ID } from './model-backends';
import { controlVariant } from './policies';
import {
  type ApimSku,
  checkExperiments,
  checkLogging,
  checkNetworkMode,
  checkSemanticCache,
  checkSkuCapacity,
  DEFAULT_PIN_HEADER,
  type Experiment,
  type SemanticCacheSettings,
  type TokenLimits,
} from './validation';

/** What the gateway logs about LLM requests. */
export interface GatewayLoggingProps {
  /**
   * Privacy switch: log prompts and completions. When false, only token usage and model are logged.
   * @default true - continuous evaluation reads the logged prompts and completions
   */
  readonly logBodiesEnabled?: boolean;
  /**
   * Share of requests whose prompt and completion are logged, 0-100 (0: none).
   * @default 100
   */
  readonly bodySampleRatePercent?: number;
  /**
   * Retention of the LLM log table (`ApiManagementGatewayLlmLog`) in the workspace the gateway's
   * diagnostic setting writes to.
   * @default - the workspace's retention
   */
  readonly llmLogRetention?: { readonly workspace: ILogAnalyticsWorkspace; readonly retentionDays: number };
}

/** Properties of {@link GenAiGateway}. */
export interface GenAiGatewayProps extends NetworkAccessProps, ProtectionProps {
  readonly resourceGroup: IResourceGroup;
  /** API Management service name, globally unique. Forces replacement. */
  readonly name: string;
  /** @default 'Developer' */
  readonly sku?: ApimSku;
  /** @default 1 */
  readonly capacity?: number;
  readonly publisherEmail: string;
  readonly publisherName: string;
  /** Application Insights for telemetry and token metrics (managed identity ingestion). */
  readonly telemetry: IGatewayTelemetry;
  /**
   * The model endpoints: the primary serves first, secondaries take over when its circuit breaker trips.
   * Their deployments are the gateway's routes.
   */
  readonly models: { readonly primary: IModelEndpoint; readonly secondaries?: readonly IModelEndpoint[] };
  /** A/B experiments by name. @default - none */
  readonly experiments?: Readonly<Record<string, Experiment>>;
  /** Products and their token limits per subscription. @default - `inference`: 10,000 tokens per minute */
  readonly products?: Readonly<Record<string, TokenLimits>>;
  /** @default - prompts and completions of every request, kept as long as the workspace keeps logs */
  readonly logging?: GatewayLoggingProps;
  /**
   * Semantic caching of chat completions. Prerequisite not created here: an Azure Managed Redis cache
   * with RediSearch attached to the service as its external cache.
   * @default - no caching
   */
  readonly semanticCache?: SemanticCacheSettings;
  /**
   * @default - `CIRCUIT_BREAKER_DEFAULTS` (model-backends): a member trips on its first 429 or 5xx for 30 s (capped,
   * Retry-After not honoured); the last member of a pool never trips unless its deployment is an
   * experiment variant with a control to fall back to
   */
  readonly circuitBreaker?: CircuitBreakerSettings;
  /** @default - not in a network */
  readonly network?: GatewayNetworkProps;
  /** @default - none */
  readonly privateEndpoint?: PrivateEndpointProps;
  /** @default - false with a private endpoint, true otherwise (see {@link ApiManagementService}) */
  readonly publicNetworkAccessEnabled?: boolean;
  /** @default - the stack's DiagnosticsAspect */
  readonly diagnosticSettings?: DiagnosticSettingsProps;
  /** Custom metric namespace of the token metrics. @default 'llmops' */
  readonly metricNamespace?: string;
  /** Seconds to wait for a model's response headers; see {@link InferenceApiProps}. @default 120 */
  readonly backendTimeoutSeconds?: number;
}

/**
 * The GenAI gateway: API Management in front of the model endpoints, where A/B traffic is split,
 * measured and shifted back.
 *
 * - {@link ApiManagementService}: the service, managed identity, TLS, network, Application Insights logger.
 * - {@link ModelBackends}: backends per deployment and region with circuit breakers, failover pools, and
 *   the identity's inference role on every model account (no keys).
 * - {@link InferenceApi}: the OpenAI-compatible API, experiments, token limits per product, caching.
 * - {@link ApiTelemetry}: request telemetry and token metrics (Application Insights), LLM logs.
 *
 * Every input is validated before anything is created, and every problem is reported at once.
 */
export class GenAiGateway extends Construct implements IPrincipal {
  public readonly service: ApiManagementService;
  public readonly backends: ModelBackends;
  public readonly api: InferenceApi;
  public readonly telemetry: ApiTelemetry;
  public readonly principalType = 'ServicePrincipal';

  constructor(scope: Construct, id: string, props: GenAiGatewayProps) {
    super(scope, id);
    const experiments = props.experiments ?? {};
    const deployments = props.models.primary.deployments;
    const sku = props.sku ?? 'Developer';
    const problems = new Problems('props');
    checkSkuCapacity(sku, props.capacity ?? 1, problems);
    checkNetworkMode(sku, props.network?.mode, props.privateEndpoint !== undefined, problems);
    checkExperiments(experiments, deployments, problems);
    for (const [productId, limits] of Object.entries(props.products ?? {}))
      checkTokenLimits(limits, problems, `products.${productId}`);
    checkLogging({ bodySampleRatePercent: props.logging?.bodySampleRatePercent }, problems, 'logging');
    checkLogging(
      { retentionDays: props.logging?.llmLogRetention?.retentionDays },
      problems,
      'logging.llmLogRetention',
    );
    if (props.semanticCache) checkSemanticCache(props.semanticCache, deployments, problems);
    problems.throwIfAny(`Invalid GenAiGateway "${this.node.path}"`);

    this.service = new ApiManagementService(this, 'Apim', {
      resourceGroup: props.resourceGroup,
      name: props.name,
      sku,
      capacity: props.capacity,
      publisherEmail: props.publisherEmail,
      publisherName: props.publisherName,
      telemetry: props.telemetry,
      network: props.network,
      privateEndpoint: props.privateEndpoint,
      publicNetworkAccessEnabled: props.publicNetworkAccessEnabled,
      diagnosticSettings: props.diagnosticSettings,
      preventDestroy: props.preventDestroy,
    });

    const secondaries = props.models.secondaries ?? [];
    const fallbackDeployments = variantsWithFallback(experiments);
    this.backends = new ModelBackends(this, 'Backends', {
      service: this.service,
      primary: props.models.primary,
      secondaries,
      circuitBreaker: props.circuitBreaker,
      fallbackDeployments,
      semanticCacheEmbeddingsDeployment: props.semanticCache?.embeddingsDeployment,
    });

    const routes = Object.fromEntries(
      Object.entries(this.backends.backendIds).map(([deployment, backendId]) => [
        deployment,
        {
          role: deployments[deployment]!.role,
          backendId,
          // One send per member; where every member can trip (no backstop), one more finds the pool open.
          sends:
            this.backends.members[deployment]!.length +
            (this.backends.backstops[deployment] === undefined ? 1 : 0),
        },
      ]),
    );
    this.api = new InferenceApi(this, 'Api', {
      service: this.service,
      routes,
      experiments,
      products: props.products,
      metricNamespace: props.metricNamespace,
      backendTimeoutSeconds: props.backendTimeoutSeconds,
      // Enough retries for the largest send budget, and with a variant that can fall back, for the
      // control's budget after it; each request's own budget (`sends`) stops it sooner.
      retryCount: retryCountFor(Object.values(routes), fallbackDeployments.length > 0),
      semanticCache:
        props.semanticCache && this.backends.embeddingsBackend
          ? { ...props.semanticCache, embeddingsBackendId: SEMANTIC_CACHE_BACKEND_ID }
          : undefined,
      dependsOn: [
        ...Object.values(this.backends.pools),
        ...(this.backends.embeddingsBackend ? [this.backends.embeddingsBackend] : []),
      ],
    });

    const pinHeaders = [
      ...new Set(Object.values(experiments).map((e) => e.pinHeader ?? DEFAULT_PIN_HEADER)),
    ].sort();
    this.telemetry = new ApiTelemetry(this, 'Telemetry', {
      service: this.service,
      apiName: this.api.api.name,
      requestHeaders: pinHeaders,
      logBodiesEnabled: props.logging?.logBodiesEnabled,
      bodySampleRatePercent: props.logging?.bodySampleRatePercent,
      llmLogRetention: props.logging?.llmLogRetention,
    });
    // Token metrics need the metrics-enabled diagnostic: configure it before the policy that emits them.
    this.api.policy.dependsOn = [
      ...(this.api.policy.dependsOn ?? []),
      ...this.telemetry.dependables.map(dependable),
    ];
    // Closing public access rewrites the whole service (a long-running update); the service's child
    // writes (APIs, backends, products, loggers, diagnostics) go first, so none meets it mid-update.
    this.service.closeAfter(this.apimChildWrites());
  }

  /** Every resource of this gateway that writes under the API Management service. */
  private apimChildWrites(): TerraformResource[] {
    return this.node
      .findAll()
      .filter((n): n is TerraformResource => n instanceof TerraformResource)
      .filter(
        (r) =>
          r.terraformResourceType.startsWith('azurerm_api_management_') ||
          (r instanceof AzapiResource && r.azapiType.startsWith('Microsoft.ApiManagement/service/')),
      );
  }

  /** Object id of the gateway's managed identity. */
  get principalId(): string {
    return this.service.principalId;
  }

  /**
   * `https://<name>.azure-api.net`: the endpoint for Azure OpenAI SDKs (they append
   * `/openai/deployments/<deployment>/...`); authenticate with a product subscription key in `api-key`.
   */
  get endpoint(): string {
    return this.service.gatewayUrl;
  }
}

/**
 * Deployments that serve only non-control experiment variants: when their pool is open the request falls
 * back to the experiment's control, so every member of their pools may trip. A deployment that is some
 * experiment's control has no fallback.
 */
export function variantsWithFallback(experiments: Readonly<Record<string, Experiment>>): string[] {
  const controls = new Set<string>();
  const candidates = new Set<string>();
  for (const experiment of Object.values(experiments)) {
    const control = controlVariant(experiment);
    for (const [name, variant] of Object.entries(experiment.variants)) {
      (name === control ? controls : candidates).add(variant.deployment);
    }
  }
  return [...candidates].filter((d) => !controls.has(d)).sort();
}

/**
 * The `retry` count that lets every route spend its send budget, and a variant that falls back spend
 * its own budget and then its control's: at most 10 (the construct's limit).
 */
function retryCountFor(routes: readonly { sends: number }[], canFallBack: boolean): number {
  const most = Math.max(...routes.map((r) => r.sends));
  return Math.min(most - 1 + (canFallBack ? most : 0), 10);
}

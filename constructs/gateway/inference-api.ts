import { ApiManagementApi } from '@cdktf/provider-azurerm/lib/api-management-api';
import { ApiManagementApiOperation } from '@cdktf/provider-azurerm/lib/api-management-api-operation';
import { ApiManagementApiOperationPolicy } from '@cdktf/provider-azurerm/lib/api-management-api-operation-policy';
import { ApiManagementApiPolicy } from '@cdktf/provider-azurerm/lib/api-management-api-policy';
import { ApiManagementNamedValue } from '@cdktf/provider-azurerm/lib/api-management-named-value';
import { ApiManagementProduct } from '@cdktf/provider-azurerm/lib/api-management-product';
import { ApiManagementProductApi } from '@cdktf/provider-azurerm/lib/api-management-product-api';
import { type ITerraformDependable, Token } from 'cdktf';
import { Construct } from 'constructs';
import type { ModelDeploymentInfo } from '../core/contracts';
import { Problems, show } from '../core/errors';
import type { ApiManagementService } from './api-management';
import {
  inferenceApiPolicy,
  SUBSCRIPTION_KEY_NAMES,
  semanticCachePolicy,
  weightsLabel,
  weightsNamedValue,
} from './policies';
import {
  checkExperiments,
  type Experiment,
  GATEWAY_NAME_PATTERN,
  type SemanticCacheSettings,
  type TokenLimits,
} from './validation';

/** Checks that token limits are positive integers. Unresolved tokens pass (their value is known only at apply). */
export function checkTokenLimits(limits: TokenLimits, problems: Problems, path = 'tokenLimits'): void {
  const positive = (value: number) => Token.isUnresolved(value) || (Number.isInteger(value) && value > 0);
  problems.check(
    positive(limits.tokensPerMinute),
    `${path}.tokensPerMinute`,
    `${show(limits.tokensPerMinute)} must be a positive integer`,
  );
  if (limits.tokenQuota !== undefined) {
    problems.check(
      positive(limits.tokenQuota),
      `${path}.tokenQuota`,
      `${show(limits.tokenQuota)} must be a positive integer`,
    );
  }
}

/** The OpenAI-compatible operations the API exposes (Azure OpenAI data-plane paths). */
export const INFERENCE_OPERATIONS = {
  'chat-completions': {
    displayName: 'Chat completions',
    urlTemplate: '/deployments/{deployment-id}/chat/completions',
  },
  embeddings: { displayName: 'Embeddings', urlTemplate: '/deployments/{deployment-id}/embeddings' },
} as const;

/** A deployment the API routes to: its role and the backend (pool) id that serves it. */
export interface InferenceRoute {
  readonly role: ModelDeploymentInfo['role'];
  readonly backendId: string;
  /**
   * Sends a request gets on the backend pool, retries included: one per member, so no member is asked
   * twice, plus one to find the pool open when every member can trip (the open pool's 503 lets an
   * experiment variant fall back to its control).
   * @default 1
   */
  readonly sends?: number;
}

/** Longest `forward-request` timeout Microsoft says is honoured (forward-request policy page). */
export const MAX_BACKEND_TIMEOUT_SECONDS = 240;

/** Properties of {@link InferenceApi}. */
export interface InferenceApiProps {
  readonly service: ApiManagementService;
  /** Deployments by name: clients call these names (or an experiment's name). */
  readonly routes: Readonly<Record<string, InferenceRoute>>;
  /** @default - no experiments */
  readonly experiments?: Readonly<Record<string, Experiment>>;
  /**
   * Products by id, each with its token limits per subscription. The API policy enforces them (API
   * scope), so a subscription scoped to the API or to all APIs cannot bypass them: it is refused.
   * @default - one product `inference` with 10,000 tokens per minute and no quota
   */
  readonly products?: Readonly<Record<string, TokenLimits>>;
  /**
   * Semantic caching of chat completions; needs an external Redis-compatible cache with RediSearch
   * attached to the service (not created here) and `embeddingsBackendId`.
   * @default - no caching
   */
  readonly semanticCache?: SemanticCacheSettings & { readonly embeddingsBackendId: string };
  /**
   * Custom metric namespace of the token metrics.
   * @default 'llmops'
   */
  readonly metricNamespace?: string;
  /**
   * Extra sends of a request that got 429 or 5xx (to the pool's next member, as the circuit breaker has
   * taken the failing one out; or, for an experiment variant whose pool is open, to the control).
   * @default 0
   */
  readonly retryCount?: number;
  /**
   * Seconds the gateway waits for a model's response headers; then the caller gets 504. A non-streaming
   * completion answers only when it is complete, so this bounds the longest completion served. At most
   * {@link MAX_BACKEND_TIMEOUT_SECONDS}.
   * @default 120
   * @see https://learn.microsoft.com/azure/api-management/forward-request-policy
   */
  readonly backendTimeoutSeconds?: number;
  /**
   * API path under the gateway URL. `openai` keeps Azure OpenAI SDKs working with the gateway URL as
   * their endpoint. Forces replacement.
   * @default 'openai'
   */
  readonly path?: string;
  /** Resources the policies need at run time (the backend pools). @default - none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The OpenAI-compatible inference API of the gateway: chat completions and embeddings under
 * `/<path>/deployments/{deployment-id}/...`, subscription key in the `api-key` header (as Azure OpenAI
 * SDKs send it), the API policy that enforces each product's token limits per subscription, routes,
 * runs experiments and emits token metrics ({@link inferenceApiPolicy}), the products, and optional
 * semantic caching on chat completions.
 *
 * @see https://learn.microsoft.com/azure/api-management/genai-gateway-capabilities
 */
export class InferenceApi extends Construct {
  public readonly api: ApiManagementApi;
  public readonly operations: Readonly<Record<keyof typeof INFERENCE_OPERATIONS, ApiManagementApiOperation>>;
  public readonly policy: ApiManagementApiPolicy;
  /**
   * The weights of each experiment (`control=90;candidate=10`), by experiment: rolling back changes
   * only these values.
   */
  public readonly weights: Readonly<Record<string, ApiManagementNamedValue>>;
  public readonly products: Readonly<Record<string, ApiManagementProduct>>;
  public readonly semanticCachePolicy?: ApiManagementApiOperationPolicy;
  /** The API name (`openai`). */
  public readonly apiName: string;

  constructor(scope: Construct, id: string, props: InferenceApiProps) {
    super(scope, id);
    const experiments = props.experiments ?? {};
    const products = props.products ?? { inference: { tokensPerMinute: 10_000 } };
    const path = props.path ?? 'openai';
    const retryCount = props.retryCount ?? 0;
    const backendTimeoutSeconds = props.backendTimeoutSeconds ?? 120;
    const problems = new Problems('props');
    problems.check(
      Object.keys(props.routes).length > 0,
      'routes',
      'no deployment to route to: the model endpoints have no deployments',
    );
    checkExperiments(experiments, props.routes, problems);
    problems.check(
      Object.keys(products).length > 0,
      'products',
      'declare at least one product: subscriptions belong to products',
    );
    for (const [productId, limits] of Object.entries(products)) {
      problems.check(
        GATEWAY_NAME_PATTERN.test(productId),
        `products.${productId}`,
        `product id ${show(productId)} must be letters, digits, "_", "." and "-"`,
      );
      checkTokenLimits(limits, problems, `products.${productId}`);
    }
    problems.check(
      /^[a-z0-9][a-z0-9/-]*$/.test(path),
      'path',
      `${show(path)} must be lowercase letters, digits, "-" and "/"`,
    );
    problems.check(
      Number.isInteger(retryCount) && retryCount >= 0 && retryCount <= 10,
      'retryCount',
      `${show(retryCount)} is out of range: 0-10`,
    );
    problems.check(
      Number.isInteger(backendTimeoutSeconds) &&
        backendTimeoutSeconds >= 1 &&
        backendTimeoutSeconds <= MAX_BACKEND_TIMEOUT_SECONDS,
      'backendTimeoutSeconds',
      `${show(backendTimeoutSeconds)} is out of range: 1-${MAX_BACKEND_TIMEOUT_SECONDS} (Microsoft: longer timeouts may not be honoured)`,
    );
    for (const [deployment, route] of Object.entries(props.routes)) {
      const sends = route.sends ?? 1;
      problems.check(
        Number.isInteger(sends) && sends >= 1,
        `routes.${deployment}.sends`,
        `${show(sends)} must be a positive integer`,
      );
    }
    problems.throwIfAny(`Invalid InferenceApi "${this.node.path}"`);

    const { service } = props;
    const common = {
      apiManagementName: service.serviceName,
      resourceGroupName: service.serviceResourceGroupName,
    };
    this.apiName = 'openai';
    this.api = new ApiManagementApi(this, 'Default', {
      ...common,
      name: this.apiName,
      revision: '1',
      displayName: 'OpenAI-compatible inference',
      description:
        'Chat completions and embeddings of the model deployments, with experiments and token limits',
      path,
      protocols: ['https'],
      apiType: 'http',
      subscriptionRequired: true,
      subscriptionKeyParameterNames: { ...SUBSCRIPTION_KEY_NAMES },
    });

    const operations = {} as Record<keyof typeof INFERENCE_OPERATIONS, ApiManagementApiOperation>;
    for (const [operationId, op] of Object.entries(INFERENCE_OPERATIONS) as [
      keyof typeof INFERENCE_OPERATIONS,
      (typeof INFERENCE_OPERATIONS)[keyof typeof INFERENCE_OPERATIONS],
    ][]) {
      operations[operationId] = new ApiManagementApiOperation(this, operationId, {
        ...common,
        apiName: this.api.name,
        operationId,
        displayName: op.displayName,
        method: 'POST',
        urlTemplate: op.urlTemplate,
        templateParameter: [
          {
            name: 'deployment-id',
            required: true,
            type: 'string',
            description: 'Model deployment or experiment name',
          },
        ],
      });
    }
    this.operations = operations;

    const weights: Record<string, ApiManagementNamedValue> = {};
    for (const [name, experiment] of Object.entries(experiments)) {
      const namedValue = weightsNamedValue(name);
      weights[name] = new ApiManagementNamedValue(this, `Weights-${name}`, {
        ...common,
        name: namedValue,
        displayName: namedValue,
        value: weightsLabel(experiment),
        secret: false,
        tags: ['llmops-experiment'],
      });
    }
    this.weights = weights;

    this.policy = new ApiManagementApiPolicy(this, 'Policy', {
      ...common,
      apiName: this.api.name,
      xmlContent: inferenceApiPolicy({
        backends: Object.fromEntries(Object.entries(props.routes).map(([d, r]) => [d, r.backendId])),
        experiments,
        metricNamespace: props.metricNamespace ?? 'llmops',
        retryCount,
        sendBudgets: Object.fromEntries(Object.values(props.routes).map((r) => [r.backendId, r.sends ?? 1])),
        timeoutSeconds: backendTimeoutSeconds,
        products,
      }),
      // API Management rejects a policy that names a missing named value.
      dependsOn: [...(props.dependsOn ?? []), ...Object.values(weights)],
    });

    const productResources: Record<string, ApiManagementProduct> = {};
    for (const [productId, limits] of Object.entries(products)) {
      const product = new ApiManagementProduct(this, `Product-${productId}`, {
        ...common,
        productId,
        displayName: productId,
        description: `Inference within ${limits.tokensPerMinute} tokens per minute per subscription${limits.tokenQuota === undefined ? '' : ` and ${limits.tokenQuota} tokens per ${(limits.tokenQuotaPeriod ?? 'Monthly').toLowerCase()} period`}`,
        published: true,
        subscriptionRequired: true,
        // Subscriptions carry token budgets: an administrator approves each one.
        approvalRequired: true,
      });
      new ApiManagementProductApi(this, `Product-${productId}-Api`, {
        ...common,
        productId: product.productId,
        apiName: this.api.name,
      });
      productResources[productId] = product;
    }
    this.products = productResources;

    if (props.semanticCache) {
      this.semanticCachePolicy = new ApiManagementApiOperationPolicy(this, 'SemanticCache', {
        ...common,
        apiName: this.api.name,
        operationId: operations['chat-completions'].operationId,
        xmlContent: semanticCachePolicy(props.semanticCache, props.semanticCache.embeddingsBackendId),
        // The lookup reads variables the API policy sets and names the embeddings backend.
        dependsOn: [this.policy, ...(props.dependsOn ?? [])],
      });
    }
  }
}

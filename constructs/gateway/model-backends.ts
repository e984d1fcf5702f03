import { ApiManagementBackend } from '@cdktf/provider-azurerm/lib/api-management-backend';
import type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { AzapiResource, type JsonObject } from '../core/azapi';
import type { IModelEndpoint } from '../core/contracts';
import { Problems, show } from '../core/errors';
import type { ApiManagementService } from './api-management';
import { BACKEND_CONNECTION_FAILURE, BACKEND_TIMEOUT } from './policies';

/** azapi type of backends; pools (`type: Pool`) exist only here, not in azurerm 4.55. */
export const APIM_BACKEND_TYPE = 'Microsoft.ApiManagement/service/backends@2024-05-01';

/** Id of the single backend semantic caching calls for embeddings. */
export const SEMANTIC_CACHE_BACKEND_ID = 'semantic-cache-embeddings';

/** Most characters in a backend id. */
const MAX_BACKEND_ID_LENGTH = 80;

/**
 * When a regional backend is taken out of its pool. Microsoft recommends circuit breaker rules that
 * handle the 429 responses of Azure OpenAI backends (Learn, "Backends in API Management", circuit
 * breaker caution): an Azure OpenAI 429 means the deployment's tokens- or requests-per-minute quota is
 * spent, so every further call in that window gets 429 too. The defaults follow that: the first 429 (or
 * 5xx: a backend takes one rule) trips the member, and the retry reaches the next one. The same caution
 * notes that Azure OpenAI's Retry-After "can be large (for example, 1 day)": honouring it would keep a
 * recovered region out for that long, and in a one-member pool turn one 429 into a day of 503s. The
 * trip duration is therefore fixed and capped ({@link MAX_TRIP_DURATION_SECONDS}); a still-failing member
 * costs one retried request per trip period. A backend takes one rule (azurerm 4.55.0
 * `circuit_breaker_rule` MaxItems 1), so 429, 5xx and connection failures share the count: a higher
 * count would send callers into a region that is already out of quota.
 *
 * @see https://learn.microsoft.com/azure/api-management/backends#circuit-breaker
 */
export interface CircuitBreakerSettings {
  /**
   * Failures (429, 5xx, connection failure or timeout) within the interval that trip the breaker. Above
   * 1, a failing member stays in its pool after its first failure, so a retry can reach it again (each
   * request's send budget still bounds its sends: `InferenceRoute.sends`).
   * @default 1 - an Azure OpenAI 429 holds for the rest of its quota window
   */
  readonly failureCount?: number;
  /** @default 10 */
  readonly failureIntervalSeconds?: number;
  /**
   * How long a tripped member stays out of its pool, at most {@link MAX_TRIP_DURATION_SECONDS}.
   * Retry-After is not honoured (it can say a day).
   * @default 30
   */
  readonly tripDurationSeconds?: number;
}

/** The breaker every tripping member gets unless told otherwise (see {@link CircuitBreakerSettings}). */
export const CIRCUIT_BREAKER_DEFAULTS: Required<CircuitBreakerSettings> = {
  failureCount: 1,
  failureIntervalSeconds: 10,
  tripDurationSeconds: 30,
};

/** Longest trip: a recovered region is back in its pool within five minutes. */
export const MAX_TRIP_DURATION_SECONDS = 300;

/** Properties of {@link ModelBackends}. */
export interface ModelBackendsProps {
  readonly service: ApiManagementService;
  /** The model endpoint in the gateway's home region: priority 1 in every pool. */
  readonly primary: IModelEndpoint;
  /**
   * Failover endpoints carrying (some of) the same deployments: priority 2, sharing failover traffic
   * equally.
   * @default - none: each pool has one backend
   */
  readonly secondaries?: readonly IModelEndpoint[];
  /** @default - {@link CIRCUIT_BREAKER_DEFAULTS} */
  readonly circuitBreaker?: CircuitBreakerSettings;
  /**
   * Deployments whose pools have a fallback elsewhere (an experiment variant other than the control,
   * which falls back to the control when its pool is open): every member of their pools can trip. In
   * every other pool the last member (the lowest priority) has no circuit breaker, so a pool never has
   * all of its members tripped: callers then get the model's own 429 (with its Retry-After) or 5xx
   * instead of a gateway-made 503 for the whole trip duration.
   * @default - none
   */
  readonly fallbackDeployments?: readonly string[];
  /**
   * An embedding deployment of the primary endpoint to expose as a single backend for semantic caching.
   * @default - none
   */
  readonly semanticCacheEmbeddingsDeployment?: string;
}

/** One member of a backend pool as the pool body lists it. */
export interface PoolMember {
  readonly backend: ApiManagementBackend;
  readonly priority: number;
  readonly weight: number;
}

/** `PT60S` */
function isoSeconds(seconds: number): string {
  return `PT${seconds}S`;
}

/** `https://x.openai.azure.com/` + `openai`, tolerating a missing trailing slash on literal endpoints. */
function joinUrl(base: string, path: string): string {
  if (Token.isUnresolved(base) || base.endsWith('/')) return `${base}${path}`;
  return `${base}/${path}`;
}

/** Equal shares of 100 for `n` members, the remainder to the first: 3 -> [34, 33, 33]. */
export function equalWeights(n: number): number[] {
  const base = Math.floor(100 / n);
  return Array.from({ length: n }, (_, i) => base + (i < 100 - base * n ? 1 : 0));
}

/**
 * The gateway's view of the model endpoints: one backend per deployment and region (URL
 * `<endpoint>/openai/deployments/<deployment>`, TLS validated, circuit breaker tripping on 429 and 5xx
 * for a capped time, see {@link CircuitBreakerSettings}), one pool per deployment (`pool-<deployment>`:
 * primary region priority 1, secondaries priority 2 with equal weights; its last member never trips
 * unless the deployment has a fallback, see {@link ModelBackendsProps.fallbackDeployments}), and the
 * role assignment that lets the gateway's managed identity call every account
 * (Cognitive Services OpenAI User). No keys are stored anywhere: the API policy obtains a token with
 * `authentication-managed-identity`.
 *
 * @see https://learn.microsoft.com/azure/api-management/backends
 */
export class ModelBackends extends Construct {
  /** Single backends by deployment, then region label (`primary`, `<location>` or `secondary<n>`). */
  public readonly backends: Readonly<Record<string, Readonly<Record<string, ApiManagementBackend>>>>;
  /** Pools (azapi) by deployment. */
  public readonly pools: Readonly<Record<string, AzapiResource>>;
  /** Backend id (name) to route each deployment to: its pool. Use in `set-backend-service`. */
  public readonly backendIds: Readonly<Record<string, string>>;
  /** Members of each pool in priority order, by deployment: backend ids. */
  public readonly members: Readonly<Record<string, readonly string[]>>;
  /** The member of each pool that never trips (none for deployments with a fallback), by deployment. */
  public readonly backstops: Readonly<Record<string, string>>;
  /** Role assignments of the gateway identity on each model account. */
  public readonly grants: readonly RoleAssignment[];
  /** The semantic cache's embeddings backend, when asked for. */
  public readonly embeddingsBackend?: ApiManagementBackend;

  constructor(scope: Construct, id: string, props: ModelBackendsProps) {
    super(scope, id);
    const secondaries = props.secondaries ?? [];
    const breaker = { ...CIRCUIT_BREAKER_DEFAULTS, ...props.circuitBreaker };
    const fallbackDeployments = new Set(props.fallbackDeployments ?? []);
    const labels = regionLabels(secondaries);
    const problems = new Problems('props');
    for (const [key, value] of Object.entries(breaker)) {
      problems.check(
        Number.isInteger(value) && value > 0,
        `circuitBreaker.${key}`,
        `${show(value)} must be a positive integer`,
      );
    }
    problems.check(
      !(breaker.tripDurationSeconds > MAX_TRIP_DURATION_SECONDS),
      'circuitBreaker.tripDurationSeconds',
      `${show(breaker.tripDurationSeconds)} is over the cap of ${MAX_TRIP_DURATION_SECONDS} seconds: a recovered region would stay out of its pool that long`,
    );
    for (const deployment of fallbackDeployments) {
      problems.check(
        props.primary.deployments[deployment] !== undefined,
        'fallbackDeployments',
        `${show(deployment)} is not a deployment of the primary endpoint (deployments: ${Object.keys(props.primary.deployments).join(', ') || 'none'})`,
      );
    }
    for (const deployment of Object.keys(props.primary.deployments)) {
      for (const label of ['primary', ...labels]) {
        const name = `${deployment}-${label}`;
        problems.check(
          name.length <= MAX_BACKEND_ID_LENGTH,
          'primary.deployments',
          `backend id ${show(name)} is longer than ${MAX_BACKEND_ID_LENGTH} characters: shorten the deployment name`,
        );
      }
    }
    const cacheDeployment = props.semanticCacheEmbeddingsDeployment;
    if (cacheDeployment !== undefined) {
      problems.check(
        props.primary.deployments[cacheDeployment]?.role === 'embedding',
        'semanticCacheEmbeddingsDeployment',
        `${show(cacheDeployment)} is not an embedding deployment of the primary endpoint (deployments: ${Object.keys(props.primary.deployments).join(', ') || 'none'})`,
      );
    }
    problems.throwIfAny(`Invalid ModelBackends "${this.node.path}"`);

    const { service } = props;
    const endpoints: [string, IModelEndpoint][] = [
      ['primary', props.primary],
      ...secondaries.map((s, i): [string, IModelEndpoint] => [labels[i]!, s]),
    ];
    const circuitBreakerRule = {
      name: 'throttled-or-failing',
      tripDuration: isoSeconds(breaker.tripDurationSeconds),
      // Retry-After can say a day: the capped trip duration decides (see CircuitBreakerSettings).
      acceptRetryAfterEnabled: false,
      failureCondition: {
        count: breaker.failureCount,
        intervalDuration: isoSeconds(breaker.failureIntervalSeconds),
        statusCodeRange: [
          { min: 429, max: 429 },
          { min: 500, max: 599 },
        ],
        // A member that cannot be reached, or hangs past the forward-request timeout, returns no status
        // code: API Management reports the error reason instead (azurerm 4.55.0
        // api_management_backend_resource.go: error_reasons, at most 10).
        errorReasons: [BACKEND_CONNECTION_FAILURE, BACKEND_TIMEOUT],
      },
    };

    const backends: Record<string, Record<string, ApiManagementBackend>> = {};
    const pools: Record<string, AzapiResource> = {};
    const backendIds: Record<string, string> = {};
    const memberIds: Record<string, string[]> = {};
    const backstops: Record<string, string> = {};
    for (const deployment of Object.keys(props.primary.deployments)) {
      const regional: Record<string, ApiManagementBackend> = {};
      const serving = endpoints.filter(([, endpoint]) => endpoint.deployments[deployment] !== undefined);
      serving.forEach(([label, endpoint], i) => {
        const name = `${deployment}-${label}`;
        const backstop = i === serving.length - 1 && !fallbackDeployments.has(deployment);
        if (backstop) backstops[deployment] = name;
        regional[label] = new ApiManagementBackend(this, name, {
          name,
          apiManagementName: service.serviceName,
          resourceGroupName: service.serviceResourceGroupName,
          protocol: 'http',
          url: joinUrl(endpoint.openAiEndpoint, `openai/deployments/${deployment}`),
          description: `Deployment ${deployment} in ${label === 'primary' ? 'the primary region' : label}${backstop ? ' (last member of its pool: never tripped)' : ''}`,
          tls: { validateCertificateChain: true, validateCertificateName: true },
          circuitBreakerRule: backstop ? undefined : circuitBreakerRule,
        });
      });
      memberIds[deployment] = serving.map(([label]) => `${deployment}-${label}`);
      backends[deployment] = regional;
      const members = Object.values(regional);
      const secondaryWeights = equalWeights(Math.max(members.length - 1, 1));
      const poolName = `pool-${deployment}`;
      pools[deployment] = new AzapiResource(this, poolName, {
        type: APIM_BACKEND_TYPE,
        name: poolName,
        parentId: service.resourceId,
        body: poolBody(
          `Deployment ${deployment}: primary region first, then failover regions`,
          members.map((backend, i) => ({
            backend,
            priority: i === 0 ? 1 : 2,
            weight: i === 0 ? 100 : secondaryWeights[i - 1]!,
          })),
        ),
      });
      backendIds[deployment] = poolName;
    }
    this.backends = backends;
    this.pools = pools;
    this.backendIds = backendIds;
    this.members = memberIds;
    this.backstops = backstops;

    if (cacheDeployment !== undefined) {
      this.embeddingsBackend = new ApiManagementBackend(this, SEMANTIC_CACHE_BACKEND_ID, {
        name: SEMANTIC_CACHE_BACKEND_ID,
        apiManagementName: service.serviceName,
        resourceGroupName: service.serviceResourceGroupName,
        protocol: 'http',
        url: joinUrl(props.primary.openAiEndpoint, `openai/deployments/${cacheDeployment}/embeddings`),
        description: `Embeddings for semantic caching (deployment ${cacheDeployment})`,
        tls: { validateCertificateChain: true, validateCertificateName: true },
      });
    }

    this.grants = endpoints.map(([, endpoint]) => endpoint.grantInference(service));
  }
}

/** Region labels of the secondaries: their location when known and unique, else `secondary<n>`. */
function regionLabels(secondaries: readonly IModelEndpoint[]): string[] {
  const locations = secondaries.map((s) => s.location);
  return locations.map((location, i) =>
    !Token.isUnresolved(location) &&
    /^[a-z0-9]+$/.test(location) &&
    location !== 'primary' &&
    locations.indexOf(location) === i
      ? location
      : `secondary${i + 1}`,
  );
}

/**
 * The body of a `Pool` backend: `properties.pool.services[]` with the member's ARM id, priority (lower
 * is tried first) and weight (share among members of the same priority). `npm run plan:diff` reports
 * changes to these weights and priorities as notable lines.
 */
export function poolBody(description: string, members: readonly PoolMember[]): JsonObject {
  return {
    properties: {
      type: 'Pool',
      description,
      pool: {
        services: members.map((m) => ({ id: m.backend.id, priority: m.priority, weight: m.weight })),
      },
    },
  };
}

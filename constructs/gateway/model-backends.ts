import { ApiManagementBackend } from '@cdktf/provider-azurerm/lib/api-management-backend';
import type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { AzapiResource, type JsonObject } from '../core/azapi';
import type { IModelEndpoint } from '../core/contracts';
import { Problems, show } from '../core/errors';
import type { ApiManagementService } from './api-management';

/** azapi type of backends; pools (`type: Pool`) exist only here, not in azurerm 4.55. */
export const APIM_BACKEND_TYPE = 'Microsoft.ApiManagement/service/backends@2024-05-01';

/** Id of the single backend semantic caching calls for embeddings. */
export const SEMANTIC_CACHE_BACKEND_ID = 'semantic-cache-embeddings';

/** Most characters in a backend id. */
const MAX_BACKEND_ID_LENGTH = 80;

/** When a regional backend is taken out of its pool. */
export interface CircuitBreakerSettings {
  /**
   * Failures (429 or 5xx) within the interval that trip the breaker.
   * @default 1 - the first 429 trips it, for as long as its Retry-After says
   */
  readonly failureCount?: number;
  /** @default 60 */
  readonly failureIntervalSeconds?: number;
  /**
   * How long a tripped backend stays out when the response carries no Retry-After.
   * @default 60
   */
  readonly tripDurationSeconds?: number;
}

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
  /** @default - see {@link CircuitBreakerSettings} */
  readonly circuitBreaker?: CircuitBreakerSettings;
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
 * The gateway's view of the model endpoints: one backend per deployment and region (Azure OpenAI
 * endpoint, TLS validated, circuit breaker tripping on 429 and 5xx and honouring Retry-After), one pool
 * per deployment (`pool-<deployment>`: primary region priority 1, secondaries priority 2 with equal
 * weights), and the role assignment that lets the gateway's managed identity call every account
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
  /** Role assignments of the gateway identity on each model account. */
  public readonly grants: readonly RoleAssignment[];
  /** The semantic cache's embeddings backend, when asked for. */
  public readonly embeddingsBackend?: ApiManagementBackend;

  constructor(scope: Construct, id: string, props: ModelBackendsProps) {
    super(scope, id);
    const secondaries = props.secondaries ?? [];
    const breaker = {
      failureCount: props.circuitBreaker?.failureCount ?? 1,
      failureIntervalSeconds: props.circuitBreaker?.failureIntervalSeconds ?? 60,
      tripDurationSeconds: props.circuitBreaker?.tripDurationSeconds ?? 60,
    };
    const labels = regionLabels(secondaries);
    const problems = new Problems('props');
    for (const [key, value] of Object.entries(breaker)) {
      problems.check(
        Number.isInteger(value) && value > 0,
        `circuitBreaker.${key}`,
        `${show(value)} must be a positive integer`,
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
      acceptRetryAfterEnabled: true,
      failureCondition: {
        count: breaker.failureCount,
        intervalDuration: isoSeconds(breaker.failureIntervalSeconds),
        statusCodeRange: [
          { min: 429, max: 429 },
          { min: 500, max: 599 },
        ],
      },
    };

    const backends: Record<string, Record<string, ApiManagementBackend>> = {};
    const pools: Record<string, AzapiResource> = {};
    const backendIds: Record<string, string> = {};
    for (const deployment of Object.keys(props.primary.deployments)) {
      const regional: Record<string, ApiManagementBackend> = {};
      for (const [label, endpoint] of endpoints) {
        if (!endpoint.deployments[deployment]) continue;
        const name = `${deployment}-${label}`;
        regional[label] = new ApiManagementBackend(this, name, {
          name,
          apiManagementName: service.serviceName,
          resourceGroupName: service.serviceResourceGroupName,
          protocol: 'http',
          url: joinUrl(endpoint.openAiEndpoint, 'openai'),
          description: `Deployment ${deployment} in ${label === 'primary' ? 'the primary region' : label}`,
          tls: { validateCertificateChain: true, validateCertificateName: true },
          circuitBreakerRule,
        });
      }
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

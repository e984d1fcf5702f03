import { z } from 'zod';
import type { Problems } from '../../../constructs/core/errors';
import {
  APIM_SKUS,
  checkExperiments,
  checkLogging,
  checkSemanticCache,
  checkSkuCapacity,
  DEFAULT_PIN_HEADER,
  PRIVATE_BACKEND_SKUS,
} from '../../../constructs/gateway/validation';
import { isProvisionedSku } from '../../../constructs/models/model-facts';
import type { EnvironmentConfig } from '../environment';
import { EVALUATION_CONSUMER } from '../environment';
import { defaultText, PROFILE_DEFAULTS } from '../profile-defaults';
import { byProfile, type ResolveContext } from './context';

export { APIM_SKUS };

const variantSchema = z.strictObject({
  deployment: z.string().describe('Model deployment serving this variant (a key of models.deployments).'),
  promptVersion: z
    .string()
    .optional()
    .describe(
      'Prompt version the application uses for this variant; returned in x-llmops-prompt-version and logged.',
    ),
  weight: z
    .number()
    .int()
    .min(0)
    .max(100)
    .describe(
      'Share of unpinned traffic, in percent. Weights of an experiment sum to 100; 0 = only pinned requests (rollback).',
    ),
});

const CONSUMER_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
/**
 * An IAM role ARN in the `aws` partition: `role/`, an optional path of segments, the name (1-64 of
 * `\w+=,.@-`), as IAM's quotas and the `CreateRole` API allow.
 */
const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/((?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/;
/** Role paths of roles AWS manages, which take no policy a stack attaches (service-linked, IAM Identity Center). */
const AWS_MANAGED_ROLE_PATH = /^aws-(?:service-role|reserved)\//;
/**
 * At most this many consumers: the router's configuration, one entry of about 120 bytes per consumer, travels
 * in a Lambda environment variable, and a function's variables are limited to 4 KB in all
 * (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
 */
export const MAX_GATEWAY_CONSUMERS = 20;

/** A token limit per minute (a positive whole number), optional. */
const tokensPerMinute = (description: string) => z.number().int().positive().optional().describe(description);

export const gatewaySchema = z
  .strictObject({
    enabled: z.boolean().optional().describe('Deploy the gateway. Default: true.'),
    experiments: z
      .record(
        z.string(),
        z.strictObject({
          variants: z.record(z.string(), variantSchema).describe('Variants by name.'),
          pinHeader: z
            .string()
            .optional()
            .describe(`Request header that pins a variant by name. Default: ${DEFAULT_PIN_HEADER}.`),
        }),
      )
      .optional()
      .describe(
        'A/B experiments keyed by name; clients call the name as the deployment. Roll back by moving the weights (docs/gateway.md).',
      ),
    tokenLimits: z
      .strictObject({
        tokensPerMinute: tokensPerMinute(
          `Tokens per minute per subscription (429 above), enforced at API scope; must be below the capacity of every standard deployment. ${defaultText(PROFILE_DEFAULTS.gatewayTokensPerMinute)}`,
        ),
        monthlyQuota: z
          .number()
          .int()
          .positive()
          .optional()
          .describe('Tokens per subscription per month (403 above). Default: no quota.'),
      })
      .optional(),
    logging: z
      .strictObject({
        bodySampleRatePercent: z
          .number()
          .min(0)
          .max(100)
          .optional()
          .describe('Share of requests whose prompt and completion are logged (0 = none). Default: 100.'),
        logBodies: z
          .boolean()
          .optional()
          .describe(
            'Privacy switch: false logs token usage and model only, never prompts or completions. Default: true.',
          ),
        retentionDays: z
          .number()
          .int()
          .min(4)
          .max(730)
          .optional()
          .describe('Days LLM logs (with prompts and completions) are kept. Default: logging.retentionDays.'),
      })
      .optional(),
    semanticCache: z
      .strictObject({
        embeddingsDeployment: z
          .string()
          .describe('Embedding deployment that vectorizes prompts for the lookup.'),
        scoreThreshold: z.number().optional().describe('0-1, lower demands closer matches. Default: 0.05.'),
        durationSeconds: z
          .number()
          .int()
          .positive()
          .optional()
          .describe('How long a completion is served from the cache. Default: 3600.'),
        externalCacheAttached: z
          .boolean()
          .optional()
          .describe(
            'Confirms an Azure Managed Redis cache with RediSearch is attached to API Management (not created by the platform).',
          ),
      })
      .optional()
      .describe('Semantic caching of chat completions. Default: off.'),
    azure: z
      .strictObject({
        sku: z.enum(APIM_SKUS).optional().describe(defaultText(PROFILE_DEFAULTS.gatewaySku)),
        capacity: z.number().int().min(1).max(12).optional().describe('Scale units. Default: 1.'),
        publisherEmail: z.string().email().optional(),
        publisherName: z.string().optional(),
        publicNetworkAccessEnabled: z
          .boolean()
          .optional()
          .describe(
            'Default: true in public environments, false in private ones (created open, as Azure requires, and closed in the same deploy once its private endpoint exists). true in a private environment keeps the gateway reachable from the internet: an explicit opt-out, reported as a suppressed public-network-access finding.',
          ),
      })
      .optional(),
    aws: z
      .strictObject({
        consumers: z
          .record(
            z.string().regex(CONSUMER_NAME, {
              error: (iss) =>
                `${JSON.stringify(iss.input)} is not a consumer name: 1-64 letters, digits, "-" and "_", starting with a letter`,
            }),
            z.strictObject({
              roleArn: z
                .string()
                .regex(ROLE_ARN, {
                  error: (iss) =>
                    `${JSON.stringify(iss.input)} is not the ARN of an IAM role (arn:aws:iam::<account>:role/<name>)`,
                })
                .describe(
                  "The IAM role the consumer signs its requests with (SigV4), in the environment's account.",
                ),
              tokensPerMinute: tokensPerMinute(
                'Tokens per minute for this consumer (429 above). Default: gateway.tokenLimits.tokensPerMinute.',
              ),
            }),
          )
          .optional()
          .describe(
            `Callers of the gateway besides the pipeline's evaluation role ("${EVALUATION_CONSUMER}"), by name: each is granted execute-api:Invoke and gets its own token limit. Default: none.`,
          ),
      })
      .optional(),
  })
  .describe('GenAI gateway (API Management on Azure, API Gateway and a router Lambda on AWS).');

/** One variant of an experiment, resolved. */
export interface GatewayVariantConfig {
  readonly deployment: string;
  readonly promptVersion?: string;
  readonly weight: number;
}

export interface GatewayConfig {
  readonly enabled: boolean;
  readonly experiments: Readonly<
    Record<
      string,
      { readonly pinHeader: string; readonly variants: Readonly<Record<string, GatewayVariantConfig>> }
    >
  >;
  readonly tokenLimits: { readonly tokensPerMinute: number; readonly monthlyQuota?: number };
  readonly logging: {
    readonly bodySampleRatePercent: number;
    /** Privacy switch. */
    readonly logBodies: boolean;
    /** Days LLM logs are kept; undefined: the environment's `logging.retentionDays`. */
    readonly retentionDays?: number;
  };
  readonly semanticCache?: {
    readonly embeddingsDeployment: string;
    readonly scoreThreshold?: number;
    readonly durationSeconds?: number;
    readonly externalCacheAttached: boolean;
  };
  readonly sku: (typeof APIM_SKUS)[number];
  readonly capacity: number;
  readonly publisherEmail: string;
  readonly publisherName: string;
  /** Undefined: public in public environments, private (private endpoint or injection) in private ones. */
  readonly publicNetworkAccessEnabled?: boolean;
  /** The AWS gateway's callers besides the evaluation role, by name. */
  readonly aws?: {
    readonly consumers: Readonly<
      Record<string, { readonly roleArn: string; readonly tokensPerMinute: number }>
    >;
  };
}

export function resolveGateway(
  raw: z.infer<typeof gatewaySchema> | undefined,
  ctx: ResolveContext,
): GatewayConfig {
  const experiments: Record<string, GatewayConfig['experiments'][string]> = {};
  for (const [name, e] of Object.entries(raw?.experiments ?? {})) {
    experiments[name] = { pinHeader: e.pinHeader ?? DEFAULT_PIN_HEADER, variants: e.variants };
  }
  const cache = raw?.semanticCache;
  return {
    enabled: raw?.enabled ?? true,
    experiments,
    tokenLimits: {
      tokensPerMinute: raw?.tokenLimits?.tokensPerMinute ?? byProfile(ctx, 'gatewayTokensPerMinute'),
      monthlyQuota: raw?.tokenLimits?.monthlyQuota,
    },
    logging: {
      bodySampleRatePercent: raw?.logging?.bodySampleRatePercent ?? 100,
      logBodies: raw?.logging?.logBodies ?? true,
      retentionDays: raw?.logging?.retentionDays,
    },
    semanticCache: cache
      ? {
          embeddingsDeployment: cache.embeddingsDeployment,
          scoreThreshold: cache.scoreThreshold,
          durationSeconds: cache.durationSeconds,
          externalCacheAttached: cache.externalCacheAttached ?? false,
        }
      : undefined,
    sku: raw?.azure?.sku ?? byProfile(ctx, 'gatewaySku'),
    capacity: raw?.azure?.capacity ?? 1,
    publisherEmail: raw?.azure?.publisherEmail ?? 'platform@example.com',
    publisherName: raw?.azure?.publisherName ?? 'LLMOps platform',
    publicNetworkAccessEnabled: raw?.azure?.publicNetworkAccessEnabled,
    aws:
      ctx.cloud === 'aws'
        ? {
            consumers: Object.fromEntries(
              Object.entries(raw?.aws?.consumers ?? {}).map(([name, c]) => [
                name,
                {
                  roleArn: c.roleArn,
                  tokensPerMinute:
                    c.tokensPerMinute ??
                    raw?.tokenLimits?.tokensPerMinute ??
                    byProfile(ctx, 'gatewayTokensPerMinute'),
                },
              ]),
            ),
          }
        : undefined,
  };
}

/**
 * Cross-field checks of the gateway section (paths relative to `environments.<env>`): a production
 * gateway has a failover region, the per-subscription token limit is below every standard deployment's
 * capacity, experiment weights sum to 100 and variants reference declared deployments of one role, token limits are positive, the
 * sampling rate is 0-100, the tier's capacity fits, a private environment's tier can reach private model
 * endpoints, and semantic caching names an embedding deployment and confirms its external cache.
 */
export function validateGateway(
  env: Pick<EnvironmentConfig, 'gateway' | 'models' | 'network' | 'profile' | 'cloud' | 'aws'>,
  problems: Problems,
): void {
  const g = env.gateway;
  if (!g.enabled) return;
  if (env.cloud === 'aws') {
    validateAwsGateway(
      g,
      env.models.deployments,
      env.models.aws?.defaultContentFilter,
      env.aws?.accountId,
      problems,
    );
    return;
  }
  if (env.profile === 'production') {
    problems.check(
      env.models.secondaryLocations.length > 0,
      'models.azure.secondaryLocations',
      'is empty, but a production gateway needs failover: list at least one region that offers every configured model (Microsoft Learn, "Azure OpenAI model availability"), so each backend pool has two or more members',
    );
  }
  for (const [name, d] of Object.entries(env.models.deployments)) {
    if (isProvisionedSku(d.sku)) continue;
    const capacityTokensPerMinute = d.capacity * 1000;
    problems.check(
      g.tokenLimits.tokensPerMinute < capacityTokensPerMinute,
      'gateway.tokenLimits.tokensPerMinute',
      `${g.tokenLimits.tokensPerMinute} is not below the capacity of deployment ${name} (${capacityTokensPerMinute} tokens per minute): one subscription could exhaust it for every caller`,
    );
  }
  checkNeutral(g, env.models.deployments, problems);
  checkSkuCapacity(g.sku, g.capacity, problems, 'gateway.azure.capacity');
  if (env.network.mode === 'private') {
    problems.check(
      PRIVATE_BACKEND_SKUS.includes(g.sku),
      'gateway.azure.sku',
      `${JSON.stringify(g.sku)} cannot join a virtual network, so it cannot reach the private model endpoints of a private environment: use ${PRIVATE_BACKEND_SKUS.join(', ')}`,
    );
  } else {
    problems.check(
      g.publicNetworkAccessEnabled !== false,
      'gateway.azure.publicNetworkAccessEnabled',
      'false leaves the gateway of a public environment unreachable (it has no private endpoint)',
    );
  }
  if (g.semanticCache) {
    checkSemanticCache(g.semanticCache, env.models.deployments, problems, 'gateway.semanticCache');
    problems.check(
      g.semanticCache.externalCacheAttached,
      'gateway.semanticCache.externalCacheAttached',
      'semantic caching needs an Azure Managed Redis cache with the RediSearch module attached to API Management as its external cache, which the platform does not create: attach one (docs/gateway.md, "Semantic caching"), then set externalCacheAttached: true',
    );
  }
}

/**
 * The cloud-neutral gateway checks of an AWS environment (experiments, token limits, logging). Failover
 * on AWS is the cross-region inference profile, and capacity is Bedrock's account quota, so the Azure
 * capacity and tier checks do not apply; semantic caching has no AWS rendering.
 */
function validateAwsGateway(
  g: GatewayConfig,
  deployments: EnvironmentConfig['models']['deployments'],
  defaultFilter: string | undefined,
  accountId: string | undefined,
  problems: Problems,
): void {
  checkNeutral(g, deployments, problems);
  problems.check(
    g.tokenLimits.monthlyQuota === undefined,
    'gateway.tokenLimits.monthlyQuota',
    `${g.tokenLimits.monthlyQuota} has no AWS rendering (the router counts tokens per consumer and minute only; monitoring.budget, an AWS Budgets budget, watches the monthly spend): remove it here, or, when defaults sets it, move it from defaults to the Azure environments`,
  );
  checkAwsConsumers(g, accountId, problems);
  // The router applies one guardrail to every call: the default content filter's.
  for (const [name, d] of Object.entries(deployments)) {
    const filter = d.aws?.contentFilter;
    if (d.role !== 'chat' || filter === undefined || filter === defaultFilter) continue;
    problems.add(
      `models.deployments.${name}.aws.contentFilter`,
      `${JSON.stringify(filter)} differs from models.aws.defaultContentFilter ${JSON.stringify(defaultFilter)}: the AWS gateway applies one guardrail to every call, so chat deployments behind it use the default`,
    );
  }
  problems.check(
    g.semanticCache === undefined,
    'gateway.semanticCache',
    'has no AWS rendering (it needs an Azure Managed Redis cache attached to API Management): remove it in an AWS environment',
  );
}

/**
 * The gateway's consumers on AWS: roles of the stack's account (`aws.account.id` set), at most
 * {@link MAX_GATEWAY_CONSUMERS}, none AWS manages, one role name per consumer, the evaluation name left
 * to the pipeline.
 */
function checkAwsConsumers(g: GatewayConfig, accountId: string | undefined, problems: Problems): void {
  const consumers = Object.entries(g.aws?.consumers ?? {});
  if (consumers.length === 0) return;
  problems.check(
    accountId !== undefined,
    'aws.account.id',
    'is required with gateway.aws.consumers: the gateway grants each consumer execute-api:Invoke through a policy on its role, which the stack can attach only to a role of the account it deploys to',
  );
  problems.check(
    consumers.length <= MAX_GATEWAY_CONSUMERS,
    'gateway.aws.consumers',
    `has ${consumers.length} consumers, at most ${MAX_GATEWAY_CONSUMERS} are allowed: the router's configuration travels in a Lambda environment variable (4 KB for all of a function's variables)`,
  );
  const byRoleName = new Map<string, string>();
  for (const [name, consumer] of consumers) {
    const at = `gateway.aws.consumers.${name}`;
    problems.check(
      name !== EVALUATION_CONSUMER,
      at,
      `"${EVALUATION_CONSUMER}" is the pipeline's evaluation role, which every AWS gateway has: choose another name`,
    );
    const [, account, path, roleName] = ROLE_ARN.exec(consumer.roleArn) ?? [];
    if (roleName === undefined) continue; // the schema reported the ARN
    problems.check(
      accountId === undefined || account === accountId,
      `${at}.roleArn`,
      `${JSON.stringify(consumer.roleArn)} is a role of account ${account}, not of aws.account.id ${accountId}: the gateway grants execute-api:Invoke through a policy on the role, which the stack can attach only in its account`,
    );
    problems.check(
      !AWS_MANAGED_ROLE_PATH.test(path ?? ''),
      `${at}.roleArn`,
      `${JSON.stringify(consumer.roleArn)} is a role AWS manages (path ${path}), which takes no policy the stack attaches: use a role of your own`,
    );
    // The router knows a caller by its role name (an assumed-role ARN drops the path).
    const other = byRoleName.get(roleName);
    problems.check(
      other === undefined,
      `${at}.roleArn`,
      `${JSON.stringify(consumer.roleArn)} has the role name of consumer ${other}'s role: the router tells callers apart by role name, so each consumer needs a role of its own`,
    );
    byRoleName.set(roleName, name);
  }
}

/** The checks both clouds share: experiments, token limits, logging. */
function checkNeutral(
  g: GatewayConfig,
  deployments: EnvironmentConfig['models']['deployments'],
  problems: Problems,
): void {
  checkExperiments(g.experiments, deployments, problems, 'gateway.experiments');
  problems.check(
    Number.isInteger(g.tokenLimits.tokensPerMinute) && g.tokenLimits.tokensPerMinute > 0,
    'gateway.tokenLimits.tokensPerMinute',
    `${g.tokenLimits.tokensPerMinute} must be a positive integer`,
  );
  if (g.tokenLimits.monthlyQuota !== undefined) {
    problems.check(
      Number.isInteger(g.tokenLimits.monthlyQuota) && g.tokenLimits.monthlyQuota > 0,
      'gateway.tokenLimits.monthlyQuota',
      `${g.tokenLimits.monthlyQuota} must be a positive integer`,
    );
  }
  checkLogging(g.logging, problems, 'gateway.logging');
}

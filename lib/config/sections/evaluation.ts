import { z } from 'zod';
import { type Problems, show } from '../../../constructs/core/errors';
import { DEPLOYMENT_SKUS } from '../../../constructs/models/model-facts';

/**
 * The pricing tier of a Bedrock deployment: on-demand inference, in-region or through a geographic
 * cross-region profile, which Bedrock prices alike (https://aws.amazon.com/bedrock/pricing/).
 */
export const BEDROCK_PRICING_TIER = 'OnDemand';

/** The keys of a model's prices: Azure deployment types, and Bedrock's on-demand tier. */
export const PRICING_TIERS = [...DEPLOYMENT_SKUS, BEDROCK_PRICING_TIER] as const;
export type PricingTier = (typeof PRICING_TIERS)[number];

import { metricFacts, SAFETY_METRICS } from '../../../constructs/monitoring/quality-contract';
import { PROFILE_DEFAULTS, profileValues } from '../profile-defaults';
import { byProfile, type ResolveContext } from './context';
import { evaluatorOf, GROUND_TRUTH_EVALUATORS, KNOWN_EVALUATORS, QUALITY_EVALUATORS } from './evaluators';

const thresholdSchema = z.strictObject({
  value: z.number().describe('The threshold.'),
  direction: z
    .enum(['min', 'max'])
    .optional()
    .describe('min: scores at or above pass (quality); max: at or below pass (latency, cost). Default: min.'),
  required: z.boolean().optional().describe('A required metric must be present and pass. Default: true.'),
});

export const evaluationSchema = z
  .strictObject({
    thresholds: z
      .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]*$/), thresholdSchema)
      .optional()
      .describe(
        `Release criteria, shared by the gate and the alerts; merged over the defaults metric by metric (set required: false to only warn). Default: groundedness, relevance, coherence >= 4; fluency, similarity >= 3.5 (not required); every content-safety defect rate <= 0.01; latencyP95Ms <= ${profileValues(PROFILE_DEFAULTS.latencyP95Ms)}; costPer1kAnswers <= 20 when evaluation.pricing is set.`,
      ),
    dataset: z
      .string()
      .optional()
      .describe('Repo-relative JSONL dataset. Default: evaluation/data/qa.jsonl.'),
    evaluators: z
      .array(z.string())
      .optional()
      .describe(
        'Evaluators to run: quality (groundedness, relevance, coherence, fluency, similarity; similarity needs ground_truth) and content safety (hate_unfairness, sexual, violence, self_harm, protected_material, indirect_attack). Default: all eleven.',
      ),
    batchSize: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .optional()
      .describe('Rows the evaluation job sends to the evaluators at a time. Default: 50.'),
    pricing: z
      .strictObject({
        takenOn: z.iso.date().describe('The day the prices were read (YYYY-MM-DD); shown beside every cost.'),
        currency: z
          .string()
          .regex(/^[A-Z]{3}$/)
          .describe('ISO 4217 currency of every price, e.g. USD.'),
        source: z.string().optional().describe('Where the prices were read (a pricing page URL).'),
        models: z
          .record(
            z.string().min(1),
            z.partialRecord(
              z.enum(PRICING_TIERS),
              z.strictObject({
                inputPerMillionTokens: z.number().nonnegative().describe('Price of 1,000,000 prompt tokens.'),
                outputPerMillionTokens: z
                  .number()
                  .nonnegative()
                  .describe('Price of 1,000,000 completion tokens.'),
              }),
            ),
          )
          .describe(
            `Prices by model name (a Bedrock model ID on AWS), then deployment type (SKU), or ${BEDROCK_PRICING_TIER} for Bedrock on-demand inference.`,
          ),
      })
      .optional()
      .describe(
        'Token prices the gate turns into costPer1kAnswers (model and SKU of the evaluated deployment). Required when costPer1kAnswers is gated.',
      ),
    promotion: z
      .strictObject({
        qualityMargin: z
          .number()
          .min(0)
          .optional()
          .describe(
            'Largest tolerated drop of a quality score of the candidate against control, in score points. Default: 0.1.',
          ),
        safetyMargin: z
          .number()
          .min(0)
          .optional()
          .describe(
            'Largest tolerated rise of a safety defect rate of the candidate against control (0-1). Default: 0.',
          ),
        minImprovementPercent: z
          .number()
          .min(0)
          .max(100)
          .optional()
          .describe(
            "How much lower (percent) the candidate's p95 latency or cost per 1,000 answers must be to count as better. Default: 5.",
          ),
        weightStep: z
          .number()
          .int()
          .min(1)
          .max(100)
          .optional()
          .describe('Weight points a promotion moves from control to the candidate. Default: 20.'),
      })
      .optional()
      .describe('How the gate decides between the candidate and control variants of a gateway experiment.'),
    synthetic: z
      .strictObject({
        sourceText: z
          .string()
          .min(1)
          .optional()
          .describe(
            "Repo-relative text or Markdown file the simulator writes queries about (first 5,000 characters; also the rows' context).",
          ),
        numQueries: z
          .number()
          .int()
          .min(1)
          .max(5000)
          .optional()
          .describe('How many queries the simulator writes per run. Default: 10.'),
        fromIndex: z
          .string()
          .regex(/^[a-z0-9][a-z0-9-]{0,127}$/)
          .optional()
          .describe(
            "Search index whose documents the queries are about (the environment's own index, read with Entra ID); replaces sourceText as the source when set.",
          ),
      })
      .optional()
      .describe(
        'Optional synthetic-data step before the post-deploy evaluation: evaluation/simulate.py (Azure AI Evaluation simulator) adds simulated rows to the dataset, about sourceText or the documents of the search index fromIndex (one of the two). Simulated rows have no ground_truth, so evaluators must not include similarity.',
      ),
    azure: z
      .strictObject({
        workspace: z
          .strictObject({
            enabled: z
              .boolean()
              .optional()
              .describe('Deploy the AI Foundry hub and project used for evaluation runs. Default: true.'),
            highBusinessImpact: z
              .boolean()
              .optional()
              .describe(
                'Mark the hub as high business impact (less diagnostic data to Microsoft, encrypted scratch disks). Forces a new hub. Default: false.',
              ),
            outbound: z
              .enum(['internet', 'approvedOnly'])
              .optional()
              .describe(
                'Managed network outbound: internet (any), approvedOnly (private endpoints and approved rules only). Default: approvedOnly in private networks, internet in public ones.',
              ),
          })
          .optional()
          .describe('The AI Foundry hub and project (hub-based: prompt flow and evaluation runs).'),
        compute: z
          .strictObject({
            vmSize: z.string().describe('VM size for batch evaluation runs, e.g. Standard_DS3_v2.'),
            minNodes: z
              .number()
              .int()
              .min(0)
              .max(100)
              .optional()
              .describe('Nodes kept running when idle. Default: 0 (no cost when idle).'),
            maxNodes: z
              .number()
              .int()
              .min(1)
              .max(100)
              .optional()
              .describe('Upper bound of the cluster. Default: 2.'),
            idleMinutesBeforeScaleDown: z
              .number()
              .int()
              .min(1)
              .max(10080)
              .optional()
              .describe('Minutes an idle node is kept before it is released. Default: 15.'),
            lowPriority: z
              .boolean()
              .optional()
              .describe('Use low-priority (preemptible, cheaper) VMs. Default: false.'),
          })
          .optional()
          .describe('Optional compute cluster for batch evaluations, attached to the hub.'),
      })
      .optional(),
  })
  .describe('Evaluation and release gate.');

export interface Threshold {
  readonly value: number;
  readonly direction: 'min' | 'max';
  readonly required: boolean;
}

/** The AI Foundry hub and project that evaluation runs use, resolved. */
export interface EvaluationWorkspaceConfig {
  /** Deploy the hub and project. */
  readonly enabled: boolean;
  readonly highBusinessImpact: boolean;
  /** Outbound mode of the hub's managed network. */
  readonly isolationMode: 'AllowInternetOutbound' | 'AllowOnlyApprovedOutbound';
}

/** The optional compute cluster for batch evaluation runs, resolved. */
export interface EvaluationComputeConfig {
  readonly vmSize: string;
  readonly minNodes: number;
  readonly maxNodes: number;
  readonly idleMinutesBeforeScaleDown: number;
  readonly vmPriority: 'Dedicated' | 'LowPriority';
}

/** The optional synthetic-data step of the post-deploy evaluation, resolved. */
export interface SyntheticDataConfig {
  /** Repo-relative text the simulator writes queries about; undefined when {@link fromIndex} is the source. */
  readonly sourceText?: string;
  /** Search index whose documents the simulator writes queries about. */
  readonly fromIndex?: string;
  /** Queries per run. */
  readonly numQueries: number;
}

/** The price of one model on one deployment type, per 1,000,000 tokens. */
export interface TokenPrice {
  readonly inputPerMillionTokens: number;
  readonly outputPerMillionTokens: number;
}

/** The dated price table `costPer1kAnswers` is computed from. */
export interface PricingConfig {
  /** YYYY-MM-DD the prices were read. */
  readonly takenOn: string;
  /** ISO 4217 currency. */
  readonly currency: string;
  readonly source?: string;
  /** Model name -> deployment type -> price. */
  readonly models: Readonly<Record<string, Readonly<Partial<Record<PricingTier, TokenPrice>>>>>;
}

/** How the gate compares the candidate with control, resolved. */
export interface PromotionConfig {
  /** Largest tolerated quality drop, in score points. */
  readonly qualityMargin: number;
  /** Largest tolerated defect-rate rise (0-1). */
  readonly safetyMargin: number;
  /** Percent by which p95 latency or cost per 1,000 answers must be lower to count as better. */
  readonly minImprovementPercent: number;
  /** Weight points a promotion moves. */
  readonly weightStep: number;
}

export interface EvaluationConfig {
  readonly thresholds: Readonly<Record<string, Threshold>>;
  readonly dataset: string;
  readonly evaluators: readonly string[];
  /** Rows per evaluation batch. */
  readonly batchSize: number;
  /** Undefined when no price table is configured. */
  readonly pricing?: PricingConfig;
  readonly promotion: PromotionConfig;
  /** Undefined unless `evaluation.synthetic` is set. */
  readonly synthetic?: SyntheticDataConfig;
  readonly workspace: EvaluationWorkspaceConfig;
  readonly compute?: EvaluationComputeConfig;
}

/**
 * Default release criteria. Quality: the 1-5 floors. Safety: at most 1% of answers flagged by any
 * content-safety evaluator (a responsible-AI floor; with fewer than 100 rows this means none). Latency and
 * cost: ceilings a FinOps reviewer can read, p95 in milliseconds and, when a price table is configured,
 * cost per 1,000 answers in its currency; tokens per answer is reported, not gated.
 */
function defaultThresholds(ctx: ResolveContext, priced: boolean): Record<string, Threshold> {
  // AWS has no content-safety evaluator (the guardrail is the control): the floors are reported, not gated.
  const safety = Object.fromEntries(
    SAFETY_METRICS.map((m) => [
      m,
      { value: 0.01, direction: 'max', required: ctx.cloud === 'azure' } as Threshold,
    ]),
  );
  return {
    groundedness: { value: 4, direction: 'min', required: true },
    relevance: { value: 4, direction: 'min', required: true },
    coherence: { value: 4, direction: 'min', required: true },
    fluency: { value: 3.5, direction: 'min', required: false },
    similarity: { value: 3.5, direction: 'min', required: false },
    ...safety,
    latencyP95Ms: { value: byProfile(ctx, 'latencyP95Ms'), direction: 'max', required: true },
    ...(priced ? { costPer1kAnswers: { value: 20, direction: 'max', required: true } as Threshold } : {}),
  };
}

/** How the gate compares candidate and control unless `evaluation.promotion` says otherwise. */
export const DEFAULT_PROMOTION: PromotionConfig = {
  qualityMargin: 0.1,
  safetyMargin: 0,
  minImprovementPercent: 5,
  weightStep: 20,
};

export function resolveEvaluation(
  raw: z.infer<typeof evaluationSchema> | undefined,
  ctx: ResolveContext,
): EvaluationConfig {
  const thresholds: Record<string, Threshold> = defaultThresholds(ctx, raw?.pricing !== undefined);
  for (const [name, t] of Object.entries(raw?.thresholds ?? {})) {
    const fallback = thresholds[name]?.direction ?? metricFacts(name)?.direction ?? 'min';
    // A safety floor on AWS is not gated unless it says so (no evaluator produces it there).
    const requiredByDefault = ctx.cloud === 'azure' || metricFacts(name)?.kind !== 'safety';
    thresholds[name] = {
      value: t.value,
      direction: t.direction ?? fallback,
      required: t.required ?? requiredByDefault,
    };
  }
  const promotion = raw?.promotion;
  const workspace = raw?.azure?.workspace;
  const compute = raw?.azure?.compute;
  const outbound = workspace?.outbound ?? (ctx.networkMode === 'private' ? 'approvedOnly' : 'internet');
  return {
    thresholds,
    dataset: raw?.dataset ?? 'evaluation/data/qa.jsonl',
    // AWS: the quality evaluators only (the safety ones need an Azure AI project).
    evaluators: raw?.evaluators ?? (ctx.cloud === 'aws' ? [...QUALITY_EVALUATORS] : [...KNOWN_EVALUATORS]),
    batchSize: raw?.batchSize ?? 50,
    pricing: raw?.pricing
      ? {
          takenOn: raw.pricing.takenOn,
          currency: raw.pricing.currency,
          source: raw.pricing.source,
          models: raw.pricing.models,
        }
      : undefined,
    promotion: {
      qualityMargin: promotion?.qualityMargin ?? DEFAULT_PROMOTION.qualityMargin,
      safetyMargin: promotion?.safetyMargin ?? DEFAULT_PROMOTION.safetyMargin,
      minImprovementPercent: promotion?.minImprovementPercent ?? DEFAULT_PROMOTION.minImprovementPercent,
      weightStep: promotion?.weightStep ?? DEFAULT_PROMOTION.weightStep,
    },
    synthetic: raw?.synthetic
      ? {
          sourceText: raw.synthetic.sourceText,
          fromIndex: raw.synthetic.fromIndex,
          numQueries: raw.synthetic.numQueries ?? 10,
        }
      : undefined,
    workspace: {
      enabled: workspace?.enabled ?? true,
      highBusinessImpact: workspace?.highBusinessImpact ?? false,
      isolationMode: outbound === 'approvedOnly' ? 'AllowOnlyApprovedOutbound' : 'AllowInternetOutbound',
    },
    compute: compute
      ? {
          vmSize: compute.vmSize,
          minNodes: compute.minNodes ?? 0,
          maxNodes: compute.maxNodes ?? 2,
          idleMinutesBeforeScaleDown: compute.idleMinutesBeforeScaleDown ?? 15,
          vmPriority: compute.lowPriority ? 'LowPriority' : 'Dedicated',
        }
      : undefined,
  };
}

/** Azure VM size names: `Standard_` and the size, e.g. `Standard_DS3_v2`, `Standard_D4s_v5`. */
export const VM_SIZE_PATTERN = /^Standard_[A-Za-z0-9_]+$/;

/**
 * Cross-field checks of the evaluation workspace and compute (paths relative to `environments.<env>`):
 * the VM size reads `Standard_<size>`, `minNodes` is at most `maxNodes`, and a compute cluster has a
 * workspace to attach to. Hub and project names are checked with every other derived name by the loader.
 */
export function validateEvaluationWorkspace(
  env: { readonly evaluation: EvaluationConfig },
  problems: Problems,
): void {
  const { workspace, compute } = env.evaluation;
  if (!compute) return;
  const at = 'evaluation.azure.compute';
  problems.check(
    VM_SIZE_PATTERN.test(compute.vmSize),
    `${at}.vmSize`,
    `${show(compute.vmSize)} is not an Azure VM size name: expected Standard_<size>, e.g. "Standard_DS3_v2"`,
  );
  problems.check(
    compute.minNodes <= compute.maxNodes,
    `${at}.minNodes`,
    `${compute.minNodes} is above maxNodes ${compute.maxNodes}: minNodes must be at most maxNodes`,
  );
  problems.check(
    workspace.enabled,
    at,
    'the cluster attaches to the AI Foundry hub, but evaluation.azure.workspace.enabled is false: remove compute or enable the workspace',
  );
}

/** The deployments the evaluation can target: what the price check reads from `models.deployments`. */
export interface PricedDeployment {
  readonly role: string;
  readonly model: string;
  /** The key its price is read under: the Azure deployment type, or `OnDemand` on Bedrock. */
  readonly pricingTier: string;
}

/** The price of `deployment` in `pricing`, or undefined when the table has none. */
export function priceOf(
  pricing: PricingConfig | undefined,
  deployment: { readonly model: string; readonly pricingTier: string },
): TokenPrice | undefined {
  const byTier =
    pricing && Object.hasOwn(pricing.models, deployment.model) ? pricing.models[deployment.model] : undefined;
  return byTier && Object.hasOwn(byTier, deployment.pricingTier)
    ? byTier[deployment.pricingTier as PricingTier]
    : undefined;
}

/**
 * Cross-field checks of the evaluation section (paths relative to `environments.<env>`): the workspace
 * and compute ({@link validateEvaluationWorkspace}); evaluators are known (quality and content safety),
 * listed once; a required threshold on an evaluator's metric has that evaluator in the list (otherwise its
 * score is always missing and every gate fails); a threshold on a known metric goes the metric's way
 * (`min` for quality, `max` for defect rates, latency, tokens and cost) and stays in its range; a gated
 * `costPer1kAnswers` has a price for every chat deployment (model and SKU); the synthetic-data step runs no
 * evaluator that needs a ground truth (simulated rows have none) and has exactly one source.
 */
export function validateEvaluation(
  env: {
    readonly evaluation: EvaluationConfig;
    readonly models?: { readonly deployments: Readonly<Record<string, PricedDeployment>> };
    readonly search?: { readonly indexes: Readonly<Record<string, unknown>> };
  },
  problems: Problems,
): void {
  validateEvaluationWorkspace(env, problems);
  const { evaluators, thresholds, synthetic, pricing } = env.evaluation;
  const known = KNOWN_EVALUATORS;
  problems.check(
    evaluators.length > 0,
    'evaluation.evaluators',
    `is empty: list at least one of ${known.join(', ')}`,
  );
  evaluators.forEach((name, i) => {
    problems.check(
      known.includes(name),
      `evaluation.evaluators.${i}`,
      `${show(name)} is not an evaluator the evaluation job runs (known: ${known.join(', ')})`,
    );
    problems.check(
      evaluators.indexOf(name) === i,
      `evaluation.evaluators.${i}`,
      `${show(name)} is listed twice`,
    );
  });
  for (const [metric, threshold] of Object.entries(thresholds)) {
    const at = `evaluation.thresholds.${metric}`;
    // Direction and range of quality and safety metrics are checked with the alerts (monitoring section).
    const facts = metricFacts(metric);
    if (facts && facts.kind !== 'quality' && facts.kind !== 'safety') {
      problems.check(
        threshold.value >= facts.range.min,
        `${at}.value`,
        `${threshold.value} is negative: ${metric} (${facts.kind}) is at least ${facts.range.min}`,
      );
    }
    const evaluator = evaluatorOf(metric);
    if (!threshold.required || evaluator === undefined || evaluators.includes(evaluator)) continue;
    problems.add(
      at,
      `is required, but ${show(evaluator)} is not in evaluation.evaluators (${evaluators.join(', ')}), so its score would always be missing and every gate fail: add the evaluator or set required: false`,
    );
  }
  const cost = thresholds.costPer1kAnswers;
  if (cost?.required && env.models) {
    for (const [name, d] of Object.entries(env.models.deployments)) {
      if (d.role !== 'chat' || priceOf(pricing, d) !== undefined) continue;
      problems.add(
        'evaluation.pricing.models',
        `has no price for ${show(d.model)} on ${d.pricingTier} (chat deployment ${show(name)}), but costPer1kAnswers is a required threshold: add evaluation.pricing.models.${d.model}.${d.pricingTier} or set evaluation.thresholds.costPer1kAnswers.required to false`,
      );
    }
  }
  if (synthetic) {
    const needGroundTruth = evaluators.filter((e) => GROUND_TRUTH_EVALUATORS.includes(e));
    problems.check(
      needGroundTruth.length === 0,
      'evaluation.evaluators',
      `${needGroundTruth.join(', ')} needs a ground_truth column, which the rows evaluation.synthetic adds lack: list the evaluators without it (e.g. [groundedness, relevance, coherence, fluency]) or drop evaluation.synthetic`,
    );
    problems.check(
      (synthetic.sourceText === undefined) !== (synthetic.fromIndex === undefined),
      'evaluation.synthetic',
      'needs exactly one source: sourceText (a file in the repository) or fromIndex (a search index of the environment)',
    );
    const indexes = env.search?.indexes;
    if (synthetic.fromIndex !== undefined && indexes) {
      problems.check(
        Object.hasOwn(indexes, synthetic.fromIndex),
        'evaluation.synthetic.fromIndex',
        `${show(synthetic.fromIndex)} is not a search index of this environment (search.indexes: ${Object.keys(indexes).join(', ') || 'none'})`,
      );
    }
    if (synthetic.sourceText !== undefined) {
      problems.check(
        !synthetic.sourceText.startsWith('/') && !synthetic.sourceText.split(/[\\/]/).includes('..'),
        'evaluation.synthetic.sourceText',
        `${show(synthetic.sourceText)} must be a path inside the repository (relative, no "..")`,
      );
    }
  }
}

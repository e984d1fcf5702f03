import { z } from 'zod';
import { type Problems, show } from '../../../constructs/core/errors';
import type { ResolveContext } from './context';

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
        'Release criteria, shared by the gate and the quality alerts. Default: groundedness, relevance, coherence >= 4; fluency, similarity >= 3.5 (not required).',
      ),
    dataset: z
      .string()
      .optional()
      .describe('Repo-relative JSONL dataset. Default: evaluation/data/qa.jsonl.'),
    evaluators: z
      .array(z.string())
      .optional()
      .describe(
        'Evaluators to run: groundedness, relevance, coherence, fluency, similarity (similarity needs ground_truth). Default: all five.',
      ),
    synthetic: z
      .strictObject({
        sourceText: z
          .string()
          .min(1)
          .describe(
            "Repo-relative text or Markdown file the simulator writes queries about (first 5,000 characters; also the rows' context).",
          ),
        numQueries: z
          .number()
          .int()
          .min(1)
          .max(100)
          .optional()
          .describe('How many queries the simulator writes per run. Default: 10.'),
      })
      .optional()
      .describe(
        'Optional synthetic-data step before the post-deploy evaluation: evaluation/simulate.py (Azure AI Evaluation simulator) adds simulated rows to the dataset. Simulated rows have no ground_truth, so evaluators must not include similarity.',
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
  /** Repo-relative text the simulator writes queries about. */
  readonly sourceText: string;
  /** Queries per run. */
  readonly numQueries: number;
}

export interface EvaluationConfig {
  readonly thresholds: Readonly<Record<string, Threshold>>;
  readonly dataset: string;
  readonly evaluators: readonly string[];
  /** Undefined unless `evaluation.synthetic` is set. */
  readonly synthetic?: SyntheticDataConfig;
  readonly workspace: EvaluationWorkspaceConfig;
  readonly compute?: EvaluationComputeConfig;
}

/**
 * The quality evaluators the evaluation job runs (`evaluation/_common.py` `EVALUATOR_INPUTS`, Azure AI
 * Evaluation SDK, 1-5 scale). Each name is also the metric name the gate and the quality alerts see.
 */
export const QUALITY_EVALUATORS = [
  'groundedness',
  'relevance',
  'coherence',
  'fluency',
  'similarity',
] as const;

/** Evaluators that need a `ground_truth` column, which simulated and production rows lack. */
export const GROUND_TRUTH_EVALUATORS: readonly string[] = ['similarity'];

const DEFAULT_THRESHOLDS: Record<string, Threshold> = {
  groundedness: { value: 4, direction: 'min', required: true },
  relevance: { value: 4, direction: 'min', required: true },
  coherence: { value: 4, direction: 'min', required: true },
  fluency: { value: 3.5, direction: 'min', required: false },
  similarity: { value: 3.5, direction: 'min', required: false },
};

export function resolveEvaluation(
  raw: z.infer<typeof evaluationSchema> | undefined,
  ctx: ResolveContext,
): EvaluationConfig {
  const thresholds: Record<string, Threshold> = {};
  for (const [name, t] of Object.entries(raw?.thresholds ?? DEFAULT_THRESHOLDS)) {
    thresholds[name] = { value: t.value, direction: t.direction ?? 'min', required: t.required ?? true };
  }
  const workspace = raw?.azure?.workspace;
  const compute = raw?.azure?.compute;
  const outbound = workspace?.outbound ?? (ctx.networkMode === 'private' ? 'approvedOnly' : 'internet');
  return {
    thresholds,
    dataset: raw?.dataset ?? 'evaluation/data/qa.jsonl',
    evaluators: raw?.evaluators ?? [...QUALITY_EVALUATORS],
    synthetic: raw?.synthetic
      ? { sourceText: raw.synthetic.sourceText, numQueries: raw.synthetic.numQueries ?? 10 }
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

/**
 * Cross-field checks of the evaluation section (paths relative to `environments.<env>`): the workspace
 * and compute ({@link validateEvaluationWorkspace}); evaluators are known quality evaluators, listed once;
 * a required threshold named after a quality evaluator has that evaluator in the list (otherwise its score
 * is always missing and every gate fails); the synthetic-data step runs no evaluator that needs a ground
 * truth (simulated rows have none).
 */
export function validateEvaluation(env: { readonly evaluation: EvaluationConfig }, problems: Problems): void {
  validateEvaluationWorkspace(env, problems);
  const { evaluators, thresholds, synthetic } = env.evaluation;
  const known: readonly string[] = QUALITY_EVALUATORS;
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
    if (!threshold.required || !known.includes(metric) || evaluators.includes(metric)) continue;
    problems.add(
      `evaluation.thresholds.${metric}`,
      `is required, but ${show(metric)} is not in evaluation.evaluators (${evaluators.join(', ')}), so its score would always be missing and every gate fail: add the evaluator or set required: false`,
    );
  }
  if (synthetic) {
    const needGroundTruth = evaluators.filter((e) => GROUND_TRUTH_EVALUATORS.includes(e));
    problems.check(
      needGroundTruth.length === 0,
      'evaluation.evaluators',
      `${needGroundTruth.join(', ')} needs a ground_truth column, which the rows evaluation.synthetic adds lack: list the evaluators without it (e.g. [groundedness, relevance, coherence, fluency]) or drop evaluation.synthetic`,
    );
    problems.check(
      !synthetic.sourceText.startsWith('/') && !synthetic.sourceText.split(/[\\/]/).includes('..'),
      'evaluation.synthetic.sourceText',
      `${show(synthetic.sourceText)} must be a path inside the repository (relative, no "..")`,
    );
  }
}

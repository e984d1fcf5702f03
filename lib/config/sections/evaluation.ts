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
      .describe('Evaluators to run. Default: the five quality evaluators.'),
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

export interface EvaluationConfig {
  readonly thresholds: Readonly<Record<string, Threshold>>;
  readonly dataset: string;
  readonly evaluators: readonly string[];
  readonly workspace: EvaluationWorkspaceConfig;
  readonly compute?: EvaluationComputeConfig;
}

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
    evaluators: raw?.evaluators ?? ['groundedness', 'relevance', 'coherence', 'fluency', 'similarity'],
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

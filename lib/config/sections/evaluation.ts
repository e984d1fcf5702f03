import { z } from 'zod';
import type { ResolveContext } from './context';

const thresholdSchema = z.strictObject({
  value: z.number().describe('The threshold.'),
  direction: z.enum(['min', 'max']).optional().describe('min: scores at or above pass (quality); max: at or below pass (latency, cost). Default: min.'),
  required: z.boolean().optional().describe('A required metric must be present and pass. Default: true.'),
});

export const evaluationSchema = z
  .strictObject({
    thresholds: z
      .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]*$/), thresholdSchema)
      .optional()
      .describe('Release criteria, shared by the gate and the quality alerts. Default: groundedness, relevance, coherence >= 4; fluency, similarity >= 3.5 (not required).'),
    dataset: z.string().optional().describe('Repo-relative JSONL dataset. Default: evaluation/data/qa.jsonl.'),
    evaluators: z.array(z.string()).optional().describe('Evaluators to run. Default: the five quality evaluators.'),
    azure: z
      .strictObject({
        compute: z
          .strictObject({
            vmSize: z.string().describe('VM size for batch evaluation runs, e.g. Standard_DS3_v2.'),
            maxNodes: z.number().int().min(1).max(100).optional(),
          })
          .optional()
          .describe('Optional compute cluster for batch evaluations.'),
      })
      .optional(),
  })
  .describe('Evaluation and release gate.');

export interface Threshold {
  readonly value: number;
  readonly direction: 'min' | 'max';
  readonly required: boolean;
}

export interface EvaluationConfig {
  readonly thresholds: Readonly<Record<string, Threshold>>;
  readonly dataset: string;
  readonly evaluators: readonly string[];
  readonly compute?: { readonly vmSize: string; readonly maxNodes: number };
}

const DEFAULT_THRESHOLDS: Record<string, Threshold> = {
  groundedness: { value: 4, direction: 'min', required: true },
  relevance: { value: 4, direction: 'min', required: true },
  coherence: { value: 4, direction: 'min', required: true },
  fluency: { value: 3.5, direction: 'min', required: false },
  similarity: { value: 3.5, direction: 'min', required: false },
};

export function resolveEvaluation(raw: z.infer<typeof evaluationSchema> | undefined, _ctx: ResolveContext): EvaluationConfig {
  const thresholds: Record<string, Threshold> = {};
  for (const [name, t] of Object.entries(raw?.thresholds ?? DEFAULT_THRESHOLDS)) {
    thresholds[name] = { value: t.value, direction: t.direction ?? 'min', required: t.required ?? true };
  }
  const compute = raw?.azure?.compute;
  return {
    thresholds,
    dataset: raw?.dataset ?? 'evaluation/data/qa.jsonl',
    evaluators: raw?.evaluators ?? ['groundedness', 'relevance', 'coherence', 'fluency', 'similarity'],
    compute: compute ? { vmSize: compute.vmSize, maxNodes: compute.maxNodes ?? 2 } : undefined,
  };
}

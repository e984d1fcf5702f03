import { z } from 'zod';
import { byProfile, type ResolveContext } from './context';

export const pipelineSchema = z
  .strictObject({
    approval: z.enum(['manual', 'auto']).optional().describe('manual: the GitHub environment has required reviewers; auto: the passing evaluation gate approves. Default: auto (development), manual (production).'),
    reviewers: z.array(z.string()).optional().describe('GitHub users or teams that approve manual deployments.'),
    runner: z
      .strictObject({ labels: z.array(z.string().min(1)).min(1) })
      .optional()
      .describe('Self-hosted runner labels (required for private environments). Default: ubuntu-latest for public environments.'),
    github: z
      .strictObject({
        repository: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { error: (iss) => `${JSON.stringify(iss.input)} is not <org>/<repo>` }),
        environment: z.string().optional().describe('GitHub environment name. Default: the environment name.'),
      })
      .optional(),
    order: z.number().int().min(0).optional().describe('Position in the promotion chain (dev 0 -> staging 1 -> prod 2). Default: file order.'),
  })
  .describe('CI/CD.');

export interface PipelineConfig {
  readonly approval: 'manual' | 'auto';
  readonly reviewers: readonly string[];
  readonly runsOn: readonly string[];
  readonly selfHosted: boolean;
  readonly repository?: string;
  readonly githubEnvironment: string;
  readonly order: number;
}

export function resolvePipeline(raw: z.infer<typeof pipelineSchema> | undefined, ctx: ResolveContext, index: number): PipelineConfig {
  return {
    approval: raw?.approval ?? byProfile(ctx, 'auto', 'manual'),
    reviewers: raw?.reviewers ?? [],
    runsOn: raw?.runner?.labels ?? ['ubuntu-latest'],
    selfHosted: raw?.runner !== undefined,
    repository: raw?.github?.repository,
    githubEnvironment: raw?.github?.environment ?? ctx.name,
    order: raw?.order ?? index,
  };
}

import { z } from 'zod';
import type { Problems } from '../../../constructs/core/errors';
import {
  checkGitHubEnvironmentName,
  checkGitHubRepository,
} from '../../../constructs/pipeline/github-subject';
import type { EnvironmentConfig } from '../environment';
import { defaultText, PROFILE_DEFAULTS } from '../profile-defaults';
import { byProfile, type ResolveContext } from './context';

/** What a failed post-deploy gate does. */
export const ROLLBACK_STRATEGIES = ['redeploy-last-good', 'manual'] as const;

/** Where continuous evaluation samples production answers from (`evaluation/continuous.py --from`). */
export const CONTINUOUS_SOURCES = ['gateway', 'apptraces'] as const;

/** Five cron fields (minute hour day-of-month month day-of-week), as GitHub Actions `schedule` takes them. */
const CRON = /^\S+ \S+ \S+ \S+ \S+$/;

/** Zod schema of `environments.<env>.pipeline`. */
export const pipelineSchema = z
  .strictObject({
    approval: z
      .enum(['manual', 'auto'])
      .optional()
      .describe(
        `manual: the GitHub environment has required reviewers; auto: the passing evaluation gate of the previous environment approves. ${defaultText(PROFILE_DEFAULTS.approval)}`,
      ),
    reviewers: z
      .array(z.string())
      .optional()
      .describe(
        'GitHub users or org/team slugs that approve manual deployments (set them on the GitHub environment; listed here for the generated workflow and docs).',
      ),
    runner: z
      .strictObject({
        labels: z
          .array(z.string().min(1))
          .min(1)
          .describe('Labels of the deploy runners (deploy and rollback jobs).'),
        planLabels: z
          .array(z.string().min(1))
          .min(1)
          .optional()
          .describe(
            'Labels of the runners that run pull request jobs (cdktf diff): a separate runner group that deploy runners never join; must include a label no deploy job asks for. Default: [self-hosted, <environment>-plan].',
          ),
      })
      .optional()
      .describe(
        'Self-hosted runner labels (required for private environments). Default: ubuntu-latest for public environments.',
      ),
    github: z
      .strictObject({
        repository: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, {
          error: (iss) => `${JSON.stringify(iss.input)} is not <org>/<repo>`,
        }),
        environment: z
          .string()
          .optional()
          .describe('GitHub environment the deploy jobs use. Default: the environment name.'),
        verifyEnvironment: z
          .string()
          .optional()
          .describe(
            'GitHub environment of the evaluation jobs (post-deploy and continuous; main branch only). Default: <environment>-verify.',
          ),
        planEnvironment: z
          .string()
          .optional()
          .describe(
            'GitHub environment of the pull request plan jobs (cdktf diff): its identity may read resources and the state, nothing else. Default: <environment>-plan.',
          ),
      })
      .optional(),
    order: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Position in the promotion chain (dev 0 -> staging 1 -> prod 2). Default: file order.'),
    rollback: z
      .enum(ROLLBACK_STRATEGIES)
      .optional()
      .describe(
        'After a failed post-deploy gate: redeploy-last-good redeploys the newest release-<env>-* tag; manual stops the chain and leaves the fix (e.g. shifting gateway weights back in config) to a person. Default: redeploy-last-good.',
      ),
    evaluationDeployment: z
      .string()
      .optional()
      .describe(
        'Model deployment the pipeline records evaluation scores against. Default: the first chat deployment in models.deployments.',
      ),
    continuousEvaluation: z
      .strictObject({
        enabled: z
          .boolean()
          .optional()
          .describe(
            `Run the scheduled evaluation of production answers. ${defaultText(PROFILE_DEFAULTS.continuousEvaluation)}`,
          ),
        schedule: z
          .string()
          .regex(CRON, {
            error:
              'not a cron expression with five fields (minute hour day month weekday), e.g. "17 5 * * *"',
          })
          .optional()
          .describe('When it runs (cron, UTC). Default: 17 5 * * * (daily 05:17 UTC).'),
        source: z
          .enum(CONTINUOUS_SOURCES)
          .optional()
          .describe('Where answers are sampled from. Default: gateway.'),
      })
      .optional()
      .describe(
        'Scheduled evaluation of recent production answers (.github/workflows/continuous-evaluation.yml).',
      ),
  })
  .describe('CI/CD: the generated GitHub Actions workflows and the bootstrap stack deployment identities.');

/** The pipeline settings of one environment, defaults filled in. */
export interface PipelineConfig {
  readonly approval: 'manual' | 'auto';
  readonly reviewers: readonly string[];
  readonly runsOn: readonly string[];
  /** Runner labels of the pull request jobs: never those of the deploy jobs. */
  readonly planRunsOn: readonly string[];
  readonly selfHosted: boolean;
  readonly repository?: string;
  /** GitHub environment of the deploy and rollback jobs (the deployment identity trusts it). */
  readonly githubEnvironment: string;
  /** GitHub environment of the evaluation jobs (the verification identity trusts it). */
  readonly verifyEnvironment: string;
  /** GitHub environment of the pull request plan jobs (the plan identity trusts it). */
  readonly planEnvironment: string;
  readonly order: number;
  readonly rollback: (typeof ROLLBACK_STRATEGIES)[number];
  /** As configured; the workflow generator falls back to the first chat deployment. */
  readonly evaluationDeployment?: string;
  readonly continuousEvaluation: {
    readonly enabled: boolean;
    readonly schedule: string;
    readonly source: (typeof CONTINUOUS_SOURCES)[number];
  };
}

/** Default schedule of continuous evaluation: daily, off the full hour (GitHub delays jobs at :00). */
export const DEFAULT_CONTINUOUS_SCHEDULE = '17 5 * * *';

/** Fills in the pipeline defaults of one environment (`index`: its position in the file, the default order). */
export function resolvePipeline(
  raw: z.infer<typeof pipelineSchema> | undefined,
  ctx: ResolveContext,
  index: number,
): PipelineConfig {
  const githubEnvironment = raw?.github?.environment ?? ctx.name;
  return {
    approval: raw?.approval ?? byProfile(ctx, 'approval'),
    reviewers: raw?.reviewers ?? [],
    runsOn: raw?.runner?.labels ?? ['ubuntu-latest'],
    planRunsOn:
      raw?.runner === undefined
        ? ['ubuntu-latest']
        : (raw.runner.planLabels ?? ['self-hosted', `${ctx.name}-plan`]),
    selfHosted: raw?.runner !== undefined,
    repository: raw?.github?.repository,
    githubEnvironment,
    verifyEnvironment: raw?.github?.verifyEnvironment ?? `${githubEnvironment}-verify`,
    planEnvironment: raw?.github?.planEnvironment ?? `${githubEnvironment}-plan`,
    order: raw?.order ?? index,
    rollback: raw?.rollback ?? 'redeploy-last-good',
    evaluationDeployment: raw?.evaluationDeployment,
    continuousEvaluation: {
      enabled: raw?.continuousEvaluation?.enabled ?? byProfile(ctx, 'continuousEvaluation'),
      schedule: raw?.continuousEvaluation?.schedule ?? DEFAULT_CONTINUOUS_SCHEDULE,
      source: raw?.continuousEvaluation?.source ?? 'gateway',
    },
  };
}

/**
 * Why pull request jobs on `planLabels` could land on a runner of a deploy job asking for `deployLabels`,
 * or undefined. A runner takes a job whose labels are all among its own: when every plan label is also a
 * deploy label, a deploy runner qualifies for the pull request job.
 */
export function planRunnerProblem(
  planLabels: readonly string[],
  deployLabels: readonly string[],
): string | undefined {
  const deploy = new Set(deployLabels.map((l) => l.toLowerCase()));
  if (planLabels.some((l) => !deploy.has(l.toLowerCase()))) return undefined;
  return `[${planLabels.join(', ')}] are all labels of the deploy runners ([${deployLabels.join(', ')}]): a deploy runner could pick up pull request code; add a label only the plan runners carry`;
}

/** A GitHub user (`octocat`) or team (`org/team-slug`). */
const REVIEWER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\/[A-Za-z0-9_.-]+)?$/;

/**
 * Cross-field checks of the pipeline section: GitHub environment names that the federated credentials
 * can trust, two distinct environments for deploying and verifying, reviewers that GitHub can resolve,
 * an evaluation deployment that exists. Paths are relative to `environments.<env>`.
 */
export function validatePipeline(env: EnvironmentConfig, problems: Problems): void {
  const p = env.pipeline;
  const deployProblem = checkGitHubEnvironmentName(p.githubEnvironment);
  if (deployProblem) problems.add('pipeline.github.environment', deployProblem);
  const verifyProblem = checkGitHubEnvironmentName(p.verifyEnvironment);
  if (verifyProblem) problems.add('pipeline.github.verifyEnvironment', verifyProblem);
  const planProblem = checkGitHubEnvironmentName(p.planEnvironment);
  if (planProblem) problems.add('pipeline.github.planEnvironment', planProblem);
  for (const [key, other] of [
    ['environment', p.githubEnvironment],
    ['verifyEnvironment', p.verifyEnvironment],
  ] as const) {
    if (p.planEnvironment.toLowerCase() === other.toLowerCase()) {
      problems.add(
        'pipeline.github.planEnvironment',
        `${JSON.stringify(p.planEnvironment)} is also pipeline.github.${key}: pull request jobs need their own GitHub environment, whose identity can only plan (GitHub compares names case-insensitively)`,
      );
    }
  }
  if (p.selfHosted) {
    const problem = planRunnerProblem(p.planRunsOn, p.runsOn);
    if (problem) problems.add('pipeline.runner.planLabels', problem);
  }
  if (p.repository !== undefined) {
    const repositoryProblem = checkGitHubRepository(p.repository);
    if (repositoryProblem) problems.add('pipeline.github.repository', repositoryProblem);
  }
  if (p.githubEnvironment.toLowerCase() === p.verifyEnvironment.toLowerCase()) {
    problems.add(
      'pipeline.github.verifyEnvironment',
      `${JSON.stringify(p.verifyEnvironment)} is also the deploy environment: the read-only jobs need their own GitHub environment (GitHub compares names case-insensitively)`,
    );
  }
  p.reviewers.forEach((reviewer, i) => {
    problems.check(
      REVIEWER.test(reviewer),
      `pipeline.reviewers.${i}`,
      `${JSON.stringify(reviewer)} is not a GitHub user (octocat) or team (org/team-slug)`,
    );
  });
  if (p.approval === 'auto' && p.reviewers.length > 0) {
    problems.add(
      'pipeline.reviewers',
      `reviewers ${p.reviewers.join(', ')} are listed but approval is auto (the gate approves): set approval: manual or drop the reviewers`,
    );
  }
  if (p.evaluationDeployment !== undefined) {
    const deployment = env.models.deployments[p.evaluationDeployment];
    if (!deployment) {
      problems.add(
        'pipeline.evaluationDeployment',
        `${JSON.stringify(p.evaluationDeployment)} is not a model deployment (deployments: ${Object.keys(env.models.deployments).join(', ') || 'none'})`,
      );
    } else if (deployment.role !== 'chat') {
      problems.add(
        'pipeline.evaluationDeployment',
        `${JSON.stringify(p.evaluationDeployment)} is ${/^[aeiou]/.test(deployment.role) ? 'an' : 'a'} ${deployment.role} deployment: evaluations score chat answers`,
      );
    }
  }
}

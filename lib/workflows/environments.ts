import { Problems } from '../../constructs/core/errors';
import type { EnvironmentConfig, LoadedConfig } from '../config/environment';
import type { SyntheticDataConfig } from '../config/sections/evaluation';
import { type PipelineConfig, planRunnerProblem } from '../config/sections/pipeline';

/** What the workflows need to know about one environment, in promotion order. */
export interface PipelineEnvironment {
  /** Environment name: the stack `cdktf deploy <name>` (Azure) or `cdk deploy <name>` (AWS) deploys. */
  readonly name: string;
  /**
   * Where it renders, and so how its jobs sign in and deploy: `azure` (cdktf, Terraform, `azure/login`) or
   * `aws` (aws-cdk, CloudFormation, `aws-actions/configure-aws-credentials`).
   */
  readonly cloud: EnvironmentConfig['cloud'];
  /** The AWS region the jobs of an AWS environment sign in to (`aws.region`); undefined on Azure. */
  readonly awsRegion?: string;
  /** GitHub environment of the deploy and rollback jobs (the deployment identity trusts it). */
  readonly githubEnvironment: string;
  /** GitHub environment of the evaluation jobs (the verification identity trusts it). */
  readonly verifyEnvironment: string;
  /** GitHub environment of the pull request diff jobs (the plan identity trusts it). */
  readonly planEnvironment: string;
  readonly approval: PipelineConfig['approval'];
  readonly reviewers: readonly string[];
  readonly runsOn: readonly string[];
  /** Runner labels of the pull request jobs: never a deploy runner's. */
  readonly planRunsOn: readonly string[];
  readonly selfHosted: boolean;
  readonly rollback: PipelineConfig['rollback'];
  /** Chat deployment the scores are recorded against (and the judge model). */
  readonly evaluationDeployment: string;
  /** Repository-relative JSONL dataset. */
  readonly dataset: string;
  readonly evaluators: readonly string[];
  /** The synthetic-data step before the evaluation (`evaluation.synthetic`); undefined without one. */
  readonly synthetic?: SyntheticDataConfig;
  /** Rows per evaluate() batch (`evaluation.batchSize`). */
  readonly batchSize: number;
  /** The evaluation asks the gateway (stack output `gateway_endpoint`) when the environment has one. */
  readonly gatewayEnabled: boolean;
  /**
   * The gateway experiment clients reach under the evaluation deployment's name, when there is one: every
   * variant is evaluated pinned with `pinHeader` and the gate decides candidate vs control.
   */
  readonly experiment?: {
    readonly name: string;
    readonly pinHeader: string;
    readonly variants: readonly string[];
  };
  readonly continuousEvaluation: PipelineConfig['continuousEvaluation'];
}

/** The environments of a generated pipeline, and the repository they deploy from. */
export interface PipelinePlan {
  readonly repository: string;
  /** The config file the workflows read (`LLMOPS_CONFIG` when not the default). */
  readonly configFile: string;
  readonly environments: readonly PipelineEnvironment[];
}

/**
 * Orders the configured environments into the promotion chain (`pipeline.order`) and checks what only
 * matters once workflows are generated: a repository, remote Terraform state (CI runners keep no files),
 * a chat deployment to evaluate, distinct places in the chain and distinct GitHub environments; for an AWS
 * environment, a gateway (its post-deploy evaluation asks the gateway: AWS has no other endpoint to ask).
 *
 * Azure and AWS environments form one chain: `pipeline.order` (default: file order) places every
 * environment, whatever its cloud, and each lane needs the previous one, so an AWS environment deploys
 * after the gate of the environment before it, like any other.
 *
 * @throws ValidationError listing every problem (paths `environments.<env>.…`)
 */
export function planPipeline(config: LoadedConfig): PipelinePlan {
  const problems = new Problems();
  const envs = Object.values(config.environments);
  if (envs.length === 0) problems.add('environments', 'declares no environment: there is nothing to deploy');

  const repositories = new Set<string>();
  const byOrder = new Map<number, string>();
  const githubEnvironments = new Map<string, string>();
  const environments: PipelineEnvironment[] = [];
  for (const env of envs) {
    const at = (path: string) => `environments.${env.name}.${path}`;
    const p = env.pipeline;
    if (p.repository === undefined) {
      problems.add(
        at('pipeline.github.repository'),
        'is required to generate workflows: the <org>/<repo> whose GitHub environments the deployment identities trust',
      );
    } else {
      repositories.add(p.repository);
    }
    // CloudFormation keeps the state of an AWS stack: only Terraform's needs a remote backend.
    if (env.cloud === 'azure' && env.state.backend !== 'azurerm') {
      problems.add(
        at('state'),
        `${env.name} keeps its Terraform state in a local file, but the pipeline deploys it from CI runners, which keep no files between runs: set state.backend: azurerm (the bootstrap stack creates the state account)`,
      );
    }
    const other = byOrder.get(p.order);
    if (other !== undefined) {
      problems.add(
        at('pipeline.order'),
        `${p.order} is also the order of ${other}: each environment needs its own place in the promotion chain`,
      );
    } else {
      byOrder.set(p.order, env.name);
    }
    for (const [key, githubEnvironment] of [
      ['pipeline.github.environment', p.githubEnvironment],
      ['pipeline.github.verifyEnvironment', p.verifyEnvironment],
      ['pipeline.github.planEnvironment', p.planEnvironment],
    ] as const) {
      const lower = githubEnvironment.toLowerCase();
      const owner = githubEnvironments.get(lower);
      if (owner !== undefined) {
        problems.add(
          at(key),
          `GitHub environment ${JSON.stringify(githubEnvironment)} is already used by ${owner}: each job group needs its own (it holds its identity's client id)`,
        );
      } else {
        githubEnvironments.set(lower, `${env.name} (${key})`);
      }
    }
    const evaluationDeployment = p.evaluationDeployment ?? firstChatDeployment(env);
    if (evaluationDeployment === undefined) {
      problems.add(
        at('models.deployments'),
        'has no chat deployment: the post-deploy evaluation needs one to ask and to judge with (or set pipeline.evaluationDeployment)',
      );
    }
    if (env.cloud === 'aws' && !env.gateway.enabled) {
      problems.add(
        at('gateway.enabled'),
        'is false, but the post-deploy evaluation of an AWS environment asks the gateway (stack output GatewayUrl, SigV4): enable the gateway',
      );
    }
    environments.push({
      name: env.name,
      cloud: env.cloud,
      ...(env.aws ? { awsRegion: env.aws.region } : {}),
      githubEnvironment: p.githubEnvironment,
      verifyEnvironment: p.verifyEnvironment,
      planEnvironment: p.planEnvironment,
      approval: p.approval,
      reviewers: p.reviewers,
      runsOn: p.runsOn,
      planRunsOn: p.planRunsOn,
      selfHosted: p.selfHosted,
      rollback: p.rollback,
      evaluationDeployment: evaluationDeployment ?? '',
      dataset: env.evaluation.dataset,
      evaluators: env.evaluation.evaluators,
      synthetic: env.evaluation.synthetic,
      batchSize: env.evaluation.batchSize,
      gatewayEnabled: env.gateway.enabled,
      experiment: experimentOf(env, evaluationDeployment),
      continuousEvaluation: p.continuousEvaluation,
    });
  }
  // Pull request jobs of one environment must not fit the deploy runners of any other either.
  for (const env of environments.filter((e) => e.selfHosted)) {
    for (const other of environments.filter((e) => e.selfHosted && e.name !== env.name)) {
      const problem = planRunnerProblem(env.planRunsOn, other.runsOn);
      if (problem) {
        problems.add(`environments.${env.name}.pipeline.runner.planLabels`, `${problem} (of ${other.name})`);
      }
    }
  }
  if (repositories.size > 1) {
    problems.add(
      'environments',
      `pipeline.github.repository differs between environments (${[...repositories].sort().join(', ')}): the workflows of one repository deploy every environment`,
    );
  }
  problems.throwIfAny(`Cannot generate workflows from ${config.file}`);
  const ordered = [...environments].sort(
    (a, b) => config.environments[a.name]!.pipeline.order - config.environments[b.name]!.pipeline.order,
  );
  return { repository: [...repositories][0]!, configFile: config.file, environments: ordered };
}

function firstChatDeployment(env: EnvironmentConfig): string | undefined {
  return Object.entries(env.models.deployments).find(([, d]) => d.role === 'chat')?.[0];
}

function experimentOf(
  env: EnvironmentConfig,
  deployment: string | undefined,
): PipelineEnvironment['experiment'] {
  if (!env.gateway.enabled || deployment === undefined) return undefined;
  const experiment = Object.hasOwn(env.gateway.experiments, deployment)
    ? env.gateway.experiments[deployment]
    : undefined;
  return experiment
    ? { name: deployment, pinHeader: experiment.pinHeader, variants: Object.keys(experiment.variants) }
    : undefined;
}

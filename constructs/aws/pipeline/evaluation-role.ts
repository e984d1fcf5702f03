import { Duration } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { acknowledgePutMetricData, checkMetricsNamespace, putMetricDataStatement } from './deployment-role';
import { GitHubOidcRole, type GitHubOidcRoleProps } from './github-oidc-role';
import { acknowledgeStackArns, checkStackNames, stackStatements } from './verification-role';

/** Properties of {@link EvaluationRole}. */
export interface EvaluationRoleProps extends GitHubOidcRoleProps {
  /** The CloudWatch namespace the evaluation scores are published to (`QUALITY_METRICS_NAMESPACE`). */
  readonly metricsNamespace: string;
  /**
   * Stacks whose outputs the evaluation jobs read (the gateway URL of the environment stack).
   * @default - none
   */
  readonly readableStackNames?: readonly string[];
}

/**
 * The role of the evaluation jobs (the release gate and continuous evaluation): it publishes scores with
 * `cloudwatch:PutMetricData` in one namespace and reads the outputs of the named stacks. It changes no
 * resource. The environment stack lets it call the gateway (`BedrockGateway` consumers), so the gate
 * measures answers through the same path, token limit and guardrail as every other caller.
 *
 * The Azure counterpart is the verification identity (`constructs/pipeline/verification-identity.ts`).
 */
export class EvaluationRole extends GitHubOidcRole {
  constructor(scope: Construct, id: string, props: EvaluationRoleProps) {
    const stackNames = props.readableStackNames ?? [];
    super(scope, id, props, {
      kind: 'EvaluationRole',
      description: `GitHub Actions evaluates releases (repo:${props.githubRepository}:environment:${props.githubEnvironment})`,
      maxSessionDuration: Duration.hours(1),
      policyName: 'Evaluate',
      validate: (problems) => {
        const namespaceProblem = checkMetricsNamespace(props.metricsNamespace);
        if (namespaceProblem) problems.add('metricsNamespace', namespaceProblem);
        checkStackNames(stackNames, problems);
      },
      statements: (scope) => [
        putMetricDataStatement(props.metricsNamespace),
        ...stackStatements(scope, 'ReadStackOutputs', ['cloudformation:DescribeStacks'], stackNames),
      ],
    });
    acknowledgePutMetricData(this.role, props.metricsNamespace);
    if (stackNames.length > 0) acknowledgeStackArns(this.role);
  }
}

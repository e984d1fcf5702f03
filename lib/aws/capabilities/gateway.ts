import { type IRole, Role } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { BedrockGateway } from '../../../constructs/aws/gateway/bedrock-gateway';
import type { EnvironmentConfig } from '../../config/environment';
import type { AwsModels } from './models';
import { removalPolicyOf } from './protection';

/**
 * The gateway of an AWS environment: API Gateway with the router Lambda (`BedrockGateway`) in front of the
 * chat deployments' inference profiles, with the experiments, token limit and logging of the `gateway`
 * section and the default guardrail on every call. Its consumers are IAM roles: the evaluation role of
 * the pipeline (`inputs.consumers`), so the release gate measures answers through the same path as every
 * other caller, and the roles of `gateway.aws.consumers`, each with its own token limit.
 */
export function addAwsGateway(
  scope: Construct,
  inputs: {
    readonly env: EnvironmentConfig;
    readonly models: AwsModels;
    readonly consumers: Readonly<Record<string, IRole>>;
  },
): BedrockGateway | undefined {
  const { env, models } = inputs;
  if (!env.gateway.enabled) return undefined;
  const chat = Object.entries(env.models.deployments).filter(([, d]) => d.role === 'chat');
  const guardrail = models.guardrails[env.models.aws!.defaultContentFilter]!;
  return new BedrockGateway(scope, 'Gateway', {
    deployments: Object.fromEntries(
      chat.map(([name]) => {
        const model = models.deployments[name]!;
        return [
          name,
          { inferenceProfileArn: model.inferenceProfileArn, foundationModelArns: model.foundationModelArns },
        ];
      }),
    ),
    experiments: env.gateway.experiments,
    consumers: {
      ...Object.fromEntries(
        Object.entries(inputs.consumers).map(([name, role]) => [
          name,
          { role, tokensPerMinute: env.gateway.tokenLimits.tokensPerMinute },
        ]),
      ),
      // Roles of the environment's account: the grant is a policy attached to each (fromRoleArn, mutable).
      ...Object.fromEntries(
        Object.entries(env.gateway.aws?.consumers ?? {}).map(([name, c]) => [
          name,
          {
            role: Role.fromRoleArn(scope, `GatewayConsumer-${name}`, c.roleArn),
            tokensPerMinute: c.tokensPerMinute,
          },
        ]),
      ),
    },
    guardrail: { guardrailArn: guardrail.guardrailArn, guardrailVersion: guardrail.guardrailVersion },
    logging: {
      logBodies: env.gateway.logging.logBodies,
      bodySampleRatePercent: env.gateway.logging.bodySampleRatePercent,
      retentionDays: env.gateway.logging.retentionDays ?? env.logging.retentionDays,
    },
    removalPolicy: removalPolicyOf(env),
  });
}

import { type Stack, type StackProps, Tags, Validations } from 'aws-cdk-lib';
import type { EnvironmentConfig } from '../../config/environment';

/**
 * Stack props every AWS stack of an environment shares: its account and region, and termination
 * protection where the environment protects its data (the app switches analytics reporting off for all).
 */
export function awsStackProps(env: EnvironmentConfig, description: string): StackProps {
  const aws = env.aws!;
  return {
    env: { account: aws.accountId, region: aws.region },
    description,
    // An environment that retains its stateful resources cannot have its stacks deleted by accident either.
    terminationProtection: env.protection.preventDestroy,
  };
}

/**
 * Where the config opts out of retaining stateful resources (`protection.preventDestroy: false`, which
 * requires `protection.reason`), acknowledges the policy's retain rule for the whole stack with that reason,
 * so the report prints why this environment may lose data.
 */
export function acknowledgeRetainOptOut(stack: Stack, env: EnvironmentConfig): void {
  if (env.protection.preventDestroy) return;
  Validations.of(stack).acknowledge({
    id: 'LlmopsAws::LLMOPS-AWS-RETAIN',
    reason: `protection.preventDestroy is false: ${env.protection.reason ?? ''}`,
  });
}

/** Tags every taggable resource of `stack` with the environment's tags (owner, environment, workload, ...). */
export function tagStack(stack: Stack, env: EnvironmentConfig): void {
  for (const [key, value] of Object.entries(env.tags)) Tags.of(stack).add(key, value);
}

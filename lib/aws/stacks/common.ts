import { type Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { EnvironmentConfig } from '../../config/environment';

/** Stack props every AWS stack of an environment shares: its account and region, tags, protection. */
export function awsStackProps(env: EnvironmentConfig, description: string): StackProps {
  const aws = env.aws!;
  return {
    env: { account: aws.accountId, region: aws.region },
    description,
    // Deleting the stack would delete what it retains nothing of: production-like protection asks for it.
    terminationProtection: env.protection.preventDestroy,
    // The synthesized templates carry no paths or versions that change between machines.
    analyticsReporting: false,
  };
}

/** Tags every taggable resource of `stack` with the environment's tags (owner, environment, workload, ...). */
export function tagStack(stack: Stack, env: EnvironmentConfig): void {
  for (const [key, value] of Object.entries(env.tags)) Tags.of(stack).add(key, value);
}

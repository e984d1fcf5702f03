import { RemovalPolicy } from 'aws-cdk-lib';
import type { EnvironmentConfig } from '../../config/environment';

/**
 * What happens to the environment's stateful resources when CloudFormation would delete them:
 * `RETAIN` (the AWS form of `protection.preventDestroy`), or `DESTROY` where the config opts out with a
 * reason (`protection.reason`, required by the config schema and acknowledged in the policy report).
 */
export function removalPolicyOf(env: EnvironmentConfig): RemovalPolicy {
  return env.protection.preventDestroy ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
}

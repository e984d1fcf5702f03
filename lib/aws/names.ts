import type { EnvironmentConfig } from '../config/environment';

/**
 * A resource name of an AWS environment: `<workload>-<env>[-<suffix>]` (lowercase letters, digits and
 * hyphens, as OpenSearch Serverless, Bedrock and IAM names all accept). The config checks the names it
 * builds this way (`validateModels`), so a too long or ill-formed one is exit 2, not a failed synth.
 */
export function awsName(env: Pick<EnvironmentConfig, 'workload' | 'name'>, suffix?: string): string {
  return [env.workload, env.name, suffix].filter(Boolean).join('-');
}

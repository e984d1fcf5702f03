import { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config/environment';
import { awsStackProps, tagStack } from './common';

/**
 * `<env>` on AWS: the level-four LLMOps environment rendered with aws-cdk-lib from the same config as the
 * Azure stacks. Each capability (`lib/aws/capabilities/*`) takes the handles it needs and returns its own.
 */
export class AwsEnvironmentStack extends Stack {
  constructor(
    scope: Construct,
    readonly config: EnvironmentConfig,
  ) {
    super(scope, config.name, awsStackProps(config, `llmops-platform environment ${config.name} (Bedrock)`));
    tagStack(this, config);
  }
}

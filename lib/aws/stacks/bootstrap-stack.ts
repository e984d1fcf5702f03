import { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../../config/environment';
import { awsStackProps, tagStack } from './common';

/**
 * `bootstrap-<env>` on AWS: what the pipeline needs before it can deploy `<env>` (the GitHub OIDC provider
 * or its import, the deploy and verify roles), and the account-and-region singletons when
 * `aws.account.manageSingletons` is true (Bedrock model invocation logging, X-Ray transaction search).
 */
export class AwsBootstrapStack extends Stack {
  constructor(
    scope: Construct,
    readonly config: EnvironmentConfig,
  ) {
    super(
      scope,
      `bootstrap-${config.name}`,
      awsStackProps(
        config,
        `llmops-platform bootstrap of ${config.name}: GitHub OIDC trust, pipeline roles, account singletons`,
      ),
    );
    tagStack(this, config);
  }
}

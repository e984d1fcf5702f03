import { CfnOutput, Stack } from 'aws-cdk-lib';
import { Role } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { AccessLogsBucket } from '../../../constructs/aws/logging/access-logs-bucket';
import { type EnvironmentConfig, EVALUATION_CONSUMER } from '../../config/environment';
import { addAwsGateway } from '../capabilities/gateway';
import { addAwsModels } from '../capabilities/models';
import { addAwsMonitoring } from '../capabilities/monitoring';
import { addAwsNetwork } from '../capabilities/network';
import { removalPolicyOf } from '../capabilities/protection';
import { addAwsSearch } from '../capabilities/search';
import { pipelineRoleName } from './bootstrap-stack';
import { acknowledgeRetainOptOut, awsStackProps, tagStack } from './common';

/**
 * `<env>` on AWS: the level-four LLMOps environment rendered with aws-cdk-lib from the same config as the
 * Azure stacks. Each capability (`lib/aws/capabilities/*`) takes the handles it needs and returns its own;
 * the order below is the order of their inputs.
 */
export class AwsEnvironmentStack extends Stack {
  constructor(
    scope: Construct,
    readonly config: EnvironmentConfig,
  ) {
    super(scope, config.name, awsStackProps(config, `llmops-platform environment ${config.name} (Bedrock)`));
    tagStack(this, config);
    acknowledgeRetainOptOut(this, config);
    const env = config;
    const network = addAwsNetwork(this, { env });
    const models = addAwsModels(this, { env });
    const accessLogs = new AccessLogsBucket(this, 'AccessLogs', {
      retentionDays: env.logging.retentionDays,
      removalPolicy: removalPolicyOf(env),
    });
    const search = addAwsSearch(this, {
      env,
      models,
      accessLogs: accessLogs.bucket,
      ...(network ? { aossVpcEndpointId: network.aossVpcEndpointId } : {}),
    });
    // The evaluation role lives in bootstrap-<env> (an administrator deploys it); referenced by name.
    const evaluationRole = Role.fromRoleName(this, 'EvaluationRole', pipelineRoleName(env, 'verify'));
    const gateway = addAwsGateway(this, {
      env,
      models,
      consumers: { [EVALUATION_CONSUMER]: evaluationRole },
    });
    addAwsMonitoring(this, { env, models, search });
    if (gateway) {
      new CfnOutput(this, 'GatewayUrl', {
        value: gateway.url,
        description: 'Base URL of the gateway (POST /model/<deployment or experiment>/converse, SigV4)',
      });
      // Continuous evaluation (evaluation/continuous.py --from aws-gateway) samples the router's request
      // records: the evaluation role reads them with FilterLogEvents on this log group only.
      new CfnOutput(this, 'RouterLogGroupName', {
        value: gateway.routerLogGroup.logGroupName,
        description: 'Log group of the gateway router (continuous evaluation samples its request records)',
      });
      gateway.routerLogGroup.grant(evaluationRole, 'logs:FilterLogEvents');
    }
  }
}

import type { Construct } from 'constructs';
import type { PrivateNetwork } from '../../../constructs/aws/network/private-network';
import type { EnvironmentConfig } from '../../config/environment';
import { awsName } from '../names';
import { removalPolicyOf } from './protection';

/**
 * The private network of a private AWS environment (`network.mode: private`): a VPC without NAT, interface
 * endpoints for Bedrock runtime, Bedrock agent runtime, CloudWatch Logs, STS and X-Ray, an S3 gateway
 * endpoint and an OpenSearch Serverless VPC endpoint. Public environments get none.
 */
export function addAwsNetwork(
  scope: Construct,
  inputs: { readonly env: EnvironmentConfig },
): PrivateNetwork | undefined {
  const { env } = inputs;
  const vpc = env.network.aws;
  if (env.network.mode !== 'private' || !vpc) return undefined;
  // Required here, not imported: the construct loads aws-cdk-lib/aws-ec2 (2 MB of modules, about 0.1 s),
  // which a public environment never uses.
  const { PrivateNetwork } =
    require('../../../constructs/aws/network/private-network') as typeof import('../../../constructs/aws/network/private-network');
  return new PrivateNetwork(scope, 'Network', {
    cidr: vpc.cidr,
    availabilityZones: vpc.availabilityZones,
    aossVpcEndpointName: awsName(env, 'aoss'),
    flowLogRetentionDays: env.logging.retentionDays,
    removalPolicy: removalPolicyOf(env),
    tags: env.tags,
  });
}

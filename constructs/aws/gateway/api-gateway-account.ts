import { type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { CfnAccount } from 'aws-cdk-lib/aws-apigateway';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** Properties of {@link ApiGatewayCloudWatchRole}. */
export interface ApiGatewayCloudWatchRoleProps {
  /**
   * What happens to the account setting when the construct is removed. Removing it would stop every REST
   * API of the account and region from writing access and execution logs.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The CloudWatch Logs role of API Gateway in this account and region (`AWS::ApiGateway::Account`), which
 * every REST API's access logging needs ("CloudWatch Logs role ARN must be set in account settings").
 * It is one setting per account and region, an account singleton like Bedrock model invocation logging:
 * it belongs in one stack per account and region (`bootstrap-<env>` with `aws.account.manageSingletons`),
 * and `BedrockGateway` does not create it (`cloudWatchRole: false`).
 *
 * The role carries AWS's managed policy for exactly this purpose, `AmazonAPIGatewayPushToCloudWatchLogs`.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-apigateway-account.html
 */
export class ApiGatewayCloudWatchRole extends Construct {
  /** The role API Gateway assumes to write logs. */
  public readonly role: Role;
  /** The account setting. */
  public readonly account: CfnAccount;

  constructor(scope: Construct, id: string, props: ApiGatewayCloudWatchRoleProps = {}) {
    super(scope, id);
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('apigateway.amazonaws.com'),
      description: 'API Gateway writes REST API access and execution logs to CloudWatch Logs',
      managedPolicies: [
        ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs'),
      ],
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM4',
      reason:
        'AmazonAPIGatewayPushToCloudWatchLogs is the policy API Gateway documents for its account CloudWatch role; API Gateway creates the log groups it writes to, so their names are not known in advance',
    });
    this.account = new CfnAccount(this, 'Account', { cloudWatchRoleArn: this.role.roleArn });
    if (props.removalPolicy !== undefined) this.account.applyRemovalPolicy(props.removalPolicy);
  }
}

import * as path from 'node:path';
import { Duration, Names, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { Problems } from '../../core/errors';
import { allowCloudWatchLogsToUseKey } from '../logging/logs-key-policy';
import type { RouterConfig } from './router/logic';
import {
  checkConsumers,
  checkDeployments,
  checkExperiments,
  checkLogging,
  DEFAULT_PIN_HEADER,
  type GatewayExperiment,
} from './validation';

/** A model deployment the gateway serves: an application inference profile and what it routes to. */
export interface GatewayModelDeployment {
  /**
   * ARN of the inference profile (or foundation model) the router passes to Converse as `modelId`.
   * The router's role may invoke exactly this ARN and {@link foundationModelArns}.
   */
  readonly inferenceProfileArn: string;
  /**
   * Foundation model ARNs the profile routes requests to (one per region of a cross-region profile).
   * Invoking an application inference profile needs `bedrock:InvokeModel` on the profile and on these.
   * @see https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-prereq.html
   * @default - none (when `inferenceProfileArn` is a foundation model ARN itself)
   */
  readonly foundationModelArns?: readonly string[];
}

/** The Bedrock guardrail every model call goes through (a published version, never DRAFT in production). */
export interface GatewayGuardrail {
  /** Guardrail ARN (`CfnGuardrail.attrGuardrailArn`); Converse takes it as `guardrailIdentifier`. */
  readonly guardrailArn: string;
  /** Guardrail version (`CfnGuardrailVersion.attrVersion`). */
  readonly guardrailVersion: string;
}

/** A caller of the gateway: an IAM role, counted under its own token limit. */
export interface GatewayConsumer {
  /** The role the consumer signs its requests with (SigV4); it is granted `execute-api:Invoke`. */
  readonly role: iam.IRole;
  /** Tokens (input + output) per minute for this consumer; above it the gateway answers 429 with Retry-After. */
  readonly tokensPerMinute: number;
}

/** What the router logs. */
export interface GatewayLogging {
  /**
   * Privacy switch: false logs token usage, route and model only, never prompts or completions.
   * @default true
   */
  readonly logBodies?: boolean;
  /**
   * Share of requests whose prompt and completion are logged, in percent (0 = none).
   * @default 100
   */
  readonly bodySampleRatePercent?: number;
  /**
   * Days the router's logs (with prompts and completions) and the API access logs are kept: a CloudWatch
   * Logs retention period.
   * @default 30 - the development profile's `logging.retentionDays`
   */
  readonly retentionDays?: number;
}

/** Properties of {@link BedrockGateway}. */
export interface BedrockGatewayProps {
  /** Deployments by name: clients call a name as `POST /model/<name>/converse`. */
  readonly deployments: Readonly<Record<string, GatewayModelDeployment>>;
  /**
   * A/B experiments by name; an experiment named like a deployment takes over that deployment's route.
   * @default - none
   */
  readonly experiments?: Readonly<Record<string, GatewayExperiment>>;
  /** Consumers by name: the only principals the router serves, each with its tokens per minute. */
  readonly consumers: Readonly<Record<string, GatewayConsumer>>;
  /**
   * Guardrail applied to every Converse call.
   * @default - none: calls go to the model without a guardrail
   */
  readonly guardrail?: GatewayGuardrail;
  /**
   * What the router logs and how long logs are kept.
   * @default - bodies logged for every request, kept 30 days
   */
  readonly logging?: GatewayLogging;
  /**
   * KMS key for the log groups and the token table. A key passed in must allow CloudWatch Logs
   * (`logs.<region>.amazonaws.com`) to use it.
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
   * @default - a new key with rotation, its policy allowing CloudWatch Logs of this account and region
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * ARN of a regional AWS WAF web ACL to associate with the API stage (rate rules, IP sets, managed rules).
   * @default - no web ACL (cdk-nag AwsSolutions-APIG3 warns)
   */
  readonly webAclArn?: string;
  /**
   * What happens to the stateful resources (token table, log groups, created key) when removed from the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Stage of the REST API. */
const STAGE_NAME = 'v1';
/** Namespace of the router's EMF metrics (the Azure gateway's custom metrics namespace). */
const METRICS_NAMESPACE = 'llmops';
/**
 * API Gateway REST integrations time out after 29 s by default; the router stops at the same time.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
 */
const ROUTER_TIMEOUT = Duration.seconds(29);

/**
 * The GenAI gateway on AWS: an API Gateway REST API (IAM auth, access logs) in front of a router Lambda
 * that splits experiment traffic by weight, honours a pin header, falls back to the control variant on
 * throttling or 5xx, enforces tokens per minute per consumer (DynamoDB counters) and calls Bedrock
 * Converse with each deployment's inference profile and the guardrail. Why not the AgentCore gateway:
 * README.md in this folder.
 */
export class BedrockGateway extends Construct {
  /** The REST API. */
  public readonly api: apigateway.RestApi;
  /** Base URL of the stage (`https://<id>.execute-api.<region>.amazonaws.com/v1/`). */
  public readonly url: string;
  /** The router function. */
  public readonly routerFunction: lambda.Function;
  /** Token counters per consumer and minute (stateful only for the current minute). */
  public readonly tokenTable: dynamodb.Table;
  /** The router's log group: request records (with prompts when enabled) and EMF metrics. */
  public readonly routerLogGroup: logs.LogGroup;
  /** The API's access log group. */
  public readonly accessLogGroup: logs.LogGroup;
  /** The key encrypting the log groups and the table. */
  public readonly encryptionKey: kms.IKey;
  /** Deployment and experiment names clients call, sorted. */
  public readonly servedNames: readonly string[];

  constructor(scope: Construct, id: string, props: BedrockGatewayProps) {
    super(scope, id);
    const experiments = props.experiments ?? {};
    const deploymentNames = Object.keys(props.deployments);
    const problems = new Problems('props');
    checkDeployments(deploymentNames, problems);
    checkExperiments(experiments, deploymentNames, problems);
    checkConsumers(props.consumers, problems);
    checkLogging(props.logging ?? {}, problems);
    problems.throwIfAny(`Invalid BedrockGateway "${id}"`);

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const stack = Stack.of(this);
    this.encryptionKey = props.encryptionKey ?? this.createKey(removalPolicy);
    const retention = (props.logging?.retentionDays ?? 30) as logs.RetentionDays;

    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-logs-loggroup.html
    this.routerLogGroup = new logs.LogGroup(this, 'RouterLogs', {
      retention,
      encryptionKey: this.encryptionKey,
      removalPolicy,
    });
    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention,
      encryptionKey: this.encryptionKey,
      removalPolicy,
    });

    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-table.html
    this.tokenTable = new dynamodb.Table(this, 'TokenCounters', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expiresAt',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.encryptionKey,
      removalPolicy,
    });

    const role = new iam.Role(this, 'RouterRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'GenAI gateway router: invokes the gateway deployments and counts tokens',
    });
    this.routerLogGroup.grantWrite(role);
    this.grantModels(role, props);
    // UpdateItem is the only table call: admission (conditional ADD 0) and counting (ADD).
    this.tokenTable.grant(role, 'dynamodb:UpdateItem');
    // The table's CMK, only through DynamoDB: UpdateItem reads and writes an encrypted item.
    // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
        resources: [this.encryptionKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${stack.region}.amazonaws.com` } },
      }),
    );
    acknowledge(
      role,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray active tracing: xray:PutTraceSegments and PutTelemetryRecords have no resource-level permissions',
    );

    const config: RouterConfig = {
      tableName: this.tokenTable.tableName,
      metricsNamespace: METRICS_NAMESPACE,
      deployments: Object.fromEntries(
        Object.entries(props.deployments).map(([name, d]) => [name, { modelId: d.inferenceProfileArn }]),
      ),
      experiments: Object.fromEntries(
        Object.entries(experiments).map(([name, e]) => {
          const variants = Object.entries(e.variants).map(([variant, v]) => ({
            name: variant,
            deployment: v.deployment,
            ...(v.promptVersion === undefined ? {} : { promptVersion: v.promptVersion }),
            weight: v.weight,
          }));
          return [
            name,
            { pinHeader: e.pinHeader ?? DEFAULT_PIN_HEADER, control: variants[0]!.name, variants },
          ];
        }),
      ),
      consumers: Object.entries(props.consumers).map(([name, c]) => ({
        name,
        principalArn: c.role.roleArn,
        tokensPerMinute: c.tokensPerMinute,
      })),
      ...(props.guardrail
        ? {
            guardrail: {
              identifier: props.guardrail.guardrailArn,
              version: props.guardrail.guardrailVersion,
            },
          }
        : {}),
      logging: {
        logBodies: props.logging?.logBodies ?? true,
        bodySampleRatePercent: props.logging?.bodySampleRatePercent ?? 100,
      },
    };

    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-function.html
    this.routerFunction = new lambda.Function(this, 'Router', {
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      // Plain CommonJS committed in ./router; the runtime provides the AWS SDK v3 it requires.
      code: lambda.Code.fromAsset(path.join(__dirname, 'router'), { exclude: ['*.d.ts'] }),
      role,
      timeout: ROUTER_TIMEOUT,
      memorySize: 256,
      logGroup: this.routerLogGroup,
      tracing: lambda.Tracing.ACTIVE,
      environment: { ROUTER_CONFIG: stack.toJsonString(config) },
      description: 'GenAI gateway router (weights, pinning, fallback, tokens per minute)',
    });
    acknowledge(
      this.routerFunction,
      'AwsSolutions-L1',
      'Node.js 22 is the runtime the router is written and tested for; moving to a newer one is a deliberate change',
    );

    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-apigateway-restapi.html
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-apigateway-stage.html
    this.api = new apigateway.RestApi(this, 'Api', {
      restApiName: Names.uniqueResourceName(this, { maxLength: 128 }),
      description: 'GenAI gateway: Bedrock Converse behind experiments and token limits',
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      // The account's API Gateway CloudWatch role is an account singleton (bootstrap stack), not ours.
      cloudWatchRole: false,
      defaultMethodOptions: { authorizationType: apigateway.AuthorizationType.IAM },
      deployOptions: {
        stageName: STAGE_NAME,
        tracingEnabled: true,
        metricsEnabled: true,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogGroup),
        // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-variables-for-access-logging.html
        accessLogFormat: apigateway.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            extendedRequestId: '$context.extendedRequestId',
            requestTimeEpoch: '$context.requestTimeEpoch',
            httpMethod: '$context.httpMethod',
            path: '$context.path',
            status: '$context.status',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integration.latency',
            integrationStatus: '$context.integration.status',
            caller: '$context.identity.userArn',
            sourceIp: '$context.identity.sourceIp',
            xrayTraceId: '$context.xrayTraceId',
          }),
        ),
      },
    });
    // API Gateway rejects a body that is not a Converse request before the router runs.
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html
    const converseRequest = this.api.addModel('ConverseRequest', {
      contentType: 'application/json',
      schema: {
        schema: apigateway.JsonSchemaVersion.DRAFT4,
        type: apigateway.JsonSchemaType.OBJECT,
        required: ['messages'],
        properties: { messages: { type: apigateway.JsonSchemaType.ARRAY, minItems: 1 } },
      },
    });
    const method = this.api.root
      .addResource('model')
      .addResource('{deployment}')
      .addResource('converse')
      .addMethod('POST', new apigateway.LambdaIntegration(this.routerFunction, { allowTestInvoke: false }), {
        requestModels: { 'application/json': converseRequest },
        requestValidatorOptions: { validateRequestBody: true, validateRequestParameters: true },
      });
    acknowledge(
      method,
      'AwsSolutions-COG4',
      'callers sign with SigV4 (AWS_IAM): consumers are IAM roles, each with its own token limit',
    );
    acknowledge(
      this.api.deploymentStage,
      'AwsSolutions-APIG6',
      'execution logs would go to a log group API Gateway creates without KMS or retention; the JSON access log and the router log record every request',
    );
    if (props.webAclArn !== undefined) {
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-wafv2-webaclassociation.html
      new wafv2.CfnWebACLAssociation(this, 'WebAcl', {
        resourceArn: this.api.deploymentStage.stageArn,
        webAclArn: props.webAclArn,
      });
    }
    this.url = this.api.url;
    this.servedNames = [...new Set([...Object.keys(experiments), ...deploymentNames])].sort();

    for (const consumer of Object.values(props.consumers)) this.grantInvoke(consumer.role);
  }

  /**
   * Lets `grantee` call the gateway: `execute-api:Invoke` on `POST /model/<name>/converse` of the stage for
   * each deployment and experiment name (no wildcard). The router still refuses (403) a principal that is
   * not one of the consumers, whose token limit it needs.
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html
   */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: this.servedNames.map((n) =>
        this.api.arnForExecuteApi('POST', `/model/${n}/converse`, STAGE_NAME),
      ),
    });
  }

  private grantModels(role: iam.IRole, props: BedrockGatewayProps): void {
    const models = new Set<string>();
    for (const d of Object.values(props.deployments)) {
      models.add(d.inferenceProfileArn);
      for (const arn of d.foundationModelArns ?? []) models.add(arn);
    }
    // Converse needs bedrock:InvokeModel on the model or profile ARN it is given.
    // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: [...models] }),
    );
    if (props.guardrail) {
      // A guardrail in guardrailConfig needs bedrock:ApplyGuardrail on it.
      // https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-permissions.html
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['bedrock:ApplyGuardrail'],
          resources: [props.guardrail.guardrailArn],
        }),
      );
    }
  }

  private createKey(removalPolicy: RemovalPolicy): kms.Key {
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-key.html
    const key = new kms.Key(this, 'Key', {
      enableKeyRotation: true,
      description: 'GenAI gateway: router logs, access logs, token counters',
      removalPolicy,
    });
    // CloudWatch Logs encrypts a log group with a KMS key only when the key policy allows the service,
    // limited to this account's log groups in this region.
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
    allowCloudWatchLogsToUseKey(this, key, '*');
    return key;
  }
}

/** Acknowledges one cdk-nag finding on one construct, with the reason (cdk-nag 3 reads these). */
function acknowledge(scope: Construct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

import { RemovalPolicy, Stack, Tags, Token } from 'aws-cdk-lib';
import {
  type FlowLog,
  FlowLogDestination,
  FlowLogTrafficType,
  type GatewayVpcEndpoint,
  GatewayVpcEndpointAwsService,
  InterfaceVpcEndpoint,
  InterfaceVpcEndpointAwsService,
  IpAddresses,
  type ISubnet,
  Peer,
  Port,
  SecurityGroup,
  SubnetType,
  Vpc,
} from 'aws-cdk-lib/aws-ec2';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnVpcEndpoint } from 'aws-cdk-lib/aws-opensearchserverless';
import { Construct } from 'constructs';
import { Problems } from '../../core/errors';
import { parseCidr } from '../../network/cidr';
import { allowCloudWatchLogsToUseKey } from '../logging/logs-key-policy';

/**
 * The interface endpoints every private network gets, by construct id: what the environment's code calls
 * from inside the VPC when there is no NAT gateway. Each has private DNS, so the SDKs' default endpoints
 * resolve to it.
 *
 * - `BedrockRuntime` (`bedrock-runtime`): InvokeModel, Converse, ApplyGuardrail (the gateway's router, the evaluation).
 * - `BedrockAgentRuntime` (`bedrock-agent-runtime`): Retrieve and RetrieveAndGenerate on the knowledge base.
 * - `Logs` (`logs`): code that writes or queries CloudWatch Logs itself (a Lambda's own logs go through the Lambda service).
 * - `Sts` (`sts`): AssumeRole and GetCallerIdentity (SDK web-identity and role-chaining credentials).
 * - `XRay` (`xray`): trace segments of a Lambda with active tracing (its X-Ray daemon sends them from the function's network).
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/vpc-interface-endpoints.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc-internet.html
 */
export const DEFAULT_INTERFACE_ENDPOINTS: Readonly<Record<string, InterfaceVpcEndpointAwsService>> = {
  BedrockRuntime: InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME,
  BedrockAgentRuntime: InterfaceVpcEndpointAwsService.BEDROCK_AGENT_RUNTIME,
  Logs: InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  Sts: InterfaceVpcEndpointAwsService.STS,
  XRay: InterfaceVpcEndpointAwsService.XRAY,
};

/** Name of the subnet group holding the workloads and the endpoints (one subnet per availability zone). */
export const PRIVATE_SUBNET_GROUP = 'Private';

/** Retention periods CloudWatch Logs accepts (aws-cdk-lib's `RetentionDays`, without INFINITE). */
const RETENTION_DAYS: readonly number[] = Object.values(RetentionDays).filter(
  (value): value is number => typeof value === 'number' && value !== RetentionDays.INFINITE,
);

/** Properties of {@link PrivateNetwork}. */
export interface PrivateNetworkProps {
  /**
   * IPv4 range of the VPC, /16 to /28, starting on its network address. Forces replacement of the VPC.
   * @see https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
   */
  readonly cidr: string;
  /**
   * Availability zones of the private subnets (one subnet each), e.g. `['us-east-1a', 'us-east-1b']`: 1-6
   * distinct zones of the stack's region. Given explicitly so synthesis needs no lookup and no account:
   * `maxAzs` would read the stack's zones, which is an account lookup (dummy zones offline) in an
   * account-specific stack and at most two `Fn::GetAZs` tokens in an account-agnostic one. Zone names map
   * to different physical zones in each account. Reordering or removing one replaces subnets.
   */
  readonly availabilityZones: readonly string[];
  /**
   * Prefix length of each subnet (16-28), carved in order from the start of `cidr`.
   * @default 24
   */
  readonly subnetCidrMask?: number;
  /**
   * NAT gateways, each in a public subnet (at most one per zone). With more than 0 the private subnets
   * route to them (`PRIVATE_WITH_EGRESS`) and a public subnet group is added after the private one, so the
   * private subnets keep their ranges.
   * @default 0 - no internet egress: private isolated subnets, no internet gateway
   */
  readonly natGateways?: number;
  /**
   * Name of the OpenSearch Serverless VPC endpoint (3-32 lowercase letters, digits and hyphens, starting
   * with a letter; unique in the account and region). Forces replacement.
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-opensearchserverless-vpcendpoint.html
   */
  readonly aossVpcEndpointName: string;
  /**
   * Interface endpoints besides {@link DEFAULT_INTERFACE_ENDPOINTS}, by construct id (PascalCase), e.g.
   * `{ Monitoring: InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING }`. Each costs an hourly fee per zone.
   * @default - none
   */
  readonly additionalInterfaceEndpoints?: Readonly<Record<string, InterfaceVpcEndpointAwsService>>;
  /**
   * Days the flow logs are kept (a value CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, ...).
   * @default 30
   */
  readonly flowLogRetentionDays?: number;
  /**
   * KMS key that encrypts the flow log group. A key of this stack gets the statement that lets CloudWatch
   * Logs use it; an imported key must already allow `logs.<region>.amazonaws.com`.
   * @default - a new key with yearly rotation
   */
  readonly flowLogEncryptionKey?: IKey;
  /**
   * Make the VPC's default security group deny all traffic (aws-cdk-lib removes its rules with a custom
   * resource, a Lambda function).
   * @default true
   */
  readonly restrictDefaultSecurityGroup?: boolean;
  /**
   * What happens to the flow log group and the key this construct creates when they leave the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Tags on every resource of the network.
   * @default - none (stack tags still apply)
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The network of a private AWS environment: a VPC with one private subnet per availability zone (isolated,
 * unless NAT gateways are asked for), flow logs of all traffic to a KMS-encrypted log group, interface
 * endpoints with private DNS ({@link DEFAULT_INTERFACE_ENDPOINTS} plus any added), an S3 gateway endpoint,
 * and the OpenSearch Serverless VPC endpoint (`AWS::OpenSearchServerless::VpcEndpoint`), whose id a
 * collection's network policy lists in `SourceVPCEs`. One security group fronts every endpoint and admits
 * HTTPS from the VPC's range only.
 *
 * @see https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-vpc.html
 */
export class PrivateNetwork extends Construct {
  public readonly vpc: Vpc;
  /** The private subnets, one per availability zone, in the order of `availabilityZones`. */
  public readonly subnets: readonly ISubnet[];
  /** The security group of every endpoint: TCP 443 from the VPC range, nothing outbound. */
  public readonly endpointSecurityGroup: SecurityGroup;
  /** Interface endpoints by construct id. */
  public readonly interfaceEndpoints: Readonly<Record<string, InterfaceVpcEndpoint>>;
  public readonly s3Endpoint: GatewayVpcEndpoint;
  public readonly aossVpcEndpoint: CfnVpcEndpoint;
  public readonly flowLog: FlowLog;
  public readonly flowLogGroup: LogGroup;
  /** Key of the flow log group. */
  public readonly flowLogEncryptionKey: IKey;

  constructor(scope: Construct, id: string, props: PrivateNetworkProps) {
    super(scope, id);
    const subnetCidrMask = props.subnetCidrMask ?? 24;
    const natGateways = props.natGateways ?? 0;
    const retentionDays = props.flowLogRetentionDays ?? 30;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const extraEndpoints = props.additionalInterfaceEndpoints ?? {};
    validate(this, props, { subnetCidrMask, natGateways, retentionDays, extraEndpoints });

    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-vpc.html
    this.vpc = new Vpc(this, 'Vpc', {
      ipAddresses: IpAddresses.cidr(props.cidr),
      availabilityZones: [...props.availabilityZones],
      natGateways,
      subnetConfiguration: [
        {
          name: PRIVATE_SUBNET_GROUP,
          subnetType: natGateways > 0 ? SubnetType.PRIVATE_WITH_EGRESS : SubnetType.PRIVATE_ISOLATED,
          cidrMask: subnetCidrMask,
        },
        ...(natGateways > 0
          ? [{ name: 'Public', subnetType: SubnetType.PUBLIC, cidrMask: subnetCidrMask }]
          : []),
      ],
      restrictDefaultSecurityGroup: props.restrictDefaultSecurityGroup ?? true,
    });
    this.subnets = this.vpc.selectSubnets({ subnetGroupName: PRIVATE_SUBNET_GROUP }).subnets;

    this.flowLogEncryptionKey =
      props.flowLogEncryptionKey ??
      new Key(this, 'FlowLogKey', {
        description: `Encrypts the flow logs of ${this.node.path}`,
        enableKeyRotation: true,
        removalPolicy,
      });
    allowCloudWatchLogsToUseKey(this, this.flowLogEncryptionKey, '*', 'CloudWatchLogsFlowLogs');
    this.flowLogGroup = new LogGroup(this, 'FlowLogGroup', {
      encryptionKey: this.flowLogEncryptionKey,
      retention: retentionDays as RetentionDays,
      removalPolicy,
    });
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-flowlog.html
    this.flowLog = this.vpc.addFlowLog('FlowLog', {
      destination: FlowLogDestination.toCloudWatchLogs(this.flowLogGroup),
      trafficType: FlowLogTrafficType.ALL,
    });

    this.endpointSecurityGroup = new SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: `HTTPS from ${props.cidr} to the VPC endpoints`,
      allowAllOutbound: false,
    });
    this.endpointSecurityGroup.addIngressRule(
      Peer.ipv4(props.cidr),
      Port.tcp(443),
      `HTTPS from ${props.cidr}`,
    );

    const endpoints: Record<string, InterfaceVpcEndpoint> = {};
    for (const [endpointId, service] of Object.entries({
      ...DEFAULT_INTERFACE_ENDPOINTS,
      ...extraEndpoints,
    })) {
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-vpcendpoint.html
      endpoints[endpointId] = new InterfaceVpcEndpoint(this, endpointId, {
        vpc: this.vpc,
        service,
        privateDnsEnabled: true,
        subnets: { subnetGroupName: PRIVATE_SUBNET_GROUP },
        securityGroups: [this.endpointSecurityGroup],
        open: false,
      });
    }
    this.interfaceEndpoints = endpoints;
    this.s3Endpoint = this.vpc.addGatewayEndpoint('S3', {
      service: GatewayVpcEndpointAwsService.S3,
      subnets: [{ subnetGroupName: PRIVATE_SUBNET_GROUP }],
    });
    this.aossVpcEndpoint = new CfnVpcEndpoint(this, 'OpenSearchServerless', {
      name: props.aossVpcEndpointName,
      vpcId: this.vpc.vpcId,
      subnetIds: this.subnets.map((subnet) => subnet.subnetId),
      securityGroupIds: [this.endpointSecurityGroup.securityGroupId],
    });
    for (const [key, value] of Object.entries(props.tags ?? {})) Tags.of(this).add(key, value);
  }

  /** Id of the OpenSearch Serverless VPC endpoint, for `SourceVPCEs` of a collection's network policy. */
  get aossVpcEndpointId(): string {
    return this.aossVpcEndpoint.attrId;
  }
}

const AVAILABILITY_ZONE = /^[a-z]{2}(-[a-z]+)+-\d+[a-z]$/;
const ENDPOINT_ID = /^[A-Z][A-Za-z0-9]*$/;
/** CreateVpcEndpoint `name`: https://docs.aws.amazon.com/opensearch-service/latest/ServerlessAPIReference/API_CreateVpcEndpoint.html */
const AOSS_ENDPOINT_NAME = /^[a-z][a-z0-9-]{2,31}$/;

function validate(
  scope: Construct,
  props: PrivateNetworkProps,
  resolved: {
    subnetCidrMask: number;
    natGateways: number;
    retentionDays: number;
    extraEndpoints: Readonly<Record<string, unknown>>;
  },
): void {
  const problems = new Problems('props');
  const region = Stack.of(scope).region;

  const parsed = parseCidr(props.cidr);
  let vpcPrefix: number | undefined;
  if (!parsed.ok) problems.add('cidr', parsed.message);
  else if (parsed.cidr.prefixLength < 16 || parsed.cidr.prefixLength > 28) {
    problems.add('cidr', `${props.cidr} is /${parsed.cidr.prefixLength}: a VPC range is /16 to /28`);
  } else vpcPrefix = parsed.cidr.prefixLength;

  const zones = props.availabilityZones;
  problems.check(
    zones.length >= 1 && zones.length <= 6,
    'availabilityZones',
    `${zones.length} zones given: 1 to 6 are allowed (an OpenSearch Serverless endpoint takes at most 6 subnets)`,
  );
  zones.forEach((zone, index) => {
    if (Token.isUnresolved(zone)) return;
    const path = `availabilityZones[${index}]`;
    if (!AVAILABILITY_ZONE.test(zone)) {
      problems.add(path, `${JSON.stringify(zone)} is not an availability zone name (e.g. us-east-1a)`);
    } else if (!Token.isUnresolved(region) && !new RegExp(`^${region}[a-z]$`).test(zone)) {
      problems.add(path, `${JSON.stringify(zone)} is not a zone of the stack's region ${region}`);
    }
    if (zones.indexOf(zone) !== index) problems.add(path, `${JSON.stringify(zone)} is listed twice`);
  });

  const mask = resolved.subnetCidrMask;
  const maskOk = problems.check(
    Number.isInteger(mask) && mask >= 16 && mask <= 28,
    'subnetCidrMask',
    `${mask} is not a subnet prefix length: 16 to 28`,
  );
  const nat = resolved.natGateways;
  problems.check(
    Number.isInteger(nat) && nat >= 0 && nat <= zones.length,
    'natGateways',
    `${nat} is not a NAT gateway count: 0 to ${zones.length} (one per availability zone at most)`,
  );
  if (maskOk && vpcPrefix !== undefined) {
    const count = zones.length * (nat > 0 ? 2 : 1);
    const needed = count * 2 ** (32 - mask);
    problems.check(
      mask >= vpcPrefix && needed <= 2 ** (32 - vpcPrefix),
      'subnetCidrMask',
      `${count} subnets of /${mask} (${needed} addresses) do not fit in ${props.cidr} (${2 ** (32 - vpcPrefix)} addresses)`,
    );
  }

  if (!Token.isUnresolved(props.aossVpcEndpointName) && !AOSS_ENDPOINT_NAME.test(props.aossVpcEndpointName)) {
    problems.add(
      'aossVpcEndpointName',
      `${JSON.stringify(props.aossVpcEndpointName)} is not an OpenSearch Serverless endpoint name: 3-32 lowercase letters, digits and "-", starting with a letter`,
    );
  }
  for (const endpointId of Object.keys(resolved.extraEndpoints)) {
    const path = `additionalInterfaceEndpoints.${endpointId}`;
    if (endpointId in DEFAULT_INTERFACE_ENDPOINTS) {
      problems.add(path, `${JSON.stringify(endpointId)} is already a default endpoint`);
    } else if (!ENDPOINT_ID.test(endpointId)) {
      problems.add(path, `${JSON.stringify(endpointId)} is not a PascalCase construct id`);
    }
  }
  problems.check(
    RETENTION_DAYS.includes(resolved.retentionDays),
    'flowLogRetentionDays',
    `${resolved.retentionDays} is not a CloudWatch Logs retention: one of ${RETENTION_DAYS.join(', ')}`,
  );
  problems.throwIfAny(`Invalid PrivateNetwork "${scope.node.path}"`);
}

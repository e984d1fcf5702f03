import { App, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { InterfaceVpcEndpointAwsService } from 'aws-cdk-lib/aws-ec2';
import { Key } from 'aws-cdk-lib/aws-kms';
import { AwsSolutionsChecks } from 'cdk-nag';
import { PrivateNetwork, type PrivateNetworkProps } from '../../../constructs/aws/network';
import { awsStack, templateOf } from '../../helpers/aws';
import { exactly } from '../../helpers/errors';

const REQUIRED: PrivateNetworkProps = {
  cidr: '10.40.0.0/16',
  availabilityZones: ['us-east-1a', 'us-east-1b'],
  aossVpcEndpointName: 'llmops-aws-dev',
};

function synth(props: Partial<PrivateNetworkProps> = {}) {
  const stack = awsStack();
  const network = new PrivateNetwork(stack, 'Network', { ...REQUIRED, ...props });
  const template = templateOf(stack);
  const ref = (construct: { node: { defaultChild?: unknown } }) => ({
    Ref: stack.getLogicalId(construct.node.defaultChild as never),
  });
  return { stack, network, template, ref };
}

function logicalIds(template: Template, type: string, properties: Record<string, unknown> = {}): string[] {
  return Object.keys(template.findResources(type, { Properties: properties }));
}

describe('PrivateNetwork', () => {
  test('defaults: one isolated subnet per zone, no NAT, no internet gateway, no route to the internet', () => {
    // GIVEN / WHEN
    const { template, network } = synth();
    // THEN
    // private DNS of interface endpoints needs both DNS attributes on
    template.hasResourceProperties('AWS::EC2::VPC', {
      CidrBlock: '10.40.0.0/16',
      EnableDnsHostnames: true,
      EnableDnsSupport: true,
    });
    const subnets = Object.values(template.findResources('AWS::EC2::Subnet')).map((s) => ({
      az: s.Properties.AvailabilityZone,
      cidr: s.Properties.CidrBlock,
      publicIp: s.Properties.MapPublicIpOnLaunch,
    }));
    expect(subnets).toEqual([
      { az: 'us-east-1a', cidr: '10.40.0.0/24', publicIp: false },
      { az: 'us-east-1b', cidr: '10.40.1.0/24', publicIp: false },
    ]);
    expect(network.subnets).toHaveLength(2);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::EIP', 0);
    template.resourceCountIs('AWS::EC2::Route', 0);
  });

  test('interface endpoints for Bedrock runtime, agent runtime, logs, STS and X-Ray, each with private DNS behind the endpoint group', () => {
    // GIVEN / WHEN
    const { template, network, stack } = synth();
    // THEN
    const endpoints = Object.values(
      template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } }),
    );
    expect(endpoints.map((e) => e.Properties.ServiceName).sort()).toEqual([
      'com.amazonaws.us-east-1.bedrock-agent-runtime',
      'com.amazonaws.us-east-1.bedrock-runtime',
      'com.amazonaws.us-east-1.logs',
      'com.amazonaws.us-east-1.sts',
      'com.amazonaws.us-east-1.xray',
    ]);
    const sg = {
      'Fn::GetAtt': [stack.getLogicalId(network.endpointSecurityGroup.node.defaultChild as never), 'GroupId'],
    };
    const privateSubnets = network.subnets.map((s) => stack.resolve(s.subnetId));
    for (const endpoint of endpoints) {
      expect(endpoint.Properties).toMatchObject({
        PrivateDnsEnabled: true,
        SecurityGroupIds: [sg],
        SubnetIds: privateSubnets,
      });
    }
    expect(Object.keys(network.interfaceEndpoints)).toEqual([
      'BedrockRuntime',
      'BedrockAgentRuntime',
      'Logs',
      'Sts',
      'XRay',
    ]);
  });

  test('S3 gateway endpoint on the route table of every private subnet', () => {
    const { template } = synth();
    const routeTables = logicalIds(template, 'AWS::EC2::RouteTable').map((id) => ({ Ref: id }));
    expect(routeTables).toHaveLength(2);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] },
      RouteTableIds: routeTables,
    });
  });

  test('the endpoint security group admits HTTPS from the VPC range only and sends nothing', () => {
    const { template } = synth();
    template.resourceCountIs('AWS::EC2::SecurityGroup', 1);
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    template.resourceCountIs('AWS::EC2::SecurityGroupEgress', 0);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: Match.exact([
        {
          CidrIp: '10.40.0.0/16',
          Description: 'HTTPS from 10.40.0.0/16',
          FromPort: 443,
          IpProtocol: 'tcp',
          ToPort: 443,
        },
      ]),
      // aws-cdk-lib's placeholder for "no egress" (allowAllOutbound: false)
      SecurityGroupEgress: Match.exact([
        {
          CidrIp: '255.255.255.255/32',
          Description: 'Disallow all traffic',
          FromPort: 252,
          IpProtocol: 'icmp',
          ToPort: 86,
        },
      ]),
    });
  });

  test('flow logs of all traffic to a retained log group encrypted with a rotated, retained key CloudWatch Logs may use', () => {
    // GIVEN / WHEN
    const { template, network, stack } = synth();
    // THEN
    const keyId = stack.getLogicalId(network.flowLogEncryptionKey.node.defaultChild as never);
    const groupId = stack.getLogicalId(network.flowLogGroup.node.defaultChild as never);
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: { Ref: groupId },
    });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] }, RetentionInDays: 30 },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResource('AWS::KMS::Key', {
      Properties: {
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: Match.arrayWith([
            {
              Sid: 'CloudWatchLogsFlowLogs',
              Effect: 'Allow',
              Principal: { Service: 'logs.us-east-1.amazonaws.com' },
              Action: [
                'kms:Encrypt*',
                'kms:Decrypt*',
                'kms:ReEncrypt*',
                'kms:GenerateDataKey*',
                'kms:Describe*',
              ],
              Resource: '*',
              Condition: {
                ArnLike: {
                  'kms:EncryptionContext:aws:logs:arn': {
                    'Fn::Join': [
                      '',
                      [
                        'arn:',
                        { Ref: 'AWS::Partition' },
                        ':logs:us-east-1:',
                        { Ref: 'AWS::AccountId' },
                        ':log-group:*',
                      ],
                    ],
                  },
                },
              },
            },
          ]),
        },
      },
      DeletionPolicy: 'Retain',
    });
  });

  test('OpenSearch Serverless VPC endpoint in the private subnets behind the endpoint group; its id is exposed', () => {
    const { template, network, stack } = synth();
    const endpointId = stack.getLogicalId(network.aossVpcEndpoint);
    template.hasResourceProperties('AWS::OpenSearchServerless::VpcEndpoint', {
      Name: 'llmops-aws-dev',
      VpcId: { Ref: stack.getLogicalId(network.vpc.node.defaultChild as never) },
      SubnetIds: network.subnets.map((s) => stack.resolve(s.subnetId)),
      SecurityGroupIds: [stack.resolve(network.endpointSecurityGroup.securityGroupId)],
    });
    expect(stack.resolve(network.aossVpcEndpointId)).toEqual({ 'Fn::GetAtt': [endpointId, 'Id'] });
  });

  test('the default security group is restricted by default (aws-cdk-lib custom resource)', () => {
    const { template } = synth();
    template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  });

  test('all props: NAT egress, extra endpoint, own key, retention, removal opt-out, no default-group restriction, tags', () => {
    // GIVEN
    const stack = awsStack();
    const key = Key.fromKeyArn(
      stack,
      'SharedKey',
      'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555',
    );
    // WHEN
    new PrivateNetwork(stack, 'Network', {
      ...REQUIRED,
      availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
      subnetCidrMask: 20,
      natGateways: 1,
      additionalInterfaceEndpoints: { Monitoring: InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING },
      flowLogEncryptionKey: key,
      flowLogRetentionDays: 90,
      restrictDefaultSecurityGroup: false,
      removalPolicy: RemovalPolicy.DESTROY,
      tags: { environment: 'aws-prod' },
    });
    // THEN
    const template = templateOf(stack);
    const subnets = Object.values(template.findResources('AWS::EC2::Subnet')).map((s) => [
      s.Properties.CidrBlock,
      s.Properties.MapPublicIpOnLaunch,
    ]);
    // private first, so adding NAT keeps their ranges; the public group follows
    expect(subnets).toEqual([
      ['10.40.0.0/20', false],
      ['10.40.16.0/20', false],
      ['10.40.32.0/20', false],
      ['10.40.48.0/20', true],
      ['10.40.64.0/20', true],
      ['10.40.80.0/20', true],
    ]);
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
    template.resourceCountIs('AWS::EC2::InternetGateway', 1);
    const nat = { Ref: logicalIds(template, 'AWS::EC2::NatGateway')[0] };
    const privateRoutes = template.findResources('AWS::EC2::Route', { Properties: { NatGatewayId: nat } });
    expect(Object.values(privateRoutes).map((r) => r.Properties.DestinationCidrBlock)).toEqual([
      '0.0.0.0/0',
      '0.0.0.0/0',
      '0.0.0.0/0',
    ]);
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.resourceCountIs('Custom::VpcRestrictDefaultSG', 0);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: 'com.amazonaws.us-east-1.monitoring',
      PrivateDnsEnabled: true,
    });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555',
        RetentionInDays: 90,
      },
      DeletionPolicy: 'Delete',
    });
    template.hasResourceProperties('AWS::EC2::VPC', {
      Tags: Match.arrayWith([{ Key: 'environment', Value: 'aws-prod' }]),
    });
  });

  test('fails with every problem of ranges, zones and counts at once', () => {
    const stack = awsStack();
    expect(
      () =>
        new PrivateNetwork(stack, 'Network', {
          cidr: '10.32.0.0/12',
          availabilityZones: ['us-east-1a', 'eu-west-1b', 'us-east-1a', 'east'],
          subnetCidrMask: 29,
          natGateways: 5,
          aossVpcEndpointName: 'LLMOps_Dev',
          additionalInterfaceEndpoints: {
            Sts: InterfaceVpcEndpointAwsService.STS,
            kms: InterfaceVpcEndpointAwsService.KMS,
          },
          flowLogRetentionDays: 31,
        }),
    ).toThrow(
      exactly(
        'Invalid PrivateNetwork "Test/Network":\n' +
          '  - props.cidr: 10.32.0.0/12 is /12: a VPC range is /16 to /28\n' +
          '  - props.availabilityZones[1]: "eu-west-1b" is not a zone of the stack\'s region us-east-1\n' +
          '  - props.availabilityZones[2]: "us-east-1a" is listed twice\n' +
          '  - props.availabilityZones[3]: "east" is not an availability zone name (e.g. us-east-1a)\n' +
          '  - props.subnetCidrMask: 29 is not a subnet prefix length: 16 to 28\n' +
          '  - props.natGateways: 5 is not a NAT gateway count: 0 to 4 (one per availability zone at most)\n' +
          '  - props.aossVpcEndpointName: "LLMOps_Dev" is not an OpenSearch Serverless endpoint name: 3-32 lowercase letters, digits and "-", starting with a letter\n' +
          '  - props.additionalInterfaceEndpoints.Sts: "Sts" is already a default endpoint\n' +
          '  - props.additionalInterfaceEndpoints.kms: "kms" is not a PascalCase construct id\n' +
          '  - props.flowLogRetentionDays: 31 is not a CloudWatch Logs retention: one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653',
      ),
    );
  });

  test('fails when the range does not parse, no zone is given, or the subnets do not fit', () => {
    const stack = awsStack();
    expect(
      () => new PrivateNetwork(stack, 'Bad', { ...REQUIRED, cidr: '10.40.0.1/16', availabilityZones: [] }),
    ).toThrow(
      exactly(
        'Invalid PrivateNetwork "Test/Bad":\n' +
          '  - props.cidr: "10.40.0.1/16" has host bits set: the range starts at 10.40.0.0/16\n' +
          '  - props.availabilityZones: 0 zones given: 1 to 6 are allowed (an OpenSearch Serverless endpoint takes at most 6 subnets)',
      ),
    );
    expect(
      () =>
        new PrivateNetwork(stack, 'Small', {
          ...REQUIRED,
          cidr: '10.40.0.0/24',
          subnetCidrMask: 24,
          natGateways: 1,
        }),
    ).toThrow(
      exactly(
        'Invalid PrivateNetwork "Test/Small":\n' +
          '  - props.subnetCidrMask: 4 subnets of /24 (1024 addresses) do not fit in 10.40.0.0/24 (256 addresses)',
      ),
    );
  });

  test('passes cdk-nag AwsSolutions with and without NAT', () => {
    // GIVEN
    const app = new App();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    // WHEN
    new PrivateNetwork(new Stack(app, 'Isolated', { env: { region: 'us-east-1' } }), 'Network', REQUIRED);
    new PrivateNetwork(new Stack(app, 'Egress', { env: { region: 'us-east-1' } }), 'Network', {
      ...REQUIRED,
      natGateways: 2,
    });
    // THEN
    expect(() => app.synth()).not.toThrow();
  });
});

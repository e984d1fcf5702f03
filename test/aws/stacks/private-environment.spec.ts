import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildAwsApp } from '../../../lib/aws/app';
import type { AwsEnvironmentStack } from '../../../lib/aws/stacks/environment-stack';
import { parseConfig } from '../../../lib/config/load';

/** A production AWS environment: private network, standby replicas, manual approval. */
const CONFIG = `defaults:
  workload: llmops
  namingSeed: test
  tags: { owner: test-team }
  pipeline: { github: { repository: contoso/llmops-platform } }
environments:
  aws-prod:
    cloud: aws
    profile: production
    aws: { region: us-east-1, account: { id: "123456789012" } }
    network: { aws: { availabilityZones: [us-east-1a, us-east-1b] } }
    pipeline: { reviewers: [contoso/platform-approvers] }
`;

describe('a private production AWS environment', () => {
  const app = buildAwsApp(parseConfig(CONFIG, 'config/test.yaml'));
  const stack = app.node.findChild('aws-prod') as AwsEnvironmentStack;
  const template = Template.fromStack(stack);

  test('gets a VPC without NAT and interface endpoints for Bedrock and OpenSearch Serverless', () => {
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    const services = Object.values(template.findResources('AWS::EC2::VPCEndpoint')).map((r) =>
      JSON.stringify(r.Properties.ServiceName),
    );
    for (const service of ['bedrock-runtime', 'bedrock-agent-runtime']) {
      expect({ service, found: services.some((s) => s.includes(`.${service}`)) }).toEqual({
        service,
        found: true,
      });
    }
    template.resourceCountIs('AWS::OpenSearchServerless::VpcEndpoint', 1);
  });

  test('keeps the collection off the internet: only the VPC endpoint and Bedrock reach it', () => {
    const network = Object.values(template.findResources('AWS::OpenSearchServerless::SecurityPolicy')).find(
      (r) => r.Properties.Type === 'network',
    )!;
    const policy = JSON.stringify(network.Properties.Policy);
    expect(policy).not.toMatch(/AllowFromPublic\\?":\s*true/);
    expect(policy).toContain('SourceVPCEs');
    expect(policy).toContain('bedrock.amazonaws.com');
  });

  test('takes the production defaults: standby replicas on, a customer-managed key, termination protection on', () => {
    template.hasResourceProperties('AWS::OpenSearchServerless::Collection', { StandbyReplicas: 'ENABLED' });
    const encryption = Object.values(
      template.findResources('AWS::OpenSearchServerless::SecurityPolicy'),
    ).find((r) => r.Properties.Type === 'encryption')!;
    expect(JSON.stringify(encryption.Properties.Policy)).toContain('KmsARN');
    expect(stack.terminationProtection).toBe(true);
  });

  test('renders the same from its config passed through JSON, as npm run synth hands it to the AWS child', () => {
    // The child receives the checked config as JSON (lib/aws/child-synth.ts), which drops undefined values.
    const config = parseConfig(CONFIG, 'config/test.yaml');
    const throughJson = buildAwsApp(JSON.parse(JSON.stringify(config)) as typeof config);
    for (const name of ['aws-prod', 'bootstrap-aws-prod']) {
      const direct = Template.fromStack(app.node.findChild(name) as Stack);
      expect(Template.fromStack(throughJson.node.findChild(name) as Stack).toJSON()).toEqual(direct.toJSON());
    }
  });
});

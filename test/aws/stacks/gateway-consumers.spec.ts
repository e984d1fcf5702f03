/**
 * `gateway.aws.consumers`: the roles of the config call the gateway of an AWS environment beside the
 * pipeline's evaluation role, each with its own token limit.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { awsEnvironmentTemplate } from '../../helpers/aws';

describe('gateway consumers from config', () => {
  const template = awsEnvironmentTemplate(`cloud: aws
profile: development
aws: { region: us-east-1, account: { id: "123456789012" } }
gateway:
  tokenLimits: { tokensPerMinute: 20000 }
  aws:
    consumers:
      chat-app: { roleArn: "arn:aws:iam::123456789012:role/apps/chat-app" }
      batch: { roleArn: "arn:aws:iam::123456789012:role/batch", tokensPerMinute: 5000 }`);

  test('the router knows every consumer with its token limit, the evaluation role at the section default', () => {
    const router = Object.values(
      template.findResources('AWS::Lambda::Function', {
        Properties: { Environment: { Variables: { ROUTER_CONFIG: Match.anyValue() } } },
      }),
    );
    expect(router).toHaveLength(1);
    const config = JSON.stringify(router[0]!.Properties.Environment.Variables.ROUTER_CONFIG);
    for (const expected of [
      '\\"name\\":\\"evaluation\\"',
      '\\"name\\":\\"chat-app\\",\\"principalArn\\":\\"arn:aws:iam::123456789012:role/apps/chat-app\\",\\"tokensPerMinute\\":20000',
      '\\"name\\":\\"batch\\",\\"principalArn\\":\\"arn:aws:iam::123456789012:role/batch\\",\\"tokensPerMinute\\":5000',
    ]) {
      expect(config).toContain(expected);
    }
  });

  test.each([
    ['chat-app', 'chat-app'],
    ['batch', 'batch'],
  ])('%s may invoke the gateway: a policy on its role allows execute-api:Invoke', (_, roleName) => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [roleName],
      PolicyDocument: {
        Statement: [Match.objectLike({ Action: 'execute-api:Invoke', Effect: 'Allow' })],
      },
    });
  });
});

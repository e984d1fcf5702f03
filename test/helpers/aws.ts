import { App, Stack, type StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { TEST_DEFAULTS_YAML, testConfig } from './synth';

/** The region AWS construct tests deploy to unless a test says otherwise (the shipped aws-dev region). */
export const TEST_REGION = 'us-east-1';

/**
 * A fresh app and stack for one AWS construct test: an explicit region (so region-specific ARNs and model
 * IDs resolve), no account (synth needs none). Built-in CloudFormation validation is off in jest
 * (`test/aws-validation-off.ts`).
 */
export function awsStack(props: StackProps = {}): Stack {
  const app = new App();
  return new Stack(app, 'Test', { env: { region: TEST_REGION }, ...props });
}

/** The synthesized template of `stack`, for `hasResourceProperties` and friends. */
export function templateOf(stack: Stack): Template {
  return Template.fromStack(stack);
}

/**
 * The template of the environment stack of one AWS environment, built by the AWS app from the YAML body of
 * the environment (`cloud: aws` and `aws.region` included) on top of {@link TEST_DEFAULTS_YAML} and a GitHub
 * repository (the bootstrap stack's pipeline roles trust it).
 *
 * @example awsEnvironmentTemplate('cloud: aws\nprofile: development\naws: { region: us-east-1 }')
 */
export function awsEnvironmentTemplate(body: string, name = 'aws-dev'): Template {
  // Required on use: construct tests never build the app.
  const { buildAwsApp } = require('../../lib/aws/app') as typeof import('../../lib/aws/app');
  const indented = body
    .split('\n')
    .map((line) => (line.trim() ? `    ${line}` : line))
    .join('\n');
  const defaults = `${TEST_DEFAULTS_YAML}  pipeline: { github: { repository: contoso/llmops-platform } }\n`;
  const app = buildAwsApp(testConfig(`${defaults}environments:\n  ${name}:\n${indented}\n`));
  return Template.fromStack(app.node.findChild(name) as Stack);
}

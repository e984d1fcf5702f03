import { App, Stack, type StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

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

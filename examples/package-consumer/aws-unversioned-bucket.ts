/**
 * The AWS policy reaches a consumer's stack: a bucket without versioning must fail synth with the own rule
 * `LLMOPS-AWS-S3-VERSIONED` and cdk-nag's AwsSolutions pack, both from the consumer's installed copies
 * (`npm run test:package` expects this program to exit non-zero with both in its report).
 */
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsPolicy } from 'llmops-platform/constructs/aws/policy';

const app = new App({ outdir: 'cdk.out.negative' });
const stack = new Stack(app, 'unversioned-bucket', { env: { region: 'us-east-1' } });
new s3.CfnBucket(stack, 'Documents');
AwsPolicy.apply(app);
app.synth();

import { App } from 'aws-cdk-lib';
import { AwsPolicy } from '../../constructs/aws/policy/aws-policy';
import { environmentsOn, type LoadedConfig } from '../config/environment';
import { AwsBootstrapStack } from './stacks/bootstrap-stack';
import { AwsEnvironmentStack } from './stacks/environment-stack';

/** Options of {@link buildAwsApp}. */
export interface BuildAwsAppOptions {
  /** Where `app.synth()` writes the cloud assembly. @default - `CDK_OUTDIR` (set by the cdk CLI) or `cdk.out` */
  readonly outdir?: string;
  /**
   * aws-cdk-lib's built-in CloudFormation validation (the CloudFormation schemas and default rules): costs
   * 4-9 s and ~300 MB on the first synth of a process (../shared/REFERENCE.md). `npm run synth` and the
   * tests leave it off; `.ci/run` runs one strict `npx cdk synth` with it on.
   * @default - aws-cdk-lib's default: on unless `CDK_VALIDATION=false` or `cdk synth --no-validation`
   */
  readonly builtinValidation?: boolean;
}

/**
 * The AWS app: per environment that says `cloud: aws`, the stacks `bootstrap-<env>` (account singletons,
 * GitHub OIDC provider, pipeline roles) and `<env>` (the LLMOps environment), named as on Azure.
 */
export function buildAwsApp(config: LoadedConfig, options: BuildAwsAppOptions = {}): App {
  const app = new App({
    outdir: options.outdir,
    ...(options.builtinValidation === undefined
      ? {}
      : { builtinCloudFormationValidation: options.builtinValidation }),
    // Synthesis is offline: no asset may need Docker (bundling-stacks empty). Creation stack traces would put
    // this machine's paths into the metadata (aws-cdk-lib core/lib/stack.js reads the context key).
    context: {
      'aws:cdk:bundling-stacks': [],
      'aws:cdk:disable-creation-stack-traces': true,
      // Server access logs are delivered under a bucket policy for logging.s3.amazonaws.com, not the legacy
      // LogDeliveryWrite ACL, which needs ACLs on the destination bucket (ObjectWriter ownership).
      // https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
      '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
    },
    stackTraces: false,
    analyticsReporting: false,
    // No tree.json: the construct tree is for explorers (the AWS Toolkit); neither the cdk CLI's
    // synth/diff/deploy nor plan:diff reads it, and writing it is about 30 ms of every synth.
    treeMetadata: false,
    // Above what the cdk CLI passes: `cdk synth`/`cdk deploy` turn path and asset metadata on by default
    // (`--path-metadata`, `--asset-metadata`), and API Gateway hashes the rendered REST API, its metadata
    // included, into the Deployment's logical ID (aws-cdk-lib 2.276.0 aws-apigateway/lib/deployment.js
    // `calculateLogicalId`). With them on, `cdk deploy` would deploy another template than the one
    // `npm run synth` writes and plan:diff reviews; `.ci/run` compares the two.
    postCliContext: { 'aws:cdk:enable-path-metadata': false, 'aws:cdk:enable-asset-metadata': false },
  });
  // cdk-nag's AwsSolutions pack and the project's own rules (Bedrock, OpenSearch Serverless, nothing
  // lost): synth fails on an unacknowledged error, like the Azure policy engine.
  AwsPolicy.apply(app);
  for (const env of environmentsOn(config, 'aws')) {
    new AwsBootstrapStack(app, env);
    new AwsEnvironmentStack(app, env);
  }
  return app;
}

import { App, Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsPolicy } from '../../../constructs/aws/policy';
import { exactly } from '../../helpers/errors';
import { compliantStack, goodBucket, lines, policyApp, synthError } from './fixtures';

/** What cdk-nag says about each wildcard of `grantRead` on a bucket. */
const IAM5 =
  'The IAM entity contains wildcard permissions and does not have a cdk-nag rule suppression with evidence for those permission.';

describe('AwsPolicy', () => {
  test('a compliant stack synthesizes; its acknowledgement covers every finding of the rule and prints its reason', () => {
    // GIVEN every resource kind the rules check, configured as the rules demand, and grantRead's wildcards
    // acknowledged for the role with the bare rule id
    const reason = "grantRead's object wildcards on the docs bucket only";
    const { app, stack, policy } = policyApp({
      acknowledgements: [{ ruleId: 'AwsSolutions-IAM5', path: 'Test/Reader', reason }],
    });
    compliantStack(stack);
    // WHEN synthesizing
    const error = synthError(app);
    // THEN synth passes and the only findings are the acknowledged ones, with their reason
    expect(error).toBeUndefined();
    expect(lines(policy.findings)).toEqual(
      [
        'AwsSolutions-IAM5[Action::s3:GetBucket*]',
        'AwsSolutions-IAM5[Action::s3:GetObject*]',
        'AwsSolutions-IAM5[Action::s3:List*]',
        'AwsSolutions-IAM5[Resource::<DocsA50029D5.Arn>/*]',
      ].map((id) => `error ${id} Test/Reader/DefaultPolicy/Resource: ${IAM5} | acknowledged: ${reason}`),
    );
  });

  test('synth fails on unacknowledged errors of both plugins; the report names rule, path, logical id and fix', () => {
    // GIVEN a bucket with CDK's defaults (not versioned, no TLS policy, public access not blocked)
    const { app, stack, policy } = policyApp();
    new Bucket(stack, 'Bucket');
    // WHEN synthesizing
    const error = synthError(app);
    // THEN synth throws a report with every finding, and the policy lists them
    expect(lines(policy.findings)).toEqual([
      'error AwsSolutions-S1 Test/Bucket/Resource: The S3 Bucket has server access logs disabled.',
      'error AwsSolutions-S10 Test/Bucket/Resource: The S3 Bucket or bucket policy does not require requests to use SSL.',
      'error LLMOPS-AWS-S3-PUBLIC-ACCESS-BLOCKED Test/Bucket/Resource (Bucket83908E77): public access is not blocked (BlockPublicAcls, BlockPublicPolicy, IgnorePublicAcls, RestrictPublicBuckets not true); set blockPublicAccess: BlockPublicAccess.BLOCK_ALL',
      'error LLMOPS-AWS-S3-TLS-ONLY Test/Bucket/Resource (Bucket83908E77): no bucket policy denies requests without TLS; set enforceSSL: true (Deny s3:* to * when aws:SecureTransport is false)',
      'error LLMOPS-AWS-S3-VERSIONED Test/Bucket/Resource (Bucket83908E77): bucket is not versioned; set versioned: true (VersioningConfiguration.Status Enabled)',
    ]);
    expect(error).toContain(
      [
        'ERROR [LLMOPS-AWS-S3-VERSIONED] Test/Bucket/Resource (Bucket83908E77): bucket is not versioned; set versioned: true (VersioningConfiguration.Status Enabled) (LlmopsAws)',
        '   Test/Bucket/Resource (Bucket83908E77) aws-cdk-lib.aws_s3.CfnBucket',
        '   Suggested fix: An S3 bucket has versioning enabled.',
      ].join('\n'),
    );
    expect(error).toContain(
      'ERROR The S3 Bucket has server access logs disabled. (AwsSolutions)\n   Test/Bucket/Resource aws-cdk-lib.aws_s3.CfnBucket',
    );
    expect(policy.summary()[4]).toBe(
      '[error LLMOPS-AWS-S3-VERSIONED] Test/Bucket/Resource (Bucket83908E77): bucket is not versioned; set versioned: true (VersioningConfiguration.Status Enabled)',
    );
  });

  test('fails when an acknowledgement has no reason or names an unknown rule (every problem at once)', () => {
    // GIVEN an app
    const app = new App();
    // WHEN applying acknowledgements without reasons and with an unknown rule
    const apply = () =>
      AwsPolicy.apply(app, {
        acknowledgements: [
          { ruleId: 'AwsSolutions-S1', path: 'Test/Bucket', reason: '' },
          { ruleId: 'LLMOPS-AWS-NOPE', path: 'Test/Bucket', reason: 'a reason long enough' },
          { ruleId: 'LLMOPS-AWS-RETAIN', path: 'Test/Bucket', reason: ' short ' },
        ],
      });
    // THEN a ValidationError lists each problem
    expect(apply).toThrow(
      exactly(
        [
          'Invalid AwsPolicy:',
          '  - props.acknowledgements.0.reason: acknowledging AwsSolutions-S1 at "Test/Bucket" needs a written reason (at least 10 characters), got ""',
          '  - props.acknowledgements.1.ruleId: "LLMOPS-AWS-NOPE" is not an AwsSolutions rule (AwsSolutions-...) or one of LLMOPS-AWS-BEDROCK-GUARDRAIL-VERSION, LLMOPS-AWS-BEDROCK-GUARDRAIL-FILTERS, LLMOPS-AWS-BEDROCK-PROFILE-MODEL-VERSIONED, LLMOPS-AWS-AOSS-ENCRYPTION-POLICY, LLMOPS-AWS-AOSS-PUBLIC-NETWORK, LLMOPS-AWS-AOSS-DATA-ACCESS, LLMOPS-AWS-RETAIN, LLMOPS-AWS-S3-VERSIONED, LLMOPS-AWS-S3-PUBLIC-ACCESS-BLOCKED, LLMOPS-AWS-S3-TLS-ONLY, LLMOPS-AWS-KMS-ROTATION, LLMOPS-AWS-IAM-NO-ADMIN',
          '  - props.acknowledgements.2.reason: acknowledging LLMOPS-AWS-RETAIN at "Test/Bucket" needs a written reason (at least 10 characters), got " short "',
        ].join('\n'),
      ),
    );
  });

  test("CDK's own Validations.acknowledge applies with a reason (also in the AwsSolutions:: form CDK prints)", () => {
    // GIVEN a bucket without access logs, acknowledged both ways on two buckets
    const { app, stack, policy } = policyApp();
    const a = goodBucket(stack, 'A');
    const b = goodBucket(stack, 'B');
    Validations.of(a).acknowledge({ id: 'AwsSolutions-S1', reason: 'bucket A logs through CloudTrail' });
    Validations.of(b).acknowledge({
      id: 'AwsSolutions::AwsSolutions-S1',
      reason: 'bucket B logs through CloudTrail',
    });
    // WHEN synthesizing
    const error = synthError(app);
    // THEN both findings are acknowledged with their reasons
    expect(error).toBeUndefined();
    expect(lines(policy.findings)).toEqual([
      'error AwsSolutions-S1 Test/A/Resource: The S3 Bucket has server access logs disabled. | acknowledged: bucket A logs through CloudTrail',
      'error AwsSolutions-S1 Test/B/Resource: The S3 Bucket has server access logs disabled. | acknowledged: bucket B logs through CloudTrail',
    ]);
  });

  test('fails when a Validations.acknowledge has no reason: the acknowledgement is not applied', () => {
    // GIVEN an access-log finding acknowledged with an empty reason
    const { app, stack, policy } = policyApp();
    const bucket = goodBucket(stack, 'Bucket');
    Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: '' });
    // WHEN synthesizing
    const error = synthError(app);
    // THEN the finding stays open and the acknowledgement is an error of its own
    expect(lines(policy.findings)).toEqual([
      'error LLMOPS-AWS-ACKNOWLEDGEMENT-REASON Test/Bucket: acknowledgement of AwsSolutions-S1 has no written reason (at least 10 characters, got ""); it is not applied',
      'error AwsSolutions-S1 Test/Bucket/Resource: The S3 Bucket has server access logs disabled.',
    ]);
    expect(error).toContain(
      'ERROR [LLMOPS-AWS-ACKNOWLEDGEMENT-REASON] Test/Bucket: acknowledgement of AwsSolutions-S1 has no written reason',
    );
  });

  test('fails when an acknowledgement names no construct or no own rule; an unused one is a warning only', () => {
    // GIVEN a compliant bucket (its S1 acknowledged), an acknowledgement at a wrong path, one of an own rule
    // that does not fire there, and one on a construct naming a rule that does not exist
    const { app, stack, policy } = policyApp({
      acknowledgements: [
        { ruleId: 'AwsSolutions-S1', path: 'Test/Bucket', reason: 'logs through CloudTrail' },
        { ruleId: 'AwsSolutions-S1', path: 'Test/Buckett', reason: 'logs through CloudTrail' },
        { ruleId: 'LLMOPS-AWS-RETAIN', path: 'Test/Bucket', reason: 'throwaway environment' },
      ],
    });
    const bucket = goodBucket(stack, 'Bucket');
    Validations.of(bucket).acknowledge({ id: 'LLMOPS-AWS-S3-VERSIONING', reason: 'a typo in the rule id' });
    // WHEN synthesizing
    const error = synthError(app);
    // THEN the unknown path and rule are errors, the unused acknowledgement a warning
    expect(lines(policy.findings)).toEqual([
      'error LLMOPS-AWS-ACKNOWLEDGEMENT-UNKNOWN-RULE Test/Bucket: acknowledgement of LLMOPS-AWS-S3-VERSIONING names no rule; the own rules are LLMOPS-AWS-BEDROCK-GUARDRAIL-VERSION, LLMOPS-AWS-BEDROCK-GUARDRAIL-FILTERS, LLMOPS-AWS-BEDROCK-PROFILE-MODEL-VERSIONED, LLMOPS-AWS-AOSS-ENCRYPTION-POLICY, LLMOPS-AWS-AOSS-PUBLIC-NETWORK, LLMOPS-AWS-AOSS-DATA-ACCESS, LLMOPS-AWS-RETAIN, LLMOPS-AWS-S3-VERSIONED, LLMOPS-AWS-S3-PUBLIC-ACCESS-BLOCKED, LLMOPS-AWS-S3-TLS-ONLY, LLMOPS-AWS-KMS-ROTATION, LLMOPS-AWS-IAM-NO-ADMIN',
      'warning LLMOPS-AWS-ACKNOWLEDGEMENT-UNUSED Test/Bucket: acknowledgement of LLMOPS-AWS-RETAIN (AwsPolicy acknowledgements) matched no finding; remove it',
      'error AwsSolutions-S1 Test/Bucket/Resource: The S3 Bucket has server access logs disabled. | acknowledged: logs through CloudTrail',
      'error LLMOPS-AWS-ACKNOWLEDGEMENT-UNKNOWN-PATH Test/Buckett: acknowledgement of AwsSolutions-S1 names no construct at "Test/Buckett"; use the construct path printed with the finding',
    ]);
    expect(error).toContain('ERROR [LLMOPS-AWS-ACKNOWLEDGEMENT-UNKNOWN-PATH] Test/Buckett');
    expect(error).toContain('WARNING [LLMOPS-AWS-ACKNOWLEDGEMENT-UNUSED] Test/Bucket');
  });

  test('an unused acknowledgement alone does not fail synth (warnings are reported, not fatal)', () => {
    // GIVEN a compliant bucket and an acknowledgement of a rule that does not fire on it
    const { app, stack, policy } = policyApp({
      acknowledgements: [
        { ruleId: 'AwsSolutions-S1', path: 'Test/Bucket', reason: 'logs through CloudTrail' },
        { ruleId: 'LLMOPS-AWS-KMS-ROTATION', path: '', reason: 'no key in this app yet' },
      ],
    });
    goodBucket(stack, 'Bucket');
    const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    let error: unknown;
    let firstPrinted: string;
    try {
      // WHEN synthesizing
      error = synthError(app);
      firstPrinted = String(printed.mock.calls[0]?.[0]);
    } finally {
      printed.mockRestore(); // the other specs of the folder print again, whatever this one asserts
    }
    // THEN synth passes, CDK prints the warning and the policy lists it
    expect(error).toBeUndefined();
    expect(firstPrinted).toContain('WARNING [LLMOPS-AWS-ACKNOWLEDGEMENT-UNUSED]');
    expect(lines(policy.findings)[0]).toBe(
      'warning LLMOPS-AWS-ACKNOWLEDGEMENT-UNUSED : acknowledgement of LLMOPS-AWS-KMS-ROTATION (AwsPolicy acknowledgements) matched no finding; remove it',
    );
  });

  test('fails when applied twice to one app', () => {
    const { app } = policyApp();
    expect(() => AwsPolicy.apply(app)).toThrow(
      exactly('AwsPolicy.apply: the policy is already applied to the app'),
    );
    expect(AwsPolicy.tryOf(app)).toBeDefined();
  });
});

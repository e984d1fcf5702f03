import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { Problems } from '../../core/errors';

/** Properties of {@link AccessLogsBucket}. */
export interface AccessLogsBucketProps {
  /**
   * Days an access log object is kept (then expired, older versions a day later).
   * @default 30 (the development profile's `logging.retentionDays`)
   */
  readonly retentionDays?: number;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The destination of S3 server access logs for the buckets of a stack (who read or wrote which object):
 * versioned, public access blocked, TLS only, owner-enforced object ownership, objects expired after
 * `retentionDays`. Encrypted with S3-managed keys: S3 log delivery cannot write to a bucket whose default
 * encryption is SSE-KMS ("Enabling Amazon S3 server access logging", destination bucket requirements).
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
 */
export class AccessLogsBucket extends Construct {
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AccessLogsBucketProps = {}) {
    super(scope, id);
    const retentionDays = props.retentionDays ?? 30;
    const problems = new Problems('props');
    if (!Token.isUnresolved(retentionDays)) {
      problems.check(
        Number.isInteger(retentionDays) && retentionDays >= 1,
        'retentionDays',
        `${retentionDays} must be a whole number of days, at least 1`,
      );
    }
    problems.throwIfAny(`Invalid AccessLogsBucket "${id}"`);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      lifecycleRules: [
        {
          expiration: Duration.days(retentionDays),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }
}

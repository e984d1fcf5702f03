import { get, type TemplateResource } from '../private/template';
import type { AwsPolicyRule } from '../rule';

/** The four settings of `PublicAccessBlockConfiguration`, all of which must be true. */
const SETTINGS = [
  'BlockPublicAcls',
  'BlockPublicPolicy',
  'IgnorePublicAcls',
  'RestrictPublicBuckets',
] as const;

/**
 * An S3 bucket blocks public access: all four `PublicAccessBlockConfiguration` settings are true
 * (`blockPublicAccess: BlockPublicAccess.BLOCK_ALL`).
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-s3-bucket-publicaccessblockconfiguration.html
 */
export class S3PublicAccessBlockedRule implements AwsPolicyRule {
  readonly id = 'LLMOPS-AWS-S3-PUBLIC-ACCESS-BLOCKED';
  readonly severity = 'error';
  readonly description = 'An S3 bucket blocks all public access (PublicAccessBlockConfiguration all true).';

  appliesTo(type: string): boolean {
    return type === 'AWS::S3::Bucket';
  }

  check(resource: TemplateResource): readonly string[] {
    const off = SETTINGS.filter(
      (s) => get(resource.properties, 'PublicAccessBlockConfiguration', s) !== true,
    );
    return off.length === 0
      ? []
      : [
          `public access is not blocked (${off.join(', ')} not true); set blockPublicAccess: BlockPublicAccess.BLOCK_ALL`,
        ];
  }
}

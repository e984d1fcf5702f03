import { get, type TemplateResource } from '../private/template';
import type { AwsPolicyRule } from '../rule';

/**
 * An S3 bucket is versioned, so an overwrite or delete keeps the previous object.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-s3-bucket-versioningconfiguration.html
 */
export class S3VersionedRule implements AwsPolicyRule {
  readonly id = 'LLMOPS-AWS-S3-VERSIONED';
  readonly severity = 'error';
  readonly description = 'An S3 bucket has versioning enabled.';

  appliesTo(type: string): boolean {
    return type === 'AWS::S3::Bucket';
  }

  check(resource: TemplateResource): readonly string[] {
    return get(resource.properties, 'VersioningConfiguration', 'Status') === 'Enabled'
      ? []
      : ['bucket is not versioned; set versioned: true (VersioningConfiguration.Status Enabled)'];
  }
}

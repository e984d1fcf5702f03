import type { TemplateResource } from '../private/template';
import type { AwsPolicyRule } from '../rule';

/**
 * A symmetric KMS key rotates its key material yearly (`enableKeyRotation: true`). Asymmetric and HMAC
 * keys cannot rotate automatically and are left out.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-key.html#cfn-kms-key-enablekeyrotation
 */
export class KmsRotationRule implements AwsPolicyRule {
  readonly id = 'LLMOPS-AWS-KMS-ROTATION';
  readonly severity = 'error';
  readonly description = 'A symmetric KMS key has automatic key rotation enabled.';

  appliesTo(type: string): boolean {
    return type === 'AWS::KMS::Key';
  }

  check(resource: TemplateResource): readonly string[] {
    const spec = resource.properties.KeySpec;
    if (spec !== undefined && spec !== 'SYMMETRIC_DEFAULT') return [];
    return resource.properties.EnableKeyRotation === true
      ? []
      : ['key rotation is off; set enableKeyRotation: true (EnableKeyRotation)'];
  }
}

import {
  asList,
  get,
  referencedLogicalId,
  type StackTemplate,
  type TemplateResource,
} from '../private/template';
import type { AwsPolicyRule } from '../rule';

/** A statement that denies every S3 action to everyone when the request does not use TLS. */
function deniesInsecureTransport(statement: unknown): boolean {
  const principal = get(statement, 'Principal');
  const everyone = principal === '*' || asList(get(principal, 'AWS')).includes('*');
  const actions = asList(get(statement, 'Action'));
  return (
    get(statement, 'Effect') === 'Deny' &&
    everyone &&
    (actions.includes('s3:*') || actions.includes('*')) &&
    String(get(statement, 'Condition', 'Bool', 'aws:SecureTransport')) === 'false'
  );
}

/**
 * An S3 bucket refuses requests without TLS: a bucket policy of the stack on this bucket denies `s3:*` to
 * `*` when `aws:SecureTransport` is false (`enforceSSL: true`).
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit
 */
export class S3TlsOnlyRule implements AwsPolicyRule {
  readonly id = 'LLMOPS-AWS-S3-TLS-ONLY';
  readonly severity = 'error';
  readonly description = 'An S3 bucket has a bucket policy that denies requests without TLS.';

  appliesTo(type: string): boolean {
    return type === 'AWS::S3::Bucket';
  }

  check(resource: TemplateResource, template: StackTemplate): readonly string[] {
    const enforced = template
      .ofType('AWS::S3::BucketPolicy')
      .filter((p) => referencedLogicalId(p.properties.Bucket) === resource.logicalId)
      .some((p) => asList(get(p.properties, 'PolicyDocument', 'Statement')).some(deniesInsecureTransport));
    return enforced
      ? []
      : [
          'no bucket policy denies requests without TLS; set enforceSSL: true ' +
            '(Deny s3:* to * when aws:SecureTransport is false)',
        ];
  }
}

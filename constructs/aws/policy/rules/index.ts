import type { AwsPolicyRule } from '../rule';
import { AossDataAccessRule } from './aoss-data-access';
import { AossEncryptionPolicyRule } from './aoss-encryption-policy';
import { AossPublicNetworkRule } from './aoss-public-network';
import { BedrockGuardrailFiltersRule } from './bedrock-guardrail-filters';
import { BedrockGuardrailVersionRule } from './bedrock-guardrail-version';
import { BedrockProfileModelVersionedRule } from './bedrock-profile-model-versioned';
import { IamNoAdminRule } from './iam-no-admin';
import { KmsRotationRule } from './kms-rotation';
import { RetainRule } from './retain';
import { S3PublicAccessBlockedRule } from './s3-public-access-blocked';
import { S3TlsOnlyRule } from './s3-tls-only';
import { S3VersionedRule } from './s3-versioned';

export {
  AossDataAccessRule,
  AossEncryptionPolicyRule,
  AossPublicNetworkRule,
  BedrockGuardrailFiltersRule,
  BedrockGuardrailVersionRule,
  BedrockProfileModelVersionedRule,
  IamNoAdminRule,
  KmsRotationRule,
  RetainRule,
  S3PublicAccessBlockedRule,
  S3TlsOnlyRule,
  S3VersionedRule,
};

/** The project's own AWS rules, in the order they are reported. */
export function awsPolicyRules(): AwsPolicyRule[] {
  return [
    new BedrockGuardrailVersionRule(),
    new BedrockGuardrailFiltersRule(),
    new BedrockProfileModelVersionedRule(),
    new AossEncryptionPolicyRule(),
    new AossPublicNetworkRule(),
    new AossDataAccessRule(),
    new RetainRule(),
    new S3VersionedRule(),
    new S3PublicAccessBlockedRule(),
    new S3TlsOnlyRule(),
    new KmsRotationRule(),
    new IamNoAdminRule(),
  ];
}

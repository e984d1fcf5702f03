import { get, type StackTemplate, type TemplateResource } from '../private/template';
import type { AwsPolicyRule } from '../rule';
import { patternMatches, policiesOfType, resourcePatterns } from './opensearch-serverless';

/**
 * An OpenSearch Serverless collection is encrypted with a key chosen in the template: either its own
 * `EncryptionConfig` (`AWSOwnedKey` or `KmsKeyArn`), or an encryption policy that matches its name and is
 * created before it. The service refuses to create a collection without either, and CloudFormation
 * creates resources in parallel unless the collection depends on the policy (`DependsOn`).
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-opensearchserverless-collection.html
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-encryption.html
 */
export class AossEncryptionPolicyRule implements AwsPolicyRule {
  readonly id = 'LLMOPS-AWS-AOSS-ENCRYPTION-POLICY';
  readonly severity = 'error';
  readonly description =
    'An OpenSearch Serverless collection has an EncryptionConfig or a matching encryption policy it depends on.';

  appliesTo(type: string): boolean {
    return type === 'AWS::OpenSearchServerless::Collection';
  }

  check(resource: TemplateResource, template: StackTemplate): readonly string[] {
    const config = resource.properties.EncryptionConfig;
    if (get(config, 'AWSOwnedKey') === true || get(config, 'KmsKeyArn') !== undefined) return [];
    const name = resource.properties.Name;
    if (typeof name !== 'string') {
      return [
        'collection name is not a literal, so no encryption policy can be matched to it; give a literal Name',
      ];
    }
    const matching = policiesOfType(
      template,
      'AWS::OpenSearchServerless::SecurityPolicy',
      'encryption',
    ).filter((p) =>
      resourcePatterns(p.document, 'collection').some((pattern) =>
        patternMatches(pattern, `collection/${name}`),
      ),
    );
    if (matching.length === 0) {
      return [
        `no encryption policy (AWS::OpenSearchServerless::SecurityPolicy, Type encryption) covers collection/${name} ` +
          'and the collection has no EncryptionConfig; add a policy whose rule lists it',
      ];
    }
    if (!matching.some((p) => resource.dependsOn.includes(p.resource.logicalId))) {
      return [
        `collection does not depend on its encryption policy ${matching[0]!.resource.logicalId}; ` +
          'add the dependency (collection.addResourceDependency(policy)) so the policy exists first',
      ];
    }
    return [];
  }
}

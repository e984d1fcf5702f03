/**
 * Reading OpenSearch Serverless policy documents (the JSON string in `Policy` of
 * `AWS::OpenSearchServerless::SecurityPolicy` and `AWS::OpenSearchServerless::AccessPolicy`), shared by the
 * `LLMOPS-AWS-AOSS-*` rules.
 *
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-encryption.html
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-network.html
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-data-access.html
 */
import {
  asList,
  get,
  parseJsonProperty,
  type StackTemplate,
  type TemplateResource,
} from '../private/template';

/** The policies of `type` (`encryption`, `network`, `data`) in the template, with their parsed documents. */
export function policiesOfType(
  template: StackTemplate,
  resourceType: 'AWS::OpenSearchServerless::SecurityPolicy' | 'AWS::OpenSearchServerless::AccessPolicy',
  policyType: string,
): { readonly resource: TemplateResource; readonly document: unknown }[] {
  return template
    .ofType(resourceType)
    .filter((p) => p.properties.Type === policyType)
    .map((resource) => ({ resource, document: parseJsonProperty(resource.properties.Policy) }));
}

/** `Resource` patterns of the rules of one document for one `ResourceType` (`collection`, `index`). */
export function resourcePatterns(document: unknown, resourceType: string): string[] {
  // Encryption policies are one object; network and data access policies are lists of them.
  return asList(document)
    .flatMap((entry) => asList(get(entry, 'Rules')))
    .filter((rule) => get(rule, 'ResourceType') === resourceType)
    .flatMap((rule) => asList(get(rule, 'Resource')))
    .filter((r): r is string => typeof r === 'string');
}

/** Whether `pattern` (`collection/rag-*`) covers `name` (`collection/rag-dev`); `*` matches any suffix. */
export function patternMatches(pattern: string, name: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
  return regex.test(name);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

import { asList, get, parseJsonProperty, type TemplateResource } from '../private/template';
import type { AwsPolicyRule } from '../rule';

/**
 * An OpenSearch Serverless data access policy grants named permissions to named principals: no `aoss:*`
 * permission and no `*` principal (anyone in any account the network policy lets in).
 *
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-data-access.html
 */
export class AossDataAccessRule implements AwsPolicyRule {
  readonly id = 'LLMOPS-AWS-AOSS-DATA-ACCESS';
  readonly severity = 'error';
  readonly description =
    'An OpenSearch Serverless data access policy grants no aoss:* permission and no * principal.';

  appliesTo(type: string): boolean {
    return type === 'AWS::OpenSearchServerless::AccessPolicy';
  }

  check(resource: TemplateResource): readonly string[] {
    if (resource.properties.Type !== 'data') return [];
    const document = parseJsonProperty(resource.properties.Policy);
    if (document === undefined) {
      return ['data access policy document cannot be read from the template; write Policy as JSON text'];
    }
    const problems: string[] = [];
    asList(document).forEach((entry, i) => {
      if (asList(get(entry, 'Principal')).includes('*')) {
        problems.push(
          `data access policy entry ${i} grants to principal "*"; name the roles that need access`,
        );
      }
      const wildcard = asList(get(entry, 'Rules')).some((rule) =>
        asList(get(rule, 'Permission')).includes('aoss:*'),
      );
      if (wildcard) {
        problems.push(
          `data access policy entry ${i} grants "aoss:*"; list the permissions needed ` +
            '(e.g. aoss:ReadDocument, aoss:WriteDocument, aoss:DescribeIndex)',
        );
      }
    });
    return problems;
  }
}

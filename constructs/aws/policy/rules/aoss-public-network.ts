import { asList, get, parseJsonProperty, type TemplateResource } from '../private/template';
import type { AwsPolicyRule } from '../rule';

/**
 * An OpenSearch Serverless network policy does not open collections or dashboards to the internet
 * (`AllowFromPublic: true`); access goes through VPC endpoints (`SourceVPCEs`) or AWS services
 * (`SourceServices`). A public development environment acknowledges the rule with its reason.
 *
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-network.html
 */
export class AossPublicNetworkRule implements AwsPolicyRule {
  readonly id = 'LLMOPS-AWS-AOSS-PUBLIC-NETWORK';
  readonly severity = 'error';
  readonly description =
    'An OpenSearch Serverless network policy does not allow access from the public internet.';

  appliesTo(type: string): boolean {
    return type === 'AWS::OpenSearchServerless::SecurityPolicy';
  }

  check(resource: TemplateResource): readonly string[] {
    if (resource.properties.Type !== 'network') return [];
    const document = parseJsonProperty(resource.properties.Policy);
    if (document === undefined) {
      return ['network policy document cannot be read from the template; write Policy as JSON text'];
    }
    const entries = asList(document);
    const publicAt = entries.flatMap((entry, i) => (get(entry, 'AllowFromPublic') === true ? [i] : []));
    return publicAt.map(
      (i) =>
        `network policy rule ${i} sets AllowFromPublic: true; set it false and list SourceVPCEs ` +
        '(or acknowledge the rule with the reason the environment is public)',
    );
  }
}

import { getPath, isJsonObject, type JsonObject } from '../json';
import type { ResourceState, RuleResult } from './types';

/** The CloudFormation type of OpenSearch Serverless network and encryption policies. */
export const OPENSEARCH_SECURITY_POLICY = 'AWS::OpenSearchServerless::SecurityPolicy';

/**
 * The rule sets of a security policy: its `Policy` property is a JSON string (a list of rule sets for
 * network policies, one object for encryption policies). `undefined` when it is not a literal JSON string
 * (e.g. built with `Fn::Join` from tokens): nothing is then inferred.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-opensearchserverless-securitypolicy.html
 */
function ruleSets(resource: ResourceState): JsonObject[] | undefined {
  const policy = getPath(resource.body, ['Properties', 'Policy']);
  if (typeof policy !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(policy);
    const list = Array.isArray(parsed) ? parsed : [parsed];
    return list.filter(isJsonObject);
  } catch {
    return undefined;
  }
}

/**
 * OpenSearch Serverless security policies weakened on a policy that exists on both sides: a network
 * policy gains a rule set with `AllowFromPublic: true` (collection or dashboards endpoint reachable from
 * the internet), an encryption policy switches to `AWSOwnedKey: true` (the customer-managed key is
 * dropped). Blocking.
 *
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-network.html
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/serverless-encryption.html
 */
export function openSearchPolicyRegressions(before: ResourceState, after: ResourceState): RuleResult[] {
  if (before.type !== OPENSEARCH_SECURITY_POLICY || after.type !== OPENSEARCH_SECURITY_POLICY) return [];
  const was = ruleSets(before);
  const now = ruleSets(after);
  if (!was || !now) return [];
  const any = (sets: JsonObject[], key: string): boolean => sets.some((s) => s[key] === true);
  const results: RuleResult[] = [];
  if (any(now, 'AllowFromPublic') && !any(was, 'AllowFromPublic')) {
    results.push({
      kind: 'public-access',
      blocking: true,
      message:
        'OpenSearch Serverless network policy opened to the internet: `AllowFromPublic` `false` -> `true`',
    });
  }
  if (any(now, 'AWSOwnedKey') && !any(was, 'AWSOwnedKey')) {
    results.push({
      kind: 'encryption',
      blocking: true,
      message:
        'OpenSearch Serverless encryption policy: customer-managed key replaced by an AWS-owned key (`AWSOwnedKey` `true`)',
    });
  }
  return results;
}

import { RESOURCE_TYPES } from '../../../core/resource-types';
import type { TemplateResource } from '../private/template';
import type { AwsPolicyRule } from '../rule';

/**
 * Stateful resources survive a stack deletion and a replacement: every CloudFormation type the
 * resource-type registry marks `preventDestroy` carries `DeletionPolicy: Retain` and
 * `UpdateReplacePolicy: Retain` (`RemovalPolicy.RETAIN`, the AWS constructs' default). `Snapshot` does not
 * count: it exists for a few types only and a snapshot is not the resource. A throwaway environment opts
 * out with an acknowledgement and its reason.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-updatereplacepolicy.html
 */
export class RetainRule implements AwsPolicyRule {
  readonly id = 'LLMOPS-AWS-RETAIN';
  readonly severity = 'error';
  readonly description =
    'Stateful resources (registry preventDestroy) carry DeletionPolicy and UpdateReplacePolicy Retain.';

  appliesTo(type: string): boolean {
    return RESOURCE_TYPES[type]?.preventDestroy === true;
  }

  check(resource: TemplateResource): readonly string[] {
    const missing = [
      resource.deletionPolicy === 'Retain' ? undefined : 'DeletionPolicy',
      resource.updateReplacePolicy === 'Retain' ? undefined : 'UpdateReplacePolicy',
    ].filter((m) => m !== undefined);
    if (missing.length === 0) return [];
    return [
      `stateful ${resource.type} (${RESOURCE_TYPES[resource.type]!.statefulReason}) without ${missing.join(' and ')} ` +
        'Retain; keep the construct default (removalPolicy: RemovalPolicy.RETAIN)',
    ];
  }
}

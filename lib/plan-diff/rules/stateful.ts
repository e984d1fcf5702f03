import { isCloudFormationType, resourceTypeFacts } from '../../../constructs/core/resource-types';
import { getPath } from '../json';
import type { ResourceState } from './types';

/**
 * True when destroying or replacing this resource loses data or identity (keys, blobs, indexes, logs,
 * model deployments, endpoints other systems point at): the resource-type registry marks its type
 * `losesDataWhenDestroyed` (an azapi resource by the ARM type in its `type`, a CloudFormation resource by
 * its `Type`). Destroying or replacing one is blocking.
 */
export function isStateful(resource: ResourceState): boolean {
  return resourceTypeFacts(resource.type, resource.body.type)?.losesDataWhenDestroyed === true;
}

/**
 * True when the resource is guarded against deletion: `lifecycle.prevent_destroy = true` (Terraform), or
 * `DeletionPolicy: Retain` (CloudFormation: the resource is kept, outside the stack, when it leaves the
 * template or the stack is deleted).
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html
 */
export function hasPreventDestroy(resource: ResourceState): boolean {
  if (isCloudFormationType(resource.type)) return resource.body.DeletionPolicy === 'Retain';
  return getPath(resource.body, ['lifecycle', 'prevent_destroy']) === true;
}

/**
 * True when a CloudFormation resource has `UpdateReplacePolicy: Retain`: on replacement the old physical
 * resource is kept (orphaned, with its data) instead of deleted.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-updatereplacepolicy.html
 */
export function retainsOnReplace(resource: ResourceState): boolean {
  return isCloudFormationType(resource.type) && resource.body.UpdateReplacePolicy === 'Retain';
}

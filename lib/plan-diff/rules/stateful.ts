import { resourceTypeFacts } from '../../../constructs/core/resource-types';
import { getPath } from '../json';
import type { ResourceState } from './types';

/**
 * True when destroying or replacing this resource loses data or identity (keys, blobs, indexes, logs,
 * model deployments, endpoints other systems point at): the resource-type registry marks its type
 * `losesDataWhenDestroyed` (an azapi resource by the ARM type in its `type`). Destroying or replacing one
 * is blocking.
 */
export function isStateful(resource: ResourceState): boolean {
  return resourceTypeFacts(resource.type, resource.body.type)?.losesDataWhenDestroyed === true;
}

/** True when the resource has `lifecycle.prevent_destroy = true`. */
export function hasPreventDestroy(resource: ResourceState): boolean {
  return getPath(resource.body, ['lifecycle', 'prevent_destroy']) === true;
}

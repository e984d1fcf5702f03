import { azapiResourceType } from '../forces-new';
import type { JsonObject } from '../json';

/** Whether an azapi resource body's `type` names `wanted` (any API version; ARM types ignore case). */
export const sameAzapiType = (body: JsonObject, wanted: string): boolean =>
  // Stryker disable next-line StringLiteral: any text that is no resource type reads the same as ''
  (azapiResourceType(body.type) ?? '').toLowerCase() === wanted.toLowerCase();

/**
 * JSON Schemas (2020-12) of the azapi bodies the model constructs send, reduced by hand from
 * Azure/azure-rest-api-specs `specification/cognitiveservices/resource-manager/Microsoft.CognitiveServices/
 * stable/2024-10-01/cognitiveservices.json` (definitions `RaiPolicy`, `RaiPolicyProperties`,
 * `RaiPolicyContentFilter`, `CustomBlocklistConfig`, `RaiBlocklistConfig`, `RaiPolicyContentSource`,
 * `RaiBlocklistItem`, `RaiBlocklistItemProperties`).
 *
 * `spec/azure/` has no schema for these types yet; these live with the tests that use them. Reductions:
 * read-only properties (`type`, `etag`, `systemData`) and descriptions dropped; enums enforced
 * (`modelAsString` too: a value outside the version's list is almost always a typo); unknown properties
 * rejected, which the spec does not say but which catches misspelt keys (azapi would send them as is).
 */
import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';

const source = { enum: ['Prompt', 'Completion'] };

/** `Microsoft.CognitiveServices/accounts/raiPolicies@2024-10-01` body. */
export const RAI_POLICY_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  properties: {
    tags: { type: 'object', additionalProperties: { type: 'string' } },
    properties: {
      type: 'object',
      additionalProperties: false,
      properties: {
        mode: { enum: ['Default', 'Deferred', 'Blocking', 'Asynchronous_filter'] },
        basePolicyName: { type: 'string' },
        contentFilters: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            properties: {
              name: { type: 'string' },
              enabled: { type: 'boolean' },
              severityThreshold: { enum: ['Low', 'Medium', 'High'] },
              blocking: { type: 'boolean' },
              source,
            },
          },
        },
        customBlocklists: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            properties: { blocklistName: { type: 'string' }, blocking: { type: 'boolean' }, source },
          },
        },
      },
    },
  },
} as const;

/** `Microsoft.CognitiveServices/accounts/raiBlocklists/raiBlocklistItems@2024-10-01` body. */
export const RAI_BLOCKLIST_ITEM_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  properties: {
    tags: { type: 'object', additionalProperties: { type: 'string' } },
    properties: {
      type: 'object',
      additionalProperties: false,
      properties: { pattern: { type: 'string' }, isRegex: { type: 'boolean' } },
    },
  },
} as const;

const ajv = new Ajv2020({ allErrors: true, strict: true });
const validators = {
  'Microsoft.CognitiveServices/accounts/raiPolicies@2024-10-01': ajv.compile(RAI_POLICY_SCHEMA),
  'Microsoft.CognitiveServices/accounts/raiBlocklists/raiBlocklistItems@2024-10-01':
    ajv.compile(RAI_BLOCKLIST_ITEM_SCHEMA),
} as const;

/** Validation errors of `body` for the azapi `type` (`[]` when valid). Throws for a type without a schema here. */
export function raiBodyErrors(type: string, body: unknown): string[] {
  const validate = validators[type as keyof typeof validators];
  if (!validate) throw new Error(`no schema for ${type} in test/models/rai-schemas.ts`);
  return validate(body)
    ? []
    : (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message}`);
}

import { z } from 'zod';
import { type Problem, ValidationError } from './errors';
import type { JsonValue } from './json';

const note = z
  .string()
  .min(1)
  .optional()
  .describe('Why the fact is what it is, where the provider docs or the data are not obvious.');

const diagnosticsPart = {
  logs: z.boolean().describe('The type has resource logs (sent as the `allLogs` category group).'),
  metrics: z.boolean().describe('The type has platform metrics (sent as `AllMetrics`).'),
};

const diagnosticProfile = z
  .strictObject({
    ...diagnosticsPart,
    dedicatedTables: z
      .boolean()
      .optional()
      .describe(
        'Write to resource-specific tables (`log_analytics_destination_type = "Dedicated"`); only for types ' +
          "whose logs have such tables, e.g. API Management's `ApiManagementGatewayLlmLog`.",
      ),
    subResources: z
      .array(
        z.strictObject({
          suffix: z.string().regex(/^\/[A-Za-z]+\/[A-Za-z]+$/, 'must read /<collection>/<name>'),
          ...diagnosticsPart,
        }),
      )
      .optional()
      .describe("Sub-resources with settings of their own, e.g. a storage account's blob service."),
    note,
  })
  .refine((p) => p.logs || p.metrics, 'a profile sends logs, metrics or both; else use { "none": reason }');

const withoutDiagnostics = z.strictObject({
  none: z.string().min(1).describe('Why the type gets no diagnostic setting.'),
});

const jsonScalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** A Terraform argument path without list indices: `name`, `model.format`. */
const argumentPath = z
  .string()
  .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, 'must be an argument path without list indices');

const forcesNewAttribute = z.strictObject({
  path: argumentPath,
  inPlace: z
    .array(z.tuple([jsonScalar, jsonScalar]))
    .optional()
    .describe(
      'Changes applied in place although the argument is force-new, as [before, after]; null = absent.',
    ),
  inPlaceWithin: z
    .array(z.array(z.string()).min(2))
    .optional()
    .describe('Groups of values within which a change is in place; across groups it forces replacement.'),
  compare: z
    .literal('azapi-resource-type')
    .optional()
    .describe('Compare only the resource type of an azapi `type` (`<type>@<api-version>`).'),
  note,
});

const forcesNew = z.strictObject({
  attributes: z
    .union([z.literal('all-arguments'), z.array(z.union([argumentPath, forcesNewAttribute])).min(1)])
    .describe('The force-new arguments, or `all-arguments` when every argument forces replacement.'),
  source: z.url().describe('The provider documentation page the list comes from.'),
  note,
});

/**
 * The schema of one entry of `resource-types.json`: what this project knows about one resource type.
 * Every field but the stateful pair is optional; an absent fact means "not applicable".
 */
export const resourceTypeFactsSchema = z
  .strictObject({
    losesDataWhenDestroyed: z
      .boolean()
      .optional()
      .describe(
        'Destroying or replacing it loses data, keys, a name other systems use, or the protection of ' +
          'another resource: the plan diff blocks it.',
      ),
    preventDestroy: z
      .boolean()
      .optional()
      .describe('The prevent-destroy policy rule requires `lifecycle.prevent_destroy` on it.'),
    managementLock: z
      .boolean()
      .optional()
      .describe(
        'It carries a `CanNotDelete` management lock when `protection.locks` is on (the management-lock ' +
          'rule requires one in production). Never a resource group: its lock is inherited by every resource ' +
          'in it, so every Terraform delete or replace in the group would fail.',
      ),
    statefulReason: z
      .string()
      .min(1)
      .optional()
      .describe('What is lost; when preventDestroy is false, also why the policy does not require it.'),
    diagnostics: z
      .union([diagnosticProfile, withoutDiagnostics])
      .optional()
      .describe('What it sends to a diagnostic setting, or why it gets none.'),
    privateLink: z
      .record(z.string().regex(/^[A-Za-z]+$/), z.array(z.string().startsWith('privatelink.')).min(1))
      .optional()
      .describe(
        'Private DNS zones per private-link sub-resource (group id), public Azure cloud; the first ' +
          'sub-resource is the one a private environment requires an endpoint for (private-endpoint rule).',
      ),
    forcesNew: forcesNew.optional().describe('The arguments whose change makes Terraform replace it.'),
  })
  .superRefine((entry, ctx) => {
    if (entry.preventDestroy && !entry.losesDataWhenDestroyed) {
      ctx.addIssue({
        code: 'custom',
        path: ['preventDestroy'],
        message:
          'is true but losesDataWhenDestroyed is not: only a type that loses data needs prevent_destroy',
      });
    }
    const stateful = entry.losesDataWhenDestroyed !== undefined || entry.preventDestroy !== undefined;
    if (stateful && (entry.losesDataWhenDestroyed === undefined || entry.preventDestroy === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['preventDestroy'],
        message: 'losesDataWhenDestroyed and preventDestroy are decided together: give both',
      });
    }
    if (entry.managementLock && !entry.preventDestroy) {
      ctx.addIssue({
        code: 'custom',
        path: ['managementLock'],
        message: 'is true but preventDestroy is not: a locked type is protected from Terraform too',
      });
    }
    if (entry.losesDataWhenDestroyed && !entry.statefulReason) {
      ctx.addIssue({ code: 'custom', path: ['statefulReason'], message: 'is required for a stateful type' });
    }
    if (!entry.losesDataWhenDestroyed && entry.statefulReason) {
      ctx.addIssue({ code: 'custom', path: ['statefulReason'], message: 'is only for a stateful type' });
    }
  });

/** The schema of `resource-types.json`: entries keyed by Terraform type or, for azapi, ARM type. */
export const resourceTypesSchema = z
  .record(
    z
      .string()
      .regex(
        /^([a-z]+_[a-z0-9_]+|Microsoft\.[A-Za-z]+(\/[A-Za-z]+)+)$/,
        'must be a Terraform type (azurerm_key_vault) or an ARM type without API version',
      ),
    resourceTypeFactsSchema,
  )
  .superRefine((types, ctx) => {
    if (types.azurerm_resource_group?.managementLock) {
      ctx.addIssue({
        code: 'custom',
        path: ['azurerm_resource_group', 'managementLock'],
        message:
          'must not be true: a group lock is inherited and makes every delete or replace in the group fail',
      });
    }
    const owners = new Map<string, string>();
    for (const [type, facts] of Object.entries(types)) {
      for (const sub of Object.keys(facts.privateLink ?? {})) {
        const other = owners.get(sub);
        if (other) {
          ctx.addIssue({
            code: 'custom',
            path: [type, 'privateLink', sub],
            message: `sub-resource ${JSON.stringify(sub)} is already listed under ${other}: a sub-resource has one set of zones`,
          });
        }
        owners.set(sub, type);
      }
    }
  });

/** What a resource type can send to a diagnostic setting. */
export type DiagnosticProfile = z.infer<typeof diagnosticProfile>;

/** One argument whose change makes Terraform replace the resource (the provider schema's `ForceNew`). */
export interface ForcesNewAttribute {
  /** Argument path without list indices, e.g. `name` or `model.format`; a change at or below it counts. */
  readonly path: string;
  /** Changes applied in place although the argument is force-new, `[before, after]`; `null` = absent. */
  readonly inPlace?: readonly (readonly [JsonValue, JsonValue])[];
  /** Groups of values within which a change is in place; across groups it forces replacement. */
  readonly inPlaceWithin?: readonly (readonly string[])[];
  /** `azapi-resource-type`: compare only the part of an azapi `type` before `@<api-version>`. */
  readonly compare?: 'azapi-resource-type';
  readonly note?: string;
}

/** The force-new arguments of one resource type and where they are documented. */
export interface ForcesNewEntry {
  /** The arguments, or `all-arguments` when every argument forces replacement (role assignments). */
  readonly attributes: readonly (string | ForcesNewAttribute)[] | 'all-arguments';
  /** The provider documentation page the list comes from. */
  readonly source: string;
  readonly note?: string;
}

/** Everything this project knows about one resource type (see `resource-types.json`). */
export type ResourceTypeFacts = Readonly<Omit<z.infer<typeof resourceTypeFactsSchema>, 'forcesNew'>> & {
  readonly forcesNew?: ForcesNewEntry;
};

/**
 * Validates registry data against {@link resourceTypesSchema}.
 *
 * @throws ValidationError naming each bad entry's path, value and what is allowed
 */
export function parseResourceTypes(data: unknown, file: string): Readonly<Record<string, ResourceTypeFacts>> {
  const result = resourceTypesSchema.safeParse(data);
  if (result.success) return result.data;
  throw new ValidationError(
    `Invalid resource-type registry ${file}`,
    result.error.issues.flatMap((issue) => problemsOf(issue, [])),
  );
}

/** The problems of one zod issue: a bad record key or a failed union is reported by its nested issues. */
function problemsOf(issue: z.core.$ZodIssue, base: readonly PropertyKey[]): Problem[] {
  const path = [...base, ...issue.path];
  if (issue.code === 'invalid_key' || issue.code === 'invalid_element') {
    return issue.issues.flatMap((nested) => problemsOf(nested, path));
  }
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    return closestBranch(issue.errors).flatMap((nested) => problemsOf(nested, path));
  }
  return [{ path: path.map(String).join('.'), message: issue.message }];
}

/** The union branch the input came closest to: the fewest issues, then the deepest (it matched the most). */
function closestBranch(branches: readonly (readonly z.core.$ZodIssue[])[]): readonly z.core.$ZodIssue[] {
  const depth = (issue: z.core.$ZodIssue): number =>
    issue.path.length +
    (issue.code === 'invalid_union' ? 1 + Math.max(0, ...issue.errors.flat().map(depth)) : 0);
  const score = (branch: readonly z.core.$ZodIssue[]): [number, number] => [
    branch.length,
    -Math.max(0, ...branch.map(depth)),
  ];
  return [...branches].sort((a, b) => {
    const [ca, da] = score(a);
    const [cb, db] = score(b);
    return ca - cb || da - db;
  })[0]!;
}

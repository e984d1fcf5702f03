import { z } from 'zod';
import { type Problem, ValidationError } from './errors';
import type { JsonValue } from './json';
import { CLOUDFORMATION_TYPE } from './resource-types';

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

/** A Terraform argument path without list indices (`name`, `model.format`). */
const TERRAFORM_ARGUMENT = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;
/** A top-level property of a CloudFormation resource (`BucketName`). */
const CLOUDFORMATION_PROPERTY = /^[A-Z][A-Za-z0-9]*$/;

/** Where the CloudFormation resource reference lives: a CloudFormation `forcesNew` source starts with it. */
export const CLOUDFORMATION_DOCS = 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/';

/** A Terraform argument path without list indices, or a CloudFormation top-level property name. */
const argumentPath = z
  .string()
  .regex(
    new RegExp(`${TERRAFORM_ARGUMENT.source}|${CLOUDFORMATION_PROPERTY.source}`),
    'must be an argument path without list indices (Terraform) or a top-level property (CloudFormation)',
  );

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
    .describe(
      'The force-new arguments, or `all-arguments` when every argument forces replacement. For a ' +
        'CloudFormation type: the top-level properties documented "Update requires: Replacement".',
    ),
  source: z
    .url()
    .describe(
      'The provider documentation page (CloudFormation: resource reference page) the list comes from.',
    ),
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
      .describe(
        'The prevent-destroy policy rule requires `lifecycle.prevent_destroy` on it; on a CloudFormation ' +
          'type, `DeletionPolicy` and `UpdateReplacePolicy` `Retain` (aws-cdk `RemovalPolicy.RETAIN`).',
      ),
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
    forcesNew: forcesNew
      .optional()
      .describe('The arguments whose change makes Terraform (or CloudFormation) replace it.'),
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

/** Facts that exist only on Azure: a CloudFormation entry does not carry them. */
const AZURE_ONLY_FACTS = ['managementLock', 'diagnostics', 'privateLink'] as const;

/** The cloud-specific checks of one entry: property spelling and docs of the force-new list, Azure-only facts. */
function checkCloud(type: string, facts: ResourceTypeFacts, ctx: z.core.$RefinementCtx): void {
  const aws = CLOUDFORMATION_TYPE.test(type);
  if (aws) {
    for (const fact of AZURE_ONLY_FACTS) {
      if (facts[fact] !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [type, fact],
          message: 'is an Azure fact: a CloudFormation type has none',
        });
      }
    }
  }
  const entry = facts.forcesNew;
  if (!entry) return;
  if (aws && !entry.source.startsWith(CLOUDFORMATION_DOCS)) {
    ctx.addIssue({
      code: 'custom',
      path: [type, 'forcesNew', 'source'],
      message: `must be the CloudFormation resource reference page (${CLOUDFORMATION_DOCS}...)`,
    });
  }
  if (entry.attributes === 'all-arguments') return;
  entry.attributes.forEach((attribute, i) => {
    const rule = typeof attribute === 'string' ? { path: attribute } : attribute;
    const ok = aws
      ? CLOUDFORMATION_PROPERTY.test(rule.path) && typeof attribute === 'string'
      : TERRAFORM_ARGUMENT.test(rule.path);
    if (!ok) {
      ctx.addIssue({
        code: 'custom',
        path: [type, 'forcesNew', 'attributes', i],
        message: aws
          ? 'must be a top-level CloudFormation property name (BucketName), without in-place exceptions'
          : 'must be a Terraform argument path (snake_case)',
      });
    }
  });
}

/**
 * The schema of `resource-types.json`: entries keyed by Terraform type, ARM type (azapi) or CloudFormation
 * type (the AWS rendering).
 */
export const resourceTypesSchema = z
  .record(
    z
      .string()
      .regex(
        new RegExp(
          `^([a-z]+_[a-z0-9_]+|Microsoft\\.[A-Za-z]+(\\/[A-Za-z]+)+)$|${CLOUDFORMATION_TYPE.source}`,
        ),
        'must be a Terraform type (azurerm_key_vault), an ARM type without API version or a CloudFormation type (AWS::S3::Bucket)',
      ),
    resourceTypeFactsSchema,
  )
  .superRefine((types, ctx) => {
    for (const [type, facts] of Object.entries(types)) checkCloud(type, facts as ResourceTypeFacts, ctx);
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

/**
 * The synthesized CloudFormation templates as the own rules see them: one {@link TemplateResource} per
 * resource, with its logical id, construct path, type, properties and retention policies, plus helpers to
 * read values that may be CloudFormation intrinsics (`Ref`, `Fn::GetAtt`, `Fn::Join`, `Fn::Sub`).
 */
import { readFileSync } from 'node:fs';
import { CfnResource, type IPolicyValidationContext, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** One resource of a synthesized template. */
export interface TemplateResource {
  /** Logical id in the template, e.g. `Bucket83908E77`. */
  readonly logicalId: string;
  /** Construct path of the `CfnResource`, e.g. `dev/Rag/Bucket/Resource`; the logical id when unknown. */
  readonly path: string;
  /** CloudFormation type, e.g. `AWS::S3::Bucket`. */
  readonly type: string;
  /** `Properties` as synthesized (intrinsics left as they are). */
  readonly properties: Readonly<Record<string, unknown>>;
  readonly deletionPolicy?: string;
  readonly updateReplacePolicy?: string;
  /** Logical ids in `DependsOn`. */
  readonly dependsOn: readonly string[];
  /** The template the resource is in. */
  readonly template: StackTemplate;
}

/** One synthesized stack template. */
export interface StackTemplate {
  /** Construct path of the stack, e.g. `aws-dev`. */
  readonly stackPath: string;
  /** Absolute path of `<stack>.template.json`. */
  readonly templatePath: string;
  /** Every resource, in template order. */
  readonly resources: readonly TemplateResource[];
  /** The resource with `logicalId`, if any. */
  byLogicalId(logicalId: string): TemplateResource | undefined;
  /** The resources of one CloudFormation type. */
  ofType(type: string): TemplateResource[];
}

interface RawResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly DependsOn?: string | string[];
}

/**
 * Reads every template of the validation context. Construct paths come from the app's tree (each
 * `CfnResource`'s logical id in its stack), so they do not depend on `aws:cdk:path` metadata being on.
 */
export function readTemplates(context: IPolicyValidationContext): StackTemplate[] {
  const paths = constructPathsByLogicalId(context.appConstruct);
  return context.stackTemplates.map((s) => {
    const json = JSON.parse(readFileSync(s.templatePath, 'utf8')) as {
      Resources?: Record<string, RawResource>;
    };
    const byId = new Map<string, TemplateResource>();
    const template: StackTemplate = {
      stackPath: s.stackConstructPath,
      templatePath: s.templatePath,
      resources: [],
      byLogicalId: (id) => byId.get(id),
      ofType: (type) => template.resources.filter((r) => r.type === type),
    };
    const resources = Object.entries(json.Resources ?? {}).map(([logicalId, raw]) => {
      const resource: TemplateResource = {
        logicalId,
        path: paths.get(`${s.stackConstructPath}\u0000${logicalId}`) ?? logicalId,
        type: raw.Type,
        properties: raw.Properties ?? {},
        deletionPolicy: raw.DeletionPolicy,
        updateReplacePolicy: raw.UpdateReplacePolicy,
        dependsOn: raw.DependsOn === undefined ? [] : [raw.DependsOn].flat(),
        template,
      };
      byId.set(logicalId, resource);
      return resource;
    });
    (template.resources as TemplateResource[]).push(...resources);
    return template;
  });
}

function constructPathsByLogicalId(root: IConstruct): Map<string, string> {
  const paths = new Map<string, string>();
  for (const node of root.node.findAll()) {
    if (!CfnResource.isCfnResource(node)) continue;
    const stack = Stack.of(node);
    paths.set(`${stack.node.path}\u0000${stack.resolve(node.logicalId)}`, node.node.path);
  }
  return paths;
}

/** Reads a nested value: `get(props, 'ContentPolicyConfig', 'FiltersConfig')`. */
export function get(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** The value as an array: `undefined` is empty, a scalar is a one-item list (IAM's `Action: "s3:*"`). */
export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * The logical id a value refers to: `{ Ref: id }` or `{ "Fn::GetAtt": [id, attr] }` (also `"id.attr"`);
 * `undefined` for anything else.
 */
export function referencedLogicalId(value: unknown): string | undefined {
  const ref = get(value, 'Ref');
  if (typeof ref === 'string') return ref;
  const getAtt = get(value, 'Fn::GetAtt');
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/**
 * A value as text, with each intrinsic that CloudFormation resolves at deploy time written as a
 * placeholder (`${Ref:Role1ABCD}`, `${GetAtt:Role1ABCD.Arn}`): `Fn::Join` and `Fn::Sub` (without a
 * variable map) are joined, so a policy document built from tokens can still be parsed. `undefined` when
 * the value is neither a string nor one of these.
 */
export function flatten(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const entries = Object.entries(value);
  if (entries.length !== 1) return undefined;
  const [fn, arg] = entries[0]!;
  switch (fn) {
    case 'Ref':
      return typeof arg === 'string' ? `\${Ref:${arg}}` : undefined;
    case 'Fn::GetAtt':
      return Array.isArray(arg) ? `\${GetAtt:${arg.join('.')}}` : `\${GetAtt:${String(arg)}}`;
    case 'Fn::Join': {
      if (!Array.isArray(arg) || typeof arg[0] !== 'string' || !Array.isArray(arg[1])) return undefined;
      const parts = (arg[1] as unknown[]).map(flatten);
      return parts.every((p) => p !== undefined) ? parts.join(arg[0]) : undefined;
    }
    case 'Fn::Sub':
      return typeof arg === 'string' ? arg : undefined;
    default:
      return undefined;
  }
}

/** A JSON document held in a string property (policy documents of OpenSearch Serverless), parsed. */
export function parseJsonProperty(value: unknown): unknown {
  const text = flatten(value);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

import { type IAspect, TerraformResource, TerraformStack } from 'cdktf';
import type { IConstruct, IValidation } from 'constructs';
import { compareStrings } from '../core/json';
import { synthesizedAttributes } from '../core/resolve';

/** A resource as Terraform will see it: type, address and resolved arguments (snake_case). */
export interface SynthesizedResource {
  readonly construct: TerraformResource;
  readonly type: string;
  /** `<type>.<logical id>`, the Terraform address. */
  readonly address: string;
  /** Resolved arguments, as in `cdk.tf.json` (including `lifecycle`). */
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly stack: TerraformStack;
}

/** One result of a rule on a resource. */
export interface PolicyFinding {
  readonly ruleId: string;
  readonly severity: 'error' | 'warning';
  /** Construct path, e.g. `prod/Models/Account`. */
  readonly path: string;
  readonly address: string;
  readonly message: string;
  /** The written reason when the finding is suppressed. */
  readonly suppressedBecause?: string;
}

const SUPPRESSION_KEY = 'llmops:policy-suppression';

/**
 * A policy check over the construct tree: an Aspect that checks every resource it applies to.
 * One rule per file; subclasses say which types they apply to and what is wrong with a resource.
 *
 * Findings are collected while aspects run and evaluated when the stack is validated (after every aspect,
 * including the one that fills in diagnostic settings, has run), so a rule sees the final tree. Synth
 * fails on any unsuppressed error.
 */
export abstract class PolicyRule implements IAspect {
  /** Stable id used in findings and suppressions, e.g. `local-auth-disabled`. */
  abstract readonly id: string;
  /** One sentence: what the rule demands. */
  abstract readonly description: string;
  /** Errors fail synth; warnings are reported. @default 'error' */
  readonly severity: 'error' | 'warning' = 'error';

  /** Whether the rule checks resources of this Terraform type. */
  abstract appliesTo(resourceType: string): boolean;

  /** What is wrong with `resource`, or undefined when it complies. */
  abstract check(resource: SynthesizedResource): string | undefined;

  visit(node: IConstruct): void {
    if (node instanceof TerraformResource && this.appliesTo(node.terraformResourceType)) {
      PolicyReport.of(TerraformStack.of(node)).enqueue(this, node);
    }
  }
}

/**
 * Suppresses `ruleId` for `scope` and everything below it. The reason is printed with the finding and
 * must say why the exception is acceptable.
 */
export function suppressPolicy(scope: IConstruct, ruleId: string, reason: string): void {
  if (reason.trim().length < 10) {
    throw new Error(
      `Suppressing policy rule "${ruleId}" at ${scope.node.path || '<root>'} needs a written reason (at least 10 characters), got ${JSON.stringify(reason)}`,
    );
  }
  scope.node.addMetadata(SUPPRESSION_KEY, { ruleId, reason: reason.trim() });
}

function suppressionReason(node: IConstruct, ruleId: string): string | undefined {
  for (const scope of [...node.node.scopes].reverse()) {
    for (const entry of scope.node.metadata) {
      if (entry.type !== SUPPRESSION_KEY) continue;
      const data = entry.data as { ruleId: string; reason: string };
      if (data.ruleId === ruleId) return data.reason;
    }
  }
  return undefined;
}

const reports = new WeakMap<TerraformStack, PolicyReport>();

/**
 * The findings of every policy rule in one stack. Registered as a validation on the stack, so
 * `app.synth()`, `cdktf synth` and `Testing.synth(stack, true)` fail on unsuppressed errors.
 */
export class PolicyReport implements IValidation {
  /** The report of `stack`, created on first use. */
  static of(stack: TerraformStack): PolicyReport {
    let report = reports.get(stack);
    if (!report) {
      report = new PolicyReport(stack);
      reports.set(stack, report);
      stack.node.addValidation(report);
    }
    return report;
  }

  /** The report of `stack` if any rule ran on it. */
  static tryOf(stack: TerraformStack): PolicyReport | undefined {
    return reports.get(stack);
  }

  private readonly queue: { rule: PolicyRule; resource: TerraformResource }[] = [];
  private readonly seen = new Set<string>();
  private evaluated?: PolicyFinding[];

  private constructor(private readonly stack: TerraformStack) {}

  /** Records that `rule` must check `resource`; evaluation happens at validation. */
  enqueue(rule: PolicyRule, resource: TerraformResource): void {
    const key = `${rule.id}\u0000${resource.node.path}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.queue.push({ rule, resource });
    this.evaluated = undefined;
  }

  /** Every finding, suppressed ones included, sorted by path then rule. */
  get findings(): readonly PolicyFinding[] {
    if (!this.evaluated) this.evaluated = this.evaluate();
    return this.evaluated;
  }

  /** Ids of the rules that ran on this stack. */
  get ruleIds(): readonly string[] {
    return [...new Set(this.queue.map((q) => q.rule.id))].sort();
  }

  validate(): string[] {
    return this.findings
      .filter((f) => f.severity === 'error' && f.suppressedBecause === undefined)
      .map((f) => `[policy ${f.ruleId}] ${f.path} (${f.address}): ${f.message}`);
  }

  private evaluate(): PolicyFinding[] {
    const synthesized = new Map<TerraformResource, SynthesizedResource>();
    const findings: PolicyFinding[] = [];
    for (const { rule, resource } of this.queue) {
      let synth = synthesized.get(resource);
      if (!synth) {
        synth = synthesize(this.stack, resource);
        synthesized.set(resource, synth);
      }
      const message = rule.check(synth);
      if (message === undefined) continue;
      findings.push({
        ruleId: rule.id,
        severity: rule.severity,
        path: resource.node.path,
        address: synth.address,
        message,
        suppressedBecause: suppressionReason(resource, rule.id),
      });
    }
    return findings.sort((a, b) => compareStrings(a.path, b.path) || compareStrings(a.ruleId, b.ruleId));
  }
}

function synthesize(stack: TerraformStack, resource: TerraformResource): SynthesizedResource {
  return {
    construct: resource,
    type: resource.terraformResourceType,
    address: `${resource.terraformResourceType}.${resource.friendlyUniqueId}`,
    attributes: synthesizedAttributes(resource),
    stack,
  };
}

/**
 * The resources of `stack` of one Terraform type, as Terraform will see them. For rules that relate a
 * resource to others of the stack (an endpoint to its target, an approval to its link).
 */
export function stackResources(stack: TerraformStack, type: string): SynthesizedResource[] {
  return stack.node
    .findAll()
    .filter((n): n is TerraformResource => n instanceof TerraformResource && n.terraformResourceType === type)
    .map((resource) => synthesize(stack, resource));
}

/** `depends_on` of a synthesized resource (Terraform addresses). */
export function dependsOn(resource: SynthesizedResource): readonly string[] {
  const value = resource.attributes.depends_on;
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * Reads a nested attribute: `attr(attrs, 'identity', 0, 'type')`.
 *
 * cdktf writes a nested block that takes at most one item (`identity`, `security`, `network_acls`) as an
 * object, not as a one-item list; index `0` reads such a block either way.
 */
export function attr(attributes: Readonly<Record<string, unknown>>, ...path: (string | number)[]): unknown {
  let value: unknown = attributes;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    if (key === 0 && !Array.isArray(value)) continue;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

/** Helpers for the policy rule tests: a stack with rules applied, raw resources, the synth error. */
import { Aspects, TerraformResource, type TerraformStack, Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { type PolicyFinding, PolicyReport, type PolicyRule } from '../../constructs/policy';
import { testStack } from '../helpers/synth';

/** A test stack (azurerm and azapi providers) with `rules` applied as aspects. */
export function stackWith(...rules: PolicyRule[]): TerraformStack {
  const stack = testStack();
  for (const rule of rules) Aspects.of(stack).add(rule);
  return stack;
}

/**
 * A resource of any type with the given (snake_case) arguments, written as raw overrides: what the rules
 * read is exactly what Terraform would get. Use real provider classes where the shape cdktf writes matters.
 */
export function rawResource(
  scope: Construct,
  id: string,
  type: string,
  attributes: Record<string, unknown> = {},
): TerraformResource {
  const provider = type.startsWith('azapi_') ? 'azapi' : 'azurerm';
  const resource = new TerraformResource(scope, id, {
    terraformResourceType: type,
    terraformGeneratorMetadata: { providerName: provider },
  });
  for (const [key, value] of Object.entries(attributes)) resource.addOverride(key, value);
  return resource;
}

/** Synthesizes with validations; returns the error message, failing the test when synth passes. */
export function synthError(stack: TerraformStack): string {
  try {
    Testing.synth(stack, true);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected synth to fail on a policy error');
}

/** Synthesizes with validations (throws on an unsuppressed error) and returns every finding. */
export function findingsAfterSynth(stack: TerraformStack): readonly PolicyFinding[] {
  Testing.synth(stack, true);
  return PolicyReport.tryOf(stack)?.findings ?? [];
}

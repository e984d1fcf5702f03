import {
  DefaultTokenResolver,
  StringConcat,
  type TerraformResource,
  TerraformStack,
  Tokenization,
} from 'cdktf';
import type { IConstruct } from 'constructs';

const resolver = new DefaultTokenResolver(new StringConcat());

/**
 * Resolves tokens in `value` as the stack would write them into `cdk.tf.json`
 * (`${azurerm_key_vault.Security_Vault_1A2B3C4D.id}`).
 */
export function resolveTokens<T>(scope: IConstruct, value: T): T {
  return Tokenization.resolve(value, { scope, resolver, preparing: false }) as T;
}

/** The part of a stack's `cdk.tf.json` {@link synthesizedAttributes} reads. */
type Resources = { resource?: Record<string, Record<string, Record<string, unknown>>> };

const synthesizedStacks = new WeakMap<TerraformStack, Resources>();

/**
 * Runs `validate` with `json`, the stack's configuration as `stack.toTerraform()` returned it, as the source
 * of {@link synthesizedAttributes} for the resources of `stack`: the policy rules then read what was
 * resolved once for the whole stack instead of resolving each resource again. Only for a stack that
 * does not change while `validate` runs (its validations). Two differences from resolving a resource
 * alone: stack-level overrides (`stack.addOverride('resource.<type>.<id>.<argument>', ...)`) are part of
 * what the rules see, as they are part of `cdk.tf.json`; and the rules are handed the very objects that are
 * written, so a rule must not change what it reads.
 */
export function withSynthesizedStack<T>(stack: TerraformStack, json: unknown, validate: () => T): T {
  synthesizedStacks.set(stack, json as Resources);
  try {
    return validate();
  } finally {
    synthesizedStacks.delete(stack);
  }
}

/**
 * The arguments of `resource` as they synthesize into `cdk.tf.json` (snake_case, `lifecycle` included),
 * with tokens resolved to Terraform expressions. Read by the policy rules and by monitoring discovery.
 */
export function synthesizedAttributes(resource: TerraformResource): Record<string, unknown> {
  const json =
    synthesizedStacks.get(TerraformStack.of(resource)) ??
    (resolveTokens(resource, resource.toTerraform()) as Resources);
  return json.resource?.[resource.terraformResourceType]?.[resource.friendlyUniqueId] ?? {};
}

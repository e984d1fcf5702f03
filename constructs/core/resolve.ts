import { DefaultTokenResolver, StringConcat, type TerraformResource, Tokenization } from 'cdktf';
import type { IConstruct } from 'constructs';

const resolver = new DefaultTokenResolver(new StringConcat());

/**
 * Resolves tokens in `value` as the stack would write them into `cdk.tf.json`
 * (`${azurerm_key_vault.Security_Vault_1A2B3C4D.id}`).
 */
export function resolveTokens<T>(scope: IConstruct, value: T): T {
  return Tokenization.resolve(value, { scope, resolver, preparing: false }) as T;
}

/**
 * The arguments of `resource` as they synthesize into `cdk.tf.json` (snake_case, `lifecycle` included),
 * with tokens resolved to Terraform expressions. Read by the policy rules and by monitoring discovery.
 */
export function synthesizedAttributes(resource: TerraformResource): Record<string, unknown> {
  const json = resolveTokens(resource, resource.toTerraform()) as {
    resource?: Record<string, Record<string, Record<string, unknown>>>;
  };
  return json.resource?.[resource.terraformResourceType]?.[resource.friendlyUniqueId] ?? {};
}

import { DefaultTokenResolver, StringConcat, Tokenization } from 'cdktf';
import type { IConstruct } from 'constructs';

const resolver = new DefaultTokenResolver(new StringConcat());

/**
 * Resolves tokens in `value` as the stack would write them into `cdk.tf.json`
 * (`${azurerm_key_vault.Security_Vault_1A2B3C4D.id}`).
 */
export function resolveTokens<T>(scope: IConstruct, value: T): T {
  return Tokenization.resolve(value, { scope, resolver, preparing: false }) as T;
}

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const PROVIDER_LIB = join(__dirname, '../../node_modules/@cdktf/provider-azurerm/lib');

/**
 * True when `type` is a resource type of the pinned azurerm provider: `azurerm_key_vault` is bound in
 * `@cdktf/provider-azurerm/lib/key-vault` with `tfResourceType = "azurerm_key_vault"`. Reads the file,
 * never imports it (a module costs a quarter of a second). A misspelt entry in a type list would
 * otherwise match nothing and protect nothing.
 */
export function isAzurermResourceType(type: string): boolean {
  if (!/^azurerm_[a-z0-9_]+$/.test(type)) return false;
  const file = join(PROVIDER_LIB, type.slice('azurerm_'.length).replace(/_/g, '-'), 'index.js');
  return existsSync(file) && readFileSync(file, 'utf8').includes(`tfResourceType = "${type}"`);
}

import { type IAspect, TerraformResource, Token } from 'cdktf';
import type { IConstruct } from 'constructs';
import type { Tags } from './props';

interface Taggable {
  tags: Record<string, string>;
  readonly tagsInput?: Record<string, string>;
}

/**
 * Resource types whose `tags` argument is a list of labels, not Azure resource tags (a key-value map).
 * API Management named values are the one such type this project deploys.
 */
export const LIST_TAG_TYPES: ReadonlySet<string> = new Set([
  'azurerm_api_management_named_value',
  'azurerm_sentinel_threat_intelligence_indicator',
]);

/**
 * Whether a resource takes Azure resource tags: it has a `tags` argument (azurerm resources that support
 * tags all bind `tagsInput`) that is a key-value map.
 */
export function isTaggable(node: IConstruct): node is TerraformResource & Taggable {
  return (
    node instanceof TerraformResource &&
    'tagsInput' in node &&
    !LIST_TAG_TYPES.has(node.terraformResourceType)
  );
}

/**
 * Adds `tags` to every taggable resource in scope. Tags a construct set itself win over these, so a
 * construct can refine a tag but the required ones are always present.
 */
export class TagsAspect implements IAspect {
  constructor(private readonly tags: Tags) {}

  visit(node: IConstruct): void {
    if (!isTaggable(node)) return;
    const own = node.tagsInput;
    if (own !== undefined && Token.isUnresolved(own)) return;
    node.tags = { ...this.tags, ...(own ?? {}) };
  }
}

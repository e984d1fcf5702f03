import { type IAspect, TerraformResource, Token } from 'cdktf';
import type { IConstruct } from 'constructs';
import type { Tags } from './props';

interface Taggable {
  tags: Record<string, string>;
  readonly tagsInput?: Record<string, string>;
}

/** Whether a resource has a `tags` argument (azurerm resources that support tags all bind `tagsInput`). */
export function isTaggable(node: IConstruct): node is TerraformResource & Taggable {
  return node instanceof TerraformResource && 'tagsInput' in node;
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

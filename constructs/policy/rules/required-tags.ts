import { isTaggable } from '../../core/tags';
import { attr, PolicyRule, type SynthesizedResource } from '../engine';

/** Tag keys every taggable resource must carry. */
export interface RequiredTagsRuleProps {
  readonly keys: readonly string[];
}

/** Every resource that takes tags carries the required tags (owner, environment, cost attribution). */
export class RequiredTagsRule extends PolicyRule {
  readonly id = 'required-tags';
  readonly description = 'Taggable resources carry the required tags.';

  constructor(private readonly props: RequiredTagsRuleProps) {
    super();
  }

  appliesTo(): boolean {
    return true;
  }

  override visit(node: Parameters<PolicyRule['visit']>[0]): void {
    if (isTaggable(node)) super.visit(node);
  }

  check(resource: SynthesizedResource): string | undefined {
    const tags = (attr(resource.attributes, 'tags') ?? {}) as Record<string, unknown>;
    const missing = this.props.keys.filter((k) => typeof tags[k] !== 'string' || tags[k] === '');
    return missing.length ? `missing required tags: ${missing.join(', ')}` : undefined;
  }
}

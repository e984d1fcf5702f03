/**
 * The name check of the constructs: {@link checkName} lets unresolved cdktf tokens pass. The rules, the
 * region codes and {@link Naming} live in `naming-rules.ts` (free of cdktf) and are re-exported here.
 */
import { Token } from 'cdktf';
import type { Problem } from './errors';
import { checkNameRule, type NamedResourceKind } from './naming-rules';

export {
  checkNameRule,
  NAMING_RULES,
  type NamedResourceKind,
  Naming,
  type NamingProps,
  type NamingRule,
  REGION_SHORT_CODES,
  SUFFIX_LENGTH,
  uniqueSuffix,
} from './naming-rules';

/**
 * Checks a name against its type's rule. Unresolved tokens pass (their value is known only at apply).
 * @returns a problem naming the type, the name and the rule, or undefined when the name is legal.
 */
export function checkName(kind: NamedResourceKind, name: string, path = 'name'): Problem | undefined {
  return Token.isUnresolved(name) ? undefined : checkNameRule(kind, name, path);
}

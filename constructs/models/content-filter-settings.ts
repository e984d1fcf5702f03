/**
 * What a content filter blocks (`ContentFilterSettings`), its strict defaults and its checks, free of
 * cdktf: the environment config and the `ContentFilterPolicy` and `ModelAccount` constructs validate with
 * the same rules and messages. The checks take literal values; a construct skips an unresolved token.
 */
import type { Problems } from '../core/errors';
import { caseInsensitiveDuplicates } from './model-facts';

/** Severity from which content is blocked: `Low` blocks low, medium and high (strictest); `High` only high. */
export type SeverityThreshold = 'Low' | 'Medium' | 'High';

/** The four harm categories, filtered on prompts and completions. */
export type HarmCategory = 'Hate' | 'Sexual' | 'Violence' | 'SelfHarm';

/** The severity thresholds, strictest first. */
export const SEVERITY_THRESHOLDS: readonly SeverityThreshold[] = ['Low', 'Medium', 'High'];
/** The harm categories, in the order the policy body lists them. */
export const HARM_CATEGORIES: readonly HarmCategory[] = ['Hate', 'Sexual', 'Violence', 'SelfHarm'];

/** What a content filter blocks. The same shape serves config and constructs; every field is optional. */
export interface ContentFilterSettings {
  /**
   * Severity from which hate, sexual, violence and self-harm content is blocked, in prompts and
   * completions.
   * @default 'Low' - block every severity (Microsoft's default is Medium)
   */
  readonly severityThreshold?: SeverityThreshold;
  /**
   * Per-category thresholds that override `severityThreshold`.
   * @default - none
   */
  readonly categories?: Readonly<Partial<Record<HarmCategory, SeverityThreshold>>>;
  /**
   * Prompt shields: block jailbreak attempts in user prompts and indirect attacks in grounding documents.
   * @default true
   */
  readonly promptShieldsEnabled?: boolean;
  /**
   * Block completions that contain known protected text (lyrics, articles) or code from public repositories.
   * @default true
   */
  readonly protectedMaterialEnabled?: boolean;
  /**
   * Custom blocklists by name: exact terms (case-insensitive) blocked in prompts and completions. Each
   * becomes an account-level blocklist `<policy name>-<list name>`.
   * @default - none
   */
  readonly blocklists?: Readonly<Record<string, readonly string[]>>;
}

/** The strict defaults every policy starts from. */
export const STRICT_CONTENT_FILTER: Required<ContentFilterSettings> = {
  severityThreshold: 'Low',
  categories: {},
  promptShieldsEnabled: true,
  protectedMaterialEnabled: true,
  blocklists: {},
};

const POLICY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const BLOCKLIST_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/**
 * Checks content filter settings; `path` prefixes every problem. Shared by the construct and the
 * environment config.
 */
export function checkContentFilterSettings(
  settings: ContentFilterSettings,
  problems: Problems,
  path = '',
): void {
  const at = (p: string) => (path ? `${path}.${p}` : p);
  const severity = settings.severityThreshold;
  if (severity !== undefined && !SEVERITY_THRESHOLDS.includes(severity)) {
    problems.add(
      at('severityThreshold'),
      `${JSON.stringify(severity)} is not one of ${SEVERITY_THRESHOLDS.join(', ')}`,
    );
  }
  for (const [category, value] of Object.entries(settings.categories ?? {})) {
    if (!HARM_CATEGORIES.includes(category as HarmCategory)) {
      problems.add(
        at(`categories.${category}`),
        `is not a harm category (allowed: ${HARM_CATEGORIES.join(', ')})`,
      );
    } else if (!SEVERITY_THRESHOLDS.includes(value as SeverityThreshold)) {
      problems.add(
        at(`categories.${category}`),
        `${JSON.stringify(value)} is not one of ${SEVERITY_THRESHOLDS.join(', ')}`,
      );
    }
  }
  for (const [list, terms] of Object.entries(settings.blocklists ?? {})) {
    const listPath = at(`blocklists.${list}`);
    if (!BLOCKLIST_NAME.test(list)) {
      problems.add(
        listPath,
        `${JSON.stringify(list)} is not a valid blocklist name: 1-64 letters, digits, "_" and "-"`,
      );
    }
    if (terms.length === 0)
      problems.add(listPath, 'is empty: list at least one term, or remove the blocklist');
    terms.forEach((t, i) => {
      if (t.trim() === '') problems.add(`${listPath}[${i}]`, 'is blank: a blocklist term needs text');
    });
    const dupes = caseInsensitiveDuplicates(terms);
    if (dupes.length) {
      problems.add(
        listPath,
        `duplicate terms (matching ignores case): ${dupes.map((g) => g.map((t) => JSON.stringify(t)).join(' = ')).join(', ')}`,
      );
    }
  }
}

/** Why `name` (a literal, not a token) cannot name a content filter policy, or undefined. */
export function policyNameProblem(name: string): string | undefined {
  if (/^microsoft\./i.test(name))
    return `${JSON.stringify(name)} is reserved: names starting with "Microsoft." are Microsoft's policies`;
  return POLICY_NAME.test(name)
    ? undefined
    : `${JSON.stringify(name)} is not a valid policy name: 1-64 letters, digits, ".", "_" and "-", starting with a letter or digit`;
}

import { createHash } from 'node:crypto';
import { CognitiveAccountRaiBlocklist } from '@cdktf/provider-azurerm/lib/cognitive-account-rai-blocklist';
import { type ITerraformDependable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { AzapiResource, type JsonObject } from '../core/azapi';
import { Problems } from '../core/errors';
import {
  type ContentFilterSettings,
  checkContentFilterSettings,
  HARM_CATEGORIES,
  type HarmCategory,
  policyNameProblem,
  type SeverityThreshold,
  STRICT_CONTENT_FILTER,
} from './content-filter-settings';

export {
  type ContentFilterSettings,
  checkContentFilterSettings,
  HARM_CATEGORIES,
  type HarmCategory,
  policyNameProblem,
  SEVERITY_THRESHOLDS,
  type SeverityThreshold,
  STRICT_CONTENT_FILTER,
} from './content-filter-settings';

/**
 * The RAI policy is written with azapi at this stable API version: azurerm 4.55's
 * `azurerm_cognitive_account_rai_policy` cannot reference custom blocklists (`customBlocklists`), and it
 * requires a `severity_threshold` on prompt-shield and protected-material filters, where the API has
 * none. One resource type for every policy means adding a blocklist later never replaces the policy.
 *
 * @see https://learn.microsoft.com/rest/api/aiservices/accountmanagement/rai-policies/create-or-update
 */
export const RAI_POLICY_AZAPI_TYPE = 'Microsoft.CognitiveServices/accounts/raiPolicies@2024-10-01';

/** Blocklist items are not in azurerm 4.55 (`azurerm_cognitive_account_rai_blocklist` has no items). */
export const RAI_BLOCKLIST_ITEM_AZAPI_TYPE =
  'Microsoft.CognitiveServices/accounts/raiBlocklists/raiBlocklistItems@2024-10-01';

/**
 * Microsoft's built-in policy (hate, sexual, violence and self-harm blocked from Medium severity, prompt
 * shields for jailbreaks, protected material). Every policy of this project starts from it, and a
 * deployment may name it only as an explicit opt-out.
 *
 * @see https://learn.microsoft.com/azure/ai-foundry/openai/concepts/default-safety-policies
 */
export const MICROSOFT_DEFAULT_CONTENT_FILTER = 'Microsoft.DefaultV2';

/** Content filter names as the RAI policy API spells them. */
const FILTER_NAMES: Readonly<Record<HarmCategory, string>> = {
  Hate: 'Hate',
  Sexual: 'Sexual',
  Violence: 'Violence',
  SelfHarm: 'Selfharm',
};

/** An account that holds content filter policies (a {@link ModelAccount}). */
export interface IModelAccountRef {
  /** ARM id of the AI Services / Azure OpenAI account. */
  readonly accountId: string;
}

/** Properties of {@link ContentFilterPolicy}. */
export interface ContentFilterPolicyProps extends ContentFilterSettings {
  /** The account the policy belongs to. Forces replacement. */
  readonly account: IModelAccountRef;
  /** Policy name, referenced by deployments (`rai_policy_name`). Forces replacement. */
  readonly name: string;
  /**
   * Resources that must be written before this policy's first resource. Azure rejects concurrent
   * writes below one account (HTTP 409), so {@link ModelAccount} chains its children.
   * @default - none
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** One content filter entry of the RAI policy body. */
interface ContentFilterEntry extends JsonObject {
  name: string;
  enabled: boolean;
  blocking: boolean;
  source: 'Prompt' | 'Completion';
  severityThreshold?: SeverityThreshold;
}

/**
 * The `body` of the `raiPolicies` resource: the four harm categories on prompts and completions with
 * their thresholds, prompt shields (`Jailbreak`, `Indirect Attack`) on prompts, protected material
 * (`Protected Material Text`, `Protected Material Code`) on completions, and custom blocklists on both.
 * Disabled shields are written out as disabled so the base policy cannot turn them on silently.
 *
 * @param blocklistNames account-level names of the custom blocklists the policy references
 */
export function raiPolicyBody(
  settings: ContentFilterSettings,
  blocklistNames: readonly string[] = [],
): JsonObject {
  const s = { ...STRICT_CONTENT_FILTER, ...settings };
  const filters: ContentFilterEntry[] = [];
  for (const source of ['Prompt', 'Completion'] as const) {
    for (const category of HARM_CATEGORIES) {
      filters.push({
        name: FILTER_NAMES[category],
        enabled: true,
        blocking: true,
        severityThreshold: s.categories[category] ?? s.severityThreshold,
        source,
      });
    }
  }
  const shields = s.promptShieldsEnabled;
  const material = s.protectedMaterialEnabled;
  filters.push(
    { name: 'Jailbreak', enabled: shields, blocking: shields, source: 'Prompt' },
    { name: 'Indirect Attack', enabled: shields, blocking: shields, source: 'Prompt' },
    { name: 'Protected Material Text', enabled: material, blocking: material, source: 'Completion' },
    { name: 'Protected Material Code', enabled: material, blocking: material, source: 'Completion' },
  );
  const properties: JsonObject = {
    basePolicyName: MICROSOFT_DEFAULT_CONTENT_FILTER,
    mode: 'Default',
    contentFilters: filters,
  };
  if (blocklistNames.length) {
    properties.customBlocklists = blocklistNames.flatMap((blocklistName) =>
      (['Prompt', 'Completion'] as const).map((source) => ({ blocklistName, blocking: true, source })),
    );
  }
  return { properties };
}

/** A stable item name for a blocklist term: the same term always maps to the same item. */
export function blocklistItemName(term: string): string {
  return `item-${createHash('sha256').update(term).digest('hex').slice(0, 16)}`;
}

/**
 * A content filter (RAI policy) on a model account: hate, sexual, violence and self-harm filters on
 * prompts and completions, prompt shields (jailbreak, indirect attacks), protected material (text,
 * code) and optional custom blocklists. Strict by default: every severity is blocked and every shield
 * is on.
 *
 * Resources: the policy (azapi `raiPolicies`, see {@link RAI_POLICY_AZAPI_TYPE} for why), one
 * `azurerm_cognitive_account_rai_blocklist` per blocklist and one azapi `raiBlocklistItems` per term.
 * They are chained one after another, ending with the policy.
 *
 * @see https://learn.microsoft.com/azure/ai-foundry/openai/how-to/content-filters
 * @see https://learn.microsoft.com/azure/ai-foundry/openai/how-to/use-blocklists
 */
export class ContentFilterPolicy extends Construct {
  /** The RAI policy resource. Depends on every blocklist and item, so it completes the chain. */
  public readonly policy: AzapiResource;
  /** Policy name, as deployments reference it. */
  public readonly policyName: string;
  /** Account-level blocklist resources by list name (as given in `blocklists`). */
  public readonly blocklists: Readonly<Record<string, CognitiveAccountRaiBlocklist>>;

  constructor(scope: Construct, id: string, props: ContentFilterPolicyProps) {
    super(scope, id);
    const problems = new Problems('props');
    // Unresolved tokens pass: their value is known only at apply.
    const nameProblem = Token.isUnresolved(props.name) ? undefined : policyNameProblem(props.name);
    if (nameProblem) problems.add('name', nameProblem);
    checkContentFilterSettings(props, problems);
    problems.throwIfAny(`Invalid ContentFilterPolicy "${this.node.path}"`);

    let previous: readonly ITerraformDependable[] | undefined = props.dependsOn?.length
      ? [...props.dependsOn]
      : undefined;
    const blocklists: Record<string, CognitiveAccountRaiBlocklist> = {};
    for (const [list, terms] of Object.entries(props.blocklists ?? {})) {
      const scopeOfList = new Construct(this, `Blocklist-${list}`);
      const blocklist = new CognitiveAccountRaiBlocklist(scopeOfList, 'Default', {
        name: `${props.name}-${list}`,
        cognitiveAccountId: props.account.accountId,
        description: `Blocklist ${list} of content filter ${props.name} (llmops-platform)`,
        dependsOn: previous ? [...previous] : undefined,
      });
      previous = [blocklist];
      for (const term of terms) {
        const itemName = blocklistItemName(term);
        const item = new AzapiResource(scopeOfList, `Item-${itemName}`, {
          type: RAI_BLOCKLIST_ITEM_AZAPI_TYPE,
          name: itemName,
          parentId: blocklist.id,
          body: { properties: { pattern: term, isRegex: false } },
          dependsOn: [...previous],
        });
        previous = [item];
      }
      blocklists[list] = blocklist;
    }
    this.blocklists = blocklists;

    this.policyName = props.name;
    this.policy = new AzapiResource(this, 'Default', {
      type: RAI_POLICY_AZAPI_TYPE,
      name: props.name,
      parentId: props.account.accountId,
      body: raiPolicyBody(
        props,
        Object.keys(blocklists).map((l) => `${props.name}-${l}`),
      ),
      dependsOn: previous ? [...previous] : undefined,
    });
  }

  /** ARM id of the policy. */
  get resourceId(): string {
    return this.policy.id;
  }
}

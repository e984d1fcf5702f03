import type { TerraformStack } from 'cdktf';
import {
  blocklistItemName,
  ContentFilterPolicy,
  type ContentFilterPolicyProps,
  MICROSOFT_DEFAULT_CONTENT_FILTER,
  RAI_BLOCKLIST_ITEM_AZAPI_TYPE,
  RAI_POLICY_AZAPI_TYPE,
  raiPolicyBody,
  STRICT_CONTENT_FILTER,
} from '../../constructs/models/content-filter-policy';
import { type Attributes, azapiOf, listOf, modelStack, problemsOf, synth } from './helpers';
import { raiBodyErrors } from './rai-schemas';

const ACCOUNT_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-test/providers/Microsoft.CognitiveServices/accounts/ais-test';
const account = { accountId: ACCOUNT_ID };

function build(props: Partial<ContentFilterPolicyProps> = {}, stack: TerraformStack = modelStack()) {
  const policy = new ContentFilterPolicy(stack, 'Filter', { account, name: 'strict', ...props });
  return { stack, policy };
}

type Filter = {
  name: string;
  enabled: boolean;
  blocking: boolean;
  source: string;
  severityThreshold?: string;
};

function filtersOf(policy: Attributes): Filter[] {
  return (policy.body as { properties: { contentFilters: Filter[] } }).properties.contentFilters;
}

function find(filters: Filter[], name: string, source: string): Filter {
  const f = filters.find((x) => x.name === name && x.source === source);
  if (!f) throw new Error(`no filter ${name}/${source}`);
  return f;
}

describe('ContentFilterPolicy', () => {
  test('defaults: strict on every category, both directions, every shield on', () => {
    // GIVEN / WHEN
    const { stack } = build();
    const json = synth(stack);

    // THEN one policy, an azapi raiPolicies resource on the account
    const [policy, ...rest] = azapiOf(json, 'Microsoft.CognitiveServices/accounts/raiPolicies@');
    expect(rest).toHaveLength(0);
    expect(policy!.type).toBe(RAI_POLICY_AZAPI_TYPE);
    expect(policy!.name).toBe('strict');
    expect(policy!.parent_id).toBe(ACCOUNT_ID);
    const props = (policy!.body as { properties: Record<string, unknown> }).properties;
    expect(props.basePolicyName).toBe(MICROSOFT_DEFAULT_CONTENT_FILTER);
    expect(props.mode).toBe('Default');
    expect(props.customBlocklists).toBeUndefined();

    // AND every harm category blocks from Low severity, on prompts and on completions
    const filters = filtersOf(policy!);
    for (const source of ['Prompt', 'Completion']) {
      for (const name of ['Hate', 'Sexual', 'Violence', 'Selfharm']) {
        expect(find(filters, name, source)).toEqual({
          name,
          source,
          enabled: true,
          blocking: true,
          severityThreshold: 'Low',
        });
      }
    }
    // AND prompt shields on prompts, protected material on completions, blocking, without a severity
    expect(find(filters, 'Jailbreak', 'Prompt')).toEqual({
      name: 'Jailbreak',
      source: 'Prompt',
      enabled: true,
      blocking: true,
    });
    expect(find(filters, 'Indirect Attack', 'Prompt')).toEqual({
      name: 'Indirect Attack',
      source: 'Prompt',
      enabled: true,
      blocking: true,
    });
    for (const name of ['Protected Material Text', 'Protected Material Code']) {
      expect(find(filters, name, 'Completion')).toEqual({
        name,
        source: 'Completion',
        enabled: true,
        blocking: true,
      });
    }
    expect(filters).toHaveLength(12);

    // AND no blocklist resources, and the body is valid for the API version
    expect(listOf(json, 'azurerm_cognitive_account_rai_blocklist')).toHaveLength(0);
    expect(raiBodyErrors(RAI_POLICY_AZAPI_TYPE, policy!.body)).toEqual([]);
  });

  test('all props: thresholds, category override, shields off, blocklists with items, chained after dependsOn', () => {
    // GIVEN a resource the policy must wait for
    const stack = modelStack();
    const before = new ContentFilterPolicy(stack, 'Before', { account, name: 'before' });

    // WHEN
    const { policy } = build(
      {
        name: 'relaxed',
        severityThreshold: 'Medium',
        categories: { Violence: 'High' },
        promptShieldsEnabled: false,
        protectedMaterialEnabled: false,
        blocklists: { brands: ['Contoso', 'Fabrikam'], projects: ['Project Falcon'] },
        dependsOn: [before.policy],
      },
      stack,
    );
    const json = synth(stack);

    // THEN thresholds and the override
    const body = azapiOf(json, RAI_POLICY_AZAPI_TYPE).find((p) => p.name === 'relaxed')!;
    const filters = filtersOf(body);
    expect(find(filters, 'Hate', 'Prompt').severityThreshold).toBe('Medium');
    expect(find(filters, 'Selfharm', 'Completion').severityThreshold).toBe('Medium');
    expect(find(filters, 'Violence', 'Prompt').severityThreshold).toBe('High');
    expect(find(filters, 'Violence', 'Completion').severityThreshold).toBe('High');
    // AND disabled shields are written out as disabled, so the base policy cannot turn them on
    for (const [name, source] of [
      ['Jailbreak', 'Prompt'],
      ['Indirect Attack', 'Prompt'],
      ['Protected Material Text', 'Completion'],
      ['Protected Material Code', 'Completion'],
    ] as const) {
      expect(find(filters, name, source)).toEqual({ name, source, enabled: false, blocking: false });
    }

    // AND one account-level blocklist per list, named <policy>-<list>
    const blocklists = listOf(json, 'azurerm_cognitive_account_rai_blocklist');
    expect(blocklists.map((b) => b.name).sort()).toEqual(['relaxed-brands', 'relaxed-projects']);
    expect(blocklists.every((b) => b.cognitive_account_id === ACCOUNT_ID)).toBe(true);
    // AND one azapi item per term, named by a hash of the term, exact match
    const items = azapiOf(json, RAI_BLOCKLIST_ITEM_AZAPI_TYPE);
    expect(
      items.map((i) => (i.body as { properties: { pattern: string } }).properties.pattern).sort(),
    ).toEqual(['Contoso', 'Fabrikam', 'Project Falcon']);
    for (const item of items) {
      const { pattern, isRegex } = (item.body as { properties: { pattern: string; isRegex: boolean } })
        .properties;
      expect(item.name).toBe(blocklistItemName(pattern));
      expect(isRegex).toBe(false);
      expect(String(item.parent_id)).toMatch(
        /^\$\{azurerm_cognitive_account_rai_blocklist\.Filter_Blocklist-(brands|projects)_\w+\.id\}$/,
      );
      expect(raiBodyErrors(RAI_BLOCKLIST_ITEM_AZAPI_TYPE, item.body)).toEqual([]);
    }
    // AND the policy references both lists on prompts and completions
    expect((body.body as { properties: { customBlocklists: unknown } }).properties.customBlocklists).toEqual([
      { blocklistName: 'relaxed-brands', blocking: true, source: 'Prompt' },
      { blocklistName: 'relaxed-brands', blocking: true, source: 'Completion' },
      { blocklistName: 'relaxed-projects', blocking: true, source: 'Prompt' },
      { blocklistName: 'relaxed-projects', blocking: true, source: 'Completion' },
    ]);
    expect(raiBodyErrors(RAI_POLICY_AZAPI_TYPE, body.body)).toEqual([]);

    // AND everything is written one after another: first blocklist after `dependsOn`, the policy last
    const firstList = Object.entries(json.resource!.azurerm_cognitive_account_rai_blocklist!).find(
      ([, b]) => b.name === 'relaxed-brands',
    )![1];
    expect(firstList.depends_on).toEqual(['azapi_resource.Before']);
    expect(body.depends_on).toHaveLength(1);
    expect(String((body.depends_on as string[])[0])).toMatch(
      /^azapi_resource\.Filter_Blocklist-projects_Item-item-/,
    );
    expect(policy.policyName).toBe('relaxed');
    expect(Object.keys(policy.blocklists)).toEqual(['brands', 'projects']);
  });

  test('blocklist item names are stable per term and differ between terms', () => {
    expect(blocklistItemName('Contoso')).toBe(blocklistItemName('Contoso'));
    expect(blocklistItemName('Contoso')).not.toBe(blocklistItemName('Fabrikam'));
    expect(blocklistItemName('Contoso')).toMatch(/^item-[0-9a-f]{16}$/);
  });

  test('raiPolicyBody with no settings equals the strict defaults', () => {
    expect(raiPolicyBody({})).toEqual(raiPolicyBody(STRICT_CONTENT_FILTER));
  });

  test('the body schema used above rejects misspelt keys and unknown enum values', () => {
    // GIVEN a body with a typo and a severity the API does not know
    const body = { properties: { contentFilter: [], mode: 'Default' } };
    const bad = {
      properties: { contentFilters: [{ name: 'Hate', severityThreshold: 'None', source: 'Prompt' }] },
    };

    // THEN the validator used in these tests is not vacuous
    expect(raiBodyErrors(RAI_POLICY_AZAPI_TYPE, body)).toEqual([
      '/properties must NOT have additional properties',
    ]);
    expect(raiBodyErrors(RAI_POLICY_AZAPI_TYPE, bad)).toEqual([
      '/properties/contentFilters/0/severityThreshold must be equal to one of the allowed values',
    ]);
  });

  test('snapshot of the strict policy body', () => {
    const body = raiPolicyBody({}, ['strict-brands']);
    expect(raiBodyErrors(RAI_POLICY_AZAPI_TYPE, body)).toEqual([]);
    expect(body).toMatchSnapshot();
  });

  describe('validation', () => {
    const fails = (props: Partial<ContentFilterPolicyProps>) => problemsOf(() => build(props));

    test('fails when the name breaks the pattern', () => {
      expect(fails({ name: 'no spaces' })).toEqual([
        'props.name: "no spaces" is not a valid policy name: 1-64 letters, digits, ".", "_" and "-", starting with a letter or digit',
      ]);
    });

    test('fails when the name is reserved for Microsoft', () => {
      expect(fails({ name: 'Microsoft.Strict' })).toEqual([
        'props.name: "Microsoft.Strict" is reserved: names starting with "Microsoft." are Microsoft\'s policies',
      ]);
    });

    test('fails when the severity threshold is not Low, Medium or High', () => {
      expect(fails({ severityThreshold: 'Off' as never })).toEqual([
        'props.severityThreshold: "Off" is not one of Low, Medium, High',
      ]);
    });

    test('fails when a category is unknown', () => {
      expect(fails({ categories: { Profanity: 'Low' } as never })).toEqual([
        'props.categories.Profanity: is not a harm category (allowed: Hate, Sexual, Violence, SelfHarm)',
      ]);
    });

    test('fails when a category threshold is invalid', () => {
      expect(fails({ categories: { Hate: 'None' as never } })).toEqual([
        'props.categories.Hate: "None" is not one of Low, Medium, High',
      ]);
    });

    test('fails when a blocklist name is invalid', () => {
      expect(fails({ blocklists: { 'bad name': ['x'] } })).toEqual([
        'props.blocklists.bad name: "bad name" is not a valid blocklist name: 1-64 letters, digits, "_" and "-"',
      ]);
    });

    test('fails when a blocklist is empty', () => {
      expect(fails({ blocklists: { brands: [] } })).toEqual([
        'props.blocklists.brands: is empty: list at least one term, or remove the blocklist',
      ]);
    });

    test('fails when a blocklist term is blank', () => {
      expect(fails({ blocklists: { brands: ['Contoso', ' '] } })).toEqual([
        'props.blocklists.brands[1]: is blank: a blocklist term needs text',
      ]);
    });

    test('fails when a blocklist repeats a term (ignoring case)', () => {
      expect(fails({ blocklists: { brands: ['Contoso', 'contoso'] } })).toEqual([
        'props.blocklists.brands: duplicate terms (matching ignores case): "Contoso" = "contoso"',
      ]);
    });
  });
});

import { ValidationError } from '../../constructs/core/errors';
import { resolveTokens } from '../../constructs/core/resolve';
import { ActionGroup, type ActionGroupProps } from '../../constructs/monitoring/action-group';
import { onlyResource, synthStack, TEST_RESOURCE_GROUP, testStack } from '../helpers/synth';

const BASE: ActionGroupProps = {
  resourceGroup: TEST_RESOURCE_GROUP,
  name: 'ag-llmops-test-oncall',
  shortName: 'oncall',
  emails: ['oncall@contoso.com'],
};

function synthGroup(props: Partial<ActionGroupProps> = {}) {
  const stack = testStack();
  const group = new ActionGroup(stack, 'Oncall', { ...BASE, ...props });
  return { group, json: onlyResource(synthStack(stack), 'azurerm_monitor_action_group') };
}

function problemsOf(props: Partial<ActionGroupProps>): string[] {
  try {
    synthGroup(props);
  } catch (e) {
    if (e instanceof ValidationError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('ActionGroup', () => {
  test('defaults: a global, enabled group with one email receiver on the common alert schema', () => {
    // WHEN
    const { json } = synthGroup();
    // THEN
    expect(json).toMatchObject({
      name: 'ag-llmops-test-oncall',
      resource_group_name: 'rg-test',
      location: 'global',
      short_name: 'oncall',
      enabled: true,
      email_receiver: [
        { name: 'oncall@contoso.com', email_address: 'oncall@contoso.com', use_common_alert_schema: true },
      ],
    });
    expect(json.webhook_receiver).toBeUndefined();
  });

  test('all props: emails and webhooks, webhooks named by host without the path', () => {
    // WHEN
    const { group, json } = synthGroup({
      shortName: 'llmopsoncall',
      emails: ['a@contoso.com', 'b@contoso.com'],
      webhooks: [
        'https://hooks.contoso.com/alerts/secret-1',
        'https://hooks.contoso.com/alerts/secret-2',
        'https://pager.example.com/x',
      ],
      enabled: false,
    });
    // THEN
    expect(json.enabled).toBe(false);
    expect(json.short_name).toBe('llmopsoncall');
    expect((json.email_receiver as unknown[]).length).toBe(2);
    expect(json.webhook_receiver).toEqual([
      {
        name: 'webhook-hooks.contoso.com',
        service_uri: 'https://hooks.contoso.com/alerts/secret-1',
        use_common_alert_schema: true,
      },
      {
        name: 'webhook-hooks.contoso.com-2',
        service_uri: 'https://hooks.contoso.com/alerts/secret-2',
        use_common_alert_schema: true,
      },
      {
        name: 'webhook-pager.example.com',
        service_uri: 'https://pager.example.com/x',
        use_common_alert_schema: true,
      },
    ]);
    // and the handle is the resource id
    expect(resolveTokens(group, group.actionGroupId)).toBe(`\${azurerm_monitor_action_group.Oncall.id}`);
  });

  test('fails when the short name is longer than 12 characters', () => {
    expect(problemsOf({ shortName: 'llmops-oncall' })).toEqual([
      'props.shortName: "llmops-oncall" has 13 characters: must be 1 to 12',
    ]);
  });

  test('fails when the short name is empty', () => {
    expect(problemsOf({ shortName: '' })).toEqual(['props.shortName: "" has 0 characters: must be 1 to 12']);
  });

  test('fails when there is no receiver', () => {
    expect(problemsOf({ emails: [], webhooks: [] })).toEqual([
      'props.emails: no receivers: give at least one email address or webhook, or alerts routed here notify nobody',
    ]);
  });

  test('fails when an email address is invalid or listed twice', () => {
    expect(problemsOf({ emails: ['oncall', 'a@contoso.com', 'A@contoso.com'] })).toEqual([
      'props.emails[0]: "oncall" is not an email address',
      'props.emails[2]: "A@contoso.com" is listed twice',
    ]);
  });

  test('fails when a webhook is not https or listed twice', () => {
    expect(
      problemsOf({ webhooks: ['http://hooks.contoso.com/a', 'https://x.com/a', 'https://x.com/a'] }),
    ).toEqual([
      'props.webhooks[0]: "http://hooks.contoso.com/a" is not an https:// URL',
      'props.webhooks[2]: "https://x.com/a" is listed twice',
    ]);
  });

  test('fails when the name breaks the action group naming rule', () => {
    expect(problemsOf({ name: 'ag oncall!' })).toEqual([
      'props.name: action group name "ag oncall!" breaks the rule: 1-260 lowercase letters, digits and single hyphens, starting and ending with a letter or digit',
    ]);
  });

  test('snapshot', () => {
    const { json } = synthGroup();
    expect(json.name).toBe('ag-llmops-test-oncall');
    expect(json).toMatchSnapshot();
  });
});

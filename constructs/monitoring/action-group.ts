import { MonitorActionGroup } from '@cdktf/provider-azurerm/lib/monitor-action-group';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { Problems, show } from '../core/errors';
import { checkName } from '../core/naming';
import type { IResourceGroup } from '../core/props';

/** Where alerts are sent: anything with an action group id. Every alert construct takes one. */
export interface IActionGroup {
  /** ARM id of the `Microsoft.Insights/actionGroups` resource. */
  readonly actionGroupId: string;
}

/** Azure's limit on an action group's short name (shown in SMS and email subjects). */
export const ACTION_GROUP_SHORT_NAME_MAX_LENGTH = 12;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Properties of {@link ActionGroup}. */
export interface ActionGroupProps {
  /** Resource group the action group lives in. */
  readonly resourceGroup: IResourceGroup;
  /** Action group name, unique in the resource group. */
  readonly name: string;
  /** Short name shown in notifications, 1 to 12 characters. */
  readonly shortName: string;
  /**
   * Email addresses notified, each as its own receiver (named by the address), with the common alert schema.
   * @default none
   */
  readonly emails?: readonly string[];
  /**
   * HTTPS webhook URLs called, each as its own receiver (named `webhook-<host>`), with the common alert
   * schema. The URL is stored in Terraform state; prefer endpoints authenticated by Entra ID over URLs
   * carrying a secret.
   * @default none
   */
  readonly webhooks?: readonly string[];
  /**
   * Whether the action group sends notifications.
   * @default true
   */
  readonly enabled?: boolean;
}

/**
 * An Azure Monitor action group: the email and webhook receivers an alert notifies, all with the common
 * alert schema. At least one receiver is required, so no alert can route to a group that tells nobody.
 *
 * @example
 * const oncall = new ActionGroup(this, 'Oncall', {
 *   resourceGroup, name: 'ag-llmops-prod-oncall', shortName: 'llmopsoncall', emails: ['oncall@contoso.com'],
 * });
 * new BaselineAlerts(this, 'VaultAlerts', { resourceGroup, target: vault, actionGroup: oncall });
 *
 * @see https://learn.microsoft.com/azure/azure-monitor/alerts/action-groups
 */
export class ActionGroup extends Construct implements IActionGroup {
  /** The action group resource. */
  public readonly actionGroup: MonitorActionGroup;
  /** ARM id of the action group. */
  public readonly actionGroupId: string;

  constructor(scope: Construct, id: string, props: ActionGroupProps) {
    super(scope, id);
    const emails = props.emails ?? [];
    const webhooks = props.webhooks ?? [];
    const problems = new Problems('props');
    const nameProblem = checkName('actionGroup', props.name);
    if (nameProblem) problems.add(nameProblem.path, nameProblem.message);
    if (!Token.isUnresolved(props.shortName)) {
      problems.check(
        props.shortName.length >= 1 && props.shortName.length <= ACTION_GROUP_SHORT_NAME_MAX_LENGTH,
        'shortName',
        `${show(props.shortName)} has ${props.shortName.length} characters: must be 1 to ${ACTION_GROUP_SHORT_NAME_MAX_LENGTH}`,
      );
    }
    problems.check(
      emails.length + webhooks.length > 0,
      'emails',
      'no receivers: give at least one email address or webhook, or alerts routed here notify nobody',
    );
    emails.forEach((email, i) => {
      problems.check(EMAIL.test(email), `emails[${i}]`, `${show(email)} is not an email address`);
      if (emails.findIndex((e) => e.toLowerCase() === email.toLowerCase()) !== i) {
        problems.add(`emails[${i}]`, `${show(email)} is listed twice`);
      }
    });
    webhooks.forEach((url, i) => {
      problems.check(isHttpsUrl(url), `webhooks[${i}]`, `${show(url)} is not an https:// URL`);
      if (webhooks.indexOf(url) !== i) problems.add(`webhooks[${i}]`, `${show(url)} is listed twice`);
    });
    problems.throwIfAny(`Invalid ActionGroup "${this.node.path}"`);

    this.actionGroup = new MonitorActionGroup(this, 'Default', {
      name: props.name,
      resourceGroupName: props.resourceGroup.name,
      location: 'global',
      shortName: props.shortName,
      enabled: props.enabled ?? true,
      emailReceiver: emails.length
        ? emails.map((emailAddress) => ({ name: emailAddress, emailAddress, useCommonAlertSchema: true }))
        : undefined,
      webhookReceiver: webhooks.length
        ? webhookNames(webhooks).map(([name, serviceUri]) => ({
            name,
            serviceUri,
            useCommonAlertSchema: true,
          }))
        : undefined,
    });
    this.actionGroupId = this.actionGroup.id;
  }
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

/** `webhook-<host>`, with `-2`, `-3`, ... for further webhooks on the same host. The path (which may carry a secret) is left out. */
function webhookNames(urls: readonly string[]): [string, string][] {
  const seen = new Map<string, number>();
  return urls.map((url) => {
    const host = new URL(url).host;
    const count = (seen.get(host) ?? 0) + 1;
    seen.set(host, count);
    return [count === 1 ? `webhook-${host}` : `webhook-${host}-${count}`, url];
  });
}

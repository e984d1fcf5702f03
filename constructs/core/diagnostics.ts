import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { Aspects, type IAspect, TerraformResource, TerraformStack } from 'cdktf';
import type { Construct, IConstruct } from 'constructs';
import type { DiagnosticSettingsProps, ILogAnalyticsWorkspace } from './props';
import { resolveTokens } from './resolve';
import { DIAGNOSTIC_PROFILES } from './resource-types';

/** The name every diagnostic setting of this project carries (unique per target resource). */
export const DIAGNOSTIC_SETTING_NAME = 'llmops-platform';

/** `${<type>.<logical id>.id}`: how a reference to a resource's id reads once resolved. */
export function idReference(resource: TerraformResource): string {
  return `\${${resource.terraformResourceType}.${resource.friendlyUniqueId}.id}`;
}

/**
 * Creates the diagnostic settings of `target` (and of its sub-resources) per {@link DIAGNOSTIC_PROFILES},
 * as children of `target`, and returns them. Types without a profile get none.
 */
export function addDiagnosticSettings(
  target: TerraformResource,
  props: DiagnosticSettingsProps,
): MonitorDiagnosticSetting[] {
  return addDiagnosticSettingsById(
    target,
    'Diagnostics',
    target.terraformResourceType,
    target.getStringAttribute('id'),
    props,
  );
}

/**
 * Creates the diagnostic settings of a resource known only by its id (one managed by another stack), per
 * the {@link DIAGNOSTIC_PROFILES} entry of `resourceType`, as children of `scope` with ids `id` and
 * `<id><SubResource>` (`DiagnosticsBlobServices`). Types without a profile get none.
 *
 * @param resourceType the Terraform type the resource would have, e.g. `azurerm_storage_account`
 * @param targetResourceId the ARM id of the resource
 */
export function addDiagnosticSettingsById(
  scope: Construct,
  id: string,
  resourceType: string,
  targetResourceId: string,
  props: DiagnosticSettingsProps,
): MonitorDiagnosticSetting[] {
  const profile = DIAGNOSTIC_PROFILES[resourceType];
  if (!profile) return [];
  const settings = [createSetting(scope, id, targetResourceId, profile, props)];
  for (const sub of profile.subResources ?? []) {
    const subId = `${id}${sub.suffix
      .split('/')
      .filter(Boolean)[0]!
      .replace(/^./, (c) => c.toUpperCase())}`;
    settings.push(createSetting(scope, subId, `${targetResourceId}${sub.suffix}`, sub, props));
  }
  return settings;
}

function createSetting(
  scope: Construct,
  id: string,
  targetResourceId: string,
  what: { logs: boolean; metrics: boolean; dedicatedTables?: boolean },
  props: DiagnosticSettingsProps,
): MonitorDiagnosticSetting {
  const groups = props.logCategoryGroups ?? ['allLogs'];
  const metrics = props.metricsEnabled ?? true;
  return new MonitorDiagnosticSetting(scope, id, {
    name: DIAGNOSTIC_SETTING_NAME,
    targetResourceId,
    logAnalyticsWorkspaceId: props.workspace.id,
    logAnalyticsDestinationType: what.dedicatedTables ? 'Dedicated' : undefined,
    enabledLog: what.logs ? groups.map((categoryGroup) => ({ categoryGroup })) : undefined,
    enabledMetric: what.metrics && metrics ? [{ category: 'AllMetrics' }] : undefined,
  });
}

/**
 * The resolved target ids of every diagnostic setting in the stack (`${azurerm_key_vault.x.id}`,
 * `${azurerm_storage_account.y.id}/blobServices/default`).
 */
export function diagnosticTargets(stack: TerraformStack): Set<string> {
  const targets = new Set<string>();
  for (const node of stack.node.findAll()) {
    if (node instanceof MonitorDiagnosticSetting) {
      const target = resolveTokens(stack, node.targetResourceIdInput);
      if (typeof target === 'string') targets.add(target);
    }
  }
  return targets;
}

/** Marks a DiagnosticsAspect; `Symbol.for`, so two copies of this library recognize each other's. */
const DIAGNOSTICS_ASPECT = Symbol.for('llmops-platform.core.DiagnosticsAspect');

/**
 * Fills in diagnostic settings, so no construct can forget them: every resource in scope whose type
 * supports diagnostic settings ({@link DIAGNOSTIC_PROFILES}) and has none gets one sending all logs and
 * all metrics to `workspace`. Resources that already have a setting (their construct was given
 * `diagnosticSettings`, or one was declared by hand) are left alone.
 *
 * Apply it to a stack: `Aspects.of(stack).add(new DiagnosticsAspect({ workspace }))`. Teams composing
 * these constructs in their own stacks apply the same aspect; the `diagnostics-aspect` policy rule fails
 * a stack that forgot it.
 */
export class DiagnosticsAspect implements IAspect {
  /**
   * Whether `x` is a DiagnosticsAspect, also one from another copy of this library (where `instanceof`
   * would say no).
   */
  static isDiagnosticsAspect(x: unknown): x is DiagnosticsAspect {
    return typeof x === 'object' && x !== null && DIAGNOSTICS_ASPECT in x;
  }

  /**
   * Whether a DiagnosticsAspect visits `node`: one was added to `node` or to a scope above it (its
   * stack, the app). Aspects are added while the tree is built, so ask once it is complete (policy rules
   * ask at validation).
   */
  static isAppliedTo(node: IConstruct): boolean {
    return node.node.scopes.some((scope) =>
      Aspects.of(scope).all.some((aspect) => DiagnosticsAspect.isDiagnosticsAspect(aspect)),
    );
  }

  private readonly known = new WeakMap<TerraformStack, Set<string>>();

  constructor(private readonly props: DiagnosticSettingsProps) {
    Object.defineProperty(this, DIAGNOSTICS_ASPECT, { value: true });
  }

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource)) return;
    if (!DIAGNOSTIC_PROFILES[node.terraformResourceType]) return;
    const stack = TerraformStack.of(node);
    let targets = this.known.get(stack);
    if (!targets) {
      targets = diagnosticTargets(stack);
      this.known.set(stack, targets);
    }
    const ref = idReference(node);
    if (targets.has(ref)) return;
    addDiagnosticSettings(node, this.props);
    targets.add(ref);
  }
}

export type { DiagnosticProfile } from './resource-types';
export { DIAGNOSTIC_PROFILES, WITHOUT_DIAGNOSTIC_SETTINGS } from './resource-types';
export type { DiagnosticSettingsProps, ILogAnalyticsWorkspace };

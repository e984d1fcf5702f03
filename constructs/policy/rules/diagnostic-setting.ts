import type { TerraformStack } from 'cdktf';
import {
  DIAGNOSTIC_PROFILES,
  DiagnosticsAspect,
  diagnosticTargets,
  idReference,
} from '../../core/diagnostics';
import { PolicyRule, type SynthesizedResource } from '../engine';

/**
 * Every resource whose type supports diagnostic settings has one (and so do its sub-resources, such as a
 * storage account's blob service). The stack's DiagnosticsAspect normally fills them in; that the stack
 * has the aspect at all is the `diagnostics-aspect` rule's finding.
 */
export class DiagnosticSettingRule extends PolicyRule {
  readonly id = 'diagnostic-setting';
  readonly description =
    'Every resource that supports diagnostic settings sends its logs and metrics somewhere.';
  private readonly targets = new WeakMap<TerraformStack, Set<string>>();

  appliesTo(resourceType: string): boolean {
    return resourceType in DIAGNOSTIC_PROFILES;
  }

  check(resource: SynthesizedResource): string | undefined {
    let targets = this.targets.get(resource.stack);
    if (!targets) {
      targets = diagnosticTargets(resource.stack);
      this.targets.set(resource.stack, targets);
    }
    const ref = idReference(resource.construct);
    const expected = [
      ref,
      ...(DIAGNOSTIC_PROFILES[resource.type]!.subResources ?? []).map((s) => `${ref}${s.suffix}`),
    ];
    const missing = expected.filter((t) => !targets.has(t));
    if (!missing.length) return undefined;
    const what = `no diagnostic setting targets ${missing.map((m) => m.replace(ref, 'this resource')).join(', ')}`;
    return DiagnosticsAspect.isAppliedTo(resource.construct)
      ? `${what}; DiagnosticsAspect adds settings only to a resource that has none, so declare the missing one next to the setting the resource already has`
      : `${what}; give the construct diagnosticSettings or apply DiagnosticsAspect`;
  }
}

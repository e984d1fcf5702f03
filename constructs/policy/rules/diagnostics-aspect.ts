import { TerraformResource, type TerraformStack } from 'cdktf';
import { DIAGNOSTIC_PROFILES, DiagnosticsAspect } from '../../core/diagnostics';
import { PolicyRule, type SynthesizedResource } from '../engine';

/**
 * A stack whose resources need diagnostic settings ({@link DIAGNOSTIC_PROFILES}) applies
 * {@link DiagnosticsAspect} to them, so a construct given no `diagnosticSettings` (or a resource declared by
 * hand) still sends its logs and metrics somewhere. Without the aspect the constructs silently create
 * resources without settings; this rule names the missing aspect instead.
 *
 * One finding per stack, on the first resource in tree order that no DiagnosticsAspect visits; the message
 * counts them all. Which resources actually lack a setting is the `diagnostic-setting` rule's finding: a
 * stack that wires `diagnosticSettings` into every construct on purpose suppresses this rule (with that
 * reason) and keeps `diagnostic-setting` as its check.
 */
export class DiagnosticsAspectRule extends PolicyRule {
  readonly id = 'diagnostics-aspect';
  readonly description =
    'A stack with resources that support diagnostic settings applies DiagnosticsAspect to them.';

  appliesTo(resourceType: string): boolean {
    return resourceType in DIAGNOSTIC_PROFILES;
  }

  check(resource: SynthesizedResource): string | undefined {
    if (DiagnosticsAspect.isAppliedTo(resource.construct)) return undefined;
    const uncovered = uncoveredResources(resource.stack);
    if (uncovered[0] !== resource.construct) return undefined;
    const types = [...new Set(uncovered.map((r) => r.terraformResourceType))].sort();
    return (
      `no DiagnosticsAspect applies to stack "${resource.stack.node.id}", so nothing fills in the diagnostic ` +
      `settings of its ${uncovered.length} resource(s) that support them (${types.join(', ')}); add it to ` +
      'the stack: Aspects.of(stack).add(new DiagnosticsAspect({ workspace })), DiagnosticsAspect from ' +
      'llmops-platform/constructs/core'
    );
  }
}

/** The resources of `stack` that support diagnostic settings and that no DiagnosticsAspect visits. */
function uncoveredResources(stack: TerraformStack): TerraformResource[] {
  return stack.node
    .findAll()
    .filter(
      (n): n is TerraformResource =>
        n instanceof TerraformResource &&
        n.terraformResourceType in DIAGNOSTIC_PROFILES &&
        !DiagnosticsAspect.isAppliedTo(n),
    );
}

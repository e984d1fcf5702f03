import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { undeclaredReferences } from '../../constructs/core/references';
import { withSynthesizedStack } from '../../constructs/core/resolve';

/**
 * The base of this app's Terraform stacks (`bootstrap-<env>` and `<env>`): how they synthesize. Each
 * resource is resolved once per synth instead of three times, a third of the time of `npm run synth`
 * (BENCHMARKS.md); the output is the same.
 *
 * - No preparing resolve. Before synthesis, cdktf resolves every element of every stack only to find
 *   references from one stack to another, which it turns into outputs and remote state
 *   (cdktf 0.21.0 lib/terraform-stack.js `prepareStack`, lib/tfExpression.js `Reference.resolve`). The
 *   stacks of this app do not reference each other: each is applied on its own (the bootstrap stack by an
 *   administrator before the pipeline exists) and what crosses from one to the other goes through the
 *   config. A reference to a resource the stack does not declare fails validation, naming the construct
 *   that holds it.
 * - One resolve for validation and output: {@link runAllValidations} computes the stack's configuration
 *   first, the policy rules read the resources from it ({@link withSynthesizedStack}), and the
 *   {@link toTerraform} that follows (cdktf's synthesizer and `Testing.synth` call it right after
 *   validating) returns it instead of resolving again.
 */
export abstract class PlatformStack extends TerraformStack {
  /** The configuration {@link runAllValidations} validated, until {@link toTerraform} hands it out. */
  private validated?: Record<string, unknown>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.node.addValidation({
      validate: () =>
        undeclaredReferences(this.validated ?? super.toTerraform()).map(
          ({ reference, at }) =>
            `${at} refers to ${reference}, which this stack does not declare: the stacks of this app do not reference each other (what one needs from another goes through the config)`,
        ),
    });
  }

  override prepareStack(): void {
    this.ensureBackendExists(); // what cdktf's prepareStack does besides the preparing resolve
  }

  override runAllValidations(): void {
    const json: Record<string, unknown> = super.toTerraform();
    this.validated = json;
    try {
      withSynthesizedStack(this, json, () => super.runAllValidations());
    } catch (error) {
      this.validated = undefined;
      throw error;
    }
  }

  override toTerraform(): Record<string, unknown> {
    const json: Record<string, unknown> = this.validated ?? super.toTerraform();
    this.validated = undefined;
    return json;
  }
}

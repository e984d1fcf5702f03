import { type IStackSynthesizer, type ISynthesisSession, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { undeclaredReferences } from '../../constructs/core/references';
import { withSynthesizedStack } from '../../constructs/core/resolve';
import { withPlainValuesSkipped } from './plain-resolve';

/**
 * The base of this app's Terraform stacks (`bootstrap-<env>` and `<env>`): how they synthesize. A synth used
 * to resolve every resource three times (cdktf's preparing resolve, the policy rules, the output); these
 * stacks resolve each once, with the same output. Resolving is most of the Azure synth's time
 * (BENCHMARKS.md).
 *
 * - No preparing resolve. Before synthesis, cdktf resolves every element of every stack only to find
 *   references from one stack to another, which it turns into outputs and remote state
 *   (cdktf 0.21.0 lib/terraform-stack.js `prepareStack`, lib/tfExpression.js `Reference.resolve`). The
 *   stacks of this app do not reference each other: each is applied on its own (the bootstrap stack by an
 *   administrator before the pipeline exists) and what crosses from one to the other goes through the
 *   config. A reference to a block the stack does not declare fails validation instead, naming the block
 *   that holds it ({@link undeclaredReferences}: resources, data sources, locals, variables and modules, in
 *   expressions and in `depends_on`).
 * - One resolve for validation and output, within the stack's own synthesis (`app.synth()`, `cdktf synth`):
 *   cdktf's synthesizer runs the aspects, then {@link runAllValidations}, then custom synthesis and the
 *   annotations (which write files and read metadata, and change no argument), then {@link toTerraform}
 *   (cdktf 0.21.0 lib/synthesize/synthesizer.js). Within that run, {@link runAllValidations} computes the
 *   stack's configuration first, the policy rules read the resources from it
 *   ({@link withSynthesizedStack}), and {@link toTerraform} returns it instead of resolving again. Outside
 *   it (`Testing.synth`, a direct call), both work as cdktf's own.
 * - Each resolve leaves the plain values (no token in them) to a walk of its own and hands the rest to
 *   cdktf's resolve at the same path ({@link withPlainValuesSkipped}, lib/stacks/plain-resolve.ts): the same
 *   configuration, in about 60% of the time.
 */
export abstract class PlatformStack extends TerraformStack {
  /** Set while the stack's synthesizer runs. */
  private synthesizing = false;
  /** The configuration {@link runAllValidations} computed in this synthesis. */
  private validated?: Record<string, unknown>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.synthesizer = this.oneResolve(this.synthesizer);
    this.node.addValidation({
      validate: () =>
        undeclaredReferences(this.validated ?? this.resolveConfiguration()).map(
          ({ reference, at }) =>
            `${at} refers to ${reference}, which this stack does not declare: the stacks of this app do not reference each other (what one needs from another goes through the config)`,
        ),
    });
  }

  override prepareStack(): void {
    this.ensureBackendExists(); // what cdktf's prepareStack does besides the preparing resolve
  }

  override runAllValidations(): void {
    if (!this.synthesizing) {
      super.runAllValidations();
      return;
    }
    const json = this.resolveConfiguration();
    this.validated = json;
    withSynthesizedStack(this, json, () => super.runAllValidations());
  }

  override toTerraform(): Record<string, unknown> {
    const json = this.validated ?? this.resolveConfiguration();
    this.validated = undefined;
    return json;
  }

  /** cdktf's configuration of the stack, resolved with the plain values skipped (same result, faster). */
  private resolveConfiguration(): Record<string, unknown> {
    return withPlainValuesSkipped(() => super.toTerraform());
  }

  /** `synthesizer`, with {@link synthesizing} set while it runs and the validated configuration dropped after. */
  private oneResolve(synthesizer: IStackSynthesizer): IStackSynthesizer {
    return {
      synthesize: (session: ISynthesisSession) => {
        this.synthesizing = true;
        try {
          synthesizer.synthesize(session);
        } finally {
          this.synthesizing = false;
          this.validated = undefined;
        }
      },
    };
  }
}

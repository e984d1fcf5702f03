import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { undeclaredReferences } from '../../constructs/core/references';
import { withSynthesizedStack } from '../../constructs/core/resolve';

/** The configuration {@link PlatformStack.runAllValidations} validated, and the tree it was computed from. */
interface Validated {
  readonly json: Record<string, unknown>;
  /** How many constructs the tree had: a construct added since makes the configuration stale. */
  readonly constructs: number;
}

/**
 * The base of this app's Terraform stacks (`bootstrap-<env>` and `<env>`): how they synthesize. cdktf
 * resolves every resource three times in a synth (a preparing resolve, the policy rules, the output);
 * these stacks resolve each once, with the same output. Resolving is most of the Azure synth's time
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
 * - One resolve for validation and output: {@link runAllValidations} computes the stack's configuration
 *   first and the policy rules read the resources from it ({@link withSynthesizedStack}). cdktf's synthesizer
 *   and `Testing.synth` call {@link toTerraform} later in the same synchronous run (after custom synthesis
 *   and the annotations are collected, which change no construct); it hands out that configuration instead
 *   of resolving again. It is handed out once, only within that run (it is dropped when the run ends, as
 *   in HCL output, where `toHclTerraform` is called instead), and only while the tree has as many
 *   constructs as when it was computed.
 */
export abstract class PlatformStack extends TerraformStack {
  private validated?: Validated;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.node.addValidation({
      validate: () =>
        undeclaredReferences(this.validated?.json ?? super.toTerraform()).map(
          ({ reference, at }) =>
            `${at} refers to ${reference}, which this stack does not declare: the stacks of this app do not reference each other (what one needs from another goes through the config)`,
        ),
    });
  }

  override prepareStack(): void {
    this.ensureBackendExists(); // what cdktf's prepareStack does besides the preparing resolve
  }

  override runAllValidations(): void {
    const validated: Validated = { json: super.toTerraform(), constructs: this.constructCount() };
    this.validated = validated;
    // Dropped when this synchronous run ends, whether or not toTerraform took it.
    queueMicrotask(() => {
      if (this.validated === validated) this.validated = undefined;
    });
    try {
      withSynthesizedStack(this, validated.json, () => super.runAllValidations());
    } catch (error) {
      this.validated = undefined;
      throw error;
    }
  }

  override toTerraform(): Record<string, unknown> {
    const validated = this.validated;
    this.validated = undefined;
    if (validated && validated.constructs === this.constructCount()) return validated.json;
    return super.toTerraform();
  }

  private constructCount(): number {
    return this.node.findAll().length;
  }
}

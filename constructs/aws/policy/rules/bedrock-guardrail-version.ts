import { referencedLogicalId, type StackTemplate, type TemplateResource } from '../private/template';
import type { AwsPolicyRule } from '../rule';

/**
 * A guardrail is used by a published version, not by its working draft: some
 * `AWS::Bedrock::GuardrailVersion` of the stack names it in `GuardrailIdentifier` (its `Ref`, or
 * `Fn::GetAtt` `GuardrailId` / `GuardrailArn`). Without one, callers pass `DRAFT`, which changes with
 * every edit.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-bedrock-guardrailversion.html
 */
export class BedrockGuardrailVersionRule implements AwsPolicyRule {
  readonly id = 'LLMOPS-AWS-BEDROCK-GUARDRAIL-VERSION';
  readonly severity = 'error';
  readonly description = 'A Bedrock guardrail has a published version (AWS::Bedrock::GuardrailVersion).';

  appliesTo(type: string): boolean {
    return type === 'AWS::Bedrock::Guardrail';
  }

  check(resource: TemplateResource, template: StackTemplate): readonly string[] {
    const versioned = template
      .ofType('AWS::Bedrock::GuardrailVersion')
      .some((v) => referencedLogicalId(v.properties.GuardrailIdentifier) === resource.logicalId);
    return versioned
      ? []
      : [
          'guardrail without a published version; add an AWS::Bedrock::GuardrailVersion whose ' +
            `GuardrailIdentifier references ${resource.logicalId} and use that version`,
        ];
  }
}

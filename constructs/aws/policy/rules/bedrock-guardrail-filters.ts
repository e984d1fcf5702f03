import { asList, get, type TemplateResource } from '../private/template';
import type { AwsPolicyRule } from '../rule';

/** Whether one side (`Input` or `Output`) of a content filter blocks anything. */
function blocks(filter: unknown, side: 'Input' | 'Output'): boolean {
  const strength = get(filter, `${side}Strength`);
  return (
    strength !== undefined &&
    strength !== 'NONE' &&
    get(filter, `${side}Enabled`) !== false &&
    get(filter, `${side}Action`) !== 'NONE'
  );
}

/**
 * A guardrail's content filters block something: at least one filter of `ContentPolicyConfig` has an input
 * or output strength other than `NONE`, evaluation on that side not switched off (`InputEnabled` /
 * `OutputEnabled` false) and an action other than `NONE` (detect only). A guardrail whose filters are all
 * off costs a call and stops nothing.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-bedrock-guardrail-contentfilterconfig.html
 */
export class BedrockGuardrailFiltersRule implements AwsPolicyRule {
  readonly id = 'LLMOPS-AWS-BEDROCK-GUARDRAIL-FILTERS';
  readonly severity = 'error';
  readonly description = 'A Bedrock guardrail has at least one content filter that blocks (not all NONE).';

  appliesTo(type: string): boolean {
    return type === 'AWS::Bedrock::Guardrail';
  }

  check(resource: TemplateResource): readonly string[] {
    const filters = asList(get(resource.properties, 'ContentPolicyConfig', 'FiltersConfig'));
    if (filters.some((f) => blocks(f, 'Input') || blocks(f, 'Output'))) return [];
    return [
      filters.length === 0
        ? 'guardrail without content filters; set ContentPolicyConfig.FiltersConfig with strengths above NONE'
        : 'every content filter of the guardrail is NONE, disabled or detect-only; raise InputStrength/' +
          'OutputStrength of the filters the content filter policy asks for (e.g. HIGH) with action BLOCK',
    ];
  }
}

import { flatten, get, type TemplateResource } from '../private/template';
import type { AwsPolicyRule } from '../rule';

/**
 * A model ID that names a version: ends in `-v<major>` with optional `:<minor>` (and a context-window
 * qualifier such as `:8k`), or in a release number or date (`-4-6`, `-20250514`).
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/userguide/models-supported.html
 */
const VERSIONED = /(-v\d+(:\d+)*(:\d+k)?|-\d+)$/;

/**
 * The model ID (or system inference profile ID) an application inference profile copies from: the part
 * of `ModelSource.CopyFrom` after `foundation-model/` or `inference-profile/`.
 */
function sourceModelId(copyFrom: unknown): string | undefined {
  const arn = flatten(copyFrom);
  const match = arn === undefined ? null : /(?:foundation-model|inference-profile)\/([^/$]+)$/.exec(arn);
  return match?.[1];
}

/**
 * An application inference profile copies from a versioned model ID, never a floating alias: the
 * deployment's behaviour must not change under it. The ARN in `ModelSource.CopyFrom` must be readable
 * from the template (a literal, or `Fn::Join`/`Fn::Sub` over partition and region) and its model ID must
 * end in a version and not say `latest`.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-bedrock-applicationinferenceprofile-inferenceprofilemodelsource.html
 */
export class BedrockProfileModelVersionedRule implements AwsPolicyRule {
  readonly id = 'LLMOPS-AWS-BEDROCK-PROFILE-MODEL-VERSIONED';
  readonly severity = 'error';
  readonly description =
    'An application inference profile copies from a versioned model ID, not a floating alias.';

  appliesTo(type: string): boolean {
    return type === 'AWS::Bedrock::ApplicationInferenceProfile';
  }

  check(resource: TemplateResource): readonly string[] {
    const copyFrom = get(resource.properties, 'ModelSource', 'CopyFrom');
    const modelId = sourceModelId(copyFrom);
    if (modelId === undefined) {
      return [
        `ModelSource.CopyFrom ${JSON.stringify(copyFrom ?? null)} is not a foundation-model or inference-profile ` +
          'ARN the template shows; copy from the ARN of a versioned model ID',
      ];
    }
    if (/latest/i.test(modelId) || !VERSIONED.test(modelId)) {
      return [
        `model ID "${modelId}" is a floating alias; copy from a versioned model ID ` +
          '(e.g. anthropic.claude-3-5-sonnet-20240620-v1:0)',
      ];
    }
    return [];
  }
}

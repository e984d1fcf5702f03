import { CfnGuardrail, CfnGuardrailVersion } from 'aws-cdk-lib/aws-bedrock';
import { findingsOf, goodGuardrail } from './fixtures';

const VERSION = 'LLMOPS-AWS-BEDROCK-GUARDRAIL-VERSION';
const FILTERS = 'LLMOPS-AWS-BEDROCK-GUARDRAIL-FILTERS';

const filter = (type: string, strength: string, extra: Record<string, unknown> = {}) => ({
  type,
  inputStrength: strength,
  outputStrength: strength,
  ...extra,
});

describe(VERSION, () => {
  test('passes with a version referencing the guardrail by id or by ARN', () => {
    expect(findingsOf(VERSION, (s) => goodGuardrail(s))).toEqual([]);
    const byArn = findingsOf(VERSION, (stack) => {
      const g = new CfnGuardrail(stack, 'G', {
        name: 'g',
        blockedInputMessaging: 'x',
        blockedOutputsMessaging: 'x',
        contentPolicyConfig: { filtersConfig: [filter('HATE', 'HIGH')] },
      });
      new CfnGuardrailVersion(stack, 'V', { guardrailIdentifier: g.attrGuardrailArn });
    });
    expect(byArn).toEqual([]);
  });

  test('fails for a guardrail without a published version', () => {
    // GIVEN a guardrail, and a version of another guardrail
    const found = findingsOf(VERSION, (stack) => {
      new CfnGuardrail(stack, 'Unversioned', {
        name: 'g',
        blockedInputMessaging: 'x',
        blockedOutputsMessaging: 'x',
        contentPolicyConfig: { filtersConfig: [filter('HATE', 'HIGH')] },
      });
      new CfnGuardrailVersion(stack, 'Other', { guardrailIdentifier: 'gr-elsewhere' });
    });
    // THEN
    expect(found).toEqual([
      'error LLMOPS-AWS-BEDROCK-GUARDRAIL-VERSION Test/Unversioned (Unversioned): guardrail without a published version; add an AWS::Bedrock::GuardrailVersion whose GuardrailIdentifier references Unversioned and use that version',
    ]);
  });

  test('an acknowledgement with its reason covers it', () => {
    const found = findingsOf(
      VERSION,
      (stack) =>
        new CfnGuardrail(stack, 'Draft', {
          name: 'g',
          blockedInputMessaging: 'x',
          blockedOutputsMessaging: 'x',
          contentPolicyConfig: { filtersConfig: [filter('HATE', 'HIGH')] },
        }),
      [{ ruleId: VERSION, path: 'Test/Draft', reason: 'a guardrail under design, used as DRAFT' }],
    );
    expect(found[0]).toMatch(/\| acknowledged: a guardrail under design, used as DRAFT$/);
  });
});

describe(FILTERS, () => {
  test('passes when one filter blocks on one side', () => {
    expect(findingsOf(FILTERS, (s) => goodGuardrail(s))).toEqual([]);
    const oneSide = findingsOf(FILTERS, (stack) => {
      new CfnGuardrail(stack, 'G', {
        name: 'g',
        blockedInputMessaging: 'x',
        blockedOutputsMessaging: 'x',
        contentPolicyConfig: {
          filtersConfig: [{ type: 'PROMPT_ATTACK', inputStrength: 'HIGH', outputStrength: 'NONE' }],
        },
      });
    });
    expect(oneSide).toEqual([]);
  });

  test('fails when every filter is NONE, disabled or detect-only, or there are none', () => {
    // GIVEN one guardrail whose filters stop nothing and one without content filters
    const found = findingsOf(FILTERS, (stack) => {
      new CfnGuardrail(stack, 'Off', {
        name: 'off',
        blockedInputMessaging: 'x',
        blockedOutputsMessaging: 'x',
        contentPolicyConfig: {
          filtersConfig: [
            filter('HATE', 'NONE'),
            filter('INSULTS', 'HIGH', { inputEnabled: false, outputEnabled: false }),
            filter('VIOLENCE', 'HIGH', { inputAction: 'NONE', outputAction: 'NONE' }),
          ],
        },
      });
      new CfnGuardrail(stack, 'Empty', {
        name: 'empty',
        blockedInputMessaging: 'x',
        blockedOutputsMessaging: 'x',
      });
    });
    // THEN
    expect(found).toEqual([
      'error LLMOPS-AWS-BEDROCK-GUARDRAIL-FILTERS Test/Empty (Empty): guardrail without content filters; set ContentPolicyConfig.FiltersConfig with strengths above NONE',
      'error LLMOPS-AWS-BEDROCK-GUARDRAIL-FILTERS Test/Off (Off): every content filter of the guardrail is NONE, disabled or detect-only; raise InputStrength/OutputStrength of the filters the content filter policy asks for (e.g. HIGH) with action BLOCK',
    ]);
  });
});

import {
  baseModelName,
  capacityProblem,
  effectiveDimensions,
  isFineTunedModel,
  isProvisionedSku,
  modelFamily,
  provisionedSizing,
} from '../../constructs/models/model-facts';

describe('model facts', () => {
  test('fine-tuned model ids are recognised and map to their base model and family', () => {
    const id = 'gpt-4o-2024-08-06.ft-0123456789abcdef0123456789abcdef';
    expect(isFineTunedModel(id)).toBe(true);
    expect(isFineTunedModel('gpt-4o')).toBe(false);
    expect(baseModelName(id)).toBe('gpt-4o-2024-08-06');
    expect(modelFamily(id)).toBe('gpt-4o');
  });

  test('provisioned sizing: 15/5 for global and data zone, per model for regional, 25/25 for models not in the table', () => {
    expect(provisionedSizing('GlobalProvisionedManaged', 'gpt-4o')).toEqual({ minimum: 15, increment: 5 });
    expect(provisionedSizing('DataZoneProvisionedManaged', 'gpt-4.1-mini')).toEqual({
      minimum: 15,
      increment: 5,
    });
    expect(provisionedSizing('ProvisionedManaged', 'gpt-4o')).toEqual({ minimum: 50, increment: 50 });
    expect(provisionedSizing('ProvisionedManaged', 'gpt-4o-mini')).toEqual({ minimum: 25, increment: 25 });
    expect(provisionedSizing('ProvisionedManaged', 'gpt-4o-2024-08-06.ft-abc')).toEqual({
      minimum: 50,
      increment: 50,
    });
    expect(provisionedSizing('ProvisionedManaged', 'some-new-model')).toEqual({ minimum: 25, increment: 25 });
    expect(provisionedSizing('GlobalProvisionedManaged', 'some-new-model')).toEqual({
      minimum: 15,
      increment: 5,
    });
  });

  test('provisioned sizing follows the 2025 model table: gpt-5 and o3 regional 50/50, the minis and nano 25/25, DeepSeek global 100/100', () => {
    expect(provisionedSizing('ProvisionedManaged', 'gpt-5')).toEqual({ minimum: 50, increment: 50 });
    expect(provisionedSizing('ProvisionedManaged', 'o3')).toEqual({ minimum: 50, increment: 50 });
    expect(provisionedSizing('ProvisionedManaged', 'gpt-4.1-nano')).toEqual({ minimum: 25, increment: 25 });
    expect(provisionedSizing('ProvisionedManaged', 'o4-mini')).toEqual({ minimum: 25, increment: 25 });
    expect(provisionedSizing('GlobalProvisionedManaged', 'DeepSeek-R1')).toEqual({
      minimum: 100,
      increment: 100,
    });
    expect(provisionedSizing('DataZoneProvisionedManaged', 'DeepSeek-V3-0324')).toEqual({
      minimum: 100,
      increment: 100,
    });
    expect(capacityProblem('GlobalProvisionedManaged', 'DeepSeek-R1', 15)).toBe(
      '15 PTU is below the GlobalProvisionedManaged minimum of 100 PTU for DeepSeek-R1',
    );
    expect(capacityProblem('ProvisionedManaged', 'o3', 25)).toBe(
      '25 PTU is below the ProvisionedManaged minimum of 50 PTU for o3',
    );
  });

  test('a model without a regional provisioned offer fails as ProvisionedManaged, whatever the capacity', () => {
    expect(capacityProblem('ProvisionedManaged', 'DeepSeek-R1', 100)).toBe(
      'DeepSeek-R1 has no regional provisioned (ProvisionedManaged) offer: use GlobalProvisionedManaged or DataZoneProvisionedManaged',
    );
    expect(capacityProblem('GlobalProvisionedManaged', 'DeepSeek-R1', 200)).toBeUndefined();
  });

  test('capacity at the documented minimum and on the increment passes', () => {
    expect(capacityProblem('ProvisionedManaged', 'gpt-4o', 50)).toBeUndefined();
    expect(capacityProblem('ProvisionedManaged', 'gpt-4o', 150)).toBeUndefined();
    expect(capacityProblem('GlobalProvisionedManaged', 'gpt-4o', 15)).toBeUndefined();
    expect(capacityProblem('GlobalStandard', 'gpt-4o', 1)).toBeUndefined();
    expect(capacityProblem('GlobalBatch', 'gpt-4o', 1)).toBeUndefined();
  });

  test('provisioned SKUs are the three *ProvisionedManaged types', () => {
    expect(
      ['ProvisionedManaged', 'GlobalProvisionedManaged', 'DataZoneProvisionedManaged'].every(
        isProvisionedSku,
      ),
    ).toBe(true);
    expect(['Standard', 'GlobalStandard', 'DataZoneStandard', 'GlobalBatch'].some(isProvisionedSku)).toBe(
      false,
    );
  });

  test('effective dimensions: declared, else native for known embedding models, none for chat', () => {
    expect(effectiveDimensions('embedding', 'text-embedding-3-large', undefined)).toBe(3072);
    expect(effectiveDimensions('embedding', 'text-embedding-3-small', undefined)).toBe(1536);
    expect(effectiveDimensions('embedding', 'text-embedding-ada-002', undefined)).toBe(1536);
    expect(effectiveDimensions('embedding', 'text-embedding-3-large', 256)).toBe(256);
    expect(effectiveDimensions('embedding', 'unknown', undefined)).toBeUndefined();
    expect(effectiveDimensions('chat', 'gpt-4o', undefined)).toBeUndefined();
  });
});

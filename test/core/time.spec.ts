import { TerraformStack, Testing } from 'cdktf';
import { TIME_PROVIDER_VERSION, TimeProvider, TimeSleep } from '../../constructs/core/time';

describe('the hashicorp/time binding', () => {
  test('pins hashicorp/time and writes time_sleep with its wait and what it waits after', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    new TimeProvider(stack, 'Time');
    const before = new TimeSleep(stack, 'First', { createDuration: '1s', dependsOn: [] });
    new TimeSleep(stack, 'Wait', { createDuration: '120s', dependsOn: [before], triggers: { a: 'b' } });
    const json = JSON.parse(Testing.synth(stack, true));
    expect(json.terraform.required_providers.time).toEqual({
      source: 'hashicorp/time',
      version: TIME_PROVIDER_VERSION,
    });
    expect(json.resource.time_sleep.Wait).toMatchObject({
      create_duration: '120s',
      triggers: { a: 'b' },
      depends_on: ['time_sleep.First'],
    });
  });

  test('fails when the duration is not seconds or minutes', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    expect(() => new TimeSleep(stack, 'Wait', { createDuration: '2h', dependsOn: [] })).toThrow(
      'TimeSleep "test/Wait": createDuration "2h" is not a duration in seconds or minutes (e.g. "120s", "2m")',
    );
  });
});

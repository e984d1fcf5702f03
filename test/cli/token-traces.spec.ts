import { Lazy, TerraformStack, Testing } from 'cdktf';
import { skipTokenCreationTraces } from '../../lib/cli/token-traces';

/** cdktf's private module the function replaces an export of (a cdktf upgrade that moves it fails here). */
const stackTraceModule = () =>
  require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace: () => string[] };

describe('skipTokenCreationTraces', () => {
  test('cdktf tokens record an empty creation stack, as when the capture finds none', () => {
    skipTokenCreationTraces();
    const lazy = Lazy.anyValue({ produce: () => 'x' }) as unknown as { creationStack: string[] };
    expect(lazy.creationStack).toEqual([]);
    expect(stackTraceModule().captureStackTrace()).toEqual([]);
  });

  test("a real error's stack is V8's own: Error.prepareStackTrace is not touched", () => {
    skipTokenCreationTraces();
    expect(Error.prepareStackTrace).toBeUndefined();
    const where = () => new RangeError('out of range');
    const stack = where().stack!.split('\n');
    expect(stack[0]).toBe('RangeError: out of range');
    expect(stack[1]).toMatch(/^ {4}at where \(/);
  });

  test('a token that fails to resolve is still reported, with its value, without the creation stack', () => {
    skipTokenCreationTraces();
    const stack = new TerraformStack(Testing.app(), 's');
    const bad = Lazy.stringValue({
      produce: () => {
        throw new Error('no value yet');
      },
    });
    stack.addOverride('locals.x', bad);
    expect(() => Testing.synth(stack)).toThrow(/no value yet/);
  });
});

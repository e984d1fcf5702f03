import { Lazy } from 'cdktf';
import { skipTokenCreationTraces } from '../../lib/cli/token-traces';

describe('skipTokenCreationTraces', () => {
  beforeAll(() => skipTokenCreationTraces());

  test("a cdktf token records no creation stack (cdktf's capture into a plain object formats nothing)", () => {
    const lazy = Lazy.anyValue({ produce: () => 'x' }) as unknown as { creationStack: string[] };
    expect(lazy.creationStack).toEqual([]);
    const target = { stack: 'unset' };
    Error.captureStackTrace(target);
    expect(target.stack).toBe('');
  });

  test("a real error's stack is formatted as Node formats it: the error, then one line per frame", () => {
    const where = () => new RangeError('out of range');
    const stack = where().stack!.split('\n');
    expect(stack[0]).toBe('RangeError: out of range');
    expect(stack[1]).toMatch(/^ {4}at where \(.*token-traces\.spec\.ts:\d+:\d+\)$/);
    expect(stack.slice(1).every((line) => line.startsWith('    at '))).toBe(true);
  });

  test('an error without a message or frames is its name alone; a custom error keeps its own name', () => {
    class QuotaError extends Error {
      override name = 'QuotaError';
    }
    expect(new QuotaError('tokens').stack!.split('\n')[0]).toBe('QuotaError: tokens');
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      expect(new Error().stack).toBe('Error');
    } finally {
      Error.stackTraceLimit = limit;
    }
  });
});

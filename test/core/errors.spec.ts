import { formatProblem, Problems, show, ValidationError } from '../../constructs/core/errors';

describe('Problems', () => {
  test('collects every problem under its prefix and throws them all at once', () => {
    // GIVEN two failed checks and one passing check
    const problems = new Problems('props');
    expect(problems.check(false, 'capacity', '0 must be at least 1')).toBe(false);
    expect(problems.check(true, 'name', 'never recorded')).toBe(true);
    problems.add('weights', '60 + 30 = 90, must sum to 100');
    // WHEN thrown
    let error: unknown;
    try {
      problems.throwIfAny('Invalid ModelDeployment "chat"');
    } catch (e) {
      error = e;
    }
    // THEN one ValidationError carries both, with full paths, one per line
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems).toEqual([
      { path: 'props.capacity', message: '0 must be at least 1' },
      { path: 'props.weights', message: '60 + 30 = 90, must sum to 100' },
    ]);
    expect((error as ValidationError).message).toBe(
      'Invalid ModelDeployment "chat":\n  - props.capacity: 0 must be at least 1\n  - props.weights: 60 + 30 = 90, must sum to 100',
    );
  });

  test('does not throw when nothing was recorded', () => {
    const problems = new Problems();
    expect(problems.empty).toBe(true);
    expect(() => problems.throwIfAny('x')).not.toThrow();
  });

  test('an empty path takes the prefix alone; no prefix keeps the path as given', () => {
    const prefixed = new Problems('environments.dev');
    prefixed.add('', 'is not an object');
    const bare = new Problems();
    bare.add('a.b', 'm');
    expect(prefixed.all).toEqual([{ path: 'environments.dev', message: 'is not an object' }]);
    expect(bare.all).toEqual([{ path: 'a.b', message: 'm' }]);
  });

  test('addAll keeps paths as they are', () => {
    const problems = new Problems('ignored');
    problems.addAll([{ path: 'x.y', message: 'm' }]);
    expect(problems.all).toEqual([{ path: 'x.y', message: 'm' }]);
  });
});

describe('formatting', () => {
  test('formatProblem prints path: message, or the message alone', () => {
    expect(formatProblem({ path: 'a', message: 'b' })).toBe('a: b');
    expect(formatProblem({ path: '', message: 'b' })).toBe('b');
  });

  test('show quotes strings and prints other values as JSON', () => {
    expect(show('mars')).toBe('"mars"');
    expect(show(10)).toBe('10');
    expect(show({ a: [1] })).toBe('{"a":[1]}');
    expect(show(undefined)).toBe('undefined');
    expect(show(null)).toBe('null');
  });
});

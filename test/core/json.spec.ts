import { compareStrings } from '../../constructs/core/json';

describe('compareStrings', () => {
  test('orders by code point, whatever the locale of the process', () => {
    expect(['b', 'aa', 'B', 'a-b', 'a_b', 'z'].sort(compareStrings)).toEqual([
      'B',
      'a-b',
      'a_b',
      'aa',
      'b',
      'z',
    ]);
    expect(compareStrings('x', 'x')).toBe(0);
  });
});

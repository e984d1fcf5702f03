import { kqlString } from '../../constructs/monitoring/kql';

describe('kqlString', () => {
  test('quotes plain names as they are', () => {
    expect(kqlString('gpt-4o.chat_v2')).toBe('"gpt-4o.chat_v2"');
  });

  test('a quote or backslash cannot end the literal: both are escaped', () => {
    // GIVEN a value that would close the literal and append a clause
    const literal = kqlString('x" or 1==1 //\\');
    // THEN the literal is one token: every quote inside is preceded by an escaping backslash
    expect(literal).toBe('"x\\" or 1==1 //\\\\"');
    const inner = literal.slice(1, -1);
    expect(inner.replace(/\\[\\"tnr]/g, '')).not.toMatch(/["\\]/);
  });

  test('tab, line feed and carriage return use their escapes; other control characters are refused', () => {
    expect(kqlString('a\tb\nc\rd')).toBe('"a\\tb\\nc\\rd"');
    expect(() => kqlString('a\u0000b')).toThrow('holds the control character U+0000');
    expect(() => kqlString('bell\u0007')).toThrow('U+0007');
  });
});

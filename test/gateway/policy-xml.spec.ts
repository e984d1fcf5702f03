import { csharpString, el, renderXml } from '../../constructs/gateway/policy-xml';
import { parseXml } from './xml';

describe('el', () => {
  test('flattens children: strings become text, false and undefined drop out, arrays spread in order', () => {
    // GIVEN children as a policy builder writes them, with optional parts switched off
    const element = el('inbound', {}, el('base'), false, undefined, [el('a'), [el('b'), 'text']]);
    // THEN only the real children remain, in order
    expect(element.children).toEqual([
      { name: 'base', attributes: {}, children: [] },
      { name: 'a', attributes: {}, children: [] },
      { name: 'b', attributes: {}, children: [] },
      { text: 'text' },
    ]);
  });
});

describe('renderXml', () => {
  test('indents by two spaces, closes empty elements, keeps a lone text child inline', () => {
    const xml = renderXml(
      el(
        'policies',
        {},
        el('inbound', {}, el('base'), el('set-header', { name: 'x' }, el('value', {}, 'v'))),
      ),
    );
    expect(xml).toBe(
      [
        '<policies>',
        '  <inbound>',
        '    <base />',
        '    <set-header name="x">',
        '      <value>v</value>',
        '    </set-header>',
        '  </inbound>',
        '</policies>',
      ].join('\n'),
    );
  });

  test('writes attributes in the order given, numbers and booleans as text, and leaves undefined out', () => {
    expect(
      renderXml(el('retry', { count: 2, 'first-fast-retry': true, interval: undefined, condition: 'c' })),
    ).toBe('<retry count="2" first-fast-retry="true" condition="c" />');
  });

  test('escapes &, < and > in text, and quotes too in attributes; a parser reads the same strings back', () => {
    // GIVEN a policy expression full of XML metacharacters
    const expression = '@(a < b && c["x"] > 1)';
    // WHEN rendered as attribute and as text
    const xml = renderXml(el('when', { condition: expression }, el('value', {}, expression)));
    // THEN it is well-formed and decodes to the original
    expect(xml).toBe(
      '<when condition="@(a &lt; b &amp;&amp; c[&quot;x&quot;] &gt; 1)">\n  <value>@(a &lt; b &amp;&amp; c["x"] &gt; 1)</value>\n</when>',
    );
    const node = parseXml(xml);
    expect(node.attributes.condition).toBe(expression);
    expect(node.children[0]!.text).toBe(expression);
  });

  test('mixed text and elements each get a line', () => {
    expect(renderXml(el('p', {}, 'one', el('br'), 'two'))).toBe('<p>\n  one\n  <br />\n  two\n</p>');
  });
});

describe('csharpString', () => {
  test.each([
    ['plain', '"plain"'],
    ['a"b', '"a\\"b"'],
    ['back\\slash', '"back\\\\slash"'],
    ['\\"', '"\\\\\\""'],
  ])('%j becomes the C# literal %s', (value, literal) => {
    expect(csharpString(value)).toBe(literal);
  });
});

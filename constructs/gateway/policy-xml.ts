/**
 * A minimal XML writer for API Management policy documents: typed elements in, deterministic, indented,
 * well-formed text out. Attribute values and text are escaped, so policy expressions such as
 * `@(context.Variables["x"])` come out as `@(context.Variables[&quot;x&quot;])` inside attributes; API
 * Management decodes entities like any XML parser.
 */

/** An attribute value; `undefined` leaves the attribute out. */
export type XmlAttributeValue = string | number | boolean | undefined;

/** One XML element. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, XmlAttributeValue>>;
  readonly children: readonly XmlNode[];
}

/** Character data. */
export interface XmlText {
  readonly text: string;
}

/** An element or text. */
export type XmlNode = XmlElement | XmlText;

/** Children as given to {@link el}: `false`/`undefined` entries are skipped, arrays are flattened. */
export type XmlChild = XmlNode | string | false | undefined | readonly XmlChild[];

function flatten(children: readonly XmlChild[]): XmlNode[] {
  const out: XmlNode[] = [];
  for (const child of children) {
    if (child === false || child === undefined) continue;
    if (typeof child === 'string') out.push({ text: child });
    else if (Array.isArray(child)) out.push(...flatten(child as readonly XmlChild[]));
    else out.push(child as XmlNode);
  }
  return out;
}

/** Builds an element: `el('set-header', { name: 'x', 'exists-action': 'override' }, el('value', {}, '1'))`. */
export function el(
  name: string,
  attributes: Readonly<Record<string, XmlAttributeValue>> = {},
  ...children: XmlChild[]
): XmlElement {
  return { name, attributes, children: flatten(children) };
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;');
}

function isText(node: XmlNode): node is XmlText {
  return 'text' in node;
}

function openTag(element: XmlElement): string {
  const attributes = Object.entries(element.attributes)
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${escapeAttribute(String(value))}"`)
    .join('');
  return `<${element.name}${attributes}`;
}

/**
 * Renders `node` with two-space indentation. An element whose only child is text stays on one line
 * (`<value>@(...)</value>`); an element without children is self-closing (`<base />`).
 */
export function renderXml(node: XmlNode, depth = 0): string {
  const pad = '  '.repeat(depth);
  if (isText(node)) return `${pad}${escapeText(node.text)}`;
  const open = openTag(node);
  if (node.children.length === 0) return `${pad}${open} />`;
  if (node.children.length === 1 && isText(node.children[0]!)) {
    return `${pad}${open}>${escapeText((node.children[0] as XmlText).text)}</${node.name}>`;
  }
  const inner = node.children.map((child) => renderXml(child, depth + 1)).join('\n');
  return `${pad}${open}>\n${inner}\n${pad}</${node.name}>`;
}

/** A C# string literal for a policy expression: `"chat"`, with `\` and `"` escaped. */
export function csharpString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * A strict, minimal XML reader for the gateway policy tests: elements, attributes and text, entities
 * decoded. It throws on anything that is not well-formed (unbalanced tags, a raw `<` or `"` where it
 * cannot be), so reading a policy proves the generator escaped it.
 */

export interface Node {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly Node[];
  /** Concatenated text directly inside the element, entities decoded. */
  readonly text: string;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(value: string): string {
  return value.replace(/&([a-z]+);/g, (whole, name: string) => {
    const decoded = ENTITIES[name];
    if (decoded === undefined) throw new Error(`unknown entity ${whole}`);
    return decoded;
  });
}

function checkNoStrayAmpersand(value: string): void {
  if (/&(?![a-z]+;)/.test(value)) throw new Error(`unescaped & in ${JSON.stringify(value)}`);
}

/** Parses one XML document (no prolog, comments or CDATA: the generator writes none). */
export function parseXml(xml: string): Node {
  let pos = 0;
  const skipSpace = () => {
    while (pos < xml.length && /\s/.test(xml[pos]!)) pos++;
  };
  const element = (): Node => {
    if (xml[pos] !== '<') throw new Error(`expected < at ${pos}`);
    const head = /^<([A-Za-z][\w.-]*)/.exec(xml.slice(pos));
    if (!head) throw new Error(`bad tag at ${pos}`);
    const name = head[1]!;
    pos += head[0].length;
    const attributes: Record<string, string> = {};
    for (;;) {
      skipSpace();
      if (xml.startsWith('/>', pos)) {
        pos += 2;
        return { name, attributes, children: [], text: '' };
      }
      if (xml[pos] === '>') {
        pos++;
        break;
      }
      const attr = /^([A-Za-z][\w.-]*)="([^"<]*)"/.exec(xml.slice(pos));
      if (!attr) throw new Error(`bad attribute in <${name}> at ${pos}: ${xml.slice(pos, pos + 40)}`);
      if (attr[1]! in attributes) throw new Error(`duplicate attribute ${attr[1]} in <${name}>`);
      checkNoStrayAmpersand(attr[2]!);
      attributes[attr[1]!] = decode(attr[2]!);
      pos += attr[0].length;
    }
    const children: Node[] = [];
    let text = '';
    for (;;) {
      if (pos >= xml.length) throw new Error(`<${name}> is not closed`);
      if (xml.startsWith('</', pos)) {
        const close = /^<\/([A-Za-z][\w.-]*)\s*>/.exec(xml.slice(pos));
        if (!close || close[1] !== name) throw new Error(`</${close?.[1]}> closes <${name}> at ${pos}`);
        pos += close[0].length;
        return { name, attributes, children, text: text.trim() };
      }
      if (xml[pos] === '<') {
        children.push(element());
        continue;
      }
      const end = xml.indexOf('<', pos);
      const raw = xml.slice(pos, end === -1 ? xml.length : end);
      checkNoStrayAmpersand(raw);
      text += decode(raw);
      pos += raw.length;
    }
  };
  skipSpace();
  const root = element();
  skipSpace();
  if (pos !== xml.length) throw new Error(`content after the root element at ${pos}`);
  return root;
}

/** Every descendant (depth first, document order) named `name`. */
export function findAll(node: Node, name: string): Node[] {
  const out: Node[] = [];
  const walk = (n: Node) => {
    for (const child of n.children) {
      if (child.name === name) out.push(child);
      walk(child);
    }
  };
  walk(node);
  return out;
}

/** The one descendant named `name`; throws unless there is exactly one. */
export function findOne(node: Node, name: string): Node {
  const all = findAll(node, name);
  if (all.length !== 1) throw new Error(`expected one <${name}>, found ${all.length}`);
  return all[0]!;
}

/** The child element names of `node`, in order. */
export function childNames(node: Node): string[] {
  return node.children.map((c) => c.name);
}

/** The direct child named `name`; throws unless there is exactly one. */
export function child(node: Node, name: string): Node {
  const found = node.children.filter((c) => c.name === name);
  if (found.length !== 1) throw new Error(`expected one <${name}> in <${node.name}>, found ${found.length}`);
  return found[0]!;
}

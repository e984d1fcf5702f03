/**
 * Finds the TypeScript examples of a Markdown file: every fenced block whose language is `ts` or
 * `typescript`, with the line of its opening fence, the rest of its info string and, for a block marked
 * as a fragment, the reason.
 *
 * Marks:
 * - ```` ```ts fixture=<name> ```` compiles the block after the declarations of
 *   `test/docs/fixtures/<name>.ts-fixture` (the values the example takes as given: a stack, a resource
 *   group, ...). Without it a block is compiled alone and must be complete.
 * - `<!-- fragment: <reason> -->` on the line right before the fence: the block is not compiled.
 */

/** One TypeScript block of a Markdown file. */
export interface CodeBlock {
  /** Markdown file, relative to the repository root. */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The block's text, with the fence's indentation removed. */
  readonly code: string;
  /** The `fixture=<name>` of the info string, if any. */
  readonly fixture?: string;
  /** Why the block is not compiled, from a `<!-- fragment: ... -->` line right before the fence. */
  readonly fragmentReason?: string;
}

const OPENING_FENCE = /^( {0,3})(`{3,}|~{3,})\s*([^`\s]*)(.*)$/;
const FRAGMENT_COMMENT = /^\s*<!--\s*fragment:\s*(.*?)\s*-->\s*$/;
const TYPESCRIPT = new Set(['ts', 'typescript']);

/** The TypeScript blocks of `markdown` (the text of `file`), in order. */
export function typeScriptBlocks(file: string, markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const open = OPENING_FENCE.exec(lines[i] ?? '');
    if (!open) {
      i++;
      continue;
    }
    const [, indent = '', fence = '', language = '', rest = ''] = open;
    const closing = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    let end = i + 1;
    while (end < lines.length && !closing.test(lines[end] ?? '')) end++;
    if (TYPESCRIPT.has(language.toLowerCase())) {
      const body = lines.slice(i + 1, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l));
      const fixture = /(?:^|\s)fixture=(\S+)/.exec(rest)?.[1];
      const fragmentReason = FRAGMENT_COMMENT.exec(lines[i - 1] ?? '')?.[1];
      blocks.push({
        file,
        line: i + 1,
        code: body.join('\n'),
        ...(fixture === undefined ? {} : { fixture }),
        ...(fragmentReason === undefined ? {} : { fragmentReason }),
      });
    }
    i = end + 1;
  }
  return blocks;
}

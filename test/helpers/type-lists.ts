import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A literal list of Terraform resource types found in a source file. */
export interface TypeList {
  /** Repository-relative path of the file. */
  readonly file: string;
  /** 1-based line of the list's opening bracket. */
  readonly line: number;
  /** The `azurerm_*` types the list names directly (as string literals or object keys), in order. */
  readonly types: readonly string[];
}

const TYPE = /^azurerm_[a-z0-9_]+$/;

/**
 * Finds the array and object literals of `source` that name `minimum` or more `azurerm_*` types directly
 * (`['azurerm_a', 'azurerm_b', ...]`, `new Set([...])`, `{ azurerm_a: ..., 'azurerm_b': ... }`): the shape
 * of a second list of resource-type facts. Nested literals count on their own, so a list of objects that
 * each mention one type is no list of types. Comments and template literals are skipped.
 */
export function findTypeLists(source: string, file: string, minimum = 3): TypeList[] {
  const found: TypeList[] = [];
  const stack: { line: number; types: string[] }[] = [];
  let line = 1;
  let i = 0;
  const current = () => stack[stack.length - 1];
  while (i < source.length) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === '\n') line++;
    if (c === '/' && next === '/') {
      i = source.indexOf('\n', i);
      if (i === -1) break;
      continue;
    }
    if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      line += (source.slice(i, end).match(/\n/g) ?? []).length;
      i = end + 2;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < source.length && source[j] !== c) {
        if (source[j] === '\\') j++;
        j++;
      }
      const text = source.slice(i + 1, j);
      line += (text.match(/\n/g) ?? []).length;
      // A quoted type as an element or an object key: followed by `,`, `]`, `}` or `:` (not a `case` label,
      // a call argument or an operand).
      const after = /^\s*([,\]}:])/.exec(source.slice(j + 1, j + 40))?.[1];
      const isCase = /\bcase\s*$/.test(source.slice(Math.max(0, i - 10), i));
      if (c !== '`' && TYPE.test(text) && after !== undefined && !isCase) current()?.types.push(text);
      i = j + 1;
      continue;
    }
    if (c === '[' || c === '{') stack.push({ line, types: [] });
    else if (c === ']' || c === '}') {
      const list = stack.pop();
      if (list && new Set(list.types).size >= minimum)
        found.push({ file, line: list.line, types: list.types });
    } else if (c === 'a' && /[^\w$.]/.test(source[i - 1] ?? ' ')) {
      // An unquoted object key: `azurerm_key_vault: ...`.
      const m = /^(azurerm_[a-z0-9_]+)\s*:/.exec(source.slice(i, i + 100));
      if (m) {
        current()?.types.push(m[1]!);
        i += m[1]!.length;
        continue;
      }
    }
    i++;
  }
  return found;
}

/**
 * Variables whose name says they hold stateful types (`STATEFUL_TYPES`, `statefulTypes`): a second
 * stateful list, whatever its shape. Functions that ask the registry (`isStateful`) are not variables.
 */
export function findStatefulDeclarations(source: string, file: string): { file: string; name: string }[] {
  return [...source.matchAll(/\b(?:const|let|var)\s+(\w*stateful\w*)/gi)].map((m) => ({ file, name: m[1]! }));
}

/** Every `.ts` file under `dirs` (relative to `root`), as repository-relative paths. */
export function sourceFiles(root: string, dirs: readonly string[]): string[] {
  const out: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(relative(root, path));
    }
  };
  for (const dir of dirs) visit(join(root, dir));
  return out.sort();
}

/** The text of a repository-relative file. */
export const readSource = (root: string, file: string): string => readFileSync(join(root, file), 'utf8');

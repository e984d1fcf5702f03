/**
 * References in a synthesized Terraform JSON configuration (`cdk.tf.json`) to blocks it does not declare.
 *
 * Terraform JSON syntax: an argument's string is a template whose `${ ... }` interpolations and `%{ ... }`
 * directives hold expressions (`$${` and `%%{` are literal); string literals inside an expression are
 * templates again. An expression names a managed resource as `<type>.<name>`, a data source as
 * `data.<type>.<name>`, and a local value, an input variable and a module call as `local.<name>`,
 * `var.<name>` and `module.<name>`; `depends_on` lists such addresses without `${ }`. A resource type is its
 * provider's local name, or that name, `_` and more
 * (https://developer.hashicorp.com/terraform/language/syntax/json,
 * https://developer.hashicorp.com/terraform/language/expressions/references). `terraform validate` fails on
 * a reference to an undeclared block ("Reference to undeclared resource"); this finds it at synth, with the
 * construct that holds it. Heredocs and comments inside an expression are read as expression text (cdktf
 * writes neither).
 */
import { compareStrings } from './json';

/** The parts of a synthesized configuration this reads. */
interface ConfigJson {
  readonly terraform?: { readonly required_providers?: Record<string, unknown> };
  readonly provider?: Record<string, readonly Record<string, unknown>[]>;
  readonly resource?: Record<string, Record<string, unknown>>;
  readonly data?: Record<string, Record<string, unknown>>;
  readonly locals?: Record<string, unknown>;
  readonly variable?: Record<string, unknown>;
  readonly module?: Record<string, unknown>;
  readonly output?: Record<string, unknown>;
}

/** One reference to a block the configuration does not declare. */
export interface UndeclaredReference {
  /** `azurerm_key_vault.Security_Vault_1A2B3C4D`, `data.azurerm_client_config.Client`, `local.name`, ... */
  readonly reference: string;
  /** The block that holds it: its construct path when cdktf recorded one, else its address. */
  readonly at: string;
}

/** Names that start an expression and are not blocks of the configuration. */
const BUILT_IN_OBJECTS = new Set(['each', 'count', 'self', 'path', 'terraform']);

/**
 * Every reference in `config` to a block it does not declare, one per holding block and reference,
 * sorted: references in the expressions of resources, data sources, providers, locals, module calls and
 * outputs, and the addresses in their `depends_on`. Resource and data source types count when they belong
 * to a required provider or to Terraform's built-in `terraform` provider (`terraform_data`); an address in
 * `depends_on` counts whatever its type.
 */
export function undeclaredReferences(config: Readonly<Record<string, unknown>>): UndeclaredReference[] {
  const json = config as ConfigJson;
  const providers = [...Object.keys(json.terraform?.required_providers ?? {}), 'terraform'];
  const isResourceType = (type: string) =>
    type !== 'terraform' && providers.some((p) => type === p || type.startsWith(`${p}_`));
  const declared = new Set<string>();
  for (const [type, blocks] of Object.entries(json.resource ?? {}))
    for (const name of Object.keys(blocks)) declared.add(`${type}.${name}`);
  for (const [type, blocks] of Object.entries(json.data ?? {}))
    for (const name of Object.keys(blocks)) declared.add(`data.${type}.${name}`);
  for (const [prefix, blocks] of [
    ['local', json.locals],
    ['var', json.variable],
    ['module', json.module],
  ] as const) {
    for (const name of Object.keys(blocks ?? {})) declared.add(`${prefix}.${name}`);
  }

  const found = new Map<string, UndeclaredReference>();
  const report = (reference: string, at: string) => {
    if (!declared.has(reference)) found.set(`${at}\u0000${reference}`, { reference, at });
  };
  const scan = (block: unknown, at: string) => {
    const bound = dynamicIterators(block);
    for (const text of strings(block)) {
      for (const code of expressionCode(text)) {
        for (const reference of references(code, isResourceType, bound)) report(reference, at);
      }
    }
    const dependsOn = (block as { depends_on?: unknown })?.depends_on;
    if (Array.isArray(dependsOn)) {
      for (const entry of dependsOn) {
        if (typeof entry === 'string') report(entry.replace(/^\$\{(.*)\}$/, '$1'), at);
      }
    }
  };

  for (const section of ['resource', 'data'] as const) {
    for (const [type, blocks] of Object.entries(json[section] ?? {})) {
      for (const [name, block] of Object.entries(blocks)) {
        scan(block, constructPath(block) ?? `${section === 'data' ? 'data.' : ''}${type}.${name}`);
      }
    }
  }
  for (const [name, blocks] of Object.entries(json.provider ?? {})) {
    for (const block of blocks) {
      const alias = typeof block.alias === 'string' ? `.${block.alias}` : '';
      scan(block, `provider.${name}${alias}`);
    }
  }
  for (const [prefix, blocks] of [
    ['local', json.locals],
    ['module', json.module],
    ['output', json.output],
  ] as const) {
    for (const [name, block] of Object.entries(blocks ?? {})) scan(block, `${prefix}.${name}`);
  }
  return [...found.values()].sort(
    (a, b) => compareStrings(a.at, b.at) || compareStrings(a.reference, b.reference),
  );
}

/**
 * The addresses of the blocks `code` (expression text without its string literals) refers to. Names a `for`
 * expression in `code` binds (`[for time in var.l : time.start]`) and the iterators of the block's dynamic
 * blocks (`bound`) are not blocks.
 */
function* references(
  code: string,
  isResourceType: (type: string) => boolean,
  bound: ReadonlySet<string>,
): Generator<string> {
  const local = new Set(bound);
  for (const [, key, value] of code.matchAll(
    /\bfor\s+([A-Za-z_][\w-]*)(?:\s*,\s*([A-Za-z_][\w-]*))?\s+in\b/g,
  )) {
    local.add(key!);
    if (value) local.add(value);
  }
  // Not preceded by a word character or a dot (`.ip_configuration`, `local.x.azurerm_y`: attributes), nor
  // by an identifier and a hyphen (`my-azurerm_x` is one identifier); `-azurerm_x.y.count` is a reference.
  const pattern = /(?<![\w.]|[A-Za-z_][\w-]*-)(data\.)?([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)/g;
  for (const [, data, first, name] of code.matchAll(pattern)) {
    if (local.has(first!)) continue;
    if (data) {
      if (isResourceType(first!)) yield `data.${first}.${name}`;
    } else if (first === 'local' || first === 'var' || first === 'module') {
      yield `${first}.${name}`;
    } else if (!BUILT_IN_OBJECTS.has(first!) && isResourceType(first!)) {
      yield `${first}.${name}`;
    }
  }
}

/** The iterator names of the dynamic blocks in `block`: the `iterator` argument, else the block's label. */
function dynamicIterators(block: unknown, names = new Set<string>()): Set<string> {
  if (Array.isArray(block)) {
    for (const item of block) dynamicIterators(item, names);
  } else if (block !== null && typeof block === 'object') {
    for (const [key, value] of Object.entries(block)) {
      if (key === 'dynamic' && value !== null && typeof value === 'object') {
        for (const [label, body] of Object.entries(value)) {
          const iterator = (body as { iterator?: unknown })?.iterator;
          names.add(typeof iterator === 'string' ? iterator : label);
        }
      }
      if (key !== '//') dynamicIterators(value, names);
    }
  }
  return names;
}

/** cdktf's `"//": { "metadata": { "path": ... } }` of a block. */
function constructPath(block: unknown): string | undefined {
  const path = (block as { '//'?: { metadata?: { path?: unknown } } })?.['//']?.metadata?.path;
  return typeof path === 'string' ? path : undefined;
}

/**
 * Every string in `block`, at any depth, and the object keys with a template among them (Terraform reads a
 * JSON property name in an expression context as a template); cdktf's `//` metadata and the block's own
 * `depends_on` (addresses, read apart) left out.
 */
function* strings(value: unknown, blockLevel = true): Generator<string> {
  if (typeof value === 'string') {
    yield value;
  } else if (Array.isArray(value)) {
    for (const item of value) yield* strings(item, false);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === '//' || (blockLevel && key === 'depends_on')) continue;
      if (key.includes('{')) yield key;
      yield* strings(item, false);
    }
  }
}

/**
 * The expression text of a template: the insides of its `${ }` and `%{ }` sequences without the string
 * literals in them, whose own sequences are included in turn.
 */
function expressionCode(template: string): string[] {
  const code: string[] = [];
  scanTemplate(template, 0, false, code);
  return code;
}

/**
 * Reads a template from `i`: to its end, or, inside an expression (`quoted`), to the closing quote.
 * Returns the index after what it read.
 */
function scanTemplate(text: string, i: number, quoted: boolean, code: string[]): number {
  while (i < text.length) {
    const c = text[i];
    if (quoted && c === '\\') {
      i += 2;
    } else if (quoted && c === '"') {
      return i + 1;
    } else if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') {
      i += 3; // `$${` or `%%{`: a literal
    } else if ((c === '$' || c === '%') && text[i + 1] === '{') {
      i = scanExpression(text, i + 2, code);
    } else {
      i++;
    }
  }
  return i;
}

/** Reads an expression from `i` to its closing brace; returns the index after it. */
function scanExpression(text: string, i: number, code: string[]): number {
  let depth = 0;
  let from = i;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      code.push(text.slice(from, i));
      i = scanTemplate(text, i + 1, true, code);
      from = i;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) {
        code.push(text.slice(from, i));
        return i + 1;
      }
      depth--;
    }
    i++;
  }
  code.push(text.slice(from));
  return i;
}

/**
 * References in a synthesized Terraform JSON configuration (`cdk.tf.json`) to blocks it does not declare.
 *
 * Terraform JSON syntax: an expression is a string template, and a reference inside `${ ... }` names a
 * managed resource as `<type>.<name>` and a data source as `data.<type>.<name>`; a resource type begins
 * with its provider's local name and `_` (https://developer.hashicorp.com/terraform/language/syntax/json,
 * https://developer.hashicorp.com/terraform/language/expressions/references). `terraform validate` fails on
 * a reference to an undeclared resource; this finds it at synth, with the construct that holds it.
 */

import { compareStrings } from './json';

/** The parts of a synthesized stack this reads. */
interface StackJson {
  readonly terraform?: { readonly required_providers?: Record<string, unknown> };
  readonly resource?: Record<string, Record<string, unknown>>;
  readonly data?: Record<string, Record<string, unknown>>;
  readonly output?: Record<string, unknown>;
}

/** One reference to a resource or data source the configuration does not declare. */
export interface UndeclaredReference {
  /** `azurerm_key_vault.Security_Vault_1A2B3C4D` or `data.azurerm_client_config.Client_1A2B3C4D`. */
  readonly reference: string;
  /** The block that holds it: its construct path when cdktf recorded one, else its address. */
  readonly at: string;
}

/**
 * Every reference in `json` (interpolations of resource arguments and outputs) to a managed resource or
 * data source of one of its required providers that `json` does not declare, one per block and reference,
 * sorted.
 */
export function undeclaredReferences(config: Readonly<Record<string, unknown>>): UndeclaredReference[] {
  const json = config as StackJson;
  const providers = Object.keys(json.terraform?.required_providers ?? {});
  if (providers.length === 0) return [];
  const declared = new Set<string>();
  for (const [type, blocks] of Object.entries(json.resource ?? {}))
    for (const name of Object.keys(blocks)) declared.add(`${type}.${name}`);
  for (const [type, blocks] of Object.entries(json.data ?? {}))
    for (const name of Object.keys(blocks)) declared.add(`data.${type}.${name}`);
  // `<provider>_<rest>.<name>`, or the same after `data.`, not preceded by a word character or a dot (an
  // attribute such as `.ip_configuration` or `local.some_name.x` is not a reference to a resource).
  const pattern = new RegExp(
    `(?<![\\w.-])((?:data\\.)?(?:${providers.map(escapeRegExp).join('|')})_[a-z0-9_]*\\.[A-Za-z_][\\w-]*)`,
    'g',
  );
  const found = new Map<string, UndeclaredReference>();
  const scan = (value: unknown, at: string) => {
    for (const text of strings(value)) {
      for (const expression of interpolations(text)) {
        for (const match of expression.matchAll(pattern)) {
          const reference = match[1];
          if (!declared.has(reference)) found.set(`${at}\u0000${reference}`, { reference, at });
        }
      }
    }
  };
  for (const section of ['resource', 'data'] as const) {
    for (const [type, blocks] of Object.entries(json[section] ?? {})) {
      for (const [name, block] of Object.entries(blocks)) {
        const address = `${section === 'data' ? 'data.' : ''}${type}.${name}`;
        scan(block, constructPath(block) ?? address);
      }
    }
  }
  for (const [name, output] of Object.entries(json.output ?? {})) scan(output, `output.${name}`);
  return [...found.values()].sort(
    (a, b) => compareStrings(a.at, b.at) || compareStrings(a.reference, b.reference),
  );
}

/** cdktf's `"//": { "metadata": { "path": ... } }` of a block. */
function constructPath(block: unknown): string | undefined {
  const path = (block as { '//'?: { metadata?: { path?: unknown } } })?.['//']?.metadata?.path;
  return typeof path === 'string' ? path : undefined;
}

/** Every string in `value`, at any depth (cdktf's `//` metadata left out). */
function* strings(value: unknown): Generator<string> {
  if (typeof value === 'string') {
    yield value;
  } else if (Array.isArray(value)) {
    for (const item of value) yield* strings(item);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) if (key !== '//') yield* strings(item);
  }
}

/**
 * The bodies of the `${ ... }` interpolations of a template string (`$${` is a literal `${`). Braces of
 * object constructors inside an interpolation are counted; braces inside its quoted strings are not.
 */
function* interpolations(text: string): Generator<string> {
  let from = text.indexOf('${');
  while (from !== -1) {
    if (from > 0 && text[from - 1] === '$') {
      from = text.indexOf('${', from + 2);
      continue;
    }
    let depth = 1;
    let i = from + 2;
    let quoted = false;
    for (; i < text.length && depth > 0; i++) {
      const c = text[i];
      if (quoted) {
        if (c === '\\') i++;
        else if (c === '"') quoted = false;
      } else if (c === '"') quoted = true;
      else if (c === '{') depth++;
      else if (c === '}') depth--;
    }
    yield text.slice(from + 2, i - 1);
    from = text.indexOf('${', i);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareStrings, type JsonValue } from '../../constructs/core/json';
import { ExitCode, parseFlags, UsageError } from '../cli/exit';
import { withoutMetadata } from '../plan-diff/json';

/**
 * The refactor check: two synth outputs are "unchanged" when, for every stack, `cdk.tf.json` with all
 * `//` metadata keys removed prints byte-identically. Metadata (construct paths, cdktf version) may move;
 * nothing Terraform reads may.
 */
export interface StackDifference {
  readonly stack: string;
  /** `missing in head`, `missing in base`, or the first differing line of the normalized JSON. */
  readonly detail: string;
}

/** The normalized text the comparison is made on: pretty JSON without `//` keys. */
export function normalizedStackText(json: string): string {
  return `${JSON.stringify(withoutMetadata(JSON.parse(json) as JsonValue), null, 2)}\n`;
}

function stackFiles(dir: string): Map<string, string> {
  const stacksDir = path.join(dir, 'stacks');
  if (!fs.existsSync(stacksDir))
    throw new UsageError(`${dir}: no stacks/ folder (is this a cdktf.out directory?)`);
  const files = new Map<string, string>();
  for (const name of fs.readdirSync(stacksDir).sort(compareStrings)) {
    const file = path.join(stacksDir, name, 'cdk.tf.json');
    if (fs.existsSync(file)) files.set(name, file);
  }
  return files;
}

function firstDifferentLine(base: string, head: string): string {
  const a = base.split('\n');
  const b = head.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i])
      return `line ${i + 1}: base ${JSON.stringify(a[i] ?? '')}, head ${JSON.stringify(b[i] ?? '')}`;
  }
  return 'identical';
}

/** Compares every stack of two `cdktf.out` directories; an empty list means unchanged. */
export function compareSynthOutputs(baseDir: string, headDir: string): StackDifference[] {
  const base = stackFiles(baseDir);
  const head = stackFiles(headDir);
  const names = [...new Set([...base.keys(), ...head.keys()])].sort(compareStrings);
  const differences: StackDifference[] = [];
  for (const stack of names) {
    const b = base.get(stack);
    const h = head.get(stack);
    if (b === undefined || h === undefined) {
      differences.push({ stack, detail: b === undefined ? 'missing in base' : 'missing in head' });
      continue;
    }
    const bt = normalizedStackText(fs.readFileSync(b, 'utf8'));
    const ht = normalizedStackText(fs.readFileSync(h, 'utf8'));
    if (bt !== ht) differences.push({ stack, detail: firstDifferentLine(bt, ht) });
  }
  return differences;
}

/** `npm run synth:compare -- --base <cdktf.out> --head <cdktf.out>`: exit 0 unchanged, 1 changed, 2 usage. */
export function synthCompareMain(
  argv: readonly string[],
  out: (text: string) => void = (t) => process.stdout.write(t),
): ExitCode {
  const { values } = parseFlags(argv, { values: ['base', 'head'] });
  const missing = (['base', 'head'] as const).filter((f) => values[f] === undefined).map((f) => `--${f}`);
  if (missing.length > 0)
    throw new UsageError(`missing ${missing.join(' and ')} (two cdktf.out directories)`);
  const differences = compareSynthOutputs(values.base!, values.head!);
  if (differences.length === 0) {
    out('unchanged: every stack is byte-identical without // metadata\n');
    return ExitCode.Success;
  }
  for (const d of differences) out(`changed: ${d.stack}: ${d.detail}\n`);
  return ExitCode.CheckFailed;
}

import { readFileSync, writeFileSync } from 'node:fs';
import { isMap, isScalar, parseDocument } from 'yaml';
import { ExitCode, parseFlags, UsageError } from '../cli/exit';

/** The part of the gate's `--decision` file the promotion reads. */
export interface WeightChange {
  readonly environment: string;
  readonly experiment: string;
  readonly newWeights: Readonly<Record<string, number>>;
}

function parseDecision(json: unknown, file: string): WeightChange {
  const problems: string[] = [];
  const d = json as Record<string, unknown> | null;
  if (typeof d !== 'object' || d === null || Array.isArray(d))
    throw new UsageError(`${file}: expected the JSON object the gate writes with --decision`);
  if (typeof d.environment !== 'string' || d.environment === '') problems.push('environment must be a name');
  if (typeof d.experiment !== 'string' || d.experiment === '') problems.push('experiment must be a name');
  const weights = d.newWeights as Record<string, unknown> | undefined;
  if (
    typeof weights !== 'object' ||
    weights === null ||
    Array.isArray(weights) ||
    Object.keys(weights).length === 0
  ) {
    problems.push('newWeights must be an object of variant name to weight');
  } else {
    for (const [v, w] of Object.entries(weights)) {
      if (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > 100)
        problems.push(`newWeights.${v}: ${JSON.stringify(w)} must be a whole number from 0 to 100`);
    }
  }
  if (problems.length > 0) throw new UsageError(`${file}: ${problems.join('; ')}`);
  return d as unknown as WeightChange;
}

/**
 * Writes a decision's weights into the environment config text, keeping its comments and layout: sets
 * `environments.<env>.gateway.experiments.<experiment>.variants.<variant>.weight` for every variant. Pure.
 *
 * @returns the new text and the variants whose weight changed
 * @throws UsageError (exit 2) naming every variant the config does not declare in that environment
 */
export function applyWeights(text: string, change: WeightChange): { text: string; changed: string[] } {
  const doc = parseDocument(text);
  const base = ['environments', change.environment, 'gateway', 'experiments', change.experiment, 'variants'];
  const variants = doc.getIn(base);
  if (!isMap(variants)) {
    throw new UsageError(
      `${base.join('.')}: not in the config; the promotion edits only variants declared in the environment itself`,
    );
  }
  const problems: string[] = [];
  const changed: string[] = [];
  for (const [variant, weight] of Object.entries(change.newWeights)) {
    const path = [...base, variant, 'weight'];
    const current = doc.getIn(path, true);
    if (!isScalar(current)) {
      problems.push(`${path.join('.')}: not in the config`);
      continue;
    }
    if (current.value !== weight) {
      doc.setIn(path, weight);
      changed.push(variant);
    }
  }
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  return { text: doc.toString(), changed };
}

/** Usage line printed with missing-flag errors. */
export const PROMOTE_USAGE = 'usage: promote --decision <file> [--config <file>]';

/**
 * `npm run promote -- --decision decision.json`: writes the weights the gate decided into the environment
 * config (default `$LLMOPS_CONFIG` or `config/environments.yaml`), for the pull request the pipeline opens.
 * Prints one line per changed variant. Exit 0 (also when nothing changed), 2 for bad input.
 */
export async function promoteMain(
  argv: readonly string[],
  deps: {
    readonly stdout?: (text: string) => void;
    readonly env?: Readonly<Record<string, string | undefined>>;
  } = {},
): Promise<ExitCode> {
  const stdout = deps.stdout ?? ((t: string) => process.stdout.write(t));
  const { values } = parseFlags(argv, { values: ['decision', 'config'] });
  if (values.decision === undefined) throw new UsageError(`missing --decision (${PROMOTE_USAGE})`);
  const configFile = values.config ?? (deps.env ?? process.env).LLMOPS_CONFIG ?? 'config/environments.yaml';
  const read = (file: string, flag: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`${flag}: cannot read ${JSON.stringify(file)}: ${(error as Error).message}`);
    }
  };
  let json: unknown;
  try {
    json = JSON.parse(read(values.decision, '--decision'));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      `--decision: ${JSON.stringify(values.decision)} is not valid JSON: ${(error as Error).message}`,
    );
  }
  const change = parseDecision(json, values.decision);
  const { text, changed } = applyWeights(read(configFile, '--config'), change);
  if (changed.length === 0) {
    stdout(`${change.environment}/${change.experiment}: weights already as decided; nothing to change\n`);
    return ExitCode.Success;
  }
  writeFileSync(configFile, text);
  for (const v of changed)
    stdout(`${change.environment}/${change.experiment}: ${v} weight -> ${change.newWeights[v]}\n`);
  return ExitCode.Success;
}

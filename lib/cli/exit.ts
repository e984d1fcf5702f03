import { formatProblem, ValidationError } from '../../constructs/core/errors';

/**
 * Exit codes shared by every command the project ships.
 *
 * - 0: success
 * - 1: a check failed, or a change is blocking
 * - 2: bad input or usage (a missing or invalid file, an unknown flag or environment)
 */
export const ExitCode = { Success: 0, CheckFailed: 1, BadInput: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Bad command-line usage or input that is not a config validation problem. Exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A check that ran and failed (policy error, blocking change, failed gate). Exit code 1. */
export class CheckFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailedError';
  }
}

/** Maps an error to its exit code and prints it on stderr. */
export function reportError(
  error: unknown,
  stderr: (text: string) => void = (t) => process.stderr.write(t),
): ExitCode {
  if (error instanceof ValidationError) {
    stderr(`error: ${error.message}\n`);
    return ExitCode.BadInput;
  }
  if (error instanceof UsageError) {
    stderr(`error: ${error.message}\n`);
    return ExitCode.BadInput;
  }
  if (error instanceof CheckFailedError) {
    stderr(`${error.message}\n`);
    return ExitCode.CheckFailed;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  stderr(`error: ${message}\n`);
  return ExitCode.CheckFailed;
}

/**
 * Runs a command's main function and exits with its code; unexpected errors exit 1 with the stack.
 */
export function runMain(main: (argv: readonly string[]) => Promise<ExitCode> | ExitCode): void {
  Promise.resolve()
    .then(() => main(process.argv.slice(2)))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (error: unknown) => {
        process.exitCode = reportError(error);
      },
    );
}

/**
 * Parses `--flag value` / `--flag=value` / `--switch` arguments against a declared set.
 * Unknown flags, missing values and repeated single-value flags are usage errors (exit 2).
 */
export function parseFlags<const V extends string, const S extends string, const M extends string = never>(
  argv: readonly string[],
  spec: { values: readonly V[]; switches?: readonly S[]; multi?: readonly M[] },
): { values: Partial<Record<V, string>>; switches: Partial<Record<S, boolean>>; multi: Record<M, string[]> } {
  const values: Partial<Record<V, string>> = {};
  const switches: Partial<Record<S, boolean>> = {};
  const multi = Object.fromEntries((spec.multi ?? []).map((m) => [m, [] as string[]])) as Record<M, string[]>;
  const problems: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      problems.push(`unexpected argument ${JSON.stringify(arg)}`);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = (eq >= 0 ? arg.slice(2, eq) : arg.slice(2)) as V & S & M;
    if ((spec.switches ?? []).includes(name)) {
      switches[name] = true;
      continue;
    }
    const isValue = spec.values.includes(name);
    const isMulti = (spec.multi ?? []).includes(name);
    if (!isValue && !isMulti) {
      const known = [...spec.values, ...(spec.switches ?? []), ...(spec.multi ?? [])].map((f) => `--${f}`);
      problems.push(
        known.length > 0
          ? `unknown flag --${name} (known: ${known.join(', ')})`
          : `unknown flag --${name} (this command takes no flags)`,
      );
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) value = argv[++i];
    if (value === undefined || value === '') {
      problems.push(`--${name} needs a value`);
      continue;
    }
    if (isMulti) multi[name].push(value);
    else if (values[name] !== undefined) problems.push(`--${name} given twice`);
    else values[name] = value;
  }
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  return { values, switches, multi };
}

export { formatProblem };

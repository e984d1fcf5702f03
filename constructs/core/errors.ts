/**
 * One problem with an input: where it is, what was given, what is allowed.
 *
 * `path` is a dotted location (`environments.prod.location`, `props.capacity`); `message` reads as a
 * sentence that names the value and the allowed range, e.g. `"mars" is not an Azure region`.
 */
export interface Problem {
  readonly path: string;
  readonly message: string;
}

/**
 * Thrown when an input (construct props, a config file, a command-line argument) is invalid.
 *
 * It always carries every problem found, never only the first, so one run shows everything to fix.
 * Command-line tools map it to exit code 2.
 */
export class ValidationError extends Error {
  public readonly problems: readonly Problem[];

  constructor(subject: string, problems: readonly Problem[]) {
    super(`${subject}:\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`);
    this.name = 'ValidationError';
    this.problems = problems;
  }
}

/** `path: message`, or only the message when the problem has no location. */
export function formatProblem(problem: Problem): string {
  return problem.path ? `${problem.path}: ${problem.message}` : problem.message;
}

/**
 * Collects problems so a validator can check everything before failing once.
 *
 * @example
 * const problems = new Problems('props');
 * problems.check(capacity > 0, 'capacity', `${capacity} must be at least 1`);
 * problems.throwIfAny('Invalid ModelDeployment "chat"');
 */
export class Problems {
  private readonly items: Problem[] = [];

  /** @param prefix prepended to every path added, e.g. `props` or `environments.dev`. */
  constructor(private readonly prefix = '') {}

  /** Records a problem at `path` (relative to the prefix). */
  add(path: string, message: string): void {
    const full = this.prefix && path ? `${this.prefix}.${path}` : this.prefix || path;
    this.items.push({ path: full, message });
  }

  /** Records a problem unless `ok` holds. Returns `ok`. */
  check(ok: boolean, path: string, message: string): boolean {
    if (!ok) this.add(path, message);
    return ok;
  }

  /** Adds problems found elsewhere (already carrying full paths). */
  addAll(problems: readonly Problem[]): void {
    this.items.push(...problems);
  }

  get all(): readonly Problem[] {
    return this.items;
  }

  get empty(): boolean {
    return this.items.length === 0;
  }

  /** Throws a {@link ValidationError} with every problem recorded, if there is any. */
  throwIfAny(subject: string): void {
    if (this.items.length > 0) throw new ValidationError(subject, this.items);
  }
}

/** Quotes a value the way error messages show it: strings in double quotes, the rest as JSON. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value) ?? String(value);
}

/**
 * The shape of the GitHub Actions workflows the generator writes: only the keys it uses, in the order
 * they are written.
 *
 * @see https://docs.github.com/actions/writing-workflows/workflow-syntax-for-github-actions
 */

/** A `permissions` block: scope to access level. */
export type Permissions = Readonly<
  Partial<Record<'contents' | 'id-token' | 'pull-requests' | 'actions', 'read' | 'write'>>
>;

/** One step: an action (`uses`) or a shell script (`run`). */
export interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly if?: string;
  readonly uses?: string;
  readonly with?: Readonly<Record<string, string | number | boolean>>;
  readonly env?: Readonly<Record<string, string>>;
  readonly run?: string;
  readonly 'continue-on-error'?: boolean;
}

/**
 * One job. `comment` is written as a YAML comment above the job, not as a key. A job either runs `steps`
 * on `runs-on`, or calls a reusable workflow (`uses`, `with`, `secrets`).
 */
export interface Job {
  readonly comment?: string;
  readonly name: string;
  readonly needs?: readonly string[];
  readonly if?: string;
  /** A reusable workflow to call, e.g. `./.github/workflows/lane-dev.yml`. */
  readonly uses?: string;
  readonly with?: Readonly<Record<string, string | number | boolean>>;
  readonly secrets?: 'inherit';
  readonly strategy?: {
    readonly matrix: Readonly<Record<string, unknown>>;
    readonly 'fail-fast'?: boolean;
  };
  readonly 'runs-on'?: string | readonly string[];
  readonly environment?: string;
  readonly permissions?: Permissions;
  readonly concurrency?: { readonly group: string; readonly 'cancel-in-progress': boolean };
  readonly outputs?: Readonly<Record<string, string>>;
  readonly env?: Readonly<Record<string, string>>;
  readonly steps?: readonly Step[];
}

/** One workflow file. `description` is written into the header comment. */
export interface Workflow {
  /** File name under `.github/workflows/`. */
  readonly file: string;
  readonly description: readonly string[];
  readonly name: string;
  readonly on: Readonly<Record<string, unknown>>;
  readonly permissions: Permissions;
  readonly concurrency?: { readonly group: string; readonly 'cancel-in-progress': boolean };
  readonly env?: Readonly<Record<string, string>>;
  readonly jobs: Readonly<Record<string, Job>>;
}

/** A generated file: path relative to the repository root, and its text. */
export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

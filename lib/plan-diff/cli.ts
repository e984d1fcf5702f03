import * as fs from 'node:fs';
import * as path from 'node:path';
import { ValidationError } from '../../constructs/core/errors';
import { ExitCode, parseFlags, UsageError } from '../cli/exit';
import { diffOutputs, hasUnacknowledgedBlocking } from './diff';
import { renderMarkdown } from './render';
import { FORMAT_NAMES, formatOf, loadSynthOutput, type SynthOutput } from './synth-output';

/** Where the command writes: injectable so tests capture output without touching the process. */
export interface PlanDiffIo {
  /** Receives the Markdown report. */
  readonly stdout: (text: string) => void;
  /** Receives the one-line verdict and warnings. */
  readonly stderr: (text: string) => void;
  /** Writes the `--output` file. */
  readonly writeFile: (file: string, text: string) => void;
}

const processIo: PlanDiffIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  writeFile: (file, text) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  },
};

/** Usage text of `npm run plan:diff`. */
export const PLAN_DIFF_USAGE = `usage: npm run plan:diff -- --base <dir> --head <dir> [--allow <address>]... [--output <file>]

Compares two synth outputs stack by stack and prints a Markdown review. Both are cdktf synth outputs
(cdktf.out) or both AWS cloud assemblies (cdk.out); run it once per output directory.
  --base <dir>       synth output of the target branch
  --head <dir>       synth output of the pull request
  --allow <address>  acknowledge a blocking change after review (repeatable): a Terraform address or a
                     CloudFormation logical ID; also <stack>:<address>, <stack>:*
  --output <file>    also write the Markdown to <file> (PR comment, GITHUB_STEP_SUMMARY)
Exit codes: 0 no blocking change, 1 a blocking change not acknowledged, 2 bad input.
`;

/**
 * The `plan:diff` command: loads `--base` and `--head`, prints the Markdown report, optionally writes
 * it to `--output`, and returns 0 (nothing blocking left) or 1 (a blocking change not acknowledged).
 *
 * @throws UsageError / ValidationError (exit code 2) on bad flags or unreadable input, naming the path
 */
export function planDiffMain(argv: readonly string[], io: PlanDiffIo = processIo): ExitCode {
  const { values, switches, multi } = parseFlags(argv, {
    values: ['base', 'head', 'output'],
    switches: ['help'],
    multi: ['allow'],
  });
  if (switches.help) {
    io.stdout(PLAN_DIFF_USAGE);
    return ExitCode.Success;
  }
  const missing = (['base', 'head'] as const).filter((flag) => values[flag] === undefined);
  if (missing.length > 0) {
    throw new UsageError(
      `${missing.map((f) => `--${f}`).join(' and ')} required (a cdktf.out or cdk.out directory)\n${PLAN_DIFF_USAGE}`,
    );
  }
  const problems: string[] = [];
  const load = (dir: string): SynthOutput | undefined => {
    try {
      return loadSynthOutput(dir);
    } catch (error) {
      if (!(error instanceof UsageError || error instanceof ValidationError)) throw error;
      problems.push(error.message);
      return undefined;
    }
  };
  const base = load(values.base!);
  const head = load(values.head!);
  if (!base || !head) throw new UsageError(problems.join('\n'));
  if (formatOf(base) !== formatOf(head)) {
    throw new UsageError(
      `--base ${values.base} is ${FORMAT_NAMES[formatOf(base)]} but --head ${values.head} is ${FORMAT_NAMES[formatOf(head)]}: ` +
        'compare like with like (cdktf.out with cdktf.out, cdk.out with cdk.out), one plan:diff per output directory',
    );
  }

  const report = diffOutputs(base, head, { allow: multi.allow });
  const markdown = renderMarkdown(report);
  io.stdout(markdown);
  if (values.output !== undefined) {
    try {
      io.writeFile(values.output, markdown);
    } catch (error) {
      throw new UsageError(
        `--output ${values.output}: cannot be written (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      );
    }
  }
  for (const allow of report.unusedAllows)
    io.stderr(`plan-diff: warning: --allow ${allow} matched no blocking change\n`);
  const open = report.blocking.filter((f) => !f.acknowledged).length;
  if (hasUnacknowledgedBlocking(report)) {
    io.stderr(
      `plan-diff: ${open} blocking change(s) not acknowledged; review them, then re-run with --allow <address>\n`,
    );
    return ExitCode.CheckFailed;
  }
  io.stderr(
    `plan-diff: no blocking change left (${report.blocking.length} acknowledged, ${report.notable.length} notable)\n`,
  );
  return ExitCode.Success;
}

import { appendFileSync, writeFileSync } from 'node:fs';
import { CheckFailedError, ExitCode, parseFlags, UsageError } from '../cli/exit';
import { type ConfigLoader, selectEvaluationConfig } from './config';
import { describeRow, evaluateGate } from './gate';
import { renderGateMarkdown, renderGateText } from './render';
import { readScoresFile } from './scores';

/** What the gate command needs from its surroundings; tests inject fakes. */
export interface GateCommandDeps {
  /** Loads the environment config (`loadConfig` from `lib/config/load.ts`). */
  readonly loadConfig: ConfigLoader;
  /** Where the text report goes. @default process.stdout */
  readonly stdout?: (text: string) => void;
  /** Environment variables; `GITHUB_STEP_SUMMARY` is read from here. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Usage line printed with missing-flag errors. */
export const GATE_USAGE =
  'usage: gate --env <environment> --scores <file> [--summary <file>] [--config <file>]';

function writeOrFail(write: () => void, what: string): void {
  try {
    write();
  } catch (error) {
    throw new UsageError(`${what}: ${(error as Error).message}`);
  }
}

/**
 * The release gate: compares an evaluation run's scores with the environment's thresholds.
 *
 * Prints a table on stdout, writes it as Markdown to `--summary` and appends it to `$GITHUB_STEP_SUMMARY`
 * when that is set. Exit codes: 0 when every required metric passes (warnings allowed); 1 (thrown
 * `CheckFailedError`) when a required metric fails or is missing; 2 (thrown `UsageError`/`ValidationError`)
 * for bad input: a missing flag, an unknown environment, an unreadable or malformed scores file.
 */
export async function gateMain(argv: readonly string[], deps: GateCommandDeps): Promise<ExitCode> {
  const stdout = deps.stdout ?? ((text: string) => process.stdout.write(text));
  const env = deps.env ?? process.env;
  const { values } = parseFlags(argv, { values: ['env', 'scores', 'summary', 'config'] });
  const missing = (['env', 'scores'] as const)
    .filter((flag) => values[flag] === undefined)
    .map((f) => `--${f}`);
  if (missing.length > 0) throw new UsageError(`missing ${missing.join(', ')} (${GATE_USAGE})`);
  const environment = values.env!;
  const scoresFile = values.scores!;

  const evaluation = selectEvaluationConfig(deps.loadConfig(values.config), environment);
  const { format, scores } = readScoresFile(scoresFile);
  const result = evaluateGate(evaluation.thresholds, scores);
  const context = { environment, scoresFile, format };

  stdout(renderGateText(result, context));
  const markdown = renderGateMarkdown(result, context);
  if (values.summary !== undefined) {
    const file = values.summary;
    writeOrFail(() => writeFileSync(file, markdown), `--summary: cannot write ${JSON.stringify(file)}`);
  }
  const stepSummary = env.GITHUB_STEP_SUMMARY;
  if (stepSummary) {
    writeOrFail(
      () => appendFileSync(stepSummary, markdown),
      `GITHUB_STEP_SUMMARY: cannot append to ${stepSummary}`,
    );
  }

  if (!result.passed) {
    const reasons = result.rows
      .filter((r) => r.outcome === 'fail' || r.outcome === 'missing')
      .map(describeRow);
    throw new CheckFailedError(`evaluation gate failed for "${environment}": ${reasons.join('; ')}`);
  }
  return ExitCode.Success;
}

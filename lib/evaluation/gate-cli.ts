import { appendFileSync, writeFileSync } from 'node:fs';
import { metricFacts } from '../../constructs/monitoring/quality-contract';
import { CheckFailedError, ExitCode, parseFlags, UsageError } from '../cli/exit';
import { DEFAULT_PROMOTION } from '../config/sections/evaluation';
import { measuredThresholds } from '../config/sections/evaluators';
import {
  type ConfigLoader,
  type EvaluationEnvironment,
  priceForDeployment,
  selectEnvironment,
} from './config';
import { withDerivedMetrics } from './cost';
import { decideExperiment, type ExperimentDecision, type VariantRun } from './decision';
import { describeRow, evaluateGate } from './gate';
import { renderDecisionMarkdown, renderDecisionText, renderGateMarkdown, renderGateText } from './render';
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
  'usage: gate --env <environment> (--scores <file> [--deployment <name>] | --experiment <name> --variant <variant>=<file>...) [--decision <file>] [--summary <file>] [--config <file>]';

function writeOrFail(write: () => void, what: string): void {
  try {
    write();
  } catch (error) {
    throw new UsageError(`${what}: ${(error as Error).message}`);
  }
}

/** The quality and safety metrics among the thresholds: what a candidate must not be worse on. */
function guardedMetrics(env: EvaluationEnvironment): string[] {
  // Only what the evaluation measures: without the evaluator, neither variant has the score.
  return Object.keys(measuredThresholds(env.evaluation)).filter((m) => {
    const kind = metricFacts(m)?.kind;
    return kind === 'quality' || kind === 'safety';
  });
}

function parseVariantFlags(values: readonly string[]): Array<{ name: string; file: string }> {
  const problems: string[] = [];
  const parsed = values.map((value) => {
    const eq = value.indexOf('=');
    if (eq <= 0 || eq === value.length - 1)
      problems.push(`--variant ${JSON.stringify(value)}: expected <variant>=<scores file>`);
    return { name: value.slice(0, eq), file: value.slice(eq + 1) };
  });
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  return parsed;
}

/**
 * The release gate: compares an evaluation run's scores with the environment's thresholds.
 *
 * Single run: `--scores <file>`; with `--deployment <name>` the run's tokens are priced from
 * `evaluation.pricing` (model and SKU of that deployment) into `costPer1kAnswers`.
 *
 * Experiment: `--experiment <name> --variant <variant>=<file>` for every variant of the gateway experiment
 * (each evaluated through the gateway with the variant pinned). Each variant is gated on its own (priced by
 * its deployment), then every candidate is compared with control ({@link decideExperiment}); the decision
 * and its numbers go to stdout, the summary, `$GITHUB_STEP_SUMMARY` and, as JSON, to `--decision`.
 *
 * Exit codes: 0 when every run passes (warnings allowed; in an experiment, a candidate may still be rolled
 * back by the decision); 1 (thrown `CheckFailedError`) when a required metric of any run fails or is
 * missing, including every safety, cost and latency threshold; 2 (thrown `UsageError`/`ValidationError`)
 * for bad input.
 */
export async function gateMain(argv: readonly string[], deps: GateCommandDeps): Promise<ExitCode> {
  const stdout = deps.stdout ?? ((text: string) => process.stdout.write(text));
  const env = deps.env ?? process.env;
  const { values, multi } = parseFlags(argv, {
    values: ['env', 'scores', 'summary', 'config', 'deployment', 'experiment', 'decision'],
    multi: ['variant'],
  });
  const experimentMode = values.experiment !== undefined || multi.variant.length > 0;
  const required = experimentMode ? (['env', 'experiment'] as const) : (['env', 'scores'] as const);
  const missing = required.filter((flag) => values[flag] === undefined).map((f) => `--${f}`);
  if (missing.length > 0) throw new UsageError(`missing ${missing.join(', ')} (${GATE_USAGE})`);
  if (experimentMode && (values.scores !== undefined || values.deployment !== undefined)) {
    throw new UsageError(
      `--scores and --deployment do not go with --experiment: give --variant <variant>=<file> per variant (${GATE_USAGE})`,
    );
  }
  if (!experimentMode && values.decision !== undefined) {
    throw new UsageError(`--decision needs --experiment (${GATE_USAGE})`);
  }
  const environment = values.env!;
  const envConfig = selectEnvironment(deps.loadConfig(values.config), environment);
  const thresholds = envConfig.evaluation.thresholds;

  const runs: Array<{
    label: string;
    run: VariantRun | undefined;
    text: string;
    markdown: string;
    passed: boolean;
    reasons: string[];
  }> = [];
  const gateOne = (
    file: string,
    deployment: string | undefined,
    flags: { scores: string; deployment: string },
    variant?: { name: string; weight: number },
  ) => {
    const price =
      deployment === undefined ? undefined : priceForDeployment(envConfig, deployment, flags.deployment);
    const { format, scores: raw } = readScoresFile(file, flags.scores);
    const scores = withDerivedMetrics(raw, price);
    const result = evaluateGate(thresholds, scores);
    const context = {
      environment,
      scoresFile: file,
      format,
      variant: variant?.name,
      deployment,
      price,
    };
    runs.push({
      label: variant ? `variant ${variant.name}` : environment,
      run:
        variant && deployment
          ? { name: variant.name, deployment, weight: variant.weight, scores, gate: result }
          : undefined,
      text: renderGateText(result, context),
      markdown: renderGateMarkdown(result, context),
      passed: result.passed,
      reasons: result.rows.filter((r) => r.outcome === 'fail' || r.outcome === 'missing').map(describeRow),
    });
  };

  let decision: ExperimentDecision | undefined;
  if (experimentMode) {
    const name = values.experiment!;
    const experiments = envConfig.gateway?.experiments ?? {};
    const experiment = Object.hasOwn(experiments, name) ? experiments[name] : undefined;
    if (!experiment) {
      throw new UsageError(
        `--experiment: ${JSON.stringify(name)} is not a gateway experiment of ${environment} (known: ${Object.keys(experiments).sort().join(', ') || 'none'})`,
      );
    }
    const given = parseVariantFlags(multi.variant);
    const declared = Object.keys(experiment.variants);
    const problems: string[] = [];
    for (const g of given) {
      if (!declared.includes(g.name))
        problems.push(
          `--variant ${g.name}: not a variant of experiment ${name} (variants: ${declared.join(', ')})`,
        );
    }
    for (const v of declared) {
      const count = given.filter((g) => g.name === v).length;
      if (count === 0)
        problems.push(`--variant ${v}=<file> is missing: every variant of experiment ${name} is evaluated`);
      if (count > 1) problems.push(`--variant ${v} given ${count} times`);
    }
    if (problems.length > 0) throw new UsageError(problems.join('; '));
    for (const v of declared) {
      const { deployment, weight } = experiment.variants[v]!;
      const flag = `--variant ${v}`;
      gateOne(
        given.find((g) => g.name === v)!.file,
        deployment,
        { scores: flag, deployment: flag },
        {
          name: v,
          weight,
        },
      );
    }
    const promotion = envConfig.evaluation.promotion ?? DEFAULT_PROMOTION;
    decision = decideExperiment(
      name,
      runs.map((r) => r.run!),
      guardedMetrics(envConfig),
      promotion,
    );
  } else {
    gateOne(values.scores!, values.deployment, { scores: '--scores', deployment: '--deployment' });
  }

  stdout(runs.map((r) => r.text).join('\n') + (decision ? `\n${renderDecisionText(decision)}` : ''));
  const markdown =
    runs.map((r) => r.markdown).join('\n') + (decision ? `\n${renderDecisionMarkdown(decision)}` : '');
  if (values.summary !== undefined) {
    const file = values.summary;
    writeOrFail(() => writeFileSync(file, markdown), `--summary: cannot write ${JSON.stringify(file)}`);
  }
  if (values.decision !== undefined && decision) {
    const file = values.decision;
    const json = `${JSON.stringify({ environment, ...decision }, null, 2)}\n`;
    writeOrFail(() => writeFileSync(file, json), `--decision: cannot write ${JSON.stringify(file)}`);
  }
  const stepSummary = env.GITHUB_STEP_SUMMARY;
  if (stepSummary) {
    writeOrFail(
      () => appendFileSync(stepSummary, markdown),
      `GITHUB_STEP_SUMMARY: cannot append to ${stepSummary}`,
    );
  }

  // A variant that serves no traffic (weight 0) cannot fail the release: its failure is the decision's
  // (rollback keeps it at 0). A variant that serves traffic must pass.
  const failed = runs.filter((r) => !r.passed && (r.run?.weight ?? 1) > 0);
  if (failed.length > 0) {
    const reasons = failed.map((r) =>
      runs.length > 1 ? `${r.label}: ${r.reasons.join('; ')}` : r.reasons.join('; '),
    );
    throw new CheckFailedError(`evaluation gate failed for "${environment}": ${reasons.join('; ')}`);
  }
  return ExitCode.Success;
}

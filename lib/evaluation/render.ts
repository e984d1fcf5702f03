import type { AppliedPrice } from './cost';
import type { ExperimentDecision, MetricComparison } from './decision';
import {
  BLOCKING_OUTCOMES,
  describeRow,
  formatNumber,
  type GateOutcome,
  type GateResult,
  type GateRow,
} from './gate';
import type { ScoresFormat } from './scores';

/** What the report says about where the gate's inputs came from. */
export interface GateReportContext {
  /** Environment whose thresholds were applied, e.g. `prod`. */
  readonly environment: string;
  /** The scores file as given on the command line. */
  readonly scoresFile: string;
  /** The scores file's format. */
  readonly format: ScoresFormat;
  /** The experiment variant the scores are of (pinned at the gateway). */
  readonly variant?: string;
  /** The deployment the run was priced as. */
  readonly deployment?: string;
  /** The price `costPer1kAnswers` was computed with; undefined when none applied. */
  readonly price?: AppliedPrice;
}

function priceLine(context: GateReportContext): string | undefined {
  const p = context.price;
  if (p) {
    return `priced as ${p.label}: ${formatNumber(p.price.inputPerMillionTokens)} ${p.currency} per 1M prompt tokens, ${formatNumber(p.price.outputPerMillionTokens)} ${p.currency} per 1M completion tokens (price table of ${p.takenOn})`;
  }
  return context.deployment === undefined
    ? undefined
    : `no price for deployment ${context.deployment} in evaluation.pricing: costPer1kAnswers is not computed`;
}

function title(context: GateReportContext): string {
  return context.variant === undefined ? '' : ` variant "${context.variant}"`;
}

const RESULT_TEXT: Record<GateOutcome, string> = {
  pass: 'pass',
  fail: 'FAIL',
  warn: 'WARN',
  missing: 'MISSING',
  'not-measured': 'not measured',
  'not-gated': 'not gated',
};

const RESULT_MARKDOWN: Record<GateOutcome, string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  warn: '⚠️ warn',
  missing: '❌ missing',
  'not-measured': '➖ not measured',
  'not-gated': '➖ not gated',
};

const COUNT_LABELS: ReadonlyArray<[GateOutcome, string, string]> = [
  ['pass', 'passed', 'passed'],
  ['fail', 'failed', 'failed'],
  ['missing', 'missing', 'missing'],
  ['warn', 'warning', 'warnings'],
  ['not-measured', 'not measured', 'not measured'],
  ['not-gated', 'not gated', 'not gated'],
];

function countsSummary(result: GateResult): string {
  const parts = COUNT_LABELS.filter(([outcome]) => result.counts[outcome] > 0).map(
    ([outcome, one, many]) => `${result.counts[outcome]} ${result.counts[outcome] === 1 ? one : many}`,
  );
  return parts.join(', ') || 'no metrics';
}

function cells(row: GateRow, arrows: { min: string; max: string }): [string, string, string, string] {
  const t = row.threshold;
  return [
    row.score === undefined ? '-' : formatNumber(row.score),
    t ? formatNumber(t.value) : '-',
    t ? `${t.direction} (${arrows[t.direction]})` : '-',
    t ? (t.required ? 'yes' : 'no') : '-',
  ];
}

function blocking(result: GateResult): GateRow[] {
  return result.rows.filter((r) => BLOCKING_OUTCOMES.includes(r.outcome));
}

function warnings(result: GateResult): GateRow[] {
  return result.rows.filter((r) => r.outcome === 'warn' || r.outcome === 'not-measured');
}

/**
 * Renders the gate's verdict as a plain-text table for a terminal or a CI log.
 *
 * Columns: metric, score, threshold, direction, required, result. Then a result line and, when there are
 * any, the blocking rows and the warnings, one sentence each.
 */
export function renderGateText(result: GateResult, context: GateReportContext): string {
  const header = ['metric', 'score', 'threshold', 'direction', 'required', 'result'];
  const table = [
    header,
    ...result.rows.map((row) => [
      row.metric,
      ...cells(row, { min: '>=', max: '<=' }),
      RESULT_TEXT[row.outcome],
    ]),
  ];
  const widths = header.map((_, i) => Math.max(...table.map((line) => line[i]!.length)));
  const lines = [
    `Evaluation gate for environment "${context.environment}"${title(context)}`,
    `scores: ${context.scoresFile} (${context.format})`,
    ...(priceLine(context) ? [priceLine(context)!] : []),
    '',
    ...table.map((line) =>
      line
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    ),
    '',
    `Result: ${result.passed ? 'PASSED' : 'FAILED'} (${countsSummary(result)})`,
  ];
  const block = blocking(result);
  if (block.length > 0) lines.push('Blocking:', ...block.map((r) => `  - ${describeRow(r)}`));
  const warn = warnings(result);
  if (warn.length > 0) lines.push('Warnings:', ...warn.map((r) => `  - ${describeRow(r)}`));
  return `${lines.join('\n')}\n`;
}

function markdownCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function markdownCode(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/**
 * Renders the gate's verdict as GitHub-flavoured Markdown, for `--summary` and `$GITHUB_STEP_SUMMARY`.
 *
 * @see https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions#adding-a-job-summary
 */
export function renderGateMarkdown(result: GateResult, context: GateReportContext): string {
  const lines = [
    `### Evaluation gate ${markdownCode(context.environment)}${context.variant === undefined ? '' : ` variant ${markdownCode(context.variant)}`}: ${result.passed ? '✅ passed' : '❌ failed'}`,
    '',
    `Scores: ${markdownCode(context.scoresFile)} (${context.format}). ${countsSummary(result)}.`,
    ...(priceLine(context) ? ['', markdownCell(priceLine(context)!)] : []),
    '',
    '| Metric | Score | Threshold | Direction | Required | Result |',
    '| --- | ---: | ---: | --- | --- | --- |',
    ...result.rows.map((row) => {
      const [score, threshold, direction, required] = cells(row, { min: '≥', max: '≤' });
      return `| ${markdownCell(markdownCode(row.metric))} | ${score} | ${threshold} | ${direction} | ${required} | ${RESULT_MARKDOWN[row.outcome]} |`;
    }),
  ];
  const block = blocking(result);
  if (block.length > 0)
    lines.push('', '**Blocking**', '', ...block.map((r) => `- ${markdownCell(describeRow(r))}`));
  const warn = warnings(result);
  if (warn.length > 0)
    lines.push('', '**Warnings**', '', ...warn.map((r) => `- ${markdownCell(describeRow(r))}`));
  return `${lines.join('\n')}\n`;
}

const DECISION_TEXT = { promote: 'PROMOTE', stay: 'STAY', rollback: 'ROLL BACK' } as const;
const DECISION_MARKDOWN = { promote: '⬆️ promote', stay: '⏸️ stay', rollback: '⬇️ roll back' } as const;

function comparisonCells(c: MetricComparison): [string, string, string] {
  return [
    c.control === undefined ? '-' : formatNumber(c.control),
    c.candidate === undefined ? '-' : formatNumber(c.candidate),
    c.verdict,
  ];
}

function weightsLine(decision: ExperimentDecision): string {
  const names = Object.keys(decision.weights);
  const before = names.map((n) => `${n} ${decision.weights[n]}`).join(', ');
  const after = names.map((n) => `${n} ${decision.newWeights[n]}`).join(', ');
  return decision.changed ? `weights: ${before} -> ${after}` : `weights unchanged: ${before}`;
}

/** Renders the candidate-vs-control decision of an experiment as plain text: per candidate, the decision, its reasons and the compared numbers. */
export function renderDecisionText(decision: ExperimentDecision): string {
  const lines = [`Experiment "${decision.experiment}": control is "${decision.control}"`];
  for (const c of decision.candidates) {
    lines.push(
      `Candidate "${c.candidate}": ${DECISION_TEXT[c.decision]}`,
      ...c.reasons.map((r) => `  - ${r}`),
    );
    const table = [
      ['metric', 'control', 'candidate', 'verdict'],
      ...c.comparisons.map((m) => [m.metric, ...comparisonCells(m)]),
    ];
    const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
    lines.push(
      ...table.map(
        (row) =>
          `  ${row
            .map((cell, i) => cell.padEnd(widths[i]!))
            .join('  ')
            .trimEnd()}`,
      ),
    );
  }
  lines.push(weightsLine(decision));
  return `${lines.join('\n')}\n`;
}

/** Renders the candidate-vs-control decision of an experiment as Markdown, for the job summary. */
export function renderDecisionMarkdown(decision: ExperimentDecision): string {
  const lines = [
    `### Experiment ${markdownCode(decision.experiment)}: control ${markdownCode(decision.control)}`,
    '',
  ];
  for (const c of decision.candidates) {
    lines.push(
      `**Candidate ${markdownCode(c.candidate)}: ${DECISION_MARKDOWN[c.decision]}**`,
      '',
      ...c.reasons.map((r) => `- ${markdownCell(r)}`),
      '',
      '| Metric | Control | Candidate | Verdict |',
      '| --- | ---: | ---: | --- |',
      ...c.comparisons.map((m) => `| ${markdownCode(m.metric)} | ${comparisonCells(m).join(' | ')} |`),
      '',
    );
  }
  lines.push(markdownCell(weightsLine(decision)));
  return `${lines.join('\n')}\n`;
}

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
    `Evaluation gate for environment "${context.environment}"`,
    `scores: ${context.scoresFile} (${context.format})`,
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
    `### Evaluation gate ${markdownCode(context.environment)}: ${result.passed ? '✅ passed' : '❌ failed'}`,
    '',
    `Scores: ${markdownCode(context.scoresFile)} (${context.format}). ${countsSummary(result)}.`,
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

import { kqlProperty, kqlString } from '../kql';
import { metricFacts, QUALITY_EVENT_NAME, QUALITY_TABLE, QualityFields } from '../quality-contract';
import { belowThresholdQuery, type QualityThreshold } from '../quality-queries';
import { kql, TIME_RANGE, text, WORKBOOK_SECTIONS, type WorkbookInputs, type WorkbookItem } from './items';

/**
 * What the two sections over evaluation events (quality; safety, cost and latency) share: the query of the
 * contract's events and the items of one such section.
 */

const SCORE = `todouble(Measurements[${kqlString(QualityFields.score)}])`;

/** The quality events of the contract with metric, score, deployment and variant extracted. */
function qualityEvents(metricNames: readonly string[]): string[] {
  return [
    QUALITY_TABLE,
    `| where Name == ${kqlString(QUALITY_EVENT_NAME)}`,
    `| extend metric = ${kqlProperty(QualityFields.metric)}, score = ${SCORE}`,
    `| where metric in (${metricNames.map(kqlString).join(', ')}) and isnotnull(score)`,
    `| extend deployment = ${kqlProperty(QualityFields.deployment)}, variant = ${kqlProperty(QualityFields.variant)}, source = ${kqlProperty(QualityFields.source)}`,
  ];
}

/** `case(metric == "a", 4.0, ..., real(null))`: the threshold of each metric, inline. */
function thresholdCase(thresholds: Readonly<Record<string, QualityThreshold>>): string {
  const arms = Object.entries(thresholds).map(([m, t]) => `metric == ${kqlString(m)}, real(${t.value})`);
  return `case(${[...arms, 'real(null)'].join(', ')})`;
}

function directionCase(thresholds: Readonly<Record<string, QualityThreshold>>): string {
  const arms = Object.entries(thresholds).map(
    ([m, t]) => `metric == ${kqlString(m)}, ${kqlString(t.direction)}`,
  );
  return `case(${[...arms, '"min"'].join(', ')})`;
}

/** Whether a gated metric belongs to the quality section (1-5 scores and custom evaluators) or the safety, cost and latency one. */
export function isQualityMetric(metric: string): boolean {
  const kind = metricFacts(metric)?.kind;
  return kind === undefined || kind === 'quality';
}

/** The items of a section over evaluation events: over time, by variant against the threshold, failing now. */
export function scoreSection(
  inputs: WorkbookInputs,
  thresholds: Readonly<Record<string, QualityThreshold>>,
  section: keyof typeof WORKBOOK_SECTIONS,
  intro: string,
  prefix: string,
): WorkbookItem[] {
  const metricNames = Object.keys(thresholds);
  const window = inputs.qualityWindow ?? 'PT6H';
  const listed = Object.entries(thresholds)
    .map(([m, t]) => `${m} ${t.direction === 'max' ? '<=' : '>='} ${t.value}`)
    .join(', ');
  const items: WorkbookItem[] = [
    text(section, `## ${WORKBOOK_SECTIONS[section]}\n${intro} Release thresholds: ${listed || 'none'}.`),
  ];
  if (metricNames.length === 0) return items;
  items.push(
    kql(
      `${prefix}-over-time`,
      'Mean value over time by metric (continuous evaluation)',
      [
        ...qualityEvents(metricNames),
        '| where source == "continuous"',
        `| summarize meanScore = avg(score) by bin(TimeGenerated, {${TIME_RANGE}:grain}), metric`,
      ].join('\n'),
      inputs.workspaceId,
      'timechart',
    ),
    kql(
      `${prefix}-by-variant`,
      'Mean value by metric, deployment, variant and source against the release threshold',
      [
        ...qualityEvents(metricNames),
        '| summarize meanScore = round(avg(score), 2), samples = count() by metric, deployment, variant, source',
        `| extend threshold = ${thresholdCase(thresholds)}, direction = ${directionCase(thresholds)}`,
        '| extend passing = iff(direction == "max", meanScore <= threshold, meanScore >= threshold)',
        '| order by metric asc, meanScore asc',
      ].join('\n'),
      inputs.workspaceId,
      'table',
    ),
  );
  for (const [metric, threshold] of Object.entries(thresholds)) {
    const { kql: query } = belowThresholdQuery(metric, threshold, {
      window,
      environment: inputs.environment,
      minSamples: 1,
    });
    items.push(
      kql(
        `${prefix}-failing-${metric}`,
        `${metric}: deployments and variants failing the threshold over the last ${window}`,
        query,
        inputs.workspaceId,
        'table',
      ),
    );
  }
  return items;
}

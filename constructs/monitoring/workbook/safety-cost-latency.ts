import type { WorkbookInputs, WorkbookItem } from './items';
import { isQualityMetric, scoreSection } from './score-section';

/**
 * Beside quality: the content-safety defect rates (share of answers flagged, 0-1), p95 latency, tokens
 * and cost per 1,000 answers of the evaluated answers, from the same events and against the same
 * thresholds as the release gate.
 */
export function safetyCostLatencySection(inputs: WorkbookInputs): WorkbookItem[] {
  const thresholds = Object.fromEntries(
    Object.entries(inputs.qualityThresholds).filter(([m]) => !isQualityMetric(m)),
  );
  return scoreSection(
    inputs,
    thresholds,
    'section-safety-cost-latency',
    'Content-safety defect rates (share of answers a safety evaluator flagged, 0-1), latency in ms, tokens and cost per 1,000 answers (price table of the environment config) of the evaluated answers, from CI and continuous evaluation.',
    'ops',
  );
}

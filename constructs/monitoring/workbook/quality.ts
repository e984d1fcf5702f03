import { QUALITY_EVENT_NAME } from '../quality-contract';
import type { WorkbookInputs, WorkbookItem } from './items';
import { isQualityMetric, scoreSection } from './score-section';

/** The answer-quality section: the 1-5 evaluation scores and custom evaluators against the release thresholds. */
export function qualitySection(inputs: WorkbookInputs): WorkbookItem[] {
  const thresholds = Object.fromEntries(
    Object.entries(inputs.qualityThresholds).filter(([m]) => isQualityMetric(m)),
  );
  return scoreSection(
    inputs,
    thresholds,
    'section-quality',
    `Evaluation scores (event \`${QUALITY_EVENT_NAME}\`) from CI and continuous evaluation.`,
    'quality',
  );
}

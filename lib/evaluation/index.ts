/**
 * Answer-quality evaluation tooling: the release gate (scores vs. an environment's thresholds) and the
 * sender that posts scores to Application Insights (Azure) or CloudWatch (AWS) under the quality contract.
 *
 * @see ../../docs/evaluation.md
 */
export * from './cloudwatch-sender';
export * from './config';
export * from './cost';
export * from './decision';
export * from './gate';
export * from './gate-cli';
export * from './promote';
export * from './render';
export * from './scores';
export * from './send-cli';
export * from './sender';

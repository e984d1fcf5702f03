/**
 * The plan-diff rules, one per file (like `constructs/policy/rules/`): what a change between two synthesized
 * versions of a resource means for a reviewer, and whether it blocks.
 */
export * from './alert-thresholds';
export * from './content-filters';
export * from './encryption';
export * from './experiment-weights';
export * from './gateway-weights';
export * from './iam-wildcards';
export * from './opensearch-policies';
export * from './security-regressions';
export * from './stateful';
export * from './types';

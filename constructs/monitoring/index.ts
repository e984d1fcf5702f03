/**
 * Monitoring and alerts: action groups, baseline metric alerts (AMBA), answer-quality alerts over the
 * evaluation contract, the environment workbook and the cost budget. See README.md in this folder.
 */
export * from './action-group';
export * from './baseline-alerts';
export * from './baseline-catalog';
export * from './baseline-catalog-schema';
export * from './budget';
export * from './discovery';
export * from './kql';
export * from './platform-metrics';
export * from './quality-alerts';
export * from './quality-contract';
export * from './quality-queries';
export * from './supported-metrics';
export * from './workbook';

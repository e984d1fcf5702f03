export * from './alert-topics';
export * from './bedrock-alarms';
export * from './collection-alarms';
export * from './cost-budget';
export * from './guardrail-alarms';
export * from './operations-dashboard';
export * from './quality-drift-alarms';
export * from './quality-metrics';

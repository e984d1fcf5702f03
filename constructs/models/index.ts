/** Model endpoints: AI Services accounts, content filter policies, model deployments, metric names. */
export * from './content-filter-policy';
export * from './metrics';
export * from './model-account';
export * from './model-deployment';
export * from './model-facts';

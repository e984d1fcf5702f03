/** Logging core: the Log Analytics workspace and workspace-based Application Insights of an environment. */
export * from './observability';

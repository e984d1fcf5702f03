/** The GenAI gateway: API Management in front of the model endpoints (see README.md). */
export * from './api-management';
export * from './api-telemetry';
export * from './gateway';
export * from './inference-api';
export * from './model-backends';
export * from './policies';
export * from './policy-xml';
export * from './validation';

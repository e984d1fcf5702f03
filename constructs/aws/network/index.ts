export * from './private-network';

export * from './cli';
export * from './diff';
export * from './forces-new';
export * from './format';
export type { JsonObject, JsonValue } from './json';
export * from './render';
// './rules/index', not './rules': a dist/ built before the split still holds a stale rules.js
export * from './rules/index';
export * from './synth-output';

export * from './cli';
export * from './diff';
export * from './forces-new';
export * from './format';
export type { JsonObject, JsonValue } from './json';
export * from './render';
export * from './rules';
export * from './synth-output';

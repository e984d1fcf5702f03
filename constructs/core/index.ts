/**
 * Shared shapes and helpers every construct uses: errors, naming, diagnostic settings, tags, roles,
 * private endpoints, the resource-type registry, the azapi binding, references a stack does not declare
 * and the contracts between capabilities. Deep imports (`constructs/core/naming`) load less; this index is
 * for convenience.
 */
export * from './azapi';
export * from './azapi-types';
export * from './cmk';
export * from './contracts';
export * from './diagnostics';
export * from './embedding-models';
export * from './errors';
export * from './github';
export * from './json';
export * from './lock';
export * from './naming';
export * from './private-endpoint';
export * from './props';
export * from './provider-enums';
export * from './references';
export * from './resolve';
export * from './resource-types';
export * from './resource-types-schema';
export * from './roles';
export * from './tags';
export * from './time';

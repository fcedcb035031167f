/** @module registry: registered models, model versions, their tags and aliases. */
export * from './entities.js';
export type * from './registry-store.js';
export { SqlRegistryStore } from './sql-registry-store.js';
export { RegistryLimits, validateAlias, validateModelName } from './validation.js';
export { parseRegistryFilter, type FilterClause } from './filter.js';
export * from './package/index.js';
export * from './gate/index.js';

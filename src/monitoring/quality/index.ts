/** @module monitoring/quality: data quality of current data against a reference (Evidently's rules). */
export { computeDataQuality, type DataQualityOptions } from './compute-data-quality.js';
export { ALMOST_CONSTANT_SHARE } from './column-summary.js';
export { MAX_LISTED_NEW_CATEGORIES } from './categorical-quality.js';
export type {
  ColumnQuality,
  ContractViolation,
  DataQualityResult,
  SchemaViolation,
} from './quality-types.js';

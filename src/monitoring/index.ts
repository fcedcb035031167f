/**
 * @module monitoring: drift statistics (this slice), later data quality, reports, checks and
 * triggers. Knows no forecasting; the application layer passes it features and contracts.
 */
export * from './stats/index.js';

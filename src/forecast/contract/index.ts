/** @module forecast/contract: the data contract for daily price series. */
export { validateSeries } from './validate-series.js';
export { formatValidationReport } from './format-validation-report.js';
export {
  DEFAULT_CONTRACT_OPTIONS,
  resolveContractOptions,
  type ContractOptions,
  type ResolvedContractOptions,
} from './contract-options.js';
export {
  RULES,
  type ContractInput,
  type Issue,
  type RuleName,
  type Severity,
  type ValidationReport,
} from './validation-report.js';
export { businessDaysBetween } from './business-days.js';

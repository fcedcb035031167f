/** @module forecast/series: loading daily price CSVs and the embedded default dataset. */
export type { Bar, Series } from './bar.js';
export type { CellProblem, PriceCsv } from './price-csv.js';
export { loadPriceCsv } from './load-price-csv.js';
export { defaultDatasetPath } from './default-dataset-path.js';
export {
  REQUIRED_COLUMNS,
  OPTIONAL_COLUMNS,
  canonicalColumn,
  type PriceColumn,
} from './price-columns.js';
export { parseDate, parseNumber } from './parse-cells.js';

/** `mlops data import`: merge a CSV from a file or URL into a versioned CSV, checked and recorded. */
export {
  importData,
  conflictError,
  MAX_LISTED_CONFLICTS,
  type DataContract,
  type DataContractVerdict,
  type ImportDataOptions,
  type ImportedData,
} from './import-data.js';
export {
  mergeCsv,
  DEFAULT_MERGE_KEY,
  type CsvMerge,
  type KeyOrder,
  type MergeConflict,
  type MergeCsvOptions,
  type PreferSide,
} from './merge-csv.js';
export { parseTable, type Table, type TableRow } from './parse-table.js';
export {
  readSource,
  redactUrl,
  DEFAULT_FETCH_TIMEOUT_MS,
  DEFAULT_MAX_SOURCE_BYTES,
  type ReadSourceOptions,
  type SourceBytes,
} from './read-source.js';
export {
  recordIngestion,
  datasetNode,
  INGESTION_EXPERIMENT,
  type RecordIngestionOptions,
} from './record-ingestion.js';

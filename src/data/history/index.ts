/** data history: log, diff, gc roots at git revisions, verify. */
export { dataLog, type DataLog, type DataLogEntry, type DataLogOptions } from './data-log.js';
export {
  diffData,
  WORKING_TREE,
  type DataDiff,
  type DataDiffEntry,
  type DiffSide,
  type DiffStatus,
} from './data-diff.js';
export type { ListingDiff } from './listing-diff.js';
export type { RowDiff } from './row-diff.js';
export { dataRevisionRoots, type RevisionRootsOptions } from './revision-roots.js';
export { datasetNodeIds, lineageRunLookup, type RunsUsingVersion } from './dataset-runs.js';
export { verifyData, type DataVerifyReport, type PointerProblem } from './verify-data.js';

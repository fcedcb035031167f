/** @module data: versioned data files and directories (pointers, status, checkout, gc roots). */
export type { DataContext } from './data-context.js';
export {
  POINTER_SUFFIX,
  formatPointer,
  parsePointer,
  readPointerFile,
  type DataPointer,
} from './pointer.js';
export { addData, type AddedData } from './add-data.js';
export {
  dataStatus,
  type DataState,
  type DataStatusEntry,
  type DataStatusOptions,
  type RemoteState,
} from './data-status.js';
export { checkoutData, type CheckoutEntry, type CheckoutOptions } from './checkout-data.js';
export { dataPointerRoots } from './pointer-roots.js';
export { directoryHash, type ListingEntry } from './directory-listing.js';
export { StatCache, STAT_CACHE_FILE } from './stat-cache.js';
export {
  dataLog,
  dataRevisionRoots,
  datasetNodeIds,
  diffData,
  lineageRunLookup,
  verifyData,
  WORKING_TREE,
  type DataDiff,
  type DataDiffEntry,
  type DataLog,
  type DataLogEntry,
  type DataLogOptions,
  type DataVerifyReport,
  type DiffSide,
  type DiffStatus,
  type ListingDiff,
  type PointerProblem,
  type RevisionRootsOptions,
  type RowDiff,
  type RunsUsingVersion,
} from './history/index.js';
export {
  importData,
  mergeCsv,
  parseTable,
  readSource,
  recordIngestion,
  redactUrl,
  datasetNode,
  DEFAULT_MERGE_KEY,
  INGESTION_EXPERIMENT,
  type CsvMerge,
  type DataContract,
  type DataContractVerdict,
  type ImportDataOptions,
  type ImportedData,
  type MergeConflict,
  type PreferSide,
  type Table,
  type TableRow,
} from './import/index.js';
export {
  PROJECT_CONFIG,
  LOCAL_CONFIG,
  remoteConfigFiles,
  loadRemotes,
  selectRemote,
  validateRemotesSection,
  type Remote,
  type RemoteConfigFiles,
  type RemoteFields,
  type RemotesConfig,
} from './remotes/remote-config.js';
export {
  addRemote,
  modifyRemote,
  removeRemote,
  type NewRemote,
  type RemoteChanges,
  type RemoteEditOptions,
} from './remotes/edit-remotes.js';
export { checkRemoteUrl, remoteLocation, type RemoteLocation } from './remotes/remote-url.js';
export { openRemote, type OpenRemoteOptions, type RemoteStore } from './remotes/open-remote.js';
export {
  DEFAULT_TRANSFER_JOBS,
  pushData,
  fetchData,
  pullData,
  type PullOptions,
  type PullResult,
  type TransferDirection,
  type TransferOptions,
  type TransferProgress,
  type TransferResult,
  type TransferredPath,
} from './transfer/transfer-data.js';
export {
  storeDataPaths,
  restoreDataPaths,
  hashDataPaths,
  storedPathManifests,
  readDataPointer,
  type StoredPath,
} from './stored-path.js';
export type { WorkspaceState } from './workspace-hash.js';
export { ignoreInGit, ignoreStateDir } from './gitignore.js';

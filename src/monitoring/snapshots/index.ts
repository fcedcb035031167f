/** Stored monitoring snapshots and the trigger records behind the retraining lock. */
export type {
  MonitorSnapshot,
  SnapshotQuery,
  SnapshotStore,
  TriggerRecord,
} from './snapshot-types.js';
export {
  blockReason,
  DEFAULT_STALE_TRIGGER_MS,
  SqlSnapshotStore,
  type SqlSnapshotStoreOptions,
} from './sql-snapshot-store.js';

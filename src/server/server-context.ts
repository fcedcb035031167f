import type { BlobStore } from '../blobs/index.js';
import type { LineageStore } from '../lineage/index.js';
import type { SqlLoggedModelStore, SqlRunIoStore, TrackingStore } from '../tracking/index.js';
import type { Access } from './access.js';

/** What every route handler works with: the stores of one backend, and the access checks. */
export interface ServerContext {
  readonly store: TrackingStore;
  readonly blobs: BlobStore;
  readonly lineage: LineageStore;
  readonly loggedModels: SqlLoggedModelStore;
  readonly runIo: SqlRunIoStore;
  readonly access: Access;
}

import { MlopsError } from '../core/index.js';
import { SqlLineageStore } from '../lineage/index.js';
import { openDatabase } from '../storage/index.js';
import { SqlTrackingStore, TrackingClient } from '../tracking/index.js';
import { openBlobStore } from './open-blob-store.js';
import { findWorkspace } from './workspace.js';

export interface ConnectOptions {
  /** Workspace directory to look for `.mlops/` from; default: process.cwd(). */
  readonly cwd?: string;
  /** Where bytes go; default: `MLOPS_ARTIFACT_URI`, else the workspace's `.mlops/blobs`. */
  readonly artifactUri?: string;
  /** PostgreSQL: apply pending schema migrations on open (SQLite always upgrades). */
  readonly autoUpgrade?: boolean;
}

/**
 * Opens the tracking store named by `uri` (default: `MLOPS_TRACKING_URI`, else the workspace's
 * `.mlops/mlops.db`), picking the implementation by scheme, with the byte store and lineage.
 *
 * @example
 * const client = await connect(); // sqlite in ./.mlops
 * const team = await connect('postgresql://mlops@db:5432/mlops');
 */
export async function connect(uri?: string, options: ConnectOptions = {}): Promise<TrackingClient> {
  const workspace = findWorkspace(options.cwd);
  const trackingUri = uri || process.env['MLOPS_TRACKING_URI'] || `sqlite:${workspace.database}`;
  if (/^https?:/.test(trackingUri)) {
    throw new MlopsError(
      'UNSUPPORTED_URI',
      `Tracking URI '${trackingUri}': this version has no HTTP tracking client yet; use sqlite:<path> or postgresql://...`,
    );
  }
  const blobs = openBlobStore(
    options.artifactUri || process.env['MLOPS_ARTIFACT_URI'],
    workspace.blobs,
  );
  const database = await openDatabase(trackingUri, { autoUpgrade: options.autoUpgrade ?? false });
  return new TrackingClient(new SqlTrackingStore(database), blobs, new SqlLineageStore(database));
}

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
 * const shared = await connect('http://tracking.internal:5000'); // token: MLOPS_TRACKING_TOKEN
 */
export async function connect(uri?: string, options: ConnectOptions = {}): Promise<TrackingClient> {
  const workspace = findWorkspace(options.cwd);
  const trackingUri = uri || process.env['MLOPS_TRACKING_URI'] || `sqlite:${workspace.database}`;
  if (/^https?:/i.test(trackingUri)) {
    // A tracking server: metadata, lineage and artifact bytes all go through it, so one server
    // is all a team needs to share. Only an s3:// artifact URI (the bucket the server writes to)
    // is used directly, as MLflow clients do without --serve-artifacts; a local directory would
    // hold bytes the server cannot see.
    const { openHttpStores } = await import('../client/index.js');
    const remote = openHttpStores(trackingUri);
    const artifactUri = options.artifactUri || process.env['MLOPS_ARTIFACT_URI'] || '';
    const blobs = /^s3:\/\//i.test(artifactUri)
      ? openBlobStore(artifactUri, workspace.blobs)
      : remote.blobs;
    return new TrackingClient(remote.store, blobs, remote.lineage);
  }
  const blobs = openBlobStore(
    options.artifactUri || process.env['MLOPS_ARTIFACT_URI'],
    workspace.blobs,
  );
  const database = await openDatabase(trackingUri, { autoUpgrade: options.autoUpgrade ?? false });
  return new TrackingClient(new SqlTrackingStore(database), blobs, new SqlLineageStore(database));
}

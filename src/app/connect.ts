import { MlopsError } from '../core/index.js';
import { SqlLineageStore } from '../lineage/index.js';
import { SqlRegistryStore, type RegistryStore } from '../registry/index.js';
import { openDatabase, parseDatabaseUri } from '../storage/index.js';
import {
  SqlInferenceLogStore,
  SqliteWorkerInferenceLogStore,
  type InferenceLogStore,
} from '../serving/index.js';
import { SqlTrackingStore, TrackingClient } from '../tracking/index.js';
import type { SnapshotStore } from './monitoring/monitoring-parts.js';
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

/** The other stores on a connected client's connection (see `openRegistry`, `openInferenceLog`). */
interface Siblings {
  registry(): RegistryStore;
  inferenceLog(): InferenceLogStore;
  snapshots(): Promise<SnapshotStore>;
}
const siblings = new WeakMap<TrackingClient, Siblings>();

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
    const clientModule = await import('../client/index.js');
    const remote = clientModule.openHttpStores(trackingUri);
    const artifactUri = options.artifactUri || process.env['MLOPS_ARTIFACT_URI'] || '';
    const blobs = /^s3:\/\//i.test(artifactUri)
      ? openBlobStore(artifactUri, workspace.blobs)
      : remote.blobs;
    const client = new TrackingClient(remote.store, blobs, remote.lineage);
    siblings.set(client, {
      registry: () => new clientModule.HttpRegistryStore(remote.transport),
      inferenceLog: () =>
        new clientModule.HttpInferenceLogStore(remote.transport, { closeTransport: false }),
      snapshots: async () => {
        throw new MlopsError(
          'INVALID_PARAMETER_VALUE',
          `Monitoring snapshots are stored in a database, not through a tracking server (${trackingUri}); run \`mlops monitor run\` with --tracking-uri sqlite:<path> or postgresql://... .`,
          { details: { trackingUri } },
        );
      },
    });
    return client;
  }
  const blobs = openBlobStore(
    options.artifactUri || process.env['MLOPS_ARTIFACT_URI'],
    workspace.blobs,
  );
  const database = await openDatabase(trackingUri, { autoUpgrade: options.autoUpgrade ?? false });
  const client = new TrackingClient(
    new SqlTrackingStore(database),
    blobs,
    new SqlLineageStore(database),
  );
  siblings.set(client, {
    registry: () => new SharedSqlRegistryStore(database),
    // On SQLite the inference log writes from a worker thread (its own connection), so a
    // prediction server's batches never block its event loop.
    inferenceLog: () => {
      const parsed = parseDatabaseUri(trackingUri);
      return parsed.kind === 'sqlite' && parsed.path !== ':memory:'
        ? new SqliteWorkerInferenceLogStore(database, parsed.path)
        : new SharedSqlInferenceLogStore(database);
    },
    // Loaded on first use: the monitoring module is not needed by other commands.
    snapshots: async () => {
      const { SqlSnapshotStore } = await import('./monitoring/monitoring-parts.js');
      /** The snapshot store on a connection the client owns. */
      class SharedSqlSnapshotStore extends SqlSnapshotStore {
        override async close(): Promise<void> {}
      }
      return new SharedSqlSnapshotStore(database);
    },
  });
  return client;
}

function siblingsOf(client: TrackingClient, what: string): Siblings {
  const found = siblings.get(client);
  if (!found) {
    throw new MlopsError(
      'INVALID_STATE',
      `This tracking client was not opened with connect(), so mlops does not know where its ${what} is; open the client with connect(uri).`,
    );
  }
  return found;
}

/**
 * The registry on the same connection as `client` (a client from `connect`): the same SQL
 * database, or the same tracking server. Closing the client closes the connection; the
 * registry's own `close` never closes it twice.
 */
export async function openRegistry(client: TrackingClient): Promise<RegistryStore> {
  return siblingsOf(client, 'registry').registry();
}

/** The inference log on the same connection as `client` (SQL tables, or the server's routes). */
export async function openInferenceLog(client: TrackingClient): Promise<InferenceLogStore> {
  return siblingsOf(client, 'inference log').inferenceLog();
}

/**
 * Monitoring snapshots and trigger records on the same SQL connection as `client`. A tracking
 * server does not hold them (yet): that is `INVALID_PARAMETER_VALUE` saying so.
 */
export async function openSnapshotStore(client: TrackingClient): Promise<SnapshotStore> {
  return siblingsOf(client, 'snapshot store').snapshots();
}

/** The registry on a connection the client owns: closing is the client's job. */
class SharedSqlRegistryStore extends SqlRegistryStore {
  override async close(): Promise<void> {}
}

/** The inference log on a connection the client owns. */
class SharedSqlInferenceLogStore extends SqlInferenceLogStore {
  override async close(): Promise<void> {}
}

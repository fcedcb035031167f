import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalBlobStore } from '../../src/blobs/index.js';
import { transportFromEnv, type HttpTransport } from '../../src/client/index.js';
import { SqlLineageStore } from '../../src/lineage/index.js';
import { buildServer, type BuildServerOptions } from '../../src/server/index.js';
import { openDatabase, type Database } from '../../src/storage/index.js';
import { SqlLoggedModelStore, SqlRunIoStore, SqlTrackingStore } from '../../src/tracking/index.js';

/** Where the server's database lives: a SQLite file in the fixture's directory, or PostgreSQL. */
export type Backend = (dir: string) => { uri: string; drop(): Promise<void> };

export const sqliteBackend: Backend = (dir) => ({
  uri: `sqlite:${join(dir, 'mlops.db')}`,
  drop: async () => {},
});

/**
 * A store contract over real HTTP: a tracking server on a loopback port with `plugins` mounted
 * on its database, and the HTTP store `open` builds on a transport to it.
 */
export async function httpStoreFixture<S extends { close(): Promise<void> }>(
  backend: Backend,
  plugins: (database: Database) => NonNullable<BuildServerOptions['plugins']>,
  open: (transport: HttpTransport) => S,
  retries?: number,
): Promise<{ store: S; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'mlops-http-store-'));
  const db = backend(dir);
  const database = await openDatabase(db.uri, { autoUpgrade: true });
  const app = await buildServer(
    {
      store: new SqlTrackingStore(database),
      blobs: new LocalBlobStore(join(dir, 'blobs')),
      lineage: new SqlLineageStore(database),
      loggedModels: new SqlLoggedModelStore(database),
      runIo: new SqlRunIoStore(database),
    },
    { loopback: true, plugins: plugins(database) },
  );
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const store = open(
    transportFromEnv(url, { env: {}, ...(retries !== undefined ? { retries } : {}) }),
  );
  return {
    store,
    cleanup: async () => {
      await store.close();
      await app.close();
      await database.close();
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

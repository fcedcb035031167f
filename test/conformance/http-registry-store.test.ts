import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { LocalBlobStore } from '../../src/blobs/index.js';
import { HttpRegistryStore, transportFromEnv } from '../../src/client/index.js';
import { SqlLineageStore } from '../../src/lineage/index.js';
import { SqlRegistryStore } from '../../src/registry/index.js';
import { buildServer, registryRoutes } from '../../src/server/index.js';
import { openDatabase } from '../../src/storage/index.js';
import {
  freshPostgresUrl,
  postgresUnavailable,
  registryStoreSuite,
} from '../../src/testing/index.js';
import { SqlLoggedModelStore, SqlRunIoStore, SqlTrackingStore } from '../../src/tracking/index.js';

/**
 * The RegistryStore contract over real HTTP: HttpRegistryStore -> the registry routes on a
 * loopback port -> SqlRegistryStore. The suite registers sources such as `s3://b/1` for runs
 * that do not exist (to a store a source is an opaque string), so the server's source check is
 * off here; test/e2e/server-registry-sources.test.ts covers it.
 */
async function httpFixture(backend: (dir: string) => { uri: string; drop(): Promise<void> }) {
  const dir = await mkdtemp(join(tmpdir(), 'mlops-http-registry-'));
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
    {
      loopback: true,
      plugins: [registryRoutes(new SqlRegistryStore(database), { checkSources: false })],
    },
  );
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const store = new HttpRegistryStore(transportFromEnv(url, { env: {} }));
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

registryStoreSuite('HttpRegistryStore -> server -> SQLite', () =>
  httpFixture((dir) => ({ uri: `sqlite:${join(dir, 'mlops.db')}`, drop: async () => {} })),
);

const pgSkip = await postgresUnavailable();
describe.skipIf(pgSkip !== undefined)('PostgreSQL', () => {
  registryStoreSuite('HttpRegistryStore -> server -> PostgreSQL', () =>
    httpFixture(() => {
      const pg = freshPostgresUrl('http_registry_conf');
      return { uri: pg.url, drop: () => pg.drop() };
    }),
  );
});

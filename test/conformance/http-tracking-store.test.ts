import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { HttpTrackingStore, transportFromEnv } from '../../src/client/index.js';
import { startServer } from '../../src/server/index.js';
import {
  freshPostgresUrl,
  postgresUnavailable,
  trackingStoreSuite,
} from '../../src/testing/index.js';

/** The TrackingStore contract over real HTTP: client -> mlops server on a loopback port -> SQL. */
async function httpFixture(backend: (dir: string) => { uri: string; drop(): Promise<void> }) {
  const dir = await mkdtemp(join(tmpdir(), 'mlops-http-conf-'));
  const db = backend(dir);
  const server = await startServer({
    port: 0,
    backendStoreUri: db.uri,
    artifactsDestination: join(dir, 'blobs'),
    cwd: dir,
  });
  const store = new HttpTrackingStore(transportFromEnv(server.url, { env: {} }));
  return {
    store,
    cleanup: async () => {
      await store.close();
      await server.close();
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

trackingStoreSuite('HttpTrackingStore -> server -> SQLite', () =>
  httpFixture((dir) => ({ uri: `sqlite:${join(dir, 'mlops.db')}`, drop: async () => {} })),
);

const pgSkip = await postgresUnavailable();
describe.skipIf(pgSkip !== undefined)('PostgreSQL', () => {
  trackingStoreSuite('HttpTrackingStore -> server -> PostgreSQL', () =>
    httpFixture(() => {
      const pg = freshPostgresUrl('http_conf');
      return { uri: pg.url, drop: () => pg.drop() };
    }),
  );
});

import { describe } from 'vitest';
import { HttpRegistryStore } from '../../src/client/index.js';
import { SqlRegistryStore } from '../../src/registry/index.js';
import { registryRoutes } from '../../src/server/index.js';
import {
  freshPostgresUrl,
  postgresUnavailable,
  registryStoreSuite,
} from '../../src/testing/index.js';
import { httpStoreFixture, sqliteBackend, type Backend } from './http-store-fixture.js';

/**
 * The RegistryStore contract over real HTTP: HttpRegistryStore -> the registry routes on a
 * loopback port -> SqlRegistryStore. The suite registers sources such as `s3://b/1` for runs
 * that do not exist (to a store a source is an opaque string), so the server's source check is
 * off here; test/e2e/server-registry-sources.test.ts covers it.
 */
const httpFixture = (backend: Backend) =>
  httpStoreFixture(
    backend,
    (database) => [registryRoutes(new SqlRegistryStore(database), { checkSources: false })],
    (transport) => new HttpRegistryStore(transport),
  );

registryStoreSuite('HttpRegistryStore -> server -> SQLite', () => httpFixture(sqliteBackend));

const pgSkip = await postgresUnavailable();
describe.skipIf(pgSkip !== undefined)('PostgreSQL', () => {
  registryStoreSuite('HttpRegistryStore -> server -> PostgreSQL', () =>
    httpFixture(() => {
      const pg = freshPostgresUrl('http_registry_conf');
      return { uri: pg.url, drop: () => pg.drop() };
    }),
  );
});

import { describe } from 'vitest';
import { openDatabase } from '../../src/storage/index.js';
import { SqlRegistryStore } from '../../src/registry/index.js';
import {
  freshPostgresUrl,
  postgresUnavailable,
  registryStoreSuite,
} from '../../src/testing/index.js';

registryStoreSuite('SqlRegistryStore on SQLite', async () => {
  const store = new SqlRegistryStore(await openDatabase('sqlite::memory:'));
  return { store, cleanup: () => store.close() };
});

const pgSkip = await postgresUnavailable();
describe.skipIf(pgSkip !== undefined)('PostgreSQL', () => {
  registryStoreSuite('SqlRegistryStore on PostgreSQL', async () => {
    const pg = freshPostgresUrl('registry_conf');
    const store = new SqlRegistryStore(await openDatabase(pg.url));
    return {
      store,
      cleanup: async () => {
        await store.close();
        await pg.drop();
      },
    };
  });
});

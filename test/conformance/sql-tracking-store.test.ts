import { describe } from 'vitest';
import { openDatabase } from '../../src/storage/index.js';
import { SqlTrackingStore } from '../../src/tracking/index.js';
import {
  freshPostgresUrl,
  postgresUnavailable,
  trackingStoreSuite,
} from '../../src/testing/index.js';

trackingStoreSuite('SqlTrackingStore on SQLite', async () => {
  const store = new SqlTrackingStore(await openDatabase('sqlite::memory:'));
  return { store, cleanup: () => store.close() };
});

const pgSkip = await postgresUnavailable();
describe.skipIf(pgSkip !== undefined)('PostgreSQL', () => {
  trackingStoreSuite('SqlTrackingStore on PostgreSQL', async () => {
    const pg = freshPostgresUrl('tracking_conf');
    const store = new SqlTrackingStore(await openDatabase(pg.url));
    return {
      store,
      cleanup: async () => {
        await store.close();
        await pg.drop();
      },
    };
  });
});

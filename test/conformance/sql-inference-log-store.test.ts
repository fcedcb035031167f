import { describe } from 'vitest';
import { SqlInferenceLogStore } from '../../src/serving/index.js';
import { openDatabase } from '../../src/storage/index.js';
import {
  freshPostgresUrl,
  inferenceLogStoreSuite,
  postgresUnavailable,
} from '../../src/testing/index.js';

inferenceLogStoreSuite('SqlInferenceLogStore on SQLite', async () => {
  const store = new SqlInferenceLogStore(await openDatabase('sqlite::memory:'));
  return { store, cleanup: () => store.close() };
});

const pgSkip = await postgresUnavailable();
describe.skipIf(pgSkip !== undefined)('PostgreSQL', () => {
  inferenceLogStoreSuite('SqlInferenceLogStore on PostgreSQL', async () => {
    const pg = freshPostgresUrl('inference_log_conf');
    const store = new SqlInferenceLogStore(await openDatabase(pg.url, { autoUpgrade: true }));
    return {
      store,
      cleanup: async () => {
        await store.close();
        await pg.drop();
      },
    };
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { SqlInferenceLogStore, SqliteWorkerInferenceLogStore } from '../../src/serving/index.js';
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

inferenceLogStoreSuite('SqliteWorkerInferenceLogStore (writes from a worker thread)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mlops-inference-log-'));
  const file = join(dir, 'mlops.db');
  const database = await openDatabase(`sqlite:${file}`);
  const store = new SqliteWorkerInferenceLogStore(database, file);
  return {
    store,
    cleanup: async () => {
      await store.close();
      await database.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
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

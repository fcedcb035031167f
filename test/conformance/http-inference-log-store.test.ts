import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalBlobStore } from '../../src/blobs/index.js';
import { HttpInferenceLogStore, transportFromEnv } from '../../src/client/index.js';
import { SqlLineageStore } from '../../src/lineage/index.js';
import { buildServer, inferenceLogRoutes } from '../../src/server/index.js';
import { InferenceLogWriter, SqlInferenceLogStore } from '../../src/serving/index.js';
import { openDatabase } from '../../src/storage/index.js';
import {
  freshPostgresUrl,
  inferenceLogStoreSuite,
  postgresUnavailable,
} from '../../src/testing/index.js';
import { SqlLoggedModelStore, SqlRunIoStore, SqlTrackingStore } from '../../src/tracking/index.js';

/**
 * The InferenceLogStore contract over real HTTP: HttpInferenceLogStore -> the inference log
 * routes on a loopback port -> SqlInferenceLogStore.
 */
async function httpFixture(backend: (dir: string) => { uri: string; drop(): Promise<void> }) {
  const dir = await mkdtemp(join(tmpdir(), 'mlops-http-inference-log-'));
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
    { loopback: true, plugins: [inferenceLogRoutes(new SqlInferenceLogStore(database))] },
  );
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const store = new HttpInferenceLogStore(transportFromEnv(url, { env: {}, retries: 0 }));
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

inferenceLogStoreSuite('HttpInferenceLogStore -> server -> SQLite', () =>
  httpFixture((dir) => ({ uri: `sqlite:${join(dir, 'mlops.db')}`, drop: async () => {} })),
);

const pgSkip = await postgresUnavailable();
describe.skipIf(pgSkip !== undefined)('PostgreSQL', () => {
  inferenceLogStoreSuite('HttpInferenceLogStore -> server -> PostgreSQL', () =>
    httpFixture(() => {
      const pg = freshPostgresUrl('http_inference_log_conf');
      return { uri: pg.url, drop: () => pg.drop() };
    }),
  );
});

describe('InferenceLogWriter -> HttpInferenceLogStore -> server -> SQLite', () => {
  it('stores every logged record, in order, in batches', async () => {
    const fixture = await httpFixture((dir) => ({
      uri: `sqlite:${join(dir, 'mlops.db')}`,
      drop: async () => {},
    }));
    try {
      const writer = new InferenceLogWriter(fixture.store, { maxBatch: 500, flushIntervalMs: 10 });
      for (let i = 0; i < 1200; i++) {
        writer.logPrediction({
          predictionId: `w${i}`,
          timestamp: 1_700_000_000_000 + i,
          modelName: 'writer',
          modelVersion: '1',
          targetDate: '2024-03-04',
          horizonStep: 1,
          inputs: [i],
          prediction: i,
          latencyMs: 0.1,
          route: 'predict',
        });
      }
      writer.logFeedback({ feedbackId: 'wf', timestamp: 1, targetDate: '2024-03-04', actual: 7 });
      await writer.close();
      expect(writer.dropped).toBe(0);
      const rows = await fixture.store.queryPredictions({ modelName: 'writer' });
      expect(rows.map((r) => r.predictionId)).toEqual(
        Array.from({ length: 1200 }, (_, i) => `w${i}`),
      );
      expect(rows.every((r) => r.actual === 7)).toBe(true);
    } finally {
      await fixture.cleanup();
    }
  });
});

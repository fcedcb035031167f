import { describe, expect, it } from 'vitest';
import { HttpInferenceLogStore } from '../../src/client/index.js';
import { inferenceLogRoutes } from '../../src/server/index.js';
import { InferenceLogWriter, SqlInferenceLogStore } from '../../src/serving/index.js';
import {
  freshPostgresUrl,
  inferenceLogStoreSuite,
  postgresUnavailable,
} from '../../src/testing/index.js';
import { httpStoreFixture, sqliteBackend, type Backend } from './http-store-fixture.js';

/**
 * The InferenceLogStore contract over real HTTP: HttpInferenceLogStore -> the inference log
 * routes on a loopback port -> SqlInferenceLogStore.
 */
const httpFixture = (backend: Backend) =>
  httpStoreFixture(
    backend,
    (database) => [inferenceLogRoutes(new SqlInferenceLogStore(database))],
    (transport) => new HttpInferenceLogStore(transport),
    0,
  );

inferenceLogStoreSuite('HttpInferenceLogStore -> server -> SQLite', () =>
  httpFixture(sqliteBackend),
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
    const fixture = await httpFixture(sqliteBackend);
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

// Acceptance: 20 clients logging to the tracking server at once, as fast as they can, for 30 s
// (MLOPS_CONCURRENCY_SECONDS to change it), lose no points. Each client has a run of its own and
// alternates log-batch (5 keys at one step) and log-metric (one key), so every point of a run has
// a (key, step) of its own. Every point answered 200 is counted; afterwards metrics/get-history
// must return exactly those points for every run and key, and runs/get's latest value of each key
// must be the point at its highest step. On SQLite, and on PostgreSQL when it answers
// (MLOPS_REQUIRE_PG=1 turns its absence into a failure).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { freshPostgresUrl, postgresUnavailable } from '../../src/testing/index.js';

const SECONDS = Number(process.env['MLOPS_CONCURRENCY_SECONDS'] ?? 30) || 30;
const CLIENTS = 20;
const BATCH_KEYS = ['loss', 'accuracy', 'lr', 'grad_norm', 'val_loss'] as const;
const SINGLE_KEY = 'throughput';
const T0 = 1_700_000_000_000;

interface Point {
  step: number;
  value: number;
}

interface ClientLog {
  runId: string;
  /** key -> points answered 200, in the order they were logged. */
  acked: Map<string, Point[]>;
  failures: string[];
  requests: number;
}

/** Exactly representable, and different for every client, key and step. */
const valueOf = (client: number, key: number, step: number) => client * 1e7 + step + key / 8;

function concurrencySuite(
  name: string,
  backend: () => Promise<{ uri: string; cleanup(): Promise<void> }>,
): void {
  describe(`${CLIENTS} clients logging at once for ${SECONDS} s lose no points (${name})`, () => {
    let server: RunningServer;
    let dir: string;
    let cleanup: () => Promise<void> = async () => {};

    const call = async (method: 'GET' | 'POST', path: string, body: Record<string, unknown>) => {
      const url = new URL(`${server.url}/api/2.0/mlflow/${path}`);
      if (method === 'GET') {
        for (const [k, v] of Object.entries(body)) url.searchParams.set(k, String(v));
      }
      const res = await fetch(url, {
        method,
        ...(method === 'POST'
          ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
          : {}),
      });
      return { status: res.status, text: await res.text() };
    };
    const ok = async <T>(method: 'GET' | 'POST', path: string, body: Record<string, unknown>) => {
      const res = await call(method, path, body);
      if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
      return JSON.parse(res.text) as T;
    };

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'mlops-server-concurrency-'));
      const db = await backend();
      cleanup = db.cleanup;
      server = await startServer({
        host: '127.0.0.1',
        port: 0,
        backendStoreUri: db.uri,
        artifactsDestination: join(dir, 'artifacts'),
        cwd: dir,
      });
    });
    afterAll(async () => {
      await server?.close();
      await cleanup();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    /** One client: its own run, log-batch and log-metric in turn until the deadline. */
    async function client(index: number, experimentId: string, deadline: number) {
      const { run } = await ok<{ run: { info: { run_id: string } } }>('POST', 'runs/create', {
        experiment_id: experimentId,
        run_name: `client-${index}`,
        start_time: Date.now(),
      });
      const log: ClientLog = {
        runId: run.info.run_id,
        acked: new Map([...BATCH_KEYS, SINGLE_KEY].map((k) => [k, []])),
        failures: [],
        requests: 0,
      };
      for (let step = 0; Date.now() < deadline; step++) {
        const batch = step % 2 === 0;
        const points = batch
          ? BATCH_KEYS.map((key, k) => ({ key, value: valueOf(index, k, step) }))
          : [{ key: SINGLE_KEY, value: valueOf(index, BATCH_KEYS.length, step) }];
        const timestamp = T0 + step;
        log.requests++;
        try {
          const res = batch
            ? await call('POST', 'runs/log-batch', {
                run_id: log.runId,
                metrics: points.map((p) => ({ ...p, timestamp, step })),
              })
            : await call('POST', 'runs/log-metric', {
                run_id: log.runId,
                key: SINGLE_KEY,
                value: points[0]!.value,
                timestamp,
                step,
              });
          if (res.status === 200) {
            for (const p of points) log.acked.get(p.key)!.push({ step, value: p.value });
          } else {
            log.failures.push(`step ${step}: ${res.status} ${res.text.slice(0, 200)}`);
          }
        } catch (err) {
          log.failures.push(`step ${step}: ${(err as Error).message}`);
        }
      }
      return log;
    }

    /** Every point of one metric, following next_page_token. */
    async function history(runId: string, key: string): Promise<Point[]> {
      const points: Point[] = [];
      let token: string | undefined;
      do {
        const page = await ok<{
          metrics?: { key: string; value: number; step: number }[];
          next_page_token?: string;
        }>('GET', 'metrics/get-history', {
          run_id: runId,
          metric_key: key,
          max_results: 25_000,
          ...(token ? { page_token: token } : {}),
        });
        for (const m of page.metrics ?? []) points.push({ step: m.step, value: m.value });
        token = page.next_page_token;
      } while (token);
      return points;
    }

    it(
      'every point answered 200 is in the history, and the latest values are the last steps',
      async () => {
        const { experiment_id } = await ok<{ experiment_id: string }>(
          'POST',
          'experiments/create',
          { name: `concurrency-${Date.now()}` },
        );
        const deadline = Date.now() + SECONDS * 1000;
        const logs = await Promise.all(
          Array.from({ length: CLIENTS }, (_, i) => client(i, experiment_id, deadline)),
        );

        const failures = logs.flatMap((l) => l.failures);
        const acked = logs.reduce(
          (sum, l) => sum + [...l.acked.values()].reduce((s, p) => s + p.length, 0),
          0,
        );
        const requests = logs.reduce((sum, l) => sum + l.requests, 0);
        console.log(
          `${name}: ${requests} requests (${Math.round(requests / SECONDS)}/s), ${acked} points acknowledged, ${failures.length} failures`,
        );
        expect(failures.slice(0, 10), `${failures.length} requests were not answered 200`).toEqual(
          [],
        );
        expect(Math.min(...logs.map((l) => l.requests)), 'every client got to log').toBeGreaterThan(
          10,
        );

        let stored = 0;
        for (const log of logs) {
          const { run } = await ok<{
            run: { data: { metrics?: { key: string; value: number; step: number }[] } };
          }>('GET', 'runs/get', { run_id: log.runId });
          const latest = new Map((run.data.metrics ?? []).map((m) => [m.key, m]));
          for (const [key, points] of log.acked) {
            const got = await history(log.runId, key);
            stored += got.length;
            expect(got.length, `${log.runId} ${key}: points stored vs acknowledged`).toBe(
              points.length,
            );
            // The history comes ordered by step; the client logged steps in increasing order.
            expect(got, `${log.runId} ${key}: the stored points`).toEqual(points);
            const last = points.at(-1)!;
            expect(latest.get(key), `${log.runId} ${key}: latest value`).toMatchObject({
              step: last.step,
              value: last.value,
            });
          }
        }
        expect(stored).toBe(acked);
      },
      SECONDS * 1000 + 120_000,
    );
  });
}

concurrencySuite('SQLite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mlops-server-concurrency-db-'));
  return {
    uri: `sqlite:${join(dir, 'mlops.db')}`,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

const pgSkip = await postgresUnavailable();
describe.skipIf(pgSkip !== undefined)('PostgreSQL', () => {
  concurrencySuite('PostgreSQL', async () => {
    const pg = freshPostgresUrl('server_concurrency');
    return { uri: pg.url, cleanup: pg.drop };
  });
});

// Acceptance: the SDK (`connect('http://...')`) works unchanged against `mlops server`: a run logged
// through one client (params, thousands of metric points in batched flushes, a directory artifact,
// lineage) reads back identically through a second client, through MLflow's REST API and through
// MLflow's artifact proxy. SQLite with a directory, and PostgreSQL with s3rver when available.
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, showLineage, type TrackingClient } from '../../src/index.js';
import {
  freshPostgresUrl,
  postgresUnavailable,
  startS3Server,
  type S3TestServer,
} from '../../src/testing/index.js';
import { tempWorkspace } from './cli-harness.js';
import { startMlopsServer, type ServerProcess } from './server-harness.js';

const TIMEOUT = 120_000;
const pgSkip = await postgresUnavailable();
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const COMBOS = [
  { name: 'SQLite, artifacts in a directory', skip: false, pg: false },
  { name: 'PostgreSQL, artifacts on S3 (s3rver)', skip: pgSkip !== undefined, pg: true },
] as const;

const STEPS = 2500;
const SPECIAL = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-300, 0.1 + 0.2];
const PARAMS: Record<string, string> = {
  unicode: 'α → β ✓ 日本',
  long: 'x'.repeat(6000),
  ...Object.fromEntries(Array.from({ length: 148 }, (_, i) => [`p${i}`, String(i)])),
};

interface WireRun {
  run: {
    info: { run_id: string; status: string; experiment_id: string; run_name: string };
    data: {
      params?: { key: string; value: string }[];
      metrics?: { key: string; value: number | string; step: number }[];
      tags?: { key: string; value: string }[];
    };
  };
}

for (const combo of COMBOS) {
  describe.skipIf(combo.skip)(
    `the SDK against mlops server: ${combo.name}`,
    { timeout: TIMEOUT },
    () => {
      let root: string;
      let cleanup: () => Promise<void>;
      let server: ServerProcess;
      let s3: S3TestServer | undefined;
      let writer: TrackingClient;
      let reader: TrackingClient;
      let runId: string;
      let experimentId: string;
      const files: Record<string, Buffer> = {
        'config.json': Buffer.from('{"units":50}'),
        'weights/big.bin': randomBytes(900_000),
        'weights/empty.bin': Buffer.alloc(0),
        'nested/deeper/ünïcode name.txt': Buffer.from('hello\n'),
      };
      const dataset = `prices.csv@${sha256(Buffer.from('Date,Close\n'))}`;

      /** Requests to `path` the server logged so far (it runs with --log-requests). */
      const requestsTo = (path: string) =>
        server.proc.stdout
          .split('\n')
          .filter((line) => line.includes('"incoming request"') && line.includes(path)).length;
      const get = async <T>(path: string): Promise<T> => {
        const res = await fetch(`${server.url}${path}`);
        expect(res.status, `GET ${path}`).toBe(200);
        return (await res.json()) as T;
      };

      beforeAll(async () => {
        const temp = await tempWorkspace();
        root = await realpath(temp.dir);
        const pg = combo.pg ? freshPostgresUrl('server_remote_sdk') : undefined;
        let env: Record<string, string> = {};
        let destination = join(root, 'server-artifacts');
        if (!combo.pg) await mkdir(destination);
        else {
          s3 = await startS3Server();
          destination = `s3://${s3.bucket}/sdk`;
          env = {
            ...s3.env,
            MLOPS_S3_ENDPOINT_URL: s3.endpoint,
            AWS_EC2_METADATA_DISABLED: 'true',
          };
        }
        cleanup = async () => {
          await writer?.close();
          await reader?.close();
          await server?.stop();
          await s3?.stop();
          await pg?.drop();
          await temp.cleanup();
        };
        const backend = pg ? pg.url : `sqlite:${join(root, 'server.db')}`;
        server = await startMlopsServer(
          [
            '--backend-store-uri',
            backend,
            '--artifacts-destination',
            destination,
            '--log-requests',
          ],
          root,
          env,
        );
        for (const [path, bytes] of Object.entries(files)) {
          await mkdir(join(root, 'bundle', path, '..'), { recursive: true });
          await writeFile(join(root, 'bundle', path), bytes);
        }
        await mkdir(join(root, 'ws'));
        writer = await connect(server.url, { cwd: join(root, 'ws') });
        reader = await connect(server.url, { cwd: join(root, 'ws') });
      }, TIMEOUT);
      afterAll(() => cleanup?.(), TIMEOUT);

      it('logs a run: params, batched metrics, a directory artifact, lineage', async () => {
        const run = await writer.startRun({
          experiment: 'sdk-exp',
          name: 'remote-run',
          tags: { team: 'quant' },
        });
        runId = run.id;
        experimentId = run.info.experimentId;
        await run.logParams(PARAMS);

        // A trickle: the one-second timer writes it, no flush, and another client sees it.
        run.logMetric('progress', 0.5, 0);
        const seen = async () =>
          (await reader.store.getMetricHistory(runId, 'progress')).items.length;
        const deadline = Date.now() + 15_000;
        while ((await seen()) === 0 && Date.now() < deadline) await sleep(100);
        expect(await seen()).toBe(1);

        // A burst: 2 x 2500 points leave in batches of 1000, not one request each.
        const before = requestsTo('/runs/log-batch');
        for (let step = 0; step < STEPS; step++) {
          run.logMetric('loss', 1 / (step + 1), step, 1_700_000_000_000 + step);
          run.logMetric('acc', step / STEPS, step, 1_700_000_000_000 + step);
        }
        SPECIAL.forEach((v, step) => run.logMetric('special', v, step, 1_700_000_000_000));
        await run.flush();
        // The server logs a request before answering it, but its stdout may reach us a bit later.
        for (let i = 0; i < 20 && requestsTo('/runs/log-batch') - before < 6; i++) await sleep(50);
        const batches = requestsTo('/runs/log-batch') - before;
        expect(batches).toBeGreaterThanOrEqual(5);
        expect(batches).toBeLessThanOrEqual(8);

        await run.logArtifact(join(root, 'bundle'));
        await writer.lineage.record([
          {
            src: { type: 'dataset', id: dataset },
            dst: { type: 'run', id: runId },
            relation: 'input',
            attrs: { role: 'train' },
          },
        ]);
        await run.end();
      });

      it('reads the run back through a second client', async () => {
        const run = await reader.getRun(runId);
        expect(run.info.status).toBe('FINISHED');
        expect(run.info.runName).toBe('remote-run');
        expect(run.data.params).toEqual(PARAMS);
        expect(run.data.tags['team']).toBe('quant');
        const latest = Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value]));
        expect(latest).toEqual({
          progress: 0.5,
          loss: 1 / STEPS,
          acc: (STEPS - 1) / STEPS,
          special: 0.1 + 0.2,
        });
        const history = async (key: string) => {
          const points = [];
          let pageToken: string | undefined;
          do {
            const page = await reader.store.getMetricHistory(runId, key, {
              maxResults: 1000,
              ...(pageToken ? { pageToken } : {}),
            });
            points.push(...page.items);
            pageToken = page.nextPageToken;
          } while (pageToken);
          return points.sort((a, b) => a.step - b.step);
        };
        const loss = await history('loss');
        expect(loss).toHaveLength(STEPS);
        loss.forEach((m, step) =>
          expect([m.step, m.value, m.timestamp]).toEqual([
            step,
            1 / (step + 1),
            1_700_000_000_000 + step,
          ]),
        );
        expect((await history('acc')).map((m) => m.value)).toEqual(
          Array.from({ length: STEPS }, (_, s) => s / STEPS),
        );
        expect((await history('special')).map((m) => m.value)).toEqual(SPECIAL);
        const found = await reader.searchRuns({
          experimentIds: [experimentId],
          filter: "params.unicode = 'α → β ✓ 日本' and metrics.loss < 0.001",
        });
        expect(found.items.map((r) => r.info.runId)).toEqual([runId]);
      });

      it("reads the same values through MLflow's REST API", async () => {
        const { run } = await get<WireRun>(`/api/2.0/mlflow/runs/get?run_id=${runId}`);
        expect(run.info).toMatchObject({
          run_id: runId,
          status: 'FINISHED',
          run_name: 'remote-run',
        });
        expect(Object.fromEntries((run.data.params ?? []).map((p) => [p.key, p.value]))).toEqual(
          PARAMS,
        );
        const latest = Object.fromEntries((run.data.metrics ?? []).map((m) => [m.key, m.value]));
        expect(latest).toMatchObject({ loss: 1 / STEPS, acc: (STEPS - 1) / STEPS, progress: 0.5 });
        const { metrics } = await get<{ metrics: { step: number; value: number }[] }>(
          `/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=loss`,
        );
        expect(metrics).toHaveLength(STEPS);
        expect(new Set(metrics.map((m) => m.step)).size).toBe(STEPS);
        const listed = await get<{ files: { path: string; is_dir: boolean }[] }>(
          `/api/2.0/mlflow/artifacts/list?run_id=${runId}&path=bundle/weights`,
        );
        expect(listed.files.map((f) => f.path)).toEqual([
          'bundle/weights/big.bin',
          'bundle/weights/empty.bin',
        ]);
        // MLflow's artifact proxy serves the same bytes.
        const res = await fetch(
          `${server.url}/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/bundle/weights/big.bin`,
        );
        expect(res.status).toBe(200);
        expect(sha256(new Uint8Array(await res.arrayBuffer()))).toBe(
          sha256(files['weights/big.bin']!),
        );
      });

      it('downloads the directory byte for byte', async () => {
        const dest = join(root, 'download');
        const local = await reader.downloadArtifacts(runId, 'bundle', dest);
        expect(local).toBe(join(await realpath(dest), 'bundle'));
        for (const [path, bytes] of Object.entries(files)) {
          expect(sha256(await readFile(join(local, path))), path).toBe(sha256(bytes));
        }
        const listed = await reader.listArtifacts(runId, 'bundle');
        expect(listed.map((f) => f.path)).toEqual([
          'bundle/config.json',
          'bundle/nested',
          'bundle/weights',
        ]);
        // Every manifest is where the server was told to keep bytes.
        const tails = (await reader.store.listArtifactRecords(runId)).map(
          (r) => `${r.manifestId.slice(0, 2)}/${r.manifestId.slice(2)}`,
        );
        if (s3) {
          const client = new S3Client(s3.clientConfig);
          const listed = await client.send(
            new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'sdk/' }),
          );
          client.destroy();
          const keys = (listed.Contents ?? []).map((o) => o.Key);
          expect(keys).toEqual(expect.arrayContaining(tails.map((t) => `sdk/${t}`)));
        } else {
          for (const t of tails) expect(existsSync(join(root, 'server-artifacts', t))).toBe(true);
        }
      });

      it('reads the lineage recorded through the server', async () => {
        const out = await reader.lineage.edgesFrom({ type: 'run', id: runId });
        expect(out.map((e) => [e.relation, e.attrs['path']]).sort()).toEqual(
          Object.keys(files)
            .map((p) => ['output', `bundle/${p}`])
            .sort(),
        );
        const records = await reader.store.listArtifactRecords(runId);
        expect(out.map((e) => e.dst.id).sort()).toEqual(records.map((r) => r.manifestId).sort());
        const inputs = await reader.lineage.edgesTo({ type: 'run', id: runId });
        expect(inputs).toMatchObject([
          { src: { type: 'dataset', id: dataset }, relation: 'input', attrs: { role: 'train' } },
        ]);
        const view = await showLineage(reader, `runs:/${runId}`, 2);
        expect(view.graph.edges).toHaveLength(Object.keys(files).length + 1);
        expect(view.text).toContain(`runs:/${runId}`);
        expect(existsSync(join(root, 'ws', '.mlops'))).toBe(false);
        expect(existsSync(join(root, '.mlops'))).toBe(false);
      });
    },
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

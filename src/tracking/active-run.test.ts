import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalBlobStore } from '../blobs/index.js';
import { SqlLineageStore } from '../lineage/index.js';
import { openDatabase } from '../storage/index.js';
import { SqlTrackingStore } from './sql-tracking-store.js';
import { TrackingClient, withRun } from './tracking-client.js';

describe('ActiveRun (SDK)', () => {
  let dir: string;
  let client: TrackingClient;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-sdk-'));
    const database = await openDatabase('sqlite::memory:');
    client = new TrackingClient(
      new SqlTrackingStore(database),
      new LocalBlobStore(join(dir, 'blobs')),
      new SqlLineageStore(database),
    );
  });
  afterEach(async () => {
    await client.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('buffers points and writes them all by end(), in order', async () => {
    const run = await client.startRun({ experiment: 'sdk', cwd: dir });
    for (let i = 0; i < 2345; i++) run.logMetric('loss', 1 / (i + 1), i);
    await run.end();
    const history = await client.store.getMetricHistory(run.id, 'loss');
    expect(history.items.map((m) => m.step)).toEqual(Array.from({ length: 2345 }, (_, i) => i));
    expect((await client.getRun(run.id)).info.status).toBe('FINISHED');
  });

  it('writes a trickle of points within about a second, without flush()', async () => {
    const run = await client.startRun({ cwd: dir });
    run.logMetric('loss', 0.5, 1);
    expect((await client.store.getMetricHistory(run.id, 'loss')).items).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect((await client.store.getMetricHistory(run.id, 'loss')).items).toHaveLength(1);
    await run.end();
  });

  it('refuses a bad point in the call that logs it, keeping the good ones', async () => {
    const run = await client.startRun({ cwd: dir });
    run.logMetric('ok', 1);
    expect(() => run.logMetric('bad key!', 2)).toThrow(/bad key!/);
    run.logMetric('ok', 3, 1);
    await run.end();
    expect((await client.store.getMetricHistory(run.id, 'ok')).items).toHaveLength(2);
  });

  it('ends FAILED and rethrows when buffered points cannot be written, after trying every batch', async () => {
    // Fault injection around the real store: the first metric batch fails as a full disk would.
    const real = client.store;
    let failures = 1;
    const flaky = Object.create(real) as typeof real;
    flaky.logBatch = async (runId, batch) => {
      if (batch.metrics?.length && failures-- > 0) throw new Error('disk full');
      return real.logBatch(runId, batch);
    };
    const faulty = new TrackingClient(flaky, client.blobs, client.lineage);
    const run = await faulty.startRun({ cwd: dir });
    for (let i = 0; i < 2500; i++) run.logMetric('x', i, i);
    await expect(run.end()).rejects.toThrow('disk full');
    expect((await client.getRun(run.id)).info.status).toBe('FAILED');
    // Batches after the failed one were still written.
    expect((await client.store.getMetricHistory(run.id, 'x')).items).toHaveLength(1500);
  });

  it('withRun ends the run FAILED when the body throws', async () => {
    let id = '';
    await expect(
      withRun(client, { cwd: dir }, async (run) => {
        id = run.id;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await client.getRun(id)).info.status).toBe('FAILED');
  });

  it('records nested runs as parent_of lineage and with mlflow.parentRunId', async () => {
    const parent = await client.startRun({ cwd: dir });
    const child = await client.startRun({ cwd: dir, parentRunId: parent.id });
    expect((await client.getRun(child.id)).data.tags['mlflow.parentRunId']).toBe(parent.id);
    const edges = await client.lineage.edgesFrom({ type: 'run', id: parent.id });
    expect(edges.map((e) => [e.relation, e.dst.id])).toEqual([['parent_of', child.id]]);
    await child.end();
    await parent.end();
  });
});

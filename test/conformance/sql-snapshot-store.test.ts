import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SqlSnapshotStore,
  type MonitorSnapshot,
  type SnapshotStore,
} from '../../src/monitoring/index.js';
import { openDatabase } from '../../src/storage/index.js';
import { expectCode, freshPostgresUrl, postgresUnavailable } from '../../src/testing/index.js';

type TriggerStart = Parameters<SnapshotStore['beginTrigger']>[0];
type BeginResult = Awaited<ReturnType<SnapshotStore['beginTrigger']>>;

interface SnapshotStoreFixture {
  readonly store: SnapshotStore;
  /**
   * Runs each batch of beginTrigger calls at once on a connection of its own, all batches
   * together, and returns the results in order.
   */
  beginOnSeparateConnections(
    batches: readonly (readonly TriggerStart[])[],
    cooldownMs: number,
  ): Promise<BeginResult[]>;
  cleanup(): Promise<void>;
}

const T0 = 1_700_000_000_000;
const HOUR = 3_600_000;

/**
 * The SnapshotStore contract, written against the interface: snapshots round-trip and list
 * newest first; beginTrigger is a lock with a cooldown that holds across connections. Each test
 * uses monitors of its own, so the tests share one database.
 */
function snapshotStoreSuite(name: string, factory: () => Promise<SnapshotStoreFixture>): void {
  describe(`SnapshotStore conformance: ${name}`, () => {
    let fixture: SnapshotStoreFixture;
    let store: SnapshotStore;
    let seq = 0;
    const unique = (base: string) => `${base}-${Date.now()}-${seq++}`;
    const snapshot = (monitor: string, i: number, extra: Partial<MonitorSnapshot> = {}) =>
      ({
        id: `${monitor}-s${i}`,
        createdAt: T0 + i * 1000,
        monitor,
        modelName: 'stock-forecast',
        modelVersion: '3',
        windowStart: T0 - HOUR,
        windowEnd: T0,
        rows: 60,
        datasetDrift: false,
        driftedShare: 0.2,
        metrics: { 'data_drift.drifted_share': 0.2 },
        checks: [],
        passed: true,
        ...extra,
      }) satisfies MonitorSnapshot;
    const trigger = (monitor: string, id: string, startedAt: number, action = 'retrain') => ({
      id,
      monitor,
      snapshotId: `${monitor}-s0`,
      action,
      startedAt,
    });

    beforeAll(async () => {
      fixture = await factory();
      store = fixture.store;
    });
    afterAll(async () => {
      await fixture.cleanup();
    });

    it('stores a snapshot and reads it back whole, metrics with nulls and booleans included', async () => {
      const monitor = unique('round-trip');
      const full = snapshot(monitor, 1, {
        datasetDrift: true,
        driftedShare: 0.6,
        passed: false,
        reportPath: 'reports/monitor.html',
        metrics: {
          'data_drift.dataset_drift': true,
          'data_drift.drifted_share': 0.6,
          'data_drift.column.Close.drifted': false,
          'performance.mae': null,
          'performance.mape': Number.POSITIVE_INFINITY,
          'rows.current': 60,
        },
        checks: [
          {
            name: 'share',
            metric: 'data_drift.drifted_share',
            condition: 'lt 0.5',
            actual: 0.6,
            status: 'fail',
            message: 'data_drift.drifted_share = 0.6, expected lt 0.5',
          },
          {
            name: 'mae',
            metric: 'performance.mae',
            condition: 'lt 3',
            actual: null,
            status: 'error',
            message: 'performance.mae could not be computed',
          },
        ],
      });
      await store.addSnapshot(full);
      expect(await store.getSnapshot(full.id)).toEqual(full);

      const bare = snapshot(monitor, 2);
      const { modelName, modelVersion, windowStart, windowEnd, ...minimal } = bare;
      void [modelName, modelVersion, windowStart, windowEnd];
      await store.addSnapshot(minimal);
      expect(await store.getSnapshot(minimal.id)).toEqual(minimal);
      expect(await store.getSnapshot(unique('missing'))).toBeUndefined();
    });

    it('refuses a second snapshot with the same id, and a malformed one', async () => {
      const monitor = unique('dup');
      await store.addSnapshot(snapshot(monitor, 1));
      await expectCode(store.addSnapshot(snapshot(monitor, 1)), 'RESOURCE_ALREADY_EXISTS');
      const err = await expectCode(
        store.addSnapshot(snapshot(monitor, 2, { rows: -1 })),
        'INVALID_PARAMETER_VALUE',
      );
      expect(err.message).toMatch(/rows must be a whole number/);
    });

    it('lists newest first, filtered by monitor, model and time, with a limit', async () => {
      const monitor = unique('list');
      const otherMonitor = unique('list-other');
      for (const i of [3, 1, 4, 2]) await store.addSnapshot(snapshot(monitor, i));
      await store.addSnapshot(snapshot(monitor, 5, { modelName: 'other-model' }));
      await store.addSnapshot(snapshot(otherMonitor, 6));
      const ids = async (q: Parameters<SnapshotStore['listSnapshots']>[0]) =>
        (await store.listSnapshots(q)).map((s) => s.id);

      expect(await ids({ monitor })).toEqual([5, 4, 3, 2, 1].map((i) => `${monitor}-s${i}`));
      expect(await ids({ monitor, limit: 2 })).toEqual([`${monitor}-s5`, `${monitor}-s4`]);
      expect(await ids({ monitor, modelName: 'stock-forecast' })).toEqual(
        [4, 3, 2, 1].map((i) => `${monitor}-s${i}`),
      );
      expect(await ids({ monitor, since: T0 + 2000, until: T0 + 4000 })).toEqual([
        `${monitor}-s3`,
        `${monitor}-s2`,
      ]);
      expect(await ids({ monitor: otherMonitor })).toEqual([`${otherMonitor}-s6`]);
      expect(await ids({ monitor: unique('nobody') })).toEqual([]);
    });

    it('refuses a trigger while one is running, and records the refusal', async () => {
      const monitor = unique('running');
      expect(await store.beginTrigger(trigger(monitor, `${monitor}-t1`, T0), 0)).toEqual({
        started: true,
      });
      const refused = await store.beginTrigger(trigger(monitor, `${monitor}-t2`, T0 + 1000), 0);
      expect(refused).toMatchObject({
        started: false,
        blockedBy: { id: `${monitor}-t1`, status: 'running', startedAt: T0 },
      });
      // Another action of the same monitor is not blocked.
      expect(await store.beginTrigger(trigger(monitor, `${monitor}-w`, T0, 'other'), 0)).toEqual({
        started: true,
      });
      const listed = await store.listTriggers({ monitor });
      const skipped = listed.find((t) => t.id === `${monitor}-t2`);
      expect(skipped).toMatchObject({ status: 'skipped', finishedAt: T0 + 1000 });
      expect(skipped?.detail).toMatch(/^already running since .* \(trigger .*-t1\)$/);

      await store.finishTrigger(`${monitor}-t1`, {
        status: 'succeeded',
        runId: 'run-42',
        detail: 'retrained',
        finishedAt: T0 + 5000,
      });
      expect(await store.beginTrigger(trigger(monitor, `${monitor}-t3`, T0 + 6000), 0)).toEqual({
        started: true,
      });
      const finished = (await store.listTriggers({ monitor })).find(
        (t) => t.id === `${monitor}-t1`,
      );
      expect(finished).toEqual({
        id: `${monitor}-t1`,
        monitor,
        snapshotId: `${monitor}-s0`,
        action: 'retrain',
        startedAt: T0,
        finishedAt: T0 + 5000,
        status: 'succeeded',
        detail: 'retrained',
        runId: 'run-42',
      });
    });

    it('refuses a trigger within the cooldown of the last finished one, allows it after', async () => {
      const monitor = unique('cooldown');
      const cooldown = 6 * HOUR;
      await store.beginTrigger(trigger(monitor, `${monitor}-t1`, T0), cooldown);
      await store.finishTrigger(`${monitor}-t1`, { status: 'failed', finishedAt: T0 + HOUR });
      const within = await store.beginTrigger(
        trigger(monitor, `${monitor}-t2`, T0 + HOUR + cooldown - 1),
        cooldown,
      );
      expect(within).toMatchObject({ started: false, blockedBy: { id: `${monitor}-t1` } });
      const skipped = (await store.listTriggers({ monitor })).find((t) => t.id === `${monitor}-t2`);
      expect(skipped?.detail).toMatch(
        new RegExp(`^cooldown until ${new Date(T0 + HOUR + cooldown).toISOString()}`),
      );
      const after = await store.beginTrigger(
        trigger(monitor, `${monitor}-t3`, T0 + HOUR + cooldown),
        cooldown,
      );
      expect(after).toEqual({ started: true });
      expect((await store.listTriggers({ monitor, limit: 1 }))[0]).toMatchObject({
        id: `${monitor}-t3`,
        status: 'running',
      });
    });

    it('treats a running trigger older than the stale age as failed', async () => {
      const monitor = unique('stale');
      await store.beginTrigger(trigger(monitor, `${monitor}-t1`, T0), 0);
      // Default stale age: 6 h. Just under it the lock still holds.
      const early = await store.beginTrigger(trigger(monitor, `${monitor}-t2`, T0 + 6 * HOUR), 0);
      expect(early.started).toBe(false);
      const late = await store.beginTrigger(
        trigger(monitor, `${monitor}-t3`, T0 + 6 * HOUR + 1),
        HOUR,
      );
      expect(late).toEqual({ started: true });
      const dead = (await store.listTriggers({ monitor })).find((t) => t.id === `${monitor}-t1`);
      expect(dead).toMatchObject({ status: 'failed', finishedAt: T0 });
      expect(dead?.detail).toMatch(/^stale: still running after 6 h/);
      // The process was alive after all: its own outcome wins.
      await store.finishTrigger(`${monitor}-t1`, {
        status: 'succeeded',
        finishedAt: T0 + 7 * HOUR,
      });
      await expectCode(store.finishTrigger(`${monitor}-t1`, { status: 'failed' }), 'INVALID_STATE');
      await expectCode(
        store.finishTrigger(unique('no-such-trigger'), { status: 'failed' }),
        'RESOURCE_DOES_NOT_EXIST',
      );
    });

    it('starts exactly one of many concurrent triggers across two connections', async () => {
      const monitor = unique('concurrent');
      const starts = Array.from({ length: 5 }, (_, i) =>
        trigger(monitor, `${monitor}-t${i}`, T0 + i),
      );
      const results = await fixture.beginOnSeparateConnections(
        [starts.slice(0, 3), starts.slice(3)],
        HOUR,
      );
      expect(results).toHaveLength(5);
      expect(results.filter((r) => r.started)).toHaveLength(1);
      const triggers = await store.listTriggers({ monitor });
      expect(triggers.filter((t) => t.status === 'running')).toHaveLength(1);
      expect(triggers.filter((t) => t.status === 'skipped')).toHaveLength(4);
    });

    it('lists triggers newest first, per monitor, with a limit', async () => {
      const monitor = unique('triggers');
      for (const [i, action] of ['a', 'b', 'c'].entries()) {
        await store.beginTrigger(trigger(monitor, `${monitor}-${action}`, T0 + i, action), 0);
      }
      expect((await store.listTriggers({ monitor })).map((t) => t.action)).toEqual(['c', 'b', 'a']);
      expect((await store.listTriggers({ monitor, limit: 1 })).map((t) => t.action)).toEqual(['c']);
    });
  });
}

snapshotStoreSuite('SqlSnapshotStore on SQLite (two connections to one file)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mlops-snapshots-'));
  const uri = `sqlite:${join(dir, 'mlops.db')}`;
  const store = new SqlSnapshotStore(await openDatabase(uri));
  return {
    store,
    // better-sqlite3 is synchronous: a second connection in this thread would wait for the
    // lock on the thread that holds it. Separate processes are what the lock is for anyway.
    beginOnSeparateConnections: (batches, cooldownMs) =>
      beginInChildProcesses(uri, batches, cooldownMs),
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

/**
 * One child process per batch, each with its own connection to `uri`. Each opens the store and
 * says ready; once all are, they are told to go at once, so their transactions contend.
 */
async function beginInChildProcesses(
  uri: string,
  batches: readonly (readonly TriggerStart[])[],
  cooldownMs: number,
): Promise<BeginResult[]> {
  const storeModule = resolve('src/monitoring/index.ts');
  const program = `
    import { createInterface } from 'node:readline';
    import { openDatabase } from ${JSON.stringify(resolve('src/storage/index.ts'))};
    const { SqlSnapshotStore } = await import(${JSON.stringify(storeModule)});
    const store = new SqlSnapshotStore(await openDatabase(process.env.STORE_URI));
    const batch = JSON.parse(process.env.BATCH);
    console.log('ready');
    for await (const line of createInterface({ input: process.stdin })) {
      if (line !== 'go') continue;
      const results = await Promise.all(batch.map((s) => store.beginTrigger(s, Number(process.env.COOLDOWN))));
      console.log(JSON.stringify(results));
      break;
    }
    await store.close();`;
  const children = batches.map((batch) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', program],
      {
        env: {
          ...process.env,
          STORE_URI: uri,
          BATCH: JSON.stringify(batch),
          COOLDOWN: String(cooldownMs),
        },
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    return { child, lines };
  });
  for (const { lines } of children) expect((await lines.next()).value).toBe('ready');
  for (const { child } of children) child.stdin.write('go\n');
  const results: BeginResult[] = [];
  for (const { child, lines } of children) {
    results.push(...(JSON.parse((await lines.next()).value as string) as BeginResult[]));
    child.stdin.end();
    await once(child, 'exit');
  }
  return results;
}

const pgSkip = await postgresUnavailable();
describe.skipIf(pgSkip !== undefined)('PostgreSQL', () => {
  snapshotStoreSuite('SqlSnapshotStore on PostgreSQL (two pools)', async () => {
    const pg = freshPostgresUrl('snapshot_conf');
    const store = new SqlSnapshotStore(await openDatabase(pg.url, { autoUpgrade: true }));
    const other = new SqlSnapshotStore(await openDatabase(pg.url, { autoUpgrade: true }));
    return {
      store,
      beginOnSeparateConnections: async (batches, cooldownMs) => {
        const stores = [store, other];
        const runs = batches.map((batch, i) =>
          Promise.all(batch.map((start) => stores[i % 2]!.beginTrigger(start, cooldownMs))),
        );
        return (await Promise.all(runs)).flat();
      },
      cleanup: async () => {
        await store.close();
        await other.close();
        await pg.drop();
      },
    };
  });
});

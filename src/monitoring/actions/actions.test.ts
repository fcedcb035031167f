import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../storage/index.js';
import type { ConditionResult } from '../checks/check-types.js';
import type { MonitorReport } from '../report/report-types.js';
import type { MonitorSnapshot } from '../snapshots/snapshot-types.js';
import { SqlSnapshotStore } from '../snapshots/sql-snapshot-store.js';
import type { ActionContext, MonitorAction } from './action-types.js';
import { retrainAction } from './retrain-action.js';
import { runActions } from './run-actions.js';
import { webhookAction } from './webhook-action.js';

const failedCheck: ConditionResult = {
  name: 'data_drift.drifted_share lt 0.5',
  metric: 'data_drift.drifted_share',
  condition: 'lt 0.5',
  actual: 0.6,
  status: 'fail',
  message: 'data_drift.drifted_share = 0.6, expected lt 0.5',
};

const metrics = {
  'rows.current': 60,
  'data_drift.dataset_drift': true,
  'data_drift.drifted_share': 0.6,
  'data_drift.drifted_columns': 3,
  'data_drift.tested_columns': 5,
  'performance.mae': null,
};

const snapshot: MonitorSnapshot = {
  id: 'snap-1',
  createdAt: Date.UTC(2026, 10, 27, 12, 0, 0),
  monitor: 'stock-forecast',
  modelName: 'stock-forecast',
  modelVersion: '3',
  rows: 60,
  datasetDrift: true,
  driftedShare: 0.6,
  metrics,
  checks: [failedCheck],
  passed: false,
  reportPath: 'reports/monitor.html',
};

const report: MonitorReport = {
  schemaVersion: 1,
  generatedAt: '2026-11-27T12:00:00.000Z',
  title: 'Monitor stock-forecast',
  model: { name: 'stock-forecast', version: '3' },
  reference: { uri: 'models:/stock-forecast@champion', rows: 1000 },
  current: { uri: 'inference-log', rows: 60 },
  dataDrift: {
    columns: [],
    testedColumns: 5,
    driftedColumns: 3,
    driftedShare: 0.6,
    driftShare: 0.5,
    datasetDrift: true,
    problems: [],
  },
  notes: [],
  metrics,
  checks: [failedCheck],
};

const failing: ActionContext = { snapshot, report, failed: [failedCheck] };
const passing: ActionContext = {
  snapshot: { ...snapshot, passed: true, checks: [] },
  report: { ...report, checks: [] },
  failed: [],
};

describe('webhookAction', () => {
  let server: Server;
  let url: string;
  let handle: (req: IncomingMessage, body: string, res: ServerResponse) => void;

  beforeEach(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => handle(req, body, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('POSTs the snapshot, failed checks and their metrics as JSON', async () => {
    const received: { method?: string; headers?: IncomingMessage['headers']; body?: unknown } = {};
    handle = (req, body, res) => {
      Object.assign(received, { method: req.method, headers: req.headers, body: JSON.parse(body) });
      res.writeHead(204).end();
    };
    const action = webhookAction({ url, headers: { authorization: 'Bearer t0ken' } });
    expect(await action.run(failing)).toEqual({
      action: 'webhook',
      status: 'succeeded',
      detail: `POST ${url}: HTTP 204`,
    });
    expect(received.method).toBe('POST');
    expect(received.headers).toMatchObject({
      'content-type': 'application/json',
      authorization: 'Bearer t0ken',
    });
    expect(received.body).toEqual({
      monitor: 'stock-forecast',
      snapshot_id: 'snap-1',
      model: { name: 'stock-forecast', version: '3' },
      created_at: '2026-11-27T12:00:00.000Z',
      passed: false,
      failed_checks: [failedCheck],
      metrics: {
        'data_drift.dataset_drift': true,
        'data_drift.drifted_share': 0.6,
        'data_drift.drifted_columns': 3,
        'data_drift.tested_columns': 5,
      },
      report_path: 'reports/monitor.html',
    });
  });

  it('posts only on failure unless on: always', async () => {
    let posts = 0;
    handle = (_req, _body, res) => {
      posts++;
      res.writeHead(200).end('ok');
    };
    expect(await webhookAction({ url }).run(passing)).toMatchObject({ status: 'skipped' });
    expect(posts).toBe(0);
    expect(await webhookAction({ url, on: 'always' }).run(passing)).toMatchObject({
      status: 'succeeded',
    });
    expect(posts).toBe(1);
  });

  it('reports a 500 answer as failed, with the status and the start of the body', async () => {
    handle = (_req, _body, res) => res.writeHead(500).end(`database down${'!'.repeat(500)}`);
    const outcome = await webhookAction({ url }).run(failing);
    expect(outcome.status).toBe('failed');
    expect(outcome.detail).toMatch(new RegExp(`^POST ${url}: HTTP 500: database down!+…$`));
    expect(outcome.detail.length).toBeLessThan(300);
  });

  it('reports a server that never answers as a timeout', async () => {
    handle = () => undefined; // holds the request open
    const outcome = await webhookAction({ url, timeoutMs: 200 }).run(failing);
    expect(outcome).toEqual({
      action: 'webhook',
      status: 'failed',
      detail: `POST ${url}: no answer within 200 ms`,
    });
  });

  it('reports a refused connection as failed', async () => {
    const closed = url;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    server = createServer(); // for afterEach
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const outcome = await webhookAction({ url: closed }).run(failing);
    expect(outcome.status).toBe('failed');
    expect(outcome.detail).toMatch(/ECONNREFUSED/);
  });
});

describe('retrainAction', () => {
  let store: SqlSnapshotStore;
  beforeEach(async () => {
    store = new SqlSnapshotStore(await openDatabase('sqlite::memory:'));
  });
  afterEach(async () => {
    await store.close();
  });

  it('retrains exactly once within the cooldown, called three times one after another', async () => {
    let calls = 0;
    const action = retrainAction({
      store,
      cooldownMs: 3_600_000,
      retrain: async () => {
        calls++;
        return { runId: 'run-1', detail: 'new champion v4' };
      },
    });
    const outcomes = [
      await action.run(failing),
      await action.run(failing),
      await action.run(failing),
    ];
    expect(calls).toBe(1);
    expect(outcomes[0]).toEqual({
      action: 'retrain',
      status: 'succeeded',
      detail: 'new champion v4',
      runId: 'run-1',
    });
    for (const skipped of outcomes.slice(1)) {
      expect(skipped.status).toBe('skipped');
      expect(skipped.detail).toMatch(
        /^cooldown until \d{4}-\d\d-\d\dT.*\(the last retrain succeeded at/,
      );
    }
    const triggers = await store.listTriggers({ monitor: 'stock-forecast' });
    expect(triggers.map((t) => t.status).sort()).toEqual(['skipped', 'skipped', 'succeeded']);
    expect(triggers.find((t) => t.status === 'succeeded')).toMatchObject({
      snapshotId: 'snap-1',
      runId: 'run-1',
      detail: 'new champion v4',
    });
  });

  it('retrains exactly once when called three times at once', async () => {
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const action = retrainAction({
      store,
      cooldownMs: 3_600_000,
      retrain: async () => {
        calls++;
        await gate;
        return { detail: 'done' };
      },
    });
    const running = Promise.all([action.run(failing), action.run(failing), action.run(failing)]);
    // The two refused calls settle while the first holds the lock.
    await new Promise((resolve) => setImmediate(resolve));
    release();
    const outcomes = await running;
    expect(calls).toBe(1);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['skipped', 'skipped', 'succeeded']);
    const reasons = outcomes.filter((o) => o.status === 'skipped').map((o) => o.detail);
    for (const reason of reasons)
      expect(reason).toMatch(/^(already running since|cooldown until) /);
  });

  it('reports a failing retraining as failed and releases the lock', async () => {
    let calls = 0;
    const failingRetrain = retrainAction({
      store,
      cooldownMs: 0,
      retrain: async () => {
        calls++;
        throw Object.assign(new Error("stage 'train' failed"), { details: { runId: 'run-9' } });
      },
    });
    expect(await failingRetrain.run(failing)).toEqual({
      action: 'retrain',
      status: 'failed',
      detail: "stage 'train' failed",
      runId: 'run-9',
    });
    const [record] = await store.listTriggers({ monitor: 'stock-forecast' });
    expect(record).toMatchObject({ status: 'failed', runId: 'run-9' });
    // Not running any more: the next trigger starts.
    expect((await failingRetrain.run(failing)).status).toBe('failed');
    expect(calls).toBe(2);
  });

  it('skips when every check passed', async () => {
    let calls = 0;
    const action = retrainAction({
      store,
      cooldownMs: 0,
      retrain: async () => {
        calls++;
        return { detail: '' };
      },
    });
    expect(await action.run(passing)).toMatchObject({ status: 'skipped' });
    expect(calls).toBe(0);
  });

  it('reports a store that cannot take the lock as failed, without retraining', async () => {
    const closed = new SqlSnapshotStore(await openDatabase('sqlite::memory:'));
    await closed.close();
    let calls = 0;
    const action = retrainAction({
      store: closed,
      cooldownMs: 0,
      retrain: async () => {
        calls++;
        return { detail: '' };
      },
    });
    const outcome = await action.run(failing);
    expect(outcome.status).toBe('failed');
    expect(outcome.detail).toMatch(/^could not take the trigger lock: /);
    expect(calls).toBe(0);
  });
});

describe('runActions', () => {
  it('runs actions in order and turns a throwing action into a failed outcome', async () => {
    const order: string[] = [];
    const action = (name: string, fail = false): MonitorAction => ({
      name,
      run: async () => {
        order.push(name);
        if (fail) throw new Error(`${name} broke`);
        return { action: name, status: 'succeeded', detail: 'ok' };
      },
    });
    const outcomes = await runActions([action('a'), action('b', true), action('c')], failing);
    expect(order).toEqual(['a', 'b', 'c']);
    expect(outcomes).toEqual([
      { action: 'a', status: 'succeeded', detail: 'ok' },
      { action: 'b', status: 'failed', detail: 'b broke' },
      { action: 'c', status: 'succeeded', detail: 'ok' },
    ]);
  });
});

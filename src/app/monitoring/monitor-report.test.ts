import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MONITORED_FEATURE_COLUMNS, trainForecast } from '../../forecast/index.js';
import type { RegistryStore } from '../../registry/index.js';
import type { InferenceRecord } from '../../serving/index.js';
import { expectCode } from '../../testing/index.js';
import type { TrackingClient } from '../../tracking/index.js';
import { connect, openInferenceLog, openRegistry } from '../connect.js';
import { registerModel } from '../models/index.js';
import { monitorReport } from './monitor-report.js';
import { monitorCheck, monitorHistory, monitorRun } from './monitor-run.js';

const WINDOW = 10;
const ROWS = 300;

/** A contract-clean daily series: `close(i)` on `n` weekdays from 2020-01-02. */
function series(n: number, close: (i: number) => number) {
  const dates: string[] = [];
  const closes: number[] = [];
  const day = new Date(Date.UTC(2020, 0, 2));
  for (let i = 0; i < n; i++) {
    while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day.setUTCDate(day.getUTCDate() + 1);
    dates.push(day.toISOString().slice(0, 10));
    closes.push(close(i));
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return { dates, closes };
}

function priceCsv({ dates, closes }: ReturnType<typeof series>): string {
  const rows = closes.map((c, i) => {
    const cells = [c - 0.5, c + 1, c - 1, c, c, 1_000_000 + i].map((v) => v.toFixed(4));
    return [dates[i], ...cells].join(',');
  });
  return `Date,Open,High,Low,Close,Adj Close,Volume\n${rows.join('\n')}\n`;
}

/** A wavy series whose returns have a steady spread. */
const wavy = (i: number) => 100 + 10 * Math.sin(i / 7) + i * 0.05 + 0.8 * Math.sin(i * 1.7);

/** Logged next-day predictions of the last `count` rows of `s`, served by `version`. */
function records(
  s: ReturnType<typeof series>,
  count: number,
  version: string,
  start = 1_700_000_000_000,
): InferenceRecord[] {
  const out: InferenceRecord[] = [];
  for (let t = s.closes.length - count; t < s.closes.length; t++) {
    const inputs = s.closes.slice(t - WINDOW, t);
    out.push({
      predictionId: `p-${version}-${t}`,
      timestamp: start + t * 1000,
      modelName: 'goog',
      modelVersion: version,
      inputDate: s.dates[t - 1] as string,
      targetDate: s.dates[t] as string,
      horizonStep: 1,
      inputs,
      prediction: (inputs[inputs.length - 1] ?? 0) * 1.001,
      latencyMs: 1,
      route: 'predict',
    });
  }
  return out;
}

describe('monitorReport', () => {
  let dir: string;
  let client: TrackingClient;
  let registry: RegistryStore;
  const train = series(ROWS, wavy);
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-monitor-report-'));
    await mkdir(join(dir, '.mlops'));
    client = await connect(undefined, { cwd: dir });
    registry = await openRegistry(client);
    const data = join(dir, 'prices.csv');
    await writeFile(data, priceCsv(train));
    const trained = await trainForecast(client, {
      data,
      model: 'linear',
      params: { window: WINDOW },
    });
    await registerModel(
      { client, registry, cwd: dir },
      { source: `runs:/${trained.runId}/model`, name: 'goog' },
    );
    await registry.setAlias('goog', 'champion', '1');
  }, 120_000);
  afterAll(async () => {
    await registry.close();
    await client.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("compares a price file with a models:/ reference: the package's feature rows and the model's window", async () => {
    const { report, files } = await monitorReport(client, {
      reference: 'models:/goog@champion',
      current: join(dir, 'prices.csv'),
      cwd: dir,
      html: 'out/report.html',
      json: 'out/report.json',
    });
    expect(report.model).toEqual({ name: 'goog', version: '1' });
    expect(report.reference.uri).toBe('models:/goog/1');
    expect(report.reference.rows).toBeGreaterThan(100);
    // Every window of the file, at the model's window of 10 closes.
    expect(report.current.rows).toBe(ROWS - WINDOW);
    expect(report.dataDrift.columns.map((c) => c.column)).toEqual([...MONITORED_FEATURE_COLUMNS]);
    expect(report.dataDrift.columns.every((c) => c.status === 'ok')).toBe(true);
    // A file has no predictions: no prediction drift, no performance.
    expect(report.predictionDrift).toBeUndefined();
    expect(report.performance).toBeUndefined();
    expect(files.html).toBe(join(dir, 'out', 'report.html'));
    const json = JSON.parse(await readFile(join(dir, 'out', 'report.json'), 'utf8')) as {
      schemaVersion: number;
    };
    expect(json.schemaVersion).toBe(1);
  });

  it('compares two CSV files with --window when no model is named', async () => {
    const later = join(dir, 'later.csv');
    await writeFile(later, priceCsv(series(120, (i) => wavy(i + 200))));
    const { report } = await monitorReport(client, {
      reference: join(dir, 'prices.csv'),
      current: later,
      window: 20,
      cwd: dir,
    });
    expect(report.model).toBeUndefined();
    expect(report.reference.rows).toBe(ROWS - 20);
    expect(report.current.rows).toBe(100);
    expect(report.dataDrift.testedColumns).toBe(5);
  });

  it('reads the inference log window: features of each request, prediction drift, no feedback yet', async () => {
    const store = await openInferenceLog(client);
    try {
      await store.appendPredictions(records(train, 40, '1'));
    } finally {
      await store.close();
    }
    const { report, servedVersions } = await monitorReport(client, {
      reference: 'models:/goog@champion',
      current: 'inference-log',
      last: 30,
      cwd: dir,
    });
    expect(servedVersions).toEqual(['1']);
    expect(report.current).toMatchObject({ uri: 'inference-log', rows: 30 });
    expect(report.predictionDrift).toMatchObject({ column: 'prediction', status: 'ok' });
    expect(report.performance).toBeUndefined();
    expect(report.notes.join('\n')).toContain('No feedback yet: none of the 30 predictions');
    expect(report.dataQuality?.contract).toEqual([]);
  });

  it('scores the window once feedback exists: persistence baseline and the registered scores', async () => {
    const store = await openInferenceLog(client);
    try {
      const logged = records(train, 40, '1');
      await store.appendFeedback(
        logged.slice(-20).map((r, i) => ({
          feedbackId: `f-${i}`,
          timestamp: r.timestamp + 1,
          predictionId: r.predictionId,
          actual: train.closes[train.closes.length - 20 + i] as number,
        })),
      );
    } finally {
      await store.close();
    }
    const { report } = await monitorReport(client, {
      current: 'inference-log',
      model: 'models:/goog@champion',
      last: 30,
      cwd: dir,
    });
    // The reference defaults to the version that served the window.
    expect(report.reference.uri).toBe('models:/goog/1');
    const p = report.performance;
    expect(p?.overall.count).toBe(20);
    expect(p?.unscored).toBe(10);
    expect(p?.overall.skill).not.toBeNull();
    expect(p?.registered?.rmse).toBeGreaterThan(0);
    expect(report.metrics['performance.count']).toBe(20);
  });

  it('says plainly when last_close drifts because prices moved, and what the scale-free columns show', async () => {
    const moved = join(dir, 'moved.csv');
    // The same path at three times the price: identical returns, another price level.
    await writeFile(moved, priceCsv(series(ROWS, (i) => 3 * wavy(i))));
    const { report } = await monitorReport(client, {
      reference: 'models:/goog@champion',
      current: moved,
      cwd: dir,
    });
    const level = report.dataDrift.columns.find((c) => c.column === 'last_close');
    expect(level?.drifted).toBe(true);
    const note = report.notes.find((n) => n.startsWith('last_close drifted'));
    expect(note).toContain('drifts whenever prices move');
    expect(note).toMatch(/scale-free columns/i);
    expect(note).toContain('last_log_return');
  });

  it('reports an empty window as such, never as a silent "no drift"', async () => {
    const { report } = await monitorReport(client, {
      reference: 'models:/goog@champion',
      current: 'inference-log',
      since: Date.now() + 3_600_000,
      cwd: dir,
    });
    expect(report.current.rows).toBe(0);
    expect(report.dataDrift.datasetDrift).toBe(false);
    expect(report.dataDrift.problems.length).toBeGreaterThan(0);
    expect(report.notes.join('\n')).toContain('holds no next-day predictions');
  });

  it('an empty table (header only) reports no rows per column, not a type mismatch', async () => {
    await writeFile(join(dir, 'ref.csv'), 'x,label\n1,a\n2,b\n3,a\n');
    await writeFile(join(dir, 'empty.csv'), 'x,label\n');
    const { report } = await monitorReport(client, {
      reference: join(dir, 'ref.csv'),
      current: join(dir, 'empty.csv'),
      cwd: dir,
    });
    expect(report.dataDrift.columns.map((c) => [c.column, c.status])).toEqual([
      ['x', 'error'],
      ['label', 'error'],
    ]);
    for (const c of report.dataDrift.columns) expect(c.problem).toMatch(/no rows/);
  });

  it('refuses the inference log without a model, naming the option', async () => {
    const err = await expectCode(
      monitorReport(client, {
        reference: join(dir, 'prices.csv'),
        current: 'inference-log',
        cwd: dir,
      }),
      'INVALID_PARAMETER_VALUE',
    );
    expect(err.message).toContain('--model');
  });

  it('run stores a snapshot with a model_version -> snapshot edge; check stores nothing; history lists newest first', async () => {
    const config = join(dir, 'monitor.yaml');
    await writeFile(
      config,
      'model: models:/goog@champion\nwindow: { last: 30 }\nchecks:\n  - { metric: rows.current, eq: 30 }\n',
    );
    const checked = await monitorCheck(config);
    expect(checked.passed).toBe(true);
    expect(await monitorHistory(client, { monitor: 'goog' })).toEqual([]);
    const first = await monitorRun(config);
    const second = await monitorRun(config);
    expect(second.snapshot).toMatchObject({
      monitor: 'goog',
      modelName: 'goog',
      modelVersion: '1',
      rows: 30,
      passed: true,
      reportPath: join(dir, 'reports', 'monitor.html'),
    });
    expect(second.snapshot.metrics['rows.current']).toBe(30);
    expect(second.actions).toEqual([]);
    const history = await monitorHistory(client, { monitor: 'goog' });
    expect(history.map((h) => h.id)).toEqual([second.snapshot.id, first.snapshot.id]);
    const edges = await client.lineage.edgesTo({ type: 'snapshot', id: first.snapshot.id });
    expect(edges.map((e) => [e.src, e.relation])).toEqual([
      [{ type: 'model_version', id: 'goog/1' }, 'monitored_by'],
    ]);
  });

  it('compares a window that spans versions with the latest version that served it, and says so', async () => {
    const trained = await registry.getModelVersion('goog', '1');
    await registerModel({ client, registry, cwd: dir }, { source: trained.source, name: 'goog' });
    const store = await openInferenceLog(client);
    try {
      // Version 2 answers the last 5 requests, after version 1's.
      await store.appendPredictions(records(train, 5, '2', 1_800_000_000_000));
    } finally {
      await store.close();
    }
    const { report, servedVersions } = await monitorReport(client, {
      current: 'inference-log',
      model: 'models:/goog@champion',
      last: 12,
      cwd: dir,
    });
    expect(servedVersions).toEqual(['1', '2']);
    expect(report.reference.uri).toBe('models:/goog/2');
    expect(report.model).toEqual({ name: 'goog', version: '2' });
    expect(report.notes).toContain(
      'The window spans versions 1, 2 of goog; it is compared with the reference of the latest, version 2.',
    );
  });
});

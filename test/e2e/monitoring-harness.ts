// Helpers of the monitoring acceptance test (acceptance-monitoring.test.ts): windows of requests
// built from a price path (resampled from the reference period, a generated regime, a period as
// it happened), their replay through a running prediction server with the actual closes as
// feedback, monitor.yaml files, a webhook receiver, and the checks every report must pass.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { expect } from 'vitest';
import { stringify } from 'yaml';
import { openInferenceLog } from '../../src/app/index.js';
import { SeededRandom, loadPriceCsv } from '../../src/forecast/index.js';
import type { ColumnDrift, MonitorReport } from '../../src/monitoring/index.js';
import type { TrackingClient } from '../../src/tracking/index.js';
import { mlops, type Result } from './cli-harness.js';
import { eventually, postJson } from './serve-model-harness.js';

/** A price path: closes with their dates, oldest first. */
export interface PricePath {
  readonly dates: readonly string[];
  readonly closes: Float64Array;
}

/** One /predict request of a replay: a window of the path and the close that followed it. */
export interface WindowRequest {
  readonly series: readonly { readonly date: string; readonly close: number }[];
  readonly actual: number;
}

/** What the server answered to one request of a replay. */
export interface Replayed extends WindowRequest {
  readonly predictionId: string;
  readonly prediction: number;
  readonly version: string;
}

export async function loadPath(csv: string): Promise<PricePath> {
  const { bars } = await loadPriceCsv(csv);
  return { dates: bars.map((b) => b.date), closes: Float64Array.from(bars, (b) => b.close) };
}

/** The request whose window is rows `t - window .. t - 1` of `path`, with row t as its actual. */
export function windowAt(path: PricePath, window: number, t: number): WindowRequest {
  const series = [];
  for (let i = t - window; i < t; i++) {
    series.push({ date: path.dates[i] ?? '', close: path.closes[i] ?? Number.NaN });
  }
  return { series, actual: path.closes[t] ?? Number.NaN };
}

/** Every target row of [from, to), in order: a period replayed as it happened. */
export function periodWindows(
  path: PricePath,
  window: number,
  from: number,
  to: number,
): WindowRequest[] {
  const out: WindowRequest[] = [];
  for (let t = Math.max(from, window); t < to; t++) out.push(windowAt(path, window, t));
  return out;
}

/**
 * `count` windows of the path drawn at random (seeded, without replacement) among the target
 * rows [from, to): blocks of the reference period's price path, each a draw from the same
 * distribution as the reference's feature rows, so no drift is expected. Whole runs of
 * consecutive days would not do: their rolling features (20-day volatility, mean return of the
 * window) hardly change from one day to the next, so a few runs look like drift.
 */
export function resampledWindows(
  path: PricePath,
  window: number,
  from: number,
  to: number,
  count: number,
  seed: number,
): WindowRequest[] {
  const rows = Array.from(
    { length: to - Math.max(from, window) },
    (_, i) => Math.max(from, window) + i,
  );
  if (count > rows.length) throw new Error(`asked for ${count} windows of ${rows.length} rows`);
  const rng = new SeededRandom(seed);
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [rows[i], rows[j]] = [rows[j] ?? 0, rows[i] ?? 0];
  }
  return rows.slice(0, count).map((t) => windowAt(path, window, t));
}

/** Mean and sample standard deviation of the daily log returns over rows [from, to). */
export function logReturnStats(path: PricePath, from: number, to: number) {
  const r: number[] = [];
  for (let t = Math.max(from, 1); t < to; t++) {
    r.push(Math.log((path.closes[t] ?? 0) / (path.closes[t - 1] ?? 0)));
  }
  const mean = r.reduce((s, x) => s + x, 0) / r.length;
  const sd = Math.sqrt(r.reduce((s, x) => s + (x - mean) ** 2, 0) / (r.length - 1));
  return { mean, sd };
}

/**
 * A generated regime: a path of `window + count` closes from `start` on business days after
 * `after`, whose daily log returns are normal with `volatility` times the given standard
 * deviation and the mean moved by `shift` standard deviations; then its `count` windows in order.
 */
export function regimeWindows(
  stats: { mean: number; sd: number },
  options: {
    readonly window: number;
    readonly count: number;
    readonly start: number;
    readonly after: string;
    readonly volatility: number;
    readonly shift: number;
    readonly seed: number;
  },
): { path: PricePath; windows: WindowRequest[] } {
  const rng = new SeededRandom(options.seed);
  const n = options.window + options.count;
  const closes = new Float64Array(n);
  const dates = businessDays(options.after, n);
  let price = options.start;
  for (let i = 0; i < n; i++) {
    price *= Math.exp(
      stats.mean + options.shift * stats.sd + options.volatility * stats.sd * rng.normal(),
    );
    closes[i] = price;
  }
  const path = { dates, closes };
  return { path, windows: periodWindows(path, options.window, options.window, n) };
}

/** `n` business days (Monday to Friday) after `after` (YYYY-MM-DD). */
export function businessDays(after: string, n: number): string[] {
  const day = new Date(`${after}T00:00:00Z`);
  const out: string[] = [];
  while (out.length < n) {
    day.setUTCDate(day.getUTCDate() + 1);
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) out.push(day.toISOString().slice(0, 10));
  }
  return out;
}

/**
 * Replays `windows` through the server one request at a time (so the inference log's order is
 * the replay's), posts every actual close as feedback by prediction id, and waits until the
 * store holds every prediction joined with its actual: a `monitor` command run next sees the
 * whole window.
 */
export async function replay(
  url: string,
  windows: readonly WindowRequest[],
  client: TrackingClient,
  modelName: string,
): Promise<Replayed[]> {
  const out: Replayed[] = [];
  for (const w of windows) {
    const answer = await postJson(`${url}/predict`, { series: w.series });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const [step] = answer.body['predictions'] as { prediction_id: string; value: number }[];
    out.push({
      ...w,
      predictionId: step?.prediction_id ?? '',
      prediction: step?.value ?? Number.NaN,
      version: answer.version ?? '',
    });
  }
  const feedback = await postJson(
    `${url}/feedback`,
    out.map((r) => ({ prediction_id: r.predictionId, actual: r.actual })),
  );
  expect(feedback.status, JSON.stringify(feedback.body)).toBe(202);
  const store = await openInferenceLog(client);
  try {
    const ids = new Set(out.map((r) => r.predictionId));
    await eventually(async () => {
      const rows = await store.queryPredictions({ modelName, limit: out.length });
      const joined = rows.filter((r) => ids.has(r.predictionId) && r.actual !== undefined);
      return joined.length === out.length ? true : undefined;
    }, 30_000);
  } finally {
    await store.close();
  }
  return out;
}

/** Writes a monitor.yaml (snake_case keys, as users write them). */
export async function writeMonitorConfig(path: string, config: object): Promise<string> {
  await writeFile(path, stringify(config));
  return path;
}

/** Runs the built CLI, whatever its exit code. */
export function monitorCli(dir: string, ...args: string[]): Promise<Result> {
  return mlops(dir, 'monitor', ...args);
}

/** Parses a command's JSON output; a failure shows what the command printed. */
export function jsonOf<T>(result: Result): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`expected JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}

/** A request the webhook receiver got. */
export interface HookCall {
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

/** A local HTTP server on 127.0.0.1:<free port> that records every request and answers 200. */
export async function webhookReceiver() {
  const calls: HookCall[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        body = { unparsed: text };
      }
      calls.push({ method: req.method ?? '', headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Evidently's drift rule for a score: p-value tests drift below the threshold (ks and
 * cramer_von_mises at or below), distance tests at or above it (ed strictly above).
 */
export function driftsAt(c: Pick<ColumnDrift, 'test' | 'scoreKind' | 'threshold'>, score: number) {
  if (c.scoreKind === 'p_value') {
    return c.test === 'ks' || c.test === 'cramer_von_mises'
      ? score <= c.threshold
      : score < c.threshold;
  }
  return c.test === 'ed' ? score > c.threshold : score >= c.threshold;
}

/**
 * What every report must say consistently: each tested column's verdict follows from its score
 * and threshold, an errored column has a reason and no verdict, the dataset verdict follows from
 * the share, and the flat metrics the checks read are the same numbers.
 */
export function expectConsistentReport(report: MonitorReport): void {
  const drift = report.dataDrift;
  for (const c of drift.columns) {
    if (c.status === 'ok') {
      expect(c.score, c.column).not.toBeNull();
      expect(c.drifted, `${c.column}: ${c.test} ${c.score} vs ${c.threshold}`).toBe(
        driftsAt(c, c.score ?? Number.NaN),
      );
    } else {
      expect(c.problem, c.column).toMatch(/\S/);
      expect(c.drifted, c.column).toBe(false);
      expect(c.score, c.column).toBeNull();
    }
    // A column whose test could not run has no verdict in the flat metrics either (null).
    expect(report.metrics[`data_drift.column.${c.column}.score`], c.column).toBe(c.score);
    expect(report.metrics[`data_drift.column.${c.column}.drifted`], c.column).toBe(
      c.status === 'ok' ? c.drifted : null,
    );
  }
  const tested = drift.columns.filter((c) => c.status === 'ok');
  const drifted = tested.filter((c) => c.drifted).length;
  expect(drift.testedColumns).toBe(tested.length);
  expect(drift.driftedColumns).toBe(drifted);
  expect(drift.driftedShare).toBeCloseTo(tested.length === 0 ? 0 : drifted / tested.length, 12);
  expect(drift.datasetDrift).toBe(tested.length > 0 && drift.driftedShare >= drift.driftShare);
  if (tested.length === 0) expect(drift.problems.length).toBeGreaterThan(0);
  // With nothing tested there is no dataset verdict to check against: null, never "no drift".
  const none = tested.length === 0;
  expect(report.metrics['data_drift.dataset_drift']).toBe(none ? null : drift.datasetDrift);
  expect(report.metrics['data_drift.drifted_share']).toBe(none ? null : drift.driftedShare);
  expect(report.metrics['data_drift.tested_columns']).toBe(tested.length);
}

/** The per-column table of a report, for the log (and the release note). */
export function driftTable(report: MonitorReport): string {
  const d = report.dataDrift;
  const rows = d.columns.map((c) =>
    [
      c.column.padEnd(18),
      c.test.padEnd(12),
      (c.score === null ? 'n/a' : c.score.toPrecision(4)).padStart(10),
      String(c.threshold).padStart(6),
      c.status === 'ok' ? (c.drifted ? 'DRIFT' : 'ok') : `error: ${c.problem}`,
    ].join('  '),
  );
  const p = report.predictionDrift;
  if (p !== undefined) {
    rows.push(
      [
        '(prediction)'.padEnd(18),
        p.test.padEnd(12),
        (p.score === null ? 'n/a' : p.score.toPrecision(4)).padStart(10),
        String(p.threshold).padStart(6),
        p.status === 'ok' ? (p.drifted ? 'DRIFT' : 'ok') : `error: ${p.problem}`,
      ].join('  '),
    );
  }
  return [
    `${report.current.uri} (${report.current.rows} rows) vs ${report.reference.uri} (${report.reference.rows} rows): dataset drift ${d.datasetDrift} (${d.driftedColumns} of ${d.testedColumns} columns, share ${d.driftedShare.toFixed(2)} vs ${d.driftShare})`,
    `${'column'.padEnd(18)}  ${'test'.padEnd(12)}  ${'score'.padStart(10)}  ${'thresh'.padStart(6)}  verdict`,
    ...rows,
    ...report.notes.map((n) => `note: ${n}`),
  ].join('\n');
}

/** MAE, RMSE and skill against persistence (the window's last close) of a replay. */
export function replayScores(replayed: readonly Replayed[]) {
  let abs = 0;
  let sq = 0;
  let sqNaive = 0;
  for (const r of replayed) {
    const last = r.series[r.series.length - 1]?.close ?? Number.NaN;
    abs += Math.abs(r.prediction - r.actual);
    sq += (r.prediction - r.actual) ** 2;
    sqNaive += (last - r.actual) ** 2;
  }
  const n = replayed.length;
  const rmse = Math.sqrt(sq / n);
  return { count: n, mae: abs / n, rmse, skill: 1 - rmse / Math.sqrt(sqNaive / n) };
}

/** A plain data table (no Close column: compared column by column, as it is). */
export type Table = Record<string, readonly string[]>;

/** The CSV text of `table`; every column has the same length (a header only when empty). */
export function tableCsv(table: Table): string {
  const cols = Object.keys(table);
  const rows = table[cols[0] ?? '']?.length ?? 0;
  const lines = [cols.join(',')];
  for (let i = 0; i < rows; i++) lines.push(cols.map((c) => table[c]?.[i] ?? '').join(','));
  return `${lines.join('\n')}\n`;
}

/**
 * `rows` rows of three standard normal columns x, y, z and a label column cycling through a, b
 * and c (seeded): a reference and a current sample of the same distribution.
 */
export function normalTable(
  rows: number,
  seed: number,
): Record<'x' | 'y' | 'z' | 'label', string[]> {
  const rng = new SeededRandom(seed);
  const numbers = () => Array.from({ length: rows }, () => rng.normal().toFixed(6));
  return {
    x: numbers(),
    y: numbers(),
    z: numbers(),
    label: Array.from({ length: rows }, (_, i) => 'abc'[i % 3] ?? 'a'),
  };
}

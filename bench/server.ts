// npm run bench -- server [--quick] [--skip-pg] [--only latency|rps|search] [--no-paced]
//                         [--cpu-prof DIR] [--log-runs N] [--search-runs N]
// Figures (tracking server issue):
//   log_batch_p50_ms_pg / log_batch_p99_ms_pg / log_batch_p50_ms_sqlite / log_batch_p99_ms_sqlite:
//     POST runs/log-batch of 10 metrics, 20 connections at a fixed 500 requests/s for 20 s,
//     evenly paced (bench/server-paced.ts, latency counted from when each request was due); the
//     same with `_bursts` appended come from autocannon's overallRate at the same rate, which
//     sends each second's budget in one burst (with --no-paced those take the plain names);
//   log_batch_rps: the most log-batch requests/s the server sustains (SQLite, 20 connections,
//     10 s, no rate) against a bare Fastify route answering {} in the same run;
//   search_http_p50_ms (and _pg): runs/search, first page of 1000 of 25,000 runs, over HTTP,
//     against the same search called on the store in this process.
// The server runs in a child process (bench/server-child.ts through tsx, so no build is needed):
// autocannon in the same process would share the server's event loop, and on a 2-core machine
// the load generator's own JSON and socket work would be billed to the server. --cpu-prof DIR
// writes a V8 CPU profile of every server child there. --quick shortens everything for a smoke
// run (its figures are not comparable with the issue's).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { openDatabase } from '../src/storage/index.js';
import { freshPostgresUrl, postgresUnavailable } from '../src/testing/index.js';
import { SqlTrackingStore } from '../src/tracking/index.js';
import { startChild } from './child.js';
import { median, report } from './report.js';
import { countMetricPoints, populateRuns } from './server-data.js';
import { pacedLoad, type PacedResult } from './server-paced.js';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined =>
  args.includes(name) ? args[args.indexOf(name) + 1] : undefined;
const quick = args.includes('--quick');
const skipPg = args.includes('--skip-pg');
const only = flag('--only');
const cpuProfDir = flag('--cpu-prof');
const logRuns = Number(flag('--log-runs') ?? 5) || 5;
const noPaced = args.includes('--no-paced');
const searchRuns = Number(flag('--search-runs') ?? (quick ? 5_000 : 25_000)) || 25_000;

/** The load shapes; --quick keeps the shapes and cuts the durations. */
const LATENCY = { connections: 20, rate: 500, seconds: quick ? 3 : 20, warmup: quick ? 1 : 3 };
const MAX_RPS = { connections: 20, seconds: quick ? 3 : 10, warmup: quick ? 1 : 2 };
const SEARCH = { warmup: 3, samples: quick ? 10 : 30 };
const METRICS_PER_BATCH = 10;
const LOG_BATCH = '/api/2.0/mlflow/runs/log-batch';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CHILD = join(ROOT, 'bench', 'server-child.ts');
const scratch = await mkdtemp(join(tmpdir(), 'mlops-bench-server-'));
const pgReason = skipPg ? 'skipped (--skip-pg)' : await postgresUnavailable();

// ---- the server process -------------------------------------------------------------------------

async function withChild<T>(argv: readonly string[], fn: (url: string) => Promise<T>): Promise<T> {
  const child = await startChild(CHILD, argv, { root: ROOT, cpuProfDir });
  try {
    return await fn(child.url);
  } finally {
    await child.stop();
  }
}

// ---- HTTP helpers ------------------------------------------------------------------------------

async function post<T>(url: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${url}/api/2.0/mlflow/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

async function createRuns(url: string, count: number): Promise<string[]> {
  const { experiment_id } = await post<{ experiment_id: string }>(url, 'experiments/create', {
    name: `bench-${Date.now()}`,
  });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const { run } = await post<{ run: { info: { run_id: string } } }>(url, 'runs/create', {
      experiment_id,
      run_name: `load-${i}`,
      start_time: Date.now(),
    });
    ids.push(run.info.run_id);
  }
  return ids;
}

// ---- load --------------------------------------------------------------------------------------

interface LoadResult {
  /** Latency of each 2xx answer, ms (autocannon's own histogram has 1 ms resolution). */
  readonly latencies: number[];
  readonly ok: number;
  readonly non2xx: number;
  /** Connection errors and timeouts (autocannon's `errors` includes `timeouts`). */
  readonly errors: number;
  readonly timeouts: number;
  readonly statusCodes: Record<string, number>;
  /** 2xx answers per second over the run. */
  readonly rps: number;
}

/**
 * The next log-batch body: 10 metrics for one of `runIds` (round-robin), at a (run, step) of its
 * own, so no two points of a run share (key, step). `seq` counts bodies across loads on the same
 * runs (warm-up, then measurements).
 */
function batchBody(runIds: readonly string[], seq: { n: number }): string {
  const n = seq.n++;
  const step = Math.floor(n / runIds.length);
  const metrics = [];
  for (let k = 0; k < METRICS_PER_BATCH; k++)
    metrics.push({ key: `m${k}`, value: Math.sin(n + k), timestamp: 1_700_000_000_000 + n, step });
  return JSON.stringify({ run_id: runIds[n % runIds.length], metrics });
}

/** autocannon sending log-batch requests (`batchBody`) to `url`. */
async function logBatchLoad(
  url: string,
  runIds: readonly string[],
  shape: { connections: number; seconds: number; rate?: number },
  seq: { n: number },
): Promise<LoadResult> {
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let ok = 0;
  const options: autocannon.Options = {
    url,
    connections: shape.connections,
    duration: shape.seconds,
    // With a rate, autocannon "corrects" coordinated omission with an expected interval of
    // ceil(1 / rate-per-connection) = 1 ms, which back-fills fake 1..n ms samples into its own
    // histogram; we take our own samples anyway.
    ...(shape.rate !== undefined
      ? { overallRate: shape.rate, ignoreCoordinatedOmission: true }
      : {}),
    requests: [
      {
        method: 'POST',
        path: LOG_BATCH,
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: batchBody(runIds, seq) }),
      },
    ],
  };
  const onResponse = (statusCode: number, responseTime: number) => {
    statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
    if (statusCode >= 200 && statusCode < 300) {
      ok++;
      latencies.push(responseTime);
    }
  };
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolveResult, reject) => {
    const instance = autocannon(options, (err: unknown, r: autocannon.Result) =>
      err ? reject(err instanceof Error ? err : new Error(String(err))) : resolveResult(r),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) =>
      onResponse(statusCode, responseTime),
    );
  });
  const seconds = (performance.now() - started) / 1000;
  return {
    latencies,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    rps: ok / seconds,
  };
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const round = (x: number, digits = 2) => Number(x.toFixed(digits));

/** A run without failures is the point of the latency figures: say loudly when there were some. */
function checkClean(what: string, r: LoadResult): void {
  if (r.non2xx > 0 || r.errors > 0)
    process.stderr.write(
      `WARNING ${what}: ${r.non2xx} non-2xx answers, ${r.errors} errors (${r.timeouts} timeouts); status codes ${JSON.stringify(r.statusCodes)}\n`,
    );
}

/**
 * Points in the database against points acknowledged with 2xx. autocannon stops listening with a
 * request in flight on each connection, which the server still commits, so up to `connections`
 * unacknowledged requests per load may be stored; fewer than acknowledged would be a loss, more
 * than were ever built a duplication.
 */
async function ingestCheck(
  what: string,
  uri: string,
  loads: readonly { ok: number }[],
  built: number,
): Promise<{ points_acknowledged: number; points_stored: number; points_lost: number }> {
  const stored = await countMetricPoints(uri);
  const acknowledged = loads.reduce((sum, l) => sum + l.ok, 0) * METRICS_PER_BATCH;
  if (stored < acknowledged || stored > built * METRICS_PER_BATCH)
    process.stderr.write(
      `WARNING ${what}: ${stored} metric points stored, ${acknowledged} acknowledged, ${built * METRICS_PER_BATCH} sent at most\n`,
    );
  return {
    points_acknowledged: acknowledged,
    points_stored: stored,
    points_lost: Math.max(0, acknowledged - stored),
  };
}

// ---- figures -----------------------------------------------------------------------------------

/**
 * Fixed-rate log-batch latency with `uri` behind the server: autocannon as the issue says, then
 * (unless --no-paced) the same rate evenly paced (bench/server-paced.ts) on the same server.
 */
async function latency(suffix: '_pg' | '_sqlite', uri: string): Promise<void> {
  const seq = { n: 0 };
  const shape = { connections: LATENCY.connections, rate: LATENCY.rate };
  const { measured, warm, paced } = await withChild(
    ['mlops', uri, join(scratch, 'artifacts')],
    async (url) => {
      const runIds = await createRuns(url, logRuns);
      const warm = await logBatchLoad(url, runIds, { ...shape, seconds: LATENCY.warmup }, seq);
      const measured = await logBatchLoad(url, runIds, { ...shape, seconds: LATENCY.seconds }, seq);
      const paced = noPaced
        ? undefined
        : await pacedLoad(url, LOG_BATCH, () => batchBody(runIds, seq), {
            ...shape,
            seconds: LATENCY.seconds,
          });
      return { measured, warm, paced };
    },
  );
  checkClean(`log_batch${suffix}`, measured);
  if (paced) checkClean(`log_batch${suffix}`, { ...paced, timeouts: 0 });
  const points = await ingestCheck(
    `log_batch${suffix}`,
    uri,
    paced ? [warm, measured, paced] : [warm, measured],
    seq.n,
  );
  const common = {
    connections: LATENCY.connections,
    rate: LATENCY.rate,
    duration_s: LATENCY.seconds,
    runs: logRuns,
    metrics_per_request: METRICS_PER_BATCH,
  };
  const figures = (name: string, load: LoadResult | PacedResult, extra: object) => {
    const shared = {
      ...common,
      achieved_rps: round(load.rps, 1),
      requests_2xx: load.ok,
      non2xx: load.non2xx,
      errors: load.errors,
      ...extra,
      ...points,
    };
    report({
      bench: 'server',
      metric: `log_batch_p50_ms${suffix}${name}`,
      value: round(percentile(load.latencies, 50)),
      unit: 'ms',
      baseline: null,
      ratio: null,
      goal_ms: 10,
      ...shared,
    });
    report({
      bench: 'server',
      metric: `log_batch_p99_ms${suffix}${name}`,
      value: round(percentile(load.latencies, 99)),
      unit: 'ms',
      baseline: null,
      ratio: null,
      ...shared,
    });
  };
  // The figure is the paced one: 500 requests/s at a fixed rate. autocannon's overallRate
  // sends each second's budget as a burst at the top of the second, so its figure measures 20
  // requests queued at once; it is reported too, under its own name.
  if (paced) {
    figures('', paced, { load: 'evenly paced (fixed 500 req/s), latency from due time' });
    figures('_bursts', measured, { load: 'autocannon overallRate (per-second bursts)' });
  } else {
    figures('', measured, { load: 'autocannon overallRate (per-second bursts)' });
  }
}

/** Most log-batch requests/s (SQLite) against a bare Fastify route, same load, same run. */
async function maxRps(): Promise<void> {
  const shape = { connections: MAX_RPS.connections, seconds: MAX_RPS.seconds };
  const bare = await withChild(['bare'], async (url) => {
    const seq = { n: 0 };
    const ids = ['bare'];
    await logBatchLoad(url, ids, { ...shape, seconds: MAX_RPS.warmup }, seq);
    return logBatchLoad(url, ids, shape, seq);
  });
  checkClean('bare route', bare);
  const uri = `sqlite:${join(scratch, 'rps.db')}`;
  const seq = { n: 0 };
  const { mlops, warm } = await withChild(
    ['mlops', uri, join(scratch, 'artifacts')],
    async (url) => {
      const runIds = await createRuns(url, logRuns);
      const warm = await logBatchLoad(url, runIds, { ...shape, seconds: MAX_RPS.warmup }, seq);
      return { mlops: await logBatchLoad(url, runIds, shape, seq), warm };
    },
  );
  checkClean('log_batch_rps', mlops);
  const points = await ingestCheck('log_batch_rps', uri, [warm, mlops], seq.n);
  report({
    bench: 'server',
    metric: 'log_batch_rps',
    value: Math.round(mlops.rps),
    unit: 'req/s',
    baseline: {
      name: 'bare Fastify route answering {} (same body, same load)',
      value: Math.round(bare.rps),
    },
    ratio: round(mlops.rps / bare.rps, 3),
    connections: MAX_RPS.connections,
    duration_s: MAX_RPS.seconds,
    backend: 'sqlite',
    runs: logRuns,
    p50_ms: round(percentile(mlops.latencies, 50)),
    p99_ms: round(percentile(mlops.latencies, 99)),
    bare_p50_ms: round(percentile(bare.latencies, 50)),
    non2xx: mlops.non2xx,
    errors: mlops.errors,
    bare_non2xx: bare.non2xx,
    ...points,
  });
}

/** runs/search, first page of 1000 of `searchRuns` runs: over HTTP vs on the store in-process. */
async function search(suffix: '' | '_pg', uri: string): Promise<void> {
  const experimentId = await populateRuns(uri, searchRuns);
  const maxResults = 1000;
  const store = new SqlTrackingStore(await openDatabase(uri, { autoUpgrade: true }));
  const direct: number[] = [];
  try {
    for (let i = 0; i < SEARCH.warmup + SEARCH.samples; i++) {
      const t0 = performance.now();
      const page = await store.searchRuns({ experimentIds: [experimentId], maxResults });
      const ms = performance.now() - t0;
      if (page.items.length !== maxResults)
        throw new Error(`store search: ${page.items.length} runs`);
      if (i >= SEARCH.warmup) direct.push(ms);
    }
  } finally {
    await store.close();
  }
  const http: number[] = [];
  let bytes = 0;
  await withChild(['mlops', uri, join(scratch, 'artifacts')], async (url) => {
    const body = JSON.stringify({ experiment_ids: [experimentId], max_results: maxResults });
    for (let i = 0; i < SEARCH.warmup + SEARCH.samples; i++) {
      const t0 = performance.now();
      const res = await fetch(`${url}/api/2.0/mlflow/runs/search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      const buf = await res.arrayBuffer();
      const ms = performance.now() - t0;
      if (!res.ok) throw new Error(`runs/search: ${res.status} ${Buffer.from(buf).toString()}`);
      bytes = buf.byteLength;
      if (i >= SEARCH.warmup) http.push(ms);
    }
    const { runs, next_page_token } = await post<{ runs?: unknown[]; next_page_token?: string }>(
      url,
      'runs/search',
      { experiment_ids: [experimentId], max_results: maxResults },
    );
    if (runs?.length !== maxResults || !next_page_token)
      throw new Error(`runs/search answered ${runs?.length} runs, token ${next_page_token}`);
  });
  const p50 = median(http);
  const base = median(direct);
  report({
    bench: 'server',
    metric: `search_http_p50_ms${suffix}`,
    value: round(p50),
    unit: 'ms',
    baseline: { name: 'store.searchRuns in-process (no HTTP)', value: round(base) },
    ratio: round(p50 / base, 3),
    goal_ms: 60,
    runs: searchRuns,
    page: maxResults,
    response_bytes: bytes,
    samples: http.length,
    p90_ms: round(percentile(http, 90)),
  });
}

try {
  if (pgReason) process.stderr.write(`PostgreSQL figures skipped: ${pgReason}\n`);
  if (!only || only === 'latency') {
    if (!pgReason) {
      const pg = freshPostgresUrl('bench_server');
      try {
        await latency('_pg', pg.url);
      } finally {
        await pg.drop();
      }
    }
    await latency('_sqlite', `sqlite:${join(scratch, 'latency.db')}`);
  }
  if (!only || only === 'rps') await maxRps();
  if (!only || only === 'search') {
    await search('', `sqlite:${join(scratch, 'search.db')}`);
    if (!pgReason) {
      const pg = freshPostgresUrl('bench_server');
      try {
        await search('_pg', pg.url);
      } finally {
        await pg.drop();
      }
    }
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}

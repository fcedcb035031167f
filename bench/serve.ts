// npm run bench -- serve [--quick] [--cpu-prof DIR] [--only latency] [--no-inference-log] [--poll-ms N]
//                        [--timeline]
// Figures (registry and serving issue):
//   predict_p50_ms / predict_p99_ms: POST /predict with one GOOG window to the LSTM trained on
//     GOOG (quick preset), 20 connections at a fixed 1,000 requests/s for 20 s, evenly paced
//     (bench/server-paced.ts; latency counted from when each request was due); baseline: the same
//     load on a bare Fastify route returning a constant prediction;
//   predict_rps: the most /predict requests/s sustained (autocannon, 20 connections, 10 s, no
//     rate) against that bare route in the same run (ratio = mlops / bare);
//   swap_failed_requests / swap_p99_ms: 500 requests/s for 30 s while the champion alias moves
//     every 5 s between two versions (the server polls the registry every 250 ms); failed = non-2xx
//     + socket errors over the whole run; swap_p99_ms = p99 of requests due in the 2 s after each
//     move (baseline: the p99 of the rest of the run).
// Both servers run in a child process of their own (bench/serve-child.ts through tsx).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { connect, openRegistry, registerModel } from '../src/app/index.js';
import { loadPriceCsv, trainForecast } from '../src/forecast/index.js';
import { startChild } from './child.js';
import { report } from './report.js';
import { pacedLoad, type PacedAnswer } from './server-paced.js';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined =>
  args.includes(name) ? args[args.indexOf(name) + 1] : undefined;
const quick = args.includes('--quick');
const cpuProfDir = flag('--cpu-prof');
const only = flag('--only');
const noLog = args.includes('--no-inference-log');
const timeline = args.includes('--timeline');
const pollMs = Number(flag('--poll-ms') ?? 250) || 250;

const LATENCY = { connections: 20, rate: 1000, seconds: quick ? 4 : 20, warmup: quick ? 1 : 3 };
const MAX_RPS = { connections: 20, seconds: quick ? 3 : 10 };
const SWAP = { connections: 20, rate: 500, seconds: quick ? 12 : 30, everyMs: 5000, pollMs };
const MODEL = 'goog-lstm';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CHILD = join(ROOT, 'bench', 'serve-child.ts');
const GOOG = join(ROOT, '..', 'shared', 'data', 'goog-2018-2023.csv');
const scratch = await mkdtemp(join(tmpdir(), 'mlops-bench-serve-'));
const trackingUri = `sqlite:${join(scratch, 'mlops.db')}`;
const childEnv = {
  ...process.env,
  MLOPS_TRACKING_URI: '',
  MLOPS_ARTIFACT_URI: join(scratch, 'blobs'),
};

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
const round = (x: number, digits = 2) => Number(x.toFixed(digits));

/** Trains the GOOG LSTM (quick preset) and registers it twice (versions 1 and 2). */
async function prepare(): Promise<{ windows: number[][] }> {
  process.env['MLOPS_ARTIFACT_URI'] = join(scratch, 'blobs');
  const client = await connect(trackingUri, { cwd: scratch });
  try {
    const started = performance.now();
    const trained = await trainForecast(client, { data: GOOG, model: 'lstm', preset: 'quick' });
    process.stderr.write(
      `trained the GOOG LSTM in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
    const registry = await openRegistry(client);
    const ctx = { client, registry, cwd: scratch };
    const first = await registerModel(ctx, { source: `runs:/${trained.runId}/model`, name: MODEL });
    await registerModel(ctx, { source: `runs:/${trained.runId}/model`, name: MODEL });
    await registry.setAlias(MODEL, 'champion', first.version.version);
    const window = first.manifest.signature.window;
    const closes = (await loadPriceCsv(GOOG)).bars.map((b) => b.close);
    const windows: number[][] = [];
    for (let end = window; end <= closes.length; end += 7) {
      windows.push(closes.slice(end - window, end));
    }
    return { windows };
  } finally {
    await client.close();
  }
}

async function withServer<T>(argv: readonly string[], fn: (url: string) => Promise<T>): Promise<T> {
  const child = await startChild(CHILD, argv, { root: ROOT, cpuProfDir, env: childEnv });
  try {
    return await fn(child.url);
  } finally {
    await child.stop();
  }
}

function bodies(windows: readonly number[][]): () => string {
  const encoded = windows.map((w) => JSON.stringify({ prices: w }));
  let i = 0;
  return () => encoded[i++ % encoded.length] ?? '';
}

async function maxRps(url: string, body: () => string): Promise<number> {
  const started = performance.now();
  let ok = 0;
  await new Promise<autocannon.Result>((resolveResult, reject) => {
    const instance = autocannon(
      {
        url,
        connections: MAX_RPS.connections,
        duration: MAX_RPS.seconds,
        requests: [
          {
            method: 'POST',
            path: '/predict',
            headers: { 'content-type': 'application/json' },
            setupRequest: (req) => ({ ...req, body: body() }),
          },
        ],
      },
      (err: unknown, r: autocannon.Result) =>
        err ? reject(err instanceof Error ? err : new Error(String(err))) : resolveResult(r),
    );
    instance.on('response', (_c, status) => {
      if (status >= 200 && status < 300) ok++;
    });
  });
  return ok / ((performance.now() - started) / 1000);
}

async function latency(url: string, body: () => string) {
  const { connections, rate, warmup } = LATENCY;
  await pacedLoad(url, '/predict', body, { connections, rate, seconds: warmup });
  const answers: PacedAnswer[] = [];
  const result = await pacedLoad(url, '/predict', body, LATENCY, (a) => answers.push(a));
  if (timeline) printTimeline(url, answers);
  return result;
}

/** --timeline: per second, the p99 and how many answers took over 10 ms (to tell stalls from load). */
function printTimeline(url: string, answers: readonly PacedAnswer[]): void {
  const start = Math.min(...answers.map((a) => a.due));
  const bySecond = new Map<number, number[]>();
  for (const a of answers) {
    const s = Math.floor((a.due - start) / 1000);
    bySecond.set(s, [...(bySecond.get(s) ?? []), a.latency]);
  }
  for (const [s, l] of [...bySecond.entries()].sort((a, b) => a[0] - b[0])) {
    const slow = l.filter((x) => x > 10).length;
    process.stderr.write(`${url} s=${s} p99=${percentile(l, 99).toFixed(1)} over10=${slow}\n`);
  }
}

function warnFailures(what: string, r: { non2xx: number; errors: number; statusCodes: object }) {
  if (r.non2xx > 0 || r.errors > 0) {
    process.stderr.write(
      `WARNING ${what}: ${r.non2xx} non-2xx, ${r.errors} errors; ${JSON.stringify(r.statusCodes)}\n`,
    );
  }
}

try {
  const { windows } = await prepare();
  const body = bodies(windows);
  const bare = await withServer(['bare'], async (url) => ({
    paced: await latency(url, body),
    rps: only === 'latency' ? NaN : await maxRps(url, body),
  }));
  const mlopsArgs = [
    'mlops',
    `models:/${MODEL}@champion`,
    trackingUri,
    scratch,
    String(SWAP.pollMs),
    ...(noLog ? ['no-log'] : []),
  ];
  const served = await withServer(mlopsArgs, async (url) => ({
    paced: await latency(url, body),
    rps: only === 'latency' ? NaN : await maxRps(url, body),
  }));
  warnFailures('predict latency', served.paced);
  const shape = `${LATENCY.rate} req/s, ${LATENCY.connections} connections, ${LATENCY.seconds} s`;
  for (const p of [50, 99] as const) {
    const value = percentile(served.paced.latencies, p);
    const base = percentile(bare.paced.latencies, p);
    report({
      bench: 'serve',
      metric: `predict_p${p}_ms`,
      value: round(value),
      unit: 'ms',
      baseline: { name: 'bare Fastify route, same load', value: round(base) },
      ratio: round(value / base),
      shape,
      achieved_rps: round(served.paced.rps, 0),
      failed: served.paced.non2xx + served.paced.errors,
    });
  }
  report({
    bench: 'serve',
    metric: 'predict_rps',
    value: round(served.rps, 0),
    unit: 'req/s',
    baseline: { name: 'bare Fastify route returning a constant', value: round(bare.rps, 0) },
    ratio: round(served.rps / bare.rps, 3),
    shape: `${MAX_RPS.connections} connections, ${MAX_RPS.seconds} s, no rate`,
  });

  // Swaps under load: the alias moves every 5 s; the server finds it by polling.
  if (only === 'latency') process.exit(0);
  const client = await connect(trackingUri, { cwd: scratch });
  const registry = await openRegistry(client);
  try {
    const swapResult = await withServer(mlopsArgs, async (url) => {
      const answers: PacedAnswer[] = [];
      const swaps: number[] = [];
      let next = '2';
      const timer = setInterval(() => {
        swaps.push(performance.now());
        const version = next;
        next = next === '2' ? '1' : '2';
        void registry.setAlias(MODEL, 'champion', version);
      }, SWAP.everyMs);
      try {
        const r = await pacedLoad(url, '/predict', body, SWAP, (a) => answers.push(a));
        return { r, answers, swaps };
      } finally {
        clearInterval(timer);
      }
    });
    const { r, answers, swaps } = swapResult;
    const inSwap = (due: number) => swaps.some((t) => due >= t && due < t + 2000);
    const during = answers.filter((a) => a.status >= 200 && a.status < 300 && inSwap(a.due));
    const outside = answers.filter((a) => a.status >= 200 && a.status < 300 && !inSwap(a.due));
    const versions = new Set(answers.map((a) => String(a.headers['x-mlops-model-version'] ?? '')));
    const failed = r.non2xx + r.errors;
    warnFailures('swap', r);
    report({
      bench: 'serve',
      metric: 'swap_failed_requests',
      value: failed,
      unit: 'requests',
      baseline: null,
      ratio: null,
      sent: r.sent,
      swaps: swaps.length,
      versions_answered: [...versions].filter(Boolean).sort(),
      shape: `${SWAP.rate} req/s, ${SWAP.seconds} s, alias moved every ${SWAP.everyMs / 1000} s`,
    });
    const p99During = percentile(
      during.map((a) => a.latency),
      99,
    );
    const p99Outside = percentile(
      outside.map((a) => a.latency),
      99,
    );
    report({
      bench: 'serve',
      metric: 'swap_p99_ms',
      value: round(p99During),
      unit: 'ms',
      baseline: { name: 'p99 outside the 2 s after each swap, same run', value: round(p99Outside) },
      ratio: round(p99During / p99Outside),
      requests_during_swaps: during.length,
    });
  } finally {
    await registry.close();
    await client.close();
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}

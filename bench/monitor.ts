// npm run bench -- monitor [--quick] [--reps N] [--workers N]
// Figures (issue 8): the default data drift report (statistics only) for 10 numerical columns x
// 1,000,000 reference x 1,000,000 current rows given as Float64Arrays, cold and with the
// reference profile computed once and reused; 356,000 rows x 50 columns (the shape Evidently
// users reported at ~3 minutes); peak RSS over the raw column bytes, in a child process.
// Baselines, measured in this same run: copying and sorting the same columns with
// Float64Array#sort on this thread (every drift test needs at least that much work), and for
// memory, the same child loading the data and doing nothing else. Medians over --reps runs.
import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  computeDataDrift,
  profileReference,
  type DriftOptions,
  type MonitorDataset,
} from '../src/monitoring/index.js';
import { driftData } from './monitor-data.js';
import { median, report, type Figure } from './report.js';

const args = process.argv.slice(2);
const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const quick = args.includes('--quick');
const reps = Number(flag('--reps') ?? (quick ? 1 : 5));
const workers = flag('--workers');
const options: DriftOptions = workers === undefined ? {} : { workers: Number(workers) };
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const log = (text: string) => process.stderr.write(`[bench monitor] ${text}\n`);
const round = (x: number, digits = 3) => Number(x.toFixed(digits));

const big = quick ? { rows: 100_000, cols: 10 } : { rows: 1_000_000, cols: 10 };
const wide = quick ? { rows: 35_600, cols: 50 } : { rows: 356_000, cols: 50 };

async function seconds(fn: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / 1000;
}

/**
 * Medians of `measured` and `baseline` over `reps` rounds, run alternately so that both see the
 * same load on a shared machine.
 */
async function paired(
  measured: () => Promise<unknown> | unknown,
  baseline: () => Promise<unknown> | unknown,
): Promise<[number, number]> {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < reps; i++) {
    a.push(await seconds(measured));
    b.push(await seconds(baseline));
  }
  return [median(a), median(b)];
}

/** Copy + Float64Array#sort of every column, on this thread. */
function sortColumns(...datasets: MonitorDataset[]): void {
  for (const d of datasets) {
    for (const c of Object.values(d.columns)) Float64Array.from(c as Float64Array).sort();
  }
}

function figure(
  metric: string,
  value: number,
  baseline: { name: string; value: number },
  extra: Record<string, unknown>,
): Figure {
  return {
    bench: 'monitor',
    metric,
    value: round(value),
    unit: metric.endsWith('_s') ? 's' : 'ratio',
    baseline: { name: baseline.name, value: round(baseline.value) },
    ratio: round(value / baseline.value, 2),
    reps,
    // The machine's 1-minute load when the figure was taken: these machines are shared.
    load1: round(loadavg()[0] ?? 0, 2),
    ...extra,
  };
}

const shape = (s: { rows: number; cols: number }) => ({ rows: s.rows, columns: s.cols });

// Memory first, while this process is still small.
log('peak memory in child processes');
const exec = promisify(execFile);
async function childRatio(mode: 'drift' | 'data'): Promise<number> {
  const argv = ['--import', 'tsx', join(ROOT, 'bench', 'monitor-child.ts')];
  argv.push(String(big.rows), String(big.cols), mode, ...(workers === undefined ? [] : [workers]));
  const { stdout } = await exec(process.execPath, argv, { cwd: ROOT, maxBuffer: 1 << 20 });
  return (JSON.parse(stdout.trim().split('\n').pop()!) as { ratio: number }).ratio;
}
const memReps = Math.min(reps, 3);
const drift: number[] = [];
const dataOnly: number[] = [];
for (let i = 0; i < memReps; i++) {
  drift.push(await childRatio('drift'));
  dataOnly.push(await childRatio('data'));
}
report(
  figure(
    'drift_peak_mem_ratio',
    median(drift),
    { name: 'the same child loading the data only', value: median(dataOnly) },
    {
      ...shape(big),
      rawBytes: 2 * big.rows * big.cols * 8,
      reps: memReps,
      workers: workers ?? 'default',
    },
  ),
);

log(`generating ${big.rows} x ${big.cols} per side`);
const first = driftData(big.rows, big.cols);
let drifted = 0;
const [cold, sortBoth] = await paired(
  async () => {
    drifted = (await computeDataDrift(first.reference, first.current, options)).driftedColumns;
  },
  () => sortColumns(first.reference, first.current),
);
report(
  figure(
    'drift_1m_10cols_s',
    cold,
    { name: 'copy+sort both sides, one thread', value: sortBoth },
    {
      ...shape(big),
      driftedColumns: drifted,
      workers: workers ?? 'default',
    },
  ),
);

const profile = await profileReference(first.reference, options);
const [cached, sortCurrent] = await paired(
  () => computeDataDrift(profile, first.current, options),
  () => sortColumns(first.current),
);
report(
  figure(
    'drift_1m_10cols_cached_s',
    cached,
    { name: 'copy+sort current side, one thread', value: sortCurrent },
    {
      ...shape(big),
      profileSeconds: round(await seconds(() => profileReference(first.reference, options))),
      workers: workers ?? 'default',
    },
  ),
);

log(`generating ${wide.rows} x ${wide.cols} per side`);
const second = driftData(wide.rows, wide.cols);
const [wideCold, wideSort] = await paired(
  () => computeDataDrift(second.reference, second.current, options),
  () => sortColumns(second.reference, second.current),
);
report(
  figure(
    'drift_356k_50cols_s',
    wideCold,
    { name: 'copy+sort both sides, one thread', value: wideSort },
    { ...shape(wide), workers: workers ?? 'default' },
  ),
);

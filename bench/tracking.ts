// npm run bench -- tracking [--skip-pg] [--reps N] [--only ingest|search]
// Figures (issue 2): SDK metric ingest vs raw driver inserts, and run search latency, on SQLite
// and PostgreSQL. Every figure is a median over repetitions in this one process.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { connect } from '../src/index.js';
import { openDatabase } from '../src/storage/index.js';
import { freshPostgresUrl, postgresUnavailable } from '../src/testing/index.js';
import { median, report } from './report.js';
import { populate } from './server-data.js';

const args = process.argv.slice(2);
const reps = Number(args[args.indexOf('--reps') + 1] ?? 3) || 3;
const skipPg = args.includes('--skip-pg');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;

interface Target {
  suffix: '' | '_pg';
  points: number;
  fresh(): Promise<{ uri: string; drop(): Promise<void> }>;
  rawInsert(uri: string, rows: MetricRow[]): Promise<number>;
}
type MetricRow = [string, string, number, number, number];

const scratch = await mkdtemp(join(tmpdir(), 'mlops-bench-'));
let n = 0;
const sqlite: Target = {
  suffix: '',
  points: 1_000_000,
  fresh: async () => ({
    uri: `sqlite:${join(scratch, `db-${n++}.db`)}`,
    drop: async () => undefined,
  }),
  rawInsert: async (uri, rows) => {
    const { default: Sqlite } = await import('better-sqlite3');
    const db = new Sqlite(uri.slice('sqlite:'.length));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const insert = db.prepare(
      'INSERT INTO metrics (run_uuid, key, value, timestamp, step, is_nan) VALUES (?, ?, ?, ?, ?, 0)',
    );
    const t0 = performance.now();
    db.transaction(() => {
      for (const r of rows) insert.run(r);
    })();
    const seconds = (performance.now() - t0) / 1000;
    db.close();
    return seconds;
  },
};
const postgres: Target = {
  suffix: '_pg',
  // 1M single-row round trips make the raw baseline alone take minutes on loopback.
  points: 200_000,
  fresh: async () => {
    const pg = freshPostgresUrl('bench');
    return { uri: pg.url, drop: pg.drop };
  },
  rawInsert: async (uri, rows) => {
    const { default: pg } = await import('pg');
    const url = new URL(uri);
    const schema = url.searchParams.get('schema');
    url.searchParams.delete('schema');
    const client = new pg.Client({
      connectionString: url.toString(),
      options: `-c search_path=${schema}`,
    });
    await client.connect();
    const t0 = performance.now();
    await client.query('BEGIN');
    for (const r of rows) {
      await client.query({
        name: 'insert-metric',
        text: 'INSERT INTO metrics (run_uuid, key, value, timestamp, step, is_nan) VALUES ($1, $2, $3, $4, $5, 0)',
        values: r,
      });
    }
    await client.query('COMMIT');
    const seconds = (performance.now() - t0) / 1000;
    await client.end();
    return seconds;
  },
};

async function ingest(target: Target): Promise<void> {
  const runs = 100;
  const perRun = target.points / runs;
  const sdk: number[] = [];
  const raw: number[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const a = await target.fresh();
    const client = await connect(a.uri, { artifactUri: join(scratch, 'blobs') });
    const active = [];
    for (let r = 0; r < runs; r++)
      active.push(await client.startRun({ experiment: 'bench', name: `r${r}`, cwd: scratch }));
    const t0 = performance.now();
    for (const run of active) {
      for (let i = 0; i < perRun; i++)
        run.logMetric(`m${i % 10}`, Math.sin(i), Math.floor(i / 10), 1_700_000_000_000 + i);
      await run.flush();
    }
    sdk.push((performance.now() - t0) / 1000);
    for (const run of active) await run.end();
    const runIds = active.map((r) => r.id);
    await client.close();
    await a.drop();

    const b = await target.fresh();
    (await openDatabase(b.uri)).close();
    const rows: MetricRow[] = [];
    for (const id of runIds) {
      for (let i = 0; i < perRun; i++)
        rows.push([id, `m${i % 10}`, Math.sin(i), 1_700_000_000_000 + i, Math.floor(i / 10)]);
    }
    raw.push(await target.rawInsert(b.uri, rows));
    await b.drop();
  }
  const sdkRate = target.points / median(sdk);
  const rawRate = target.points / median(raw);
  report({
    bench: 'tracking',
    metric: `ingest_points_per_s${target.suffix}`,
    value: Math.round(sdkRate),
    unit: 'points/s',
    baseline: { name: 'raw driver prepared inserts, one transaction', value: Math.round(rawRate) },
    ratio: Number((sdkRate / rawRate).toFixed(3)),
    points: target.points,
    runs,
    reps,
    goal_ratio: 0.4,
  });
}

async function search(target: Target): Promise<void> {
  const { uri, drop } = await target.fresh();
  const database = await openDatabase(uri);
  const experimentId = String(
    (
      await database.db
        .insertInto('experiments')
        .values({
          name: 'search-bench',
          artifact_location: 'mlflow-artifacts:/1',
          lifecycle_stage: 'active',
          creation_time: 1,
          last_update_time: 1,
        })
        .returning('experiment_id')
        .executeTakeFirstOrThrow()
    ).experiment_id,
  );
  await populate(database, Number(experimentId), 25_000);
  await sql`ANALYZE`.execute(database.db);
  await database.close();
  // Opened after loading, as a server would be on an existing store.
  const client = await connect(uri, { artifactUri: join(scratch, 'blobs') });
  const query = {
    experimentIds: [experimentId],
    filter: "metrics.m1 < 0.5 and params.p1 = 'a'",
    orderBy: ['metrics.m2'],
    maxResults: 1000,
  };
  const times: number[] = [];
  let matched = 0;
  for (let i = 0; i < 33; i++) {
    const t0 = performance.now();
    const page = await client.searchRuns(query);
    const ms = performance.now() - t0;
    if (i >= 3) times.push(ms);
    matched = page.items.length;
  }
  const all = await client.searchRuns({ ...query, maxResults: 50_000 });
  const p50 = median(times);
  report({
    bench: 'tracking',
    metric: `search_p50_ms${target.suffix}`,
    value: Number(p50.toFixed(2)),
    unit: 'ms',
    baseline: { name: 'goal (MLflow Python server ~1000 ms, Go port ~100 ms)', value: 30 },
    ratio: Number((p50 / 30).toFixed(3)),
    runs: 25_000,
    matches: all.items.length,
    page: matched,
    samples: times.length,
  });
  await client.close();
  await drop();
}

try {
  for (const target of skipPg || (await postgresUnavailable()) !== undefined
    ? [sqlite]
    : [sqlite, postgres]) {
    if (only !== 'search') await ingest(target);
    if (only !== 'ingest') await search(target);
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}

// Data for `npm run bench -- server`'s search figure: runs shaped as bench/tracking.ts's search
// bench makes them (10 params, 10 latest metrics, 2 tags each), bulk-loaded straight into the
// tables (loading is not what is measured). Also counts metric points for the ingest checks.
import { sql } from 'kysely';
import {
  openDatabase,
  type Database,
  type KeyValueTable,
  type MetricsTable,
  type RunsTable,
} from '../src/storage/index.js';

/** Creates an experiment holding `count` runs in the database at `uri`; returns its id. */
export async function populateRuns(uri: string, count: number): Promise<string> {
  const database = await openDatabase(uri, { autoUpgrade: true });
  try {
    const experimentId = (
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
    ).experiment_id;
    await populate(database, Number(experimentId), count);
    await sql`ANALYZE`.execute(database.db);
    return String(experimentId);
  } finally {
    await database.close();
  }
}

/**
 * `count` runs in experiment `experimentId`, each with 10 params, 10 latest metrics and 2 tags,
 * bulk-loaded (loading is not what the benches measure). Shared by the tracking and server
 * benches, so their search figures are over the same data.
 */
export async function populate(
  database: Database,
  experimentId: number,
  count: number,
): Promise<void> {
  const rand = mulberry32(7);
  const letters = 'abcdefghij';
  for (let start = 0; start < count; start += 500) {
    const runs: RunsTable[] = [];
    const params: KeyValueTable[] = [];
    const metrics: MetricsTable[] = [];
    const tags: KeyValueTable[] = [];
    for (let i = start; i < Math.min(count, start + 500); i++) {
      const id = `run${String(i).padStart(29, '0')}`;
      runs.push({
        run_uuid: id,
        name: `run-${i}`,
        experiment_id: experimentId,
        user_id: 'bench',
        status: 'FINISHED',
        start_time: 1_700_000_000_000 + i,
        end_time: 1_700_000_000_500 + i,
        source_type: 'LOCAL',
        source_name: '',
        lifecycle_stage: 'active',
        artifact_uri: `mlflow-artifacts:/${experimentId}/${id}/artifacts`,
        deleted_time: null,
      });
      for (let p = 1; p <= 10; p++)
        params.push({
          run_uuid: id,
          key: `p${p}`,
          value: letters[Math.floor(rand() * 10)] ?? 'a',
        });
      for (let m = 1; m <= 10; m++)
        metrics.push({
          run_uuid: id,
          key: `m${m}`,
          value: rand(),
          timestamp: 1,
          step: 0,
          is_nan: 0,
        });
      tags.push(
        { run_uuid: id, key: 'mlflow.runName', value: `run-${i}` },
        { run_uuid: id, key: 'model', value: 'lstm' },
      );
    }
    await database.write(async (trx) => {
      await trx.insertInto('runs').values(runs).execute();
      await trx.insertInto('params').values(params).execute();
      await trx.insertInto('latest_metrics').values(metrics).execute();
      await trx.insertInto('tags').values(tags).execute();
    });
  }
}

/** Rows in the metric history table (every point ever logged). */
export async function countMetricPoints(uri: string): Promise<number> {
  const database = await openDatabase(uri, { autoUpgrade: true });
  try {
    const row = await database.db
      .selectFrom('metrics')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await database.close();
  }
}

export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

import { sql, type Kysely } from 'kysely';
import { invalidParam } from '../core/index.js';
import type { Schema } from '../storage/index.js';
import type { Metric } from './entities.js';
import { runNotFound } from './not-found.js';
import { isNewer, metricRow } from './row-mappers.js';

/**
 * A metrics-only batch on PostgreSQL as one statement (an implicit transaction): check the run is
 * active, append the points (identical ones skipped), move the latest values forward. One round
 * trip instead of five (BEGIN, check, insert, upsert, COMMIT): the tracking server's hot path.
 * The same rules as `writeMetrics`: nothing is written unless the run is active.
 */
export async function writePgMetricBatch(
  db: Kysely<Schema>,
  runId: string,
  metrics: readonly Metric[],
): Promise<void> {
  const best = new Map<string, Metric>();
  for (const m of metrics) {
    const current = best.get(m.key);
    if (current === undefined || isNewer(m, current)) best.set(m.key, m);
  }
  const values = (points: Iterable<Metric>) =>
    sql.join(
      [...points].map((m) => {
        const r = metricRow(runId, m);
        return sql`(${r.run_uuid}::text, ${r.key}::text, ${r.value}::double precision, ${r.timestamp}::bigint, ${r.step}::bigint, ${r.is_nan}::integer)`;
      }),
    );
  const columns = sql`run_uuid, key, value, timestamp, step, is_nan`;
  const result = await sql<{ stage: string | null }>`
    WITH run AS (SELECT lifecycle_stage FROM runs WHERE run_uuid = ${runId}),
    history AS (
      INSERT INTO metrics (${columns})
      SELECT * FROM (VALUES ${values(metrics)}) AS v(${columns})
      WHERE EXISTS (SELECT 1 FROM run WHERE lifecycle_stage = 'active')
      ON CONFLICT DO NOTHING
    ),
    latest AS (
      INSERT INTO latest_metrics (${columns})
      SELECT * FROM (VALUES ${values(best.values())}) AS v(${columns})
      WHERE EXISTS (SELECT 1 FROM run WHERE lifecycle_stage = 'active')
      ON CONFLICT (run_uuid, key) DO UPDATE SET
        value = excluded.value, timestamp = excluded.timestamp, step = excluded.step,
        is_nan = excluded.is_nan
      WHERE (excluded.step, excluded.timestamp, excluded.value)
        > (latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)
    )
    SELECT (SELECT lifecycle_stage FROM run) AS stage`.execute(db);
  const stage = result.rows[0]?.stage ?? null;
  if (stage === null) throw runNotFound(runId);
  if (stage !== 'active') {
    throw invalidParam(`Run ${runId} is deleted; restore it before logging to it.`);
  }
}

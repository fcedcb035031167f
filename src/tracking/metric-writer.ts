import { sql, type Kysely } from 'kysely';
import type { Schema } from '../storage/index.js';
import type { Metric } from './entities.js';
import { isNewer, metricRow } from './row-mappers.js';

/** Rows per INSERT: 6 columns x 500 stays far below SQLite's and PostgreSQL's bind limits. */
const ROWS_PER_INSERT = 500;

/**
 * Appends metric points to the history and moves the latest-value row of each key forward, in the
 * caller's transaction. The batch is reduced in memory first, so 1000 points on 3 keys cost one
 * upsert of 3 rows; the upsert only replaces an older (step, timestamp, value).
 */
export async function writeMetrics(
  trx: Kysely<Schema>,
  runId: string,
  metrics: readonly Metric[],
): Promise<void> {
  if (metrics.length === 0) return;
  for (let i = 0; i < metrics.length; i += ROWS_PER_INSERT) {
    const rows = metrics.slice(i, i + ROWS_PER_INSERT).map((m) => metricRow(runId, m));
    // An identical point already logged is skipped, as MLflow's store does.
    await trx
      .insertInto('metrics')
      .values(rows)
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  const best = new Map<string, Metric>();
  for (const m of metrics) {
    const current = best.get(m.key);
    if (current === undefined || isNewer(m, current)) best.set(m.key, m);
  }
  if (best.size === 0) return;
  const rows = [...best.values()].map((m) => metricRow(runId, m));
  await trx
    .insertInto('latest_metrics')
    .values(rows)
    .onConflict((oc) =>
      oc
        .columns(['run_uuid', 'key'])
        .doUpdateSet((eb) => ({
          value: eb.ref('excluded.value'),
          timestamp: eb.ref('excluded.timestamp'),
          step: eb.ref('excluded.step'),
          is_nan: eb.ref('excluded.is_nan'),
        }))
        // Decided in the database, so two writers at once cannot move the latest value back.
        .where(
          sql<boolean>`(excluded.step, excluded.timestamp, excluded.value) > (latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)`,
        ),
    )
    .execute();
}

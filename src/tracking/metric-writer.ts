import type { Kysely } from 'kysely';
import type { Schema } from '../storage/index.js';
import type { Metric } from './entities.js';
import { isNewer, metricRow, toMetric } from './row-mappers.js';

/** Rows per INSERT: 6 columns x 500 stays far below SQLite's and PostgreSQL's bind limits. */
const ROWS_PER_INSERT = 500;

/**
 * Appends metric points to the history and moves the latest-value row of each key forward, in the
 * caller's transaction. The latest values are reduced in memory first, so a batch of 1000 points on
 * 3 keys costs 3 upserts, not 1000.
 */
export async function writeMetrics(
  trx: Kysely<Schema>,
  runId: string,
  metrics: readonly Metric[],
): Promise<void> {
  if (metrics.length === 0) return;
  for (let i = 0; i < metrics.length; i += ROWS_PER_INSERT) {
    const rows = metrics.slice(i, i + ROWS_PER_INSERT).map((m) => metricRow(runId, m));
    await trx.insertInto('metrics').values(rows).execute();
  }
  const best = new Map<string, Metric>();
  for (const m of metrics) {
    const current = best.get(m.key);
    if (current === undefined || isNewer(m, current)) best.set(m.key, m);
  }
  const existing = await trx
    .selectFrom('latest_metrics')
    .select(['key', 'value', 'timestamp', 'step', 'is_nan'])
    .where('run_uuid', '=', runId)
    .where('key', 'in', [...best.keys()])
    .execute();
  for (const row of existing) {
    const candidate = best.get(row.key);
    if (candidate !== undefined && !isNewer(candidate, toMetric(row))) best.delete(row.key);
  }
  if (best.size === 0) return;
  const rows = [...best.values()].map((m) => metricRow(runId, m));
  await trx
    .insertInto('latest_metrics')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['run_uuid', 'key']).doUpdateSet((eb) => ({
        value: eb.ref('excluded.value'),
        timestamp: eb.ref('excluded.timestamp'),
        step: eb.ref('excluded.step'),
        is_nan: eb.ref('excluded.is_nan'),
      })),
    )
    .execute();
}

import { sql, type Kysely } from 'kysely';
import type { Migration } from '../migration.js';

/**
 * Monitoring: one row per snapshot (a report over a window of served traffic, its flat metrics
 * and check results as JSON text) and one per trigger an action started (retraining), which
 * the trigger lock and cooldown read.
 */
export const monitoring: Migration = {
  version: 5,
  name: 'monitoring',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('monitor_snapshots')
      .addColumn('id', 'text', (c) => c.primaryKey())
      /** Epoch ms the snapshot was computed. */
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('monitor', 'text', (c) => c.notNull())
      .addColumn('model_name', 'text')
      .addColumn('model_version', 'text')
      /** The window of traffic covered (epoch ms). */
      .addColumn('window_start', 'bigint')
      .addColumn('window_end', 'bigint')
      .addColumn('rows', 'integer', (c) => c.notNull())
      /** 0 or 1 (SQLite has no boolean). */
      .addColumn('dataset_drift', 'integer', (c) => c.notNull())
      .addColumn('drifted_share', 'double precision', (c) => c.notNull())
      /** JSON object: flat metric name -> number | boolean | null. */
      .addColumn('metrics', 'text', (c) => c.notNull())
      /** JSON array of check results. */
      .addColumn('checks', 'text', (c) => c.notNull())
      .addColumn('passed', 'integer', (c) => c.notNull())
      .addColumn('report_path', 'text')
      .execute();
    await db.schema
      .createIndex('monitor_snapshots_monitor_time')
      .on('monitor_snapshots')
      .columns(['monitor', 'created_at'])
      .execute();
    await db.schema
      .createTable('monitor_triggers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('monitor', 'text', (c) => c.notNull())
      .addColumn('snapshot_id', 'text', (c) => c.notNull())
      /** The action's name, e.g. retrain. */
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('finished_at', 'bigint')
      /** running, succeeded, failed or skipped. */
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('detail', 'text')
      .addColumn('run_id', 'text')
      .execute();
    await db.schema
      .createIndex('monitor_triggers_monitor_action_time')
      .on('monitor_triggers')
      .columns(['monitor', 'action', 'started_at'])
      .execute();
    // The lock's last line of defence: at most one running trigger per monitor and action,
    // whatever a caller does outside SqlSnapshotStore.beginTrigger.
    await db.schema
      .createIndex('monitor_triggers_one_running')
      .on('monitor_triggers')
      .columns(['monitor', 'action'])
      .unique()
      .where(sql.ref('status'), '=', sql.lit('running'))
      .execute();
  },
};

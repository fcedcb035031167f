import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import type { Migration } from '../migration.js';

/** Experiments, runs, params, tags, metrics (history + latest), artifacts, lineage edges. */
export const initial: Migration = {
  version: 1,
  name: 'initial',
  async up(db: Kysely<unknown>, dialect) {
    const id = dialect === 'postgres' ? 'bigserial' : 'integer';
    // SQLite: per-run key/value tables clustered by (run_uuid, key), so loading a page of runs
    // reads a few pages per run and the (key, value) indexes cover run_uuid for search.
    const clustered = (builder: CreateTableBuilder<string, never>) =>
      dialect === 'sqlite' ? builder.modifyEnd(sql`without rowid`) : builder;
    await db.schema
      .createTable('experiments')
      .addColumn('experiment_id', id, (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('artifact_location', 'text', (c) => c.notNull())
      .addColumn('lifecycle_stage', 'text', (c) => c.notNull())
      .addColumn('creation_time', 'bigint', (c) => c.notNull())
      .addColumn('last_update_time', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('experiment_tags')
      .addColumn('experiment_id', 'bigint', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('experiment_tags_pk', ['experiment_id', 'key'])
      .execute();
    await db.schema
      .createTable('runs')
      .addColumn('run_uuid', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('experiment_id', 'bigint', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('start_time', 'bigint', (c) => c.notNull())
      .addColumn('end_time', 'bigint')
      .addColumn('source_type', 'text', (c) => c.notNull())
      .addColumn('source_name', 'text', (c) => c.notNull())
      .addColumn('lifecycle_stage', 'text', (c) => c.notNull())
      .addColumn('artifact_uri', 'text', (c) => c.notNull())
      .addColumn('deleted_time', 'bigint')
      .execute();
    await db.schema
      .createIndex('runs_experiment_start')
      .on('runs')
      .columns(['experiment_id', 'start_time'])
      .execute();
    for (const table of ['params', 'tags'] as const) {
      await db.schema
        .createTable(table)
        .addColumn('run_uuid', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint(`${table}_pk`, ['run_uuid', 'key'])
        .$call(clustered)
        .execute();
      await db.schema
        .createIndex(`${table}_key_value`)
        .on(table)
        .columns(['key', 'value'])
        .execute();
    }
    await db.schema.createTable('metrics').$call(metricColumns).execute();
    await db.schema
      .createIndex('metrics_run_key_step')
      .on('metrics')
      .columns(['run_uuid', 'key', 'step'])
      .execute();
    await db.schema
      .createTable('latest_metrics')
      .$call(metricColumns)
      .addPrimaryKeyConstraint('latest_metrics_pk', ['run_uuid', 'key'])
      .$call(clustered)
      .execute();
    await db.schema
      .createIndex('latest_metrics_key_value')
      .on('latest_metrics')
      .columns(['key', 'value'])
      .execute();
    await db.schema
      .createTable('artifacts')
      .addColumn('run_uuid', 'text', (c) => c.notNull())
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('manifest_id', 'text', (c) => c.notNull())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('artifacts_pk', ['run_uuid', 'path'])
      .execute();
    await db.schema
      .createTable('lineage_edges')
      .addColumn('src_type', 'text', (c) => c.notNull())
      .addColumn('src_id', 'text', (c) => c.notNull())
      .addColumn('dst_type', 'text', (c) => c.notNull())
      .addColumn('dst_id', 'text', (c) => c.notNull())
      .addColumn('relation', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('attrs', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('lineage_edges_pk', [
        'src_type',
        'src_id',
        'dst_type',
        'dst_id',
        'relation',
      ])
      .execute();
    await db.schema
      .createIndex('lineage_edges_dst')
      .on('lineage_edges')
      .columns(['dst_type', 'dst_id'])
      .execute();
    const now = Date.now();
    await sql`INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
      VALUES (0, 'Default', 'mlflow-artifacts:/0', 'active', ${now}, ${now})`.execute(db);
  },
};

/** The history and the latest-value table share one row shape. */
function metricColumns<T extends string>(builder: CreateTableBuilder<T, never>) {
  return builder
    .addColumn('run_uuid', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('timestamp', 'bigint', (c) => c.notNull())
    .addColumn('step', 'bigint', (c) => c.notNull())
    .addColumn('is_nan', 'integer', (c) => c.notNull());
}

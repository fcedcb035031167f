import { sql, type Kysely } from 'kysely';
import type { Migration } from '../migration.js';

/**
 * What the tracking server adds: dataset inputs of runs (MLflow's log-inputs), logged models
 * (MLflow 3.x), and the users, API tokens and per-experiment permissions of `--auth`.
 */
export const server: Migration = {
  version: 2,
  name: 'server',
  async up(db: Kysely<unknown>, dialect) {
    // MLflow keeps one row per identical metric point (its primary key is the whole point), and
    // its 3.x clients re-log step-0 points when they log a model: drop existing duplicates, then
    // let a unique index (replacing the plain one) make re-logging a no-op.
    const rowId = dialect === 'postgres' ? sql.raw('ctid') : sql.raw('rowid');
    await sql`DELETE FROM metrics WHERE ${rowId} NOT IN (SELECT min(${rowId}) FROM metrics GROUP BY run_uuid, key, step, timestamp, value, is_nan)`.execute(
      db,
    );
    await db.schema.dropIndex('metrics_run_key_step').execute();
    await db.schema
      .createIndex('metrics_point')
      .on('metrics')
      .columns(['run_uuid', 'key', 'step', 'timestamp', 'value', 'is_nan'])
      .unique()
      .execute();
    // Which runs name a manifest: the server checks it before serving a blob to a non-admin.
    await db.schema
      .createIndex('artifacts_manifest')
      .on('artifacts')
      .column('manifest_id')
      .execute();
    await db.schema
      .createTable('run_inputs')
      .addColumn('run_uuid', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('digest', 'text', (c) => c.notNull())
      .addColumn('source_type', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('schema', 'text')
      .addColumn('profile', 'text')
      /** JSON array of {key, value} input tags (e.g. mlflow.data.context). */
      .addColumn('tags', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('run_inputs_pk', ['run_uuid', 'name', 'digest'])
      .execute();
    await db.schema
      .createTable('logged_models')
      .addColumn('model_id', 'text', (c) => c.primaryKey())
      .addColumn('experiment_id', 'bigint', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('artifact_location', 'text', (c) => c.notNull())
      .addColumn('creation_timestamp_ms', 'bigint', (c) => c.notNull())
      .addColumn('last_updated_timestamp_ms', 'bigint', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('status_message', 'text')
      .addColumn('creator_id', 'text')
      .addColumn('model_type', 'text')
      .addColumn('source_run_id', 'text')
      .addColumn('lifecycle_stage', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('logged_models_experiment')
      .on('logged_models')
      .columns(['experiment_id', 'creation_timestamp_ms'])
      .execute();
    for (const table of ['logged_model_tags', 'logged_model_params'] as const) {
      await db.schema
        .createTable(table)
        .addColumn('model_id', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint(`${table}_pk`, ['model_id', 'key'])
        .execute();
    }
    await db.schema
      .createTable('logged_model_metrics')
      .addColumn('model_id', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'double precision', (c) => c.notNull())
      .addColumn('timestamp', 'bigint', (c) => c.notNull())
      .addColumn('step', 'bigint', (c) => c.notNull())
      .addColumn('is_nan', 'integer', (c) => c.notNull())
      .addColumn('run_uuid', 'text', (c) => c.notNull())
      .addColumn('dataset_name', 'text')
      .addColumn('dataset_digest', 'text')
      .addPrimaryKeyConstraint('logged_model_metrics_pk', [
        'model_id',
        'key',
        'step',
        'timestamp',
        'run_uuid',
      ])
      .execute();
    await db.schema
      .createTable('run_outputs')
      .addColumn('run_uuid', 'text', (c) => c.notNull())
      .addColumn('model_id', 'text', (c) => c.notNull())
      .addColumn('step', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('run_outputs_pk', ['run_uuid', 'model_id'])
      .execute();
    await db.schema
      .createTable('users')
      .addColumn('username', 'text', (c) => c.primaryKey())
      /** `scrypt$N$r$p$<salt b64>$<hash b64>`: the parameters travel with the hash. */
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('is_admin', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('api_tokens')
      /** sha256 hex of the token; the token itself is shown once and never stored. */
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint')
      .execute();
    await db.schema
      .createTable('experiment_permissions')
      .addColumn('experiment_id', 'text', (c) => c.notNull())
      .addColumn('username', 'text', (c) => c.notNull())
      /** READ, EDIT or MANAGE. */
      .addColumn('permission', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('experiment_permissions_pk', ['experiment_id', 'username'])
      .execute();
  },
};

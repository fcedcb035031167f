import type { Kysely } from 'kysely';
import type { Migration } from '../migration.js';

/**
 * Serving and registry access: per-registered-model permissions (as experiment_permissions),
 * the inference log (one row per prediction, written in batches by the prediction server) and
 * the feedback that joins it later by prediction id or target date.
 */
export const serving: Migration = {
  version: 4,
  name: 'serving',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('registered_model_permissions')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('username', 'text', (c) => c.notNull())
      /** READ, EDIT or MANAGE. */
      .addColumn('permission', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('registered_model_permissions_pk', ['name', 'username'])
      .execute();
    await db.schema
      .createTable('inference_log')
      .addColumn('prediction_id', 'text', (c) => c.primaryKey())
      /** Epoch ms when the request arrived. */
      .addColumn('timestamp', 'bigint', (c) => c.notNull())
      .addColumn('model_name', 'text', (c) => c.notNull())
      .addColumn('model_version', 'text', (c) => c.notNull())
      /** The last input date given, when the request named dates. */
      .addColumn('input_date', 'text')
      /** The business day the prediction is for, when known (YYYY-MM-DD). */
      .addColumn('target_date', 'text')
      /** Steps ahead: 1 for the next close. */
      .addColumn('horizon_step', 'integer', (c) => c.notNull().defaultTo(1))
      /** JSON array of the input closes (the window). */
      .addColumn('inputs', 'text', (c) => c.notNull())
      .addColumn('prediction', 'double precision', (c) => c.notNull())
      .addColumn('latency_ms', 'double precision', (c) => c.notNull())
      /** The route that answered: predict or invocations. */
      .addColumn('route', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('inference_log_model_time')
      .on('inference_log')
      .columns(['model_name', 'timestamp'])
      .execute();
    await db.schema
      .createIndex('inference_log_target_date')
      .on('inference_log')
      .columns(['model_name', 'target_date'])
      .execute();
    await db.schema
      .createTable('inference_feedback')
      .addColumn('feedback_id', 'text', (c) => c.primaryKey())
      .addColumn('timestamp', 'bigint', (c) => c.notNull())
      /** Set when the feedback names a prediction. */
      .addColumn('prediction_id', 'text')
      /** Set when the feedback names a day (it then joins every prediction for that day). */
      .addColumn('target_date', 'text')
      .addColumn('model_name', 'text')
      .addColumn('actual', 'double precision', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('inference_feedback_prediction')
      .on('inference_feedback')
      .column('prediction_id')
      .execute();
    await db.schema
      .createIndex('inference_feedback_target_date')
      .on('inference_feedback')
      .column('target_date')
      .execute();
  },
};

import type { Kysely } from 'kysely';
import type { Migration } from '../migration.js';

/**
 * The model registry (MLflow's `model_registry.proto`): registered models, their versions, tags
 * and aliases. Versions are integers per model; `registered_models.last_version` is the counter
 * that hands them out, so two concurrent creates get distinct numbers and a deleted version's
 * number is never reused (as MLflow).
 */
export const registry: Migration = {
  version: 3,
  name: 'registry',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('registered_models')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('description', 'text')
      .addColumn('creation_timestamp', 'bigint', (c) => c.notNull())
      .addColumn('last_updated_timestamp', 'bigint', (c) => c.notNull())
      .addColumn('last_version', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createTable('registered_model_tags')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('registered_model_tags_pk', ['name', 'key'])
      .execute();
    await db.schema
      .createTable('model_versions')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('creation_timestamp', 'bigint', (c) => c.notNull())
      .addColumn('last_updated_timestamp', 'bigint', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('run_id', 'text')
      /** PENDING_REGISTRATION, FAILED_REGISTRATION or READY. */
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('status_message', 'text')
      .addColumn('package_hash', 'text')
      /** 1 when archived (MLflow's current_stage 'Archived'). */
      .addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('model_versions_pk', ['name', 'version'])
      .execute();
    await db.schema
      .createIndex('model_versions_run')
      .on('model_versions')
      .column('run_id')
      .execute();
    await db.schema
      .createTable('model_version_tags')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('model_version_tags_pk', ['name', 'version', 'key'])
      .execute();
    await db.schema
      .createTable('registered_model_aliases')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('alias', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('registered_model_aliases_pk', ['name', 'alias'])
      .execute();
  },
};

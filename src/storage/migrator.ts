import { sql, type Kysely } from 'kysely';
import { MlopsError } from '../core/index.js';
import type { Database } from './database.js';
import type { Migration } from './migration.js';
import { MIGRATIONS } from './migrations/index.js';

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;

export interface MigrateResult {
  readonly from: number;
  readonly to: number;
}

/**
 * Brings the schema to the latest version under a lock, so that several processes opening one
 * database at once are safe: SQLite `BEGIN EXCLUSIVE` (others wait on the busy timeout),
 * PostgreSQL `pg_advisory_xact_lock`. A fresh database is always created; an older one is upgraded
 * only when `allowUpgrade`; a newer one is refused. Hand-written rather than Kysely's Migrator
 * because that one takes no lock on SQLite and reports a newer schema as "corrupted migrations".
 */
export async function migrate(
  database: Database,
  options: { allowUpgrade: boolean; migrations?: readonly Migration[] },
): Promise<MigrateResult> {
  const migrations = options.migrations ?? MIGRATIONS;
  return database.dialect === 'sqlite'
    ? database.db.connection().execute(async (conn) => {
        await sql`BEGIN EXCLUSIVE`.execute(conn);
        try {
          const result = await migrateLocked(conn, database, options.allowUpgrade, migrations);
          await sql`COMMIT`.execute(conn);
          return result;
        } catch (err) {
          await sql`ROLLBACK`.execute(conn);
          throw err;
        }
      })
    : database.db.transaction().execute(async (trx) => {
        await sql`SELECT pg_advisory_xact_lock(hashtext('mlops-migrate:' || current_schema()))`.execute(
          trx,
        );
        return migrateLocked(trx, database, options.allowUpgrade, migrations);
      });
}

async function migrateLocked(
  db: Kysely<any>, // eslint-disable-line @typescript-eslint/no-explicit-any -- schema grows per step
  database: Database,
  allowUpgrade: boolean,
  migrations: readonly Migration[],
): Promise<MigrateResult> {
  const latest = migrations.length;
  await db.schema
    .createTable('mlops_schema')
    .ifNotExists()
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('applied_at', 'bigint', (c) => c.notNull())
    .execute();
  const row = (await db
    .selectFrom('mlops_schema')
    .select((eb) => eb.fn.max('version').as('v'))
    .executeTakeFirst()) as { v: number | string | null } | undefined;
  const from = Number(row?.v ?? 0);
  if (from > latest) {
    throw new MlopsError(
      'SCHEMA_TOO_NEW',
      `The database ${database.uri} has schema version ${from}, newer than this mlops understands (${latest}). Upgrade mlops (npm install mlops@latest) or use another database.`,
      { details: { found: from, supported: latest } },
    );
  }
  if (from === latest) return { from, to: from };
  if (from === 0 && (await hasForeignTables(db, database.dialect))) {
    throw new MlopsError(
      'NOT_AN_MLOPS_DATABASE',
      `The database ${database.uri} already has an 'experiments' table but no mlops schema version (an MLflow database?). mlops will not modify it: use a new database, or a separate PostgreSQL schema (?schema=mlops).`,
    );
  }
  if (from > 0 && !allowUpgrade) {
    throw new MlopsError(
      'SCHEMA_OUT_OF_DATE',
      `The database ${database.uri} has schema version ${from}; this mlops needs ${latest}. Back it up, then run \`mlops db upgrade\` (or pass --auto-upgrade).`,
      { details: { found: from, supported: latest } },
    );
  }
  for (const migration of migrations.slice(from)) {
    await migration.up(db, database.dialect);
    await db
      .insertInto('mlops_schema')
      .values({ version: migration.version, applied_at: Date.now() })
      .execute();
  }
  return { from, to: latest };
}

/** `mlops db upgrade`: apply pending migrations; reports what changed. */
export async function upgradeDatabase(database: Database): Promise<MigrateResult> {
  return migrate(database, { allowUpgrade: true });
}

/** An `experiments` table in the current schema that no mlops migration recorded. */
async function hasForeignTables(
  db: Kysely<any>, // eslint-disable-line @typescript-eslint/no-explicit-any -- raw catalog query
  dialect: Database['dialect'],
): Promise<boolean> {
  const query =
    dialect === 'sqlite'
      ? sql`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'experiments'`
      : sql`SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'experiments'`;
  return (await query.execute(db)).rows.length > 0;
}

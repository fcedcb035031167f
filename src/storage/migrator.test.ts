import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { expectCode, freshPostgresUrl, postgresUnavailable } from '../testing/index.js';
import { openDatabase, type Database } from './database.js';
import type { Migration } from './migration.js';
import { MIGRATIONS } from './migrations/index.js';
import { migrate } from './migrator.js';

const extra: Migration = {
  version: MIGRATIONS.length + 1,
  name: 'test-extra-column',
  async up(db) {
    await db.schema.alterTable('runs').addColumn('extra_test_column', 'text').execute();
  },
};
const next = [...MIGRATIONS, extra];

function migratorSuite(
  name: string,
  open: () => Promise<{ uri: string; drop(): Promise<void> }>,
  concurrentInProcess: boolean,
) {
  describe(`migrations on ${name}`, () => {
    const opened: Database[] = [];
    const drops: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const db of opened.splice(0)) await db.close();
      for (const drop of drops.splice(0)) await drop();
    });
    const fresh = async () => {
      const target = await open();
      drops.push(target.drop);
      return target.uri;
    };
    const track = (db: Database) => (opened.push(db), db);

    it('creates a fresh database with the Default experiment', async () => {
      const db = track(await openDatabase(await fresh()));
      const rows = await db.db
        .selectFrom('experiments')
        .select(['experiment_id', 'name'])
        .execute();
      expect(rows.map((r) => [Number(r.experiment_id), r.name])).toEqual([[0, 'Default']]);
    });

    it('refuses a database that holds tables it did not create', async () => {
      const uri = await fresh();
      const raw = track(await openDatabase(uri, { skipMigrations: true }));
      await sql`CREATE TABLE experiments (experiment_id integer, name text)`.execute(raw.db);
      await expectCode(migrate(raw, { allowUpgrade: true }), 'NOT_AN_MLOPS_DATABASE');
    });

    it('refuses an out-of-date schema without permission, then upgrades it', async () => {
      const uri = await fresh();
      const db = track(await openDatabase(uri));
      await expectCode(
        migrate(db, { allowUpgrade: false, migrations: next }),
        'SCHEMA_OUT_OF_DATE',
      );
      expect(await migrate(db, { allowUpgrade: true, migrations: next })).toEqual({
        from: MIGRATIONS.length,
        to: next.length,
      });
      await sql`SELECT extra_test_column FROM runs`.execute(db.db);
      // The current binary is now older than the database: refused, with the versions named.
      const err = await expectCode(migrate(db, { allowUpgrade: true }), 'SCHEMA_TOO_NEW');
      expect(err.message).toContain(String(next.length));
    });

    // better-sqlite3 is synchronous: in one process a second connection would block the event loop
    // on the lock; test/e2e/database-safety.test.ts races separate processes on SQLite instead.
    if (!concurrentInProcess) return;
    it('migrates once when several connections open a new database at once', async () => {
      const uri = await fresh();
      const dbs = await Promise.all([1, 2, 3, 4].map(() => openDatabase(uri)));
      dbs.forEach(track);
      const versions = await dbs[0]!.db.selectFrom('mlops_schema').select('version').execute();
      expect(versions.map((v) => Number(v.version))).toEqual(MIGRATIONS.map((m) => m.version));
    });
  });
}

migratorSuite(
  'SQLite',
  async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'mlops-migrate-'));
    return {
      uri: `sqlite:${join(dir, 'm.db')}`,
      drop: () => rm(dir, { recursive: true, force: true }),
    };
  },
  false,
);

const pgSkip = await postgresUnavailable();
describe.skipIf(pgSkip !== undefined)('PostgreSQL', () => {
  migratorSuite(
    'PostgreSQL',
    async () => {
      const pg = freshPostgresUrl('migrate_test');
      return { uri: pg.url, drop: pg.drop };
    },
    true,
  );
});

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';
import { MlopsError } from '../core/index.js';
import { parseDatabaseUri } from './database-uri.js';
import { migrate } from './migrator.js';
import type { Schema } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

/** An open metadata database: one Kysely handle over SQLite or PostgreSQL. */
export interface Database {
  readonly db: Kysely<Schema>;
  readonly dialect: Dialect;
  readonly uri: string;
  /**
   * Runs `fn` in a write transaction. On SQLite this is `BEGIN IMMEDIATE`, so that two processes
   * queue on the busy timeout instead of failing to upgrade a read lock.
   */
  write<T>(fn: (trx: Kysely<Schema>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL: apply pending migrations on open (SQLite always does). */
  readonly autoUpgrade?: boolean;
  /** Only open; run no migrations (used by `mlops db upgrade` itself). */
  readonly skipMigrations?: boolean;
  /** PostgreSQL connections in the pool (default 4; the tracking server uses more). */
  readonly poolSize?: number;
}

/** Opens `uri` and brings its schema up to date (or refuses, see `migrate`). */
export async function openDatabase(uri: string, options: OpenOptions = {}): Promise<Database> {
  const parsed = parseDatabaseUri(uri);
  const database =
    parsed.kind === 'sqlite'
      ? await openSqlite(parsed.path, uri)
      : await openPostgres(parsed.connectionString, parsed.schema, uri, options.poolSize ?? 4);
  if (!options.skipMigrations) {
    try {
      await migrate(database, {
        allowUpgrade: database.dialect === 'sqlite' || options.autoUpgrade === true,
      });
    } catch (err) {
      await database.close();
      throw err;
    }
  }
  return database;
}

async function openSqlite(path: string, uri: string): Promise<Database> {
  const { default: BetterSqlite3 } = await import('better-sqlite3');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let raw: import('better-sqlite3').Database | undefined;
  try {
    raw = new BetterSqlite3(path);
    raw.pragma('busy_timeout = 30000');
    raw.prepare('SELECT count(*) FROM sqlite_master').get();
    await enableWal(raw);
    raw.pragma('synchronous = NORMAL');
    // Reads of a large store go through the OS page cache instead of SQLite's 2 MB default.
    raw.pragma('mmap_size = 268435456');
    raw.pragma('cache_size = -32768');
  } catch (err) {
    raw?.close();
    throw sqliteOpenError(path, err);
  }
  const db = new Kysely<Schema>({
    dialect: new SqliteDialect({ database: cachedStatements(raw) }),
  });
  return {
    db,
    dialect: 'sqlite',
    uri,
    write: (fn) => sqliteWrite(db, fn),
    close: () => db.destroy(),
  };
}

/** Statements kept prepared at most; the hot paths use a few dozen distinct SQL texts. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely prepares every query afresh; preparing costs about a third of a small write on SQLite.
 * Kysely runs one query at a time on its one connection, so reusing a prepared statement is safe.
 */
function cachedStatements(raw: import('better-sqlite3').Database) {
  const cache = new Map<string, import('better-sqlite3').Statement>();
  return {
    close: () => raw.close(),
    prepare(sqlText: string) {
      let stmt = cache.get(sqlText);
      if (stmt === undefined) {
        stmt = raw.prepare(sqlText);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear();
        cache.set(sqlText, stmt);
      }
      return stmt;
    },
  };
}

/**
 * WAL lets readers and one writer work at once. Switching a new file to WAL takes an exclusive
 * lock without consulting the busy timeout, so processes opening one new database at once retry.
 */
async function enableWal(raw: import('better-sqlite3').Database): Promise<void> {
  if (raw.memory) return;
  for (let attempt = 0; ; attempt++) {
    try {
      if (raw.pragma('journal_mode', { simple: true }) === 'wal') return;
      raw.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY' || attempt >= 200) throw err;
      await new Promise((r) => setTimeout(r, 10 + Math.random() * 40));
    }
  }
}

function sqliteOpenError(path: string, err: unknown): MlopsError {
  const code = (err as { code?: string }).code ?? '';
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new MlopsError(
      'DATABASE_CORRUPT',
      `${path} is not a readable SQLite database (${code}). Move it aside and restore a backup, or start afresh; mlops will not modify it.`,
      { cause: err },
    );
  }
  return new MlopsError('IO_ERROR', `Cannot open SQLite database ${path}: ${String(err)}`, {
    cause: err,
  });
}

async function sqliteWrite<T>(
  db: Kysely<Schema>,
  fn: (trx: Kysely<Schema>) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`BEGIN IMMEDIATE`.execute(conn);
    try {
      const result = await fn(conn);
      await sql`COMMIT`.execute(conn);
      return result;
    } catch (err) {
      await sql`ROLLBACK`.execute(conn);
      throw err;
    }
  });
}

async function openPostgres(
  connectionString: string,
  schema: string | undefined,
  uri: string,
  poolSize: number,
): Promise<Database> {
  const { default: pg } = await import('pg');
  // int8 (bigint) columns hold epoch milliseconds and steps: safe as JS numbers.
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text'),
  };
  const pool = new pg.Pool({
    connectionString,
    max: poolSize,
    types,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  try {
    const client = await pool.connect();
    try {
      // Two processes creating the schema at once race inside PostgreSQL: the loser's duplicate
      // error means it exists, which is all we need.
      if (schema) {
        await client
          .query(`CREATE SCHEMA IF NOT EXISTS ${schema}`)
          .catch((err: { code?: string }) => {
            if (err.code !== '23505' && err.code !== '42P06') throw err;
          });
      }
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end();
    if (MlopsError.is(err)) throw err;
    throw new MlopsError(
      'DATABASE_UNREACHABLE',
      `Cannot connect to PostgreSQL at ${redact(uri)}: ${(err as Error).message}. Check the server is running and the URI is right.`,
      { cause: err },
    );
  }
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    uri,
    write: (fn) => db.transaction().execute((trx: Transaction<Schema>) => fn(trx)),
    close: () => db.destroy(),
  };
}

/** Hides a password in a URI before it is printed. */
export function redact(uri: string): string {
  return uri.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

import { MlopsError } from '../core/index.js';

/** A unique or primary key violation, on either database (a concurrent writer got there first). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/**
 * The MlopsError for a driver error that means the database itself is damaged (a file can look
 * fine at open and fail on a page read later), or undefined for any other error.
 */
export function corruptDatabaseError(err: unknown): MlopsError | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (
    code !== 'SQLITE_CORRUPT' &&
    code !== 'SQLITE_NOTADB' &&
    code !== 'XX001' &&
    code !== 'XX002'
  ) {
    return undefined;
  }
  return new MlopsError(
    'DATABASE_CORRUPT',
    `The tracking database is damaged (${String(code)}: ${(err as Error).message}). Restore it from a backup; for SQLite, \`sqlite3 <file> .recover\` may save what is readable.`,
    { cause: err },
  );
}

import { MlopsError } from './mlops-error.js';

/**
 * The MlopsError for a driver error that means the database itself is damaged (a file can look
 * fine at open and fail on a page read later), or undefined for any other error. In core (not
 * storage) so that the CLI's error handler can use it without loading the database layer.
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

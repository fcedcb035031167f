import { MlopsError } from '../core/index.js';

/** The Node error code of `err` (`ENOENT`, ...), if any. */
export function errnoOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isNotFound(err: unknown): boolean {
  return errnoOf(err) === 'ENOENT';
}

/** A file-system failure as `IO_ERROR` naming the path; MlopsErrors pass through. */
export function ioError(action: string, path: string, err: unknown): MlopsError {
  if (MlopsError.is(err)) return err;
  const code = errnoOf(err);
  const message = err instanceof Error ? err.message : String(err);
  // Node's messages mostly start with the code already ("ENOTDIR: not a directory, open ...").
  const why = code && !message.startsWith(code) ? `${code}: ${message}` : message;
  return new MlopsError('IO_ERROR', `Cannot ${action} ${path} (${why}).`, { cause: err });
}

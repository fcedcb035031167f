import { MlopsError } from '../core/index.js';

/** Wraps a file-system failure as `IO_ERROR` naming the path; MlopsErrors pass through as is. */
export function ioError(action: string, path: string, err: unknown): MlopsError {
  if (MlopsError.is(err)) return err;
  const code = (err as { code?: string }).code;
  const why = code ? `${code}: ${(err as Error).message}` : String(err);
  return new MlopsError('IO_ERROR', `Cannot ${action} ${path} (${why}).`, { cause: err });
}

/** True for a Node error with `code === 'ENOENT'`. */
export function isNotFound(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === 'ENOENT';
}

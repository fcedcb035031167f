import { MlopsError } from '../core/index.js';

/** Wraps a file-system failure as `IO_ERROR` naming the path; MlopsErrors pass through as is. */
export function ioError(action: string, path: string, err: unknown): MlopsError {
  if (MlopsError.is(err)) return err;
  const code = (err as { code?: string }).code;
  const message = err instanceof Error ? err.message : String(err);
  // Node's messages mostly start with the code already ("ENOTDIR: not a directory, open ...").
  const why = code && !message.startsWith(code) ? `${code}: ${message}` : message;
  return new MlopsError('IO_ERROR', `Cannot ${action} ${path} (${why}).`, { cause: err });
}

/** True for a Node error with `code === 'ENOENT'`. */
export function isNotFound(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === 'ENOENT';
}

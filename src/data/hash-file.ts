import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { MlopsError } from '../core/index.js';
import { ioError, isNotFound } from './fs-errors.js';

const READ_SIZE = 1024 * 1024;

/**
 * Files up to this size are read whole with one synchronous call: for small files the thread-pool
 * round trips of a stream (open, read, read, close) cost far more than the bytes.
 */
export const SMALL_FILE_BYTES = 1024 * 1024;

/**
 * The sha256 (lower-case hex) and size of the file at `path`. `expectedSize` (from a stat) picks
 * the whole-file read for small files; larger ones are streamed (memory ~1 MiB).
 */
export async function hashFile(
  path: string,
  expectedSize = Infinity,
): Promise<{ sha256: string; size: number }> {
  const hasher = createHash('sha256');
  let size = 0;
  try {
    if (expectedSize <= SMALL_FILE_BYTES) {
      const bytes = readFileSync(path);
      return { sha256: hasher.update(bytes).digest('hex'), size: bytes.byteLength };
    }
    for await (const piece of createReadStream(path, { highWaterMark: READ_SIZE })) {
      hasher.update(piece as Buffer);
      size += (piece as Buffer).byteLength;
    }
  } catch (err) {
    throw readError(path, err);
  }
  return { sha256: hasher.digest('hex'), size };
}

/** A failed read of `path` as `RESOURCE_DOES_NOT_EXIST` or `IO_ERROR`. */
function readError(path: string, err: unknown): MlopsError {
  if (isNotFound(err)) {
    return new MlopsError('RESOURCE_DOES_NOT_EXIST', `Cannot hash ${path}: no such file.`, {
      cause: err,
    });
  }
  return ioError('read', path, err);
}

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { MlopsError } from '../core/index.js';
import { ioError, isNotFound } from './fs-errors.js';

const READ_SIZE = 1024 * 1024;

/** The sha256 (lower-case hex) and size of the file at `path`, streamed (memory ~1 MiB). */
export async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hasher = createHash('sha256');
  let size = 0;
  try {
    for await (const piece of createReadStream(path, { highWaterMark: READ_SIZE })) {
      hasher.update(piece as Buffer);
      size += (piece as Buffer).byteLength;
    }
  } catch (err) {
    if (isNotFound(err)) {
      throw new MlopsError('RESOURCE_DOES_NOT_EXIST', `Cannot hash ${path}: no such file.`, {
        cause: err,
      });
    }
    throw ioError('read', path, err);
  }
  return { sha256: hasher.digest('hex'), size };
}

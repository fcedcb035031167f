import { createHash } from 'node:crypto';
import { invalidParam } from '../core/index.js';

const BLOB_HASH = /^[0-9a-f]{64}$/;

/** True for a well-formed blob name: 64 lower-case hex (a sha256). */
export function isBlobHash(value: unknown): value is string {
  return typeof value === 'string' && BLOB_HASH.test(value);
}

/**
 * Refuses anything but 64 lower-case hex, so a hash argument can never name a path outside the
 * store (`../..`, `/etc/passwd`) or an object of another kind.
 */
export function assertBlobHash(hash: unknown, what = 'blob hash'): string {
  if (isBlobHash(hash)) return hash;
  const shown = typeof hash === 'string' ? JSON.stringify(hash.slice(0, 80)) : String(hash);
  throw invalidParam(
    `Invalid ${what} ${shown}: expected a sha256 as 64 lower-case hex characters.`,
    { hash: typeof hash === 'string' ? hash.slice(0, 200) : String(hash) },
  );
}

/** sha256 of `bytes` as lower-case hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

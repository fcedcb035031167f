import { MlopsError } from '../core/index.js';
import type { BlobStore } from './blob-store.js';

export interface VerifyReport {
  readonly checked: number;
  readonly bytes: number;
  /** Hashes whose bytes no longer match their name. */
  readonly corrupt: readonly string[];
}

/** Re-reads and re-hashes every blob (the store's `get` checks the hash); reports the bad ones. */
export async function verifyBlobs(blobs: BlobStore): Promise<VerifyReport> {
  let checked = 0;
  let bytes = 0;
  const corrupt: string[] = [];
  for await (const hash of blobs.list()) {
    try {
      bytes += (await blobs.get(hash)).byteLength;
      checked++;
    } catch (err) {
      if (!MlopsError.is(err)) throw err;
      if (err.code === 'BLOB_CORRUPT') {
        checked++;
        corrupt.push(hash);
      } else if (err.code !== 'BLOB_NOT_FOUND') throw err; // deleted meanwhile: not a finding
    }
  }
  return { checked, bytes, corrupt };
}

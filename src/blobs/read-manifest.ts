import { MlopsError } from '../core/index.js';
import { assertBlobHash } from './blob-hash.js';
import type { BlobStore } from './blob-store.js';
import { decodeManifest, type Manifest } from './manifest.js';

/** Loads and validates manifest `id`: `BLOB_NOT_FOUND` when absent, `BLOB_CORRUPT` when malformed. */
export async function readManifest(blobs: BlobStore, id: string): Promise<Manifest> {
  assertBlobHash(id, 'manifest id');
  let bytes: Uint8Array;
  try {
    bytes = await blobs.get(id);
  } catch (err) {
    if (MlopsError.is(err) && err.code === 'BLOB_NOT_FOUND') {
      throw new MlopsError('BLOB_NOT_FOUND', `Manifest ${id} not found in ${blobs.location}.`, {
        cause: err,
        details: { hash: id, location: blobs.location },
      });
    }
    throw err;
  }
  return decodeManifest(bytes, id);
}

import { MlopsError } from '../core/index.js';
import { readManifest, type BlobStore } from '../blobs/index.js';
import { readListing } from './directory-listing.js';
import type { DataPointer } from './pointer.js';

/** True when the store holds manifest `id` and every chunk it lists (bytes are not re-hashed). */
export async function storedFileComplete(blobs: BlobStore, id: string): Promise<boolean> {
  if (!(await blobs.has(id))) return false;
  try {
    const manifest = await readManifest(blobs, id);
    for (const chunk of manifest.chunks) if (!(await blobs.has(chunk.hash))) return false;
    return true;
  } catch (err) {
    if (MlopsError.is(err) && (err.code === 'BLOB_NOT_FOUND' || err.code === 'BLOB_CORRUPT')) {
      return false;
    }
    throw err;
  }
}

/** True when everything the pointer names (for a directory: listing and each file) is stored. */
export async function pointerCached(blobs: BlobStore, pointer: DataPointer): Promise<boolean> {
  if (!(await storedFileComplete(blobs, pointer.manifest))) return false;
  if (pointer.files === undefined) return true;
  let entries;
  try {
    entries = await readListing(blobs, pointer.manifest);
  } catch (err) {
    if (MlopsError.is(err) && (err.code === 'BLOB_NOT_FOUND' || err.code === 'BLOB_CORRUPT')) {
      return false;
    }
    throw err;
  }
  for (const e of entries) if (!(await storedFileComplete(blobs, e.manifest))) return false;
  return true;
}
